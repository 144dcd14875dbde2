package starter

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"

	"guidebook/internal/content"
	"guidebook/internal/diag"
	"guidebook/internal/paths"
)

// NewChapter adds content/NAME.md to the book in contentDir: front matter
// with a title made from name and the order after the book's last
// chapter. It returns the file's path. name must already be a chapter id
// (the file name is the id, so a link [[name]] reaches it); the rules are
// internal/content's and internal/paths', asked rather than repeated.
func NewChapter(contentDir, name string) (string, error) {
	if paths.FileSlug(name) != name {
		return "", refuse("refusing chapter name %q: use lowercase letters, digits, '-' and '_' (it becomes the file name and the page's address)", name)
	}
	probe, err := content.ParseChapter(name+".md", nil)
	if err != nil {
		return "", refuse("refusing chapter name %q: %v", name, err)
	}
	if err := content.CheckDir(contentDir); err != nil {
		return "", err
	}
	book, err := content.Load(contentDir)
	if err != nil {
		err = diag.Relocate(err, diag.DisplayDir(contentDir))
		return "", fmt.Errorf("%w\nthe book does not load, so the next order is unknown; fix the problems above first", err)
	}
	next := 1
	for _, ch := range book.Chapters {
		if ch.ID == name {
			return "", refuse("refusing to add %s.md: chapter %q exists already (%s)", name, name, ch.File)
		}
		next = max(next, ch.Order+1)
	}
	src := fmt.Sprintf("---\ntitle: %s\norder: %d\n# summary: one sentence for the home page and the meta description\n---\n\nWrite the chapter here.\n", strconv.Quote(probe.Title), next)
	return name + ".md", writeNew(contentDir, name+".md", []byte(src))
}

// writeNew writes a file that must not exist yet, inside dir.
func writeNew(dir, name string, data []byte) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return refuse("refusing to replace %s: it exists already", name)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
