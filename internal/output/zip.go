package output

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"io"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"guidebook/internal/outdir"
)

// NewZip returns an Output writing the site as a zip archive to file,
// its entries under dir/ (see WriteZip), if rule allows replacing file.
func NewZip(file, dir string, rule outdir.Rule) *File {
	return NewFile(file, rule, outdir.OwnZip, func(files map[string][]byte, _ []string) ([]byte, error) {
		var b bytes.Buffer
		err := WriteZip(&b, files, dir)
		return b.Bytes(), err
	})
}

// ZipEpoch is every entry's time: the earliest an MS-DOS timestamp can
// hold, so the archive's bytes depend only on the files.
var ZipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// WriteZip writes files as a zip archive whose entries sit under dir/ (so
// that unzipping makes one folder), sorted by path, with fixed times and
// modes: the same site always gives the same archive.
func WriteZip(w io.Writer, files map[string][]byte, dir string) error {
	names := make([]string, 0, len(files))
	dirs := map[string]bool{}
	for n := range files {
		names = append(names, n)
		for d := path.Dir(n); d != "."; d = path.Dir(d) {
			dirs[d+"/"] = true
		}
	}
	for d := range dirs {
		names = append(names, d)
	}
	sort.Strings(names)
	zw := zip.NewWriter(w)
	// The comment marks the archive as guidebook's, so the next export
	// may replace it (outdir.OwnZip).
	if err := zw.SetComment(outdir.ZipComment); err != nil {
		return err
	}
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	prefix := ""
	if dir != "" {
		prefix = strings.Trim(dir, "/") + "/"
		h := &zip.FileHeader{Name: prefix, Modified: ZipEpoch}
		h.SetMode(os.ModeDir | 0o755)
		if _, err := zw.CreateHeader(h); err != nil {
			return err
		}
	}
	for _, n := range names {
		h := &zip.FileHeader{Name: prefix + n, Modified: ZipEpoch}
		if strings.HasSuffix(n, "/") {
			h.SetMode(os.ModeDir | 0o755)
			if _, err := zw.CreateHeader(h); err != nil {
				return err
			}
			continue
		}
		h.Method = zip.Deflate
		h.SetMode(0o644)
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := fw.Write(files[n]); err != nil {
			return err
		}
	}
	return zw.Close()
}
