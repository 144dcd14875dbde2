// Package starter holds the book that "guidebook new" writes: real files
// under book/, embedded, so the starter is edited, diffed and tested as a
// book rather than as Go strings.
//
// It writes through an os.Root opened on the new folder, so no name in the
// starter, and no symbolic link appearing inside the folder while it is
// written, can place a file anywhere else.
package starter

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
)

//go:embed all:book
var files embed.FS

// Book is the starter book, rooted at the site folder (content/ inside).
func Book() fs.FS {
	sub, err := fs.Sub(files, "book")
	if err != nil {
		panic(err) // the embed pattern names book/
	}
	return sub
}

// ErrRefused is wrapped by a refusal that touched nothing.
var ErrRefused = errors.New("refused")

type refusal struct{ msg string }

func (r *refusal) Error() string { return r.msg }
func (r *refusal) Unwrap() error { return ErrRefused }

func refuse(format string, args ...any) error {
	return &refusal{fmt.Sprintf(format, args...)}
}

// Write creates dir if it is missing and writes the starter book into it,
// returning the slash-separated names it wrote, in order. It refuses
// (ErrRefused, before writing anything) a dir that is a symbolic link, a
// file, or a folder holding anything, even a hidden file: the starter is
// never mixed into someone's files.
func Write(dir string) ([]string, error) {
	if err := checkTarget(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", dir, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", dir, err)
	}
	defer root.Close()
	var wrote []string
	err = fs.WalkDir(Book(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || name == "." {
			return err
		}
		if d.IsDir() {
			return root.Mkdir(name, 0o755)
		}
		if err := copyFile(root, name); err != nil {
			return err
		}
		wrote = append(wrote, name)
		return nil
	})
	if err != nil {
		return wrote, fmt.Errorf("writing the starter book into %s: %w", dir, err)
	}
	return wrote, nil
}

// checkTarget refuses what Write must not write into. The folder is
// looked at itself (Lstat), so a link to a folder elsewhere is refused
// rather than followed.
func checkTarget(dir string) error {
	info, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("%s: %w", dir, err)
	case info.Mode()&fs.ModeSymlink != 0:
		return refuse("refusing to write into %s: it is a symbolic link; name the folder it points to, or a new one", dir)
	case !info.IsDir():
		return refuse("refusing to write into %s: it is a file, not a folder; name a new or empty folder", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	if len(entries) > 0 {
		return refuse("refusing to write into %s: it is not empty (it holds %s); name a new or empty folder", dir, entries[0].Name())
	}
	return nil
}

// copyFile writes one starter file, failing rather than replacing a file
// that appeared since the folder was found empty.
func copyFile(root *os.Root, name string) error {
	src, err := Book().Open(name)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := root.OpenFile(filepath.FromSlash(name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return fmt.Errorf("%s: %w", path.Base(name), err)
	}
	return dst.Close()
}
