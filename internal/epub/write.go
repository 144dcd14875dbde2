package epub

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"path"
	"runtime"
	"strings"
	"sync"

	"guidebook/internal/outdir"
	"guidebook/internal/workers"
)

// dosEpoch is every entry's MS-DOS date, 1980-01-01 (time 00:00), the
// earliest it can hold, so the container's bytes depend only on the book.
const dosEpoch = 1<<5 | 1

// Write writes b as an EPUB container to w. Entries are compressed in
// parallel, each on its own, and written in a fixed order; deflate is
// deterministic, so the bytes still depend only on the book.
func Write(w io.Writer, b *Book) error {
	if err := check(b); err != nil {
		return err
	}
	its := items(b)
	// The mimetype entry comes first, stored: a reading system
	// identifies the container by its first bytes.
	entries := []entry{
		{name: "mimetype", data: []byte("application/epub+zip"), method: zip.Store},
		{name: "META-INF/container.xml", data: []byte(containerXML), method: zip.Deflate},
		{name: root + packagePath, data: packageDoc(b, its), method: zip.Deflate},
	}
	for _, it := range its {
		entries = append(entries, entry{name: root + it.path, data: it.data, method: zip.Deflate})
	}
	if err := compress(entries); err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	// The comment marks the file as guidebook's (outdir.OwnEPUB): the
	// next export may replace it.
	if err := zw.SetComment(outdir.EPUBComment); err != nil {
		return err
	}
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: e.method, CRC32: e.crc, CompressedSize64: uint64(len(e.raw)), UncompressedSize64: uint64(len(e.data))}
		// Only the MS-DOS fields, not Modified: with Modified set,
		// archive/zip adds an extended-timestamp extra field, which the
		// mimetype entry must not have (OCF).
		//lint:ignore SA1019 the deprecated fields are the way to write no extra field
		h.ModifiedDate = dosEpoch
		h.SetMode(0o644)
		fw, err := zw.CreateRaw(h)
		if err != nil {
			return fmt.Errorf("epub: %s: %w", e.name, err)
		}
		if _, err := fw.Write(e.raw); err != nil {
			return fmt.Errorf("epub: %s: %w", e.name, err)
		}
	}
	return zw.Close()
}

// entry is one file of the container.
type entry struct {
	name   string
	data   []byte
	method uint16
	raw    []byte // data as stored: compressed for zip.Deflate
	crc    uint32
}

// flateWriters are reused: a flate.Writer's tables are large to allocate.
var flateWriters = sync.Pool{New: func() any {
	fw, _ := flate.NewWriter(nil, flate.BestCompression)
	return fw
}}

// compress fills in every entry's raw bytes and checksum, on every core.
func compress(entries []entry) error {
	errs := make([]error, len(entries))
	workers.For(len(entries), runtime.GOMAXPROCS(0), func(i int) { errs[i] = entries[i].compress() })
	return errors.Join(errs...)
}

func (e *entry) compress() error {
	e.crc = crc32.ChecksumIEEE(e.data)
	if e.method == zip.Store {
		e.raw = e.data
		return nil
	}
	var buf bytes.Buffer
	fw := flateWriters.Get().(*flate.Writer)
	defer flateWriters.Put(fw)
	fw.Reset(&buf)
	if _, err := fw.Write(e.data); err != nil {
		return fmt.Errorf("epub: %s: %w", e.name, err)
	}
	if err := fw.Close(); err != nil {
		return fmt.Errorf("epub: %s: %w", e.name, err)
	}
	e.raw = buf.Bytes()
	return nil
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
