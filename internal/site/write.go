package site

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Write puts out into dir so that dir only ever holds a complete site: the
// files go to a temporary sibling directory, which then replaces dir in one
// rename. A failed or killed build leaves the previous dir as it was (at
// worst a stray .NAME.tmp-* sibling, removed by the next build).
func Write(out *Output, dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	parent, name := filepath.Dir(abs), filepath.Base(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("output directory: %w", err)
	}
	removeStale(parent, name)
	tmp, err := os.MkdirTemp(parent, "."+name+".tmp-")
	if err != nil {
		return fmt.Errorf("output directory: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := writeTree(tmp, out.Files); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := swapDir(tmp, abs); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("replacing %s: %w", dir, err)
	}
	return nil
}

// writeTree writes files below root in parallel. Paths come from the
// generator, but a chapter id or static file name is still the author's
// text, so each path is checked to stay inside root.
func writeTree(root string, files map[string][]byte) error {
	names := make([]string, 0, len(files))
	for n := range files {
		if !filepath.IsLocal(filepath.FromSlash(n)) {
			return fmt.Errorf("refusing to write %q: it would land outside the output directory", n)
		}
		names = append(names, n)
	}
	sort.Strings(names)
	dirs := map[string]bool{}
	for _, n := range names {
		dirs[filepath.Dir(filepath.Join(root, filepath.FromSlash(n)))] = true
	}
	for d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	errs := make([]error, len(names))
	parallel(len(names), 8, func(i int) {
		p := filepath.Join(root, filepath.FromSlash(names[i]))
		errs[i] = os.WriteFile(p, files[names[i]], 0o644)
	})
	return errors.Join(errs...)
}

// swapDir makes tmp become dst. Where the OS can exchange two paths
// atomically (Linux), dst never disappears, even for an instant.
func swapDir(tmp, dst string) error {
	info, err := os.Lstat(dst)
	if errors.Is(err, os.ErrNotExist) {
		return os.Rename(tmp, dst)
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%s exists and is not a directory", dst)
	}
	if err := exchange(tmp, dst); err == nil {
		return os.RemoveAll(tmp) // tmp now holds the previous site
	}
	old := tmp + ".old"
	if err := os.Rename(dst, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Rename(old, dst)
		return err
	}
	return os.RemoveAll(old)
}

func removeStale(parent, name string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "."+name+".tmp-") {
			os.RemoveAll(filepath.Join(parent, e.Name()))
		}
	}
}
