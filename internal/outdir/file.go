package outdir

import (
	"archive/zip"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ZipComment is the comment of every archive guidebook writes: OwnZip
// recognises a previous export by it.
const ZipComment = "Written by guidebook export; the next export replaces this file."

// singleSuffix ends the generator of the single HTML file, telling it
// from a page of a built folder (which an export must not overwrite
// unasked: it may be the only copy of someone's published site).
const singleSuffix = " (single-file export)"

// SingleFileGenerator is the content of the single HTML file's
// <meta name="generator">: OwnSingleFile recognises a previous export by
// it.
func SingleFileGenerator(version string) string { return "guidebook " + version + singleSuffix }

// CheckFile reports whether an export may write file: never inside the
// site's content/, templates/ or assets/, never over a folder, and over
// an existing file only when own says guidebook wrote it, or with Force.
// The file's own name is not resolved: the write replaces a symbolic
// link, never what it points to.
// Like CheckDir, it looks at the absolute, lexically cleaned path, which
// the writer must use too.
func CheckFile(file string, r Rule, own func(string) bool) error {
	abs, err := filepath.Abs(file)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	dir, err := realPath(filepath.Dir(abs))
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	real := filepath.Join(dir, filepath.Base(abs))
	if r.Site != "" {
		s, err := realPath(r.Site)
		if err != nil {
			return fmt.Errorf("site folder %s: %w", r.Site, err)
		}
		if src := sourceFolder(real, s); src != "" {
			return refuse("refusing to write %s: it is inside the site's %s/ folder, which holds the sources (--force does not change this); choose another file name", file, src)
		}
	}
	info, err := os.Lstat(abs)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if info.IsDir() {
		return refuse("refusing to write %s: it is a folder; name a file", file)
	}
	if (info.Mode().IsRegular() && own(abs)) || r.Force {
		return nil
	}
	return refuse("refusing to replace %s: the file exists and guidebook did not write it; choose another name, or pass --force to replace it", file)
}

// OwnZip reports whether the file at name is an archive guidebook wrote.
func OwnZip(name string) bool {
	r, err := zip.OpenReader(name)
	if err != nil {
		return false
	}
	defer r.Close()
	return r.Comment == ZipComment
}

// EPUBComment is the comment of every EPUB guidebook writes (an EPUB is
// a zip archive): OwnEPUB recognises a previous export by it. Package
// epub writes it.
const EPUBComment = "Written by guidebook export --epub; the next export replaces this file."

// OwnEPUB reports whether the file at name is an EPUB guidebook wrote.
func OwnEPUB(name string) bool {
	r, err := zip.OpenReader(name)
	if err != nil {
		return false
	}
	defer r.Close()
	return r.Comment == EPUBComment
}

// OwnSingleFile reports whether the file at name is a single HTML file
// guidebook wrote: its head has guidebook's single-file generator. Only
// the head is read.
func OwnSingleFile(name string) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	z := html.NewTokenizer(f)
	for {
		switch z.Next() {
		case html.ErrorToken:
			return false
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			switch t.DataAtom {
			case atom.Body:
				return false
			case atom.Meta:
				if generator(t) {
					return true
				}
			}
		}
	}
}

func generator(t html.Token) bool {
	var name, content string
	for _, a := range t.Attr {
		switch a.Key {
		case "name":
			name = a.Val
		case "content":
			content = a.Val
		}
	}
	return strings.EqualFold(name, "generator") && strings.HasPrefix(content, "guidebook ") && strings.HasSuffix(content, singleSuffix)
}
