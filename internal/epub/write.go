package epub

import (
	"archive/zip"
	"compress/flate"
	"fmt"
	"io"
	"path"
	"strings"

	"guidebook/internal/outdir"
)

// dosEpoch is every entry's MS-DOS date, 1980-01-01 (time 00:00), the
// earliest it can hold, so the container's bytes depend only on the book.
const dosEpoch = 1<<5 | 1

// Write writes b as an EPUB container to w.
func Write(w io.Writer, b *Book) error {
	if err := check(b); err != nil {
		return err
	}
	its := items(b)
	zw := zip.NewWriter(w)
	// The comment marks the file as guidebook's (outdir.OwnEPUB): the
	// next export may replace it.
	if err := zw.SetComment(outdir.EPUBComment); err != nil {
		return err
	}
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	// The mimetype entry comes first, stored, with no extra field: a
	// reading system identifies the container by its first bytes.
	if err := put(zw, "mimetype", []byte("application/epub+zip"), zip.Store); err != nil {
		return err
	}
	if err := put(zw, "META-INF/container.xml", []byte(containerXML), zip.Deflate); err != nil {
		return err
	}
	if err := put(zw, root+packagePath, packageDoc(b, its), zip.Deflate); err != nil {
		return err
	}
	for _, it := range its {
		if err := put(zw, root+it.path, it.data, zip.Deflate); err != nil {
			return err
		}
	}
	return zw.Close()
}

func put(zw *zip.Writer, name string, data []byte, method uint16) error {
	h := &zip.FileHeader{Name: name, Method: method}
	// Only the MS-DOS fields, not Modified: with Modified set,
	// archive/zip adds an extended-timestamp extra field, which the
	// mimetype entry must not have (OCF).
	//lint:ignore SA1019 the deprecated fields are the way to write no extra field
	h.ModifiedDate = dosEpoch
	h.SetMode(0o644)
	fw, err := zw.CreateHeader(h)
	if err != nil {
		return fmt.Errorf("epub: %s: %w", name, err)
	}
	_, err = fw.Write(data)
	return err
}

// check refuses a book whose files would collide in the container.
func check(b *Book) error {
	seen := map[string]string{packagePath: "the package document", navPath: "the navigation document", coverPath: "the cover page"}
	add := func(p, what string) error {
		if prev, ok := seen[p]; ok {
			return fmt.Errorf("epub: %s and %s are both %s", what, prev, p)
		}
		seen[p] = what
		return nil
	}
	for _, ch := range b.Chapters {
		if err := add(chapterPath(ch.ID), "chapter "+ch.ID); err != nil {
			return err
		}
	}
	if len(b.Glossary) > 0 {
		if err := add(glossaryPath, "the glossary"); err != nil {
			return err
		}
	}
	if len(b.References) > 0 {
		if err := add(referencesPath, "the references"); err != nil {
			return err
		}
	}
	cover := b.Cover == ""
	for _, f := range b.Files {
		cover = cover || f.Path == b.Cover && strings.HasPrefix(mediaType(f.Path), "image/")
	}
	if !cover {
		return fmt.Errorf("epub: the cover %s is not one of the book's images", b.Cover)
	}
	for _, f := range append(append([]File{}, b.Styles...), b.Files...) {
		if f.Path != path.Clean(f.Path) || path.IsAbs(f.Path) || f.Path == ".." || strings.HasPrefix(f.Path, "../") {
			return fmt.Errorf("epub: file path %q is not inside the package", f.Path)
		}
		if err := add(f.Path, "file "+f.Path); err != nil {
			return err
		}
	}
	return nil
}
