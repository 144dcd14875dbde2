package site

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// WriteOptions configure WriteWith.
type WriteOptions struct {
	// Precompress writes NAME.gz and NAME.br beside each text file (HTML,
	// CSS, JS, XML, TXT, JSON, SVG) over compressMin bytes, for servers
	// that serve precompressed files (nginx gzip_static, Caddy
	// precompressed). A copy that is not smaller than its original is left
	// out; servers then fall back to the original.
	Precompress bool
}

// Write puts out into dir so that dir only ever holds a complete site: the
// files go to a temporary sibling directory, which then replaces dir in one
// rename. A failed or killed build leaves the previous dir as it was (at
// worst a stray .NAME.tmp-* sibling, removed by the next build).
func Write(out *Output, dir string) error {
	return WriteWith(out, dir, WriteOptions{})
}

// WriteWith is Write with options. Compressed copies are made by the write
// workers and go straight to disk, so they are never all in memory at once.
func WriteWith(out *Output, dir string, opts WriteOptions) error {
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
	if err := writeTree(tmp, out.Files, opts.Precompress); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := swapDir(tmp, abs); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("replacing %s: %w", dir, err)
	}
	return nil
}

// writeTree writes files below root in parallel, with their compressed
// siblings if precompress is set. Paths come from the generator, but a
// chapter id or static file name is still the author's text, so each path
// is checked to stay inside root.
//
// There is one worker per CPU: with compression the work is CPU-bound,
// and without it a page is a few kilobytes written to the page cache.
// Each worker owns one compressor, handed out through a channel because
// parallel does not say which worker runs a call.
func writeTree(root string, files map[string][]byte, precompress bool) error {
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
	workers := runtime.GOMAXPROCS(0)
	comps := make(chan *compressor, workers)
	for range workers {
		comps <- newCompressor()
	}
	errs := make([]error, len(names))
	parallel(len(names), workers, func(i int) {
		n := names[i]
		p := filepath.Join(root, filepath.FromSlash(n))
		data := files[n]
		if errs[i] = os.WriteFile(p, data, 0o644); errs[i] != nil || !precompress || !precompressible(n, len(data)) {
			return
		}
		c := <-comps
		defer func() { comps <- c }()
		errs[i] = writeCompressed(c, files, p, n)
	})
	return errors.Join(errs...)
}

// writeCompressed writes the compressed siblings of file n at path p,
// except one the site already has: an author's own NAME.gz wins, as their
// robots.txt does, and two workers never write the same path.
func writeCompressed(c *compressor, files map[string][]byte, p, n string) error {
	data := files[n]
	for _, enc := range []struct {
		ext string
		f   func([]byte) ([]byte, error)
	}{{".gz", c.gzip}, {".br", c.brotli}} {
		if _, ok := files[n+enc.ext]; ok {
			continue
		}
		z, err := enc.f(data)
		if err != nil {
			return fmt.Errorf("compressing %s: %w", n, err)
		}
		if len(z) >= len(data) {
			continue
		}
		if err := os.WriteFile(p+enc.ext, z, 0o644); err != nil {
			return err
		}
	}
	return nil
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
