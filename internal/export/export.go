package export

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"guidebook/internal/epub"
	"guidebook/internal/outdir"
	"guidebook/internal/site"
)

// Options configure Run.
type Options struct {
	SiteDir    string // holds content/, templates/, assets/
	Dir        string // output folder, replaced atomically
	Zip        string // optional: write a zip of the folder here
	SingleFile string // optional: write the whole book as one HTML file here
	// EPUB, optional, is where to write the book as an EPUB 3 file. With
	// Dir empty, it is the only output.
	EPUB string
	// BaseURL is the address the site is published at, if known: the
	// EPUB links each calculator to its live version there.
	BaseURL string
	// Force replaces a folder or file guidebook did not write (see
	// outdir); the site's sources are never replaced.
	Force bool
}

// Result says what Run wrote.
type Result struct {
	Stats                site.Stats
	Files                int   // files in the folder
	ZipSize, SingleBytes int64 // 0 when not asked for
	EPUBSize             int64
}

// Run builds the site in Export mode and writes the folder and, if asked,
// the zip and the single file. Nothing is written unless the build and
// every transformation succeed, and nothing is built unless every target
// is guidebook's to replace.
func Run(opts Options) (*Result, error) {
	if err := CheckTargets(opts); err != nil {
		return nil, err
	}
	var book []byte
	if opts.EPUB != "" {
		var err error
		if book, err = EPUB(opts.SiteDir, opts.BaseURL); err != nil {
			return nil, err
		}
	}
	res := &Result{}
	if opts.Dir != "" {
		var err error
		if res, err = runSite(opts); err != nil {
			return nil, err
		}
	}
	if book != nil {
		rule := outdir.Rule{Site: opts.SiteDir, Force: opts.Force}
		if err := writeFileAtomic(opts.EPUB, book, rule, outdir.OwnEPUB); err != nil {
			return nil, err
		}
		res.EPUBSize = int64(len(book))
	}
	return res, nil
}

// EPUB builds the book as an EPUB 3 file (see site.Builder.EPUB and
// package epub).
func EPUB(siteDir, baseURL string) ([]byte, error) {
	book, err := site.NewBuilder(site.Options{SiteDir: siteDir, Mode: site.Export, BaseURL: baseURL}).EPUB()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := epub.Write(&b, book); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// runSite writes the folder and the files made from it.
func runSite(opts Options) (*Result, error) {
	rule := outdir.Rule{Site: opts.SiteDir, Force: opts.Force}
	wo := site.WriteOptions{SiteDir: opts.SiteDir, Force: opts.Force}
	if opts.Zip == "" && opts.SingleFile == "" {
		// Only the folder: pages go to disk as they render.
		out, err := site.BuildTo(site.Options{SiteDir: opts.SiteDir, Mode: site.Export}, opts.Dir, wo, nil)
		if err != nil {
			return nil, err
		}
		return &Result{Stats: out.Stats, Files: len(out.Names)}, nil
	}
	out, err := Build(opts.SiteDir)
	if err != nil {
		return nil, err
	}
	var zipData, single []byte
	if opts.Zip != "" {
		var b bytes.Buffer
		if err := Zip(&b, out, zipDirName(opts.Zip)); err != nil {
			return nil, err
		}
		zipData = b.Bytes()
	}
	if opts.SingleFile != "" {
		if single, err = SingleFile(out); err != nil {
			return nil, err
		}
	}
	if err := site.WriteWith(out, opts.Dir, wo); err != nil {
		return nil, err
	}
	// Checked again: the files may have appeared during the build.
	if zipData != nil {
		if err := writeFileAtomic(opts.Zip, zipData, rule, outdir.OwnZip); err != nil {
			return nil, err
		}
	}
	if single != nil {
		if err := writeFileAtomic(opts.SingleFile, single, rule, outdir.OwnSingleFile); err != nil {
			return nil, err
		}
	}
	return &Result{Stats: out.Stats, Files: len(out.Files), ZipSize: int64(len(zipData)), SingleBytes: int64(len(single))}, nil
}

// CheckTargets refuses an export whose folder or files are not guidebook's
// to replace (outdir.CheckDir, outdir.CheckFile), or whose zip and single
// file are one file.
func CheckTargets(opts Options) error {
	rule := outdir.Rule{Site: opts.SiteDir, Force: opts.Force}
	if opts.Dir != "" {
		if err := outdir.CheckDir(opts.Dir, rule); err != nil {
			return err
		}
	}
	if err := distinct(opts); err != nil {
		return err
	}
	if opts.Zip != "" {
		if err := outdir.CheckFile(opts.Zip, rule, outdir.OwnZip); err != nil {
			return err
		}
	}
	if opts.SingleFile != "" {
		if err := outdir.CheckFile(opts.SingleFile, rule, outdir.OwnSingleFile); err != nil {
			return err
		}
	}
	if opts.EPUB != "" {
		if err := outdir.CheckFile(opts.EPUB, rule, outdir.OwnEPUB); err != nil {
			return err
		}
	}
	return nil
}

// Build builds the site for file://: relative links ending in index.html,
// no integrity attributes, no absolute URLs.
func Build(siteDir string) (*site.Output, error) {
	return site.NewBuilder(site.Options{SiteDir: siteDir, Mode: site.Export}).Build()
}

// zipEpoch is every entry's time: the earliest an MS-DOS timestamp can
// hold, so the archive's bytes depend only on the files.
var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// Zip writes out as a zip archive whose entries sit under dir/ (so that
// unzipping makes one folder), sorted by path, with fixed times and modes:
// the same site always gives the same archive.
func Zip(w io.Writer, out *site.Output, dir string) error {
	names := make([]string, 0, len(out.Files))
	dirs := map[string]bool{}
	for n := range out.Files {
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
	if err := zw.SetComment(outdir.ZipComment); err != nil {
		return err
	}
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	prefix := ""
	if dir != "" {
		prefix = strings.Trim(dir, "/") + "/"
		h := &zip.FileHeader{Name: prefix, Modified: zipEpoch}
		h.SetMode(os.ModeDir | 0o755)
		if _, err := zw.CreateHeader(h); err != nil {
			return err
		}
	}
	for _, n := range names {
		h := &zip.FileHeader{Name: prefix + n, Modified: zipEpoch}
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
		if _, err := fw.Write(out.Files[n]); err != nil {
			return err
		}
	}
	return zw.Close()
}

// distinct refuses targets that are one path: each would replace the other.
func distinct(opts Options) error {
	seen := map[string]string{}
	for _, t := range []struct{ flag, path string }{{"--out", opts.Dir}, {"--zip", opts.Zip}, {"--single-file", opts.SingleFile}, {"--epub", opts.EPUB}} {
		if t.path == "" {
			continue
		}
		abs, err := filepath.Abs(t.path)
		if err != nil {
			return err
		}
		if prev, ok := seen[abs]; ok {
			return outdir.Refusef("refusing to write %s and %s to the same path %s", prev, t.flag, t.path)
		}
		seen[abs] = t.flag
	}
	return nil
}

// zipDirName is the folder inside the archive: the archive's own name
// without .zip, as unzip tools suggest.
func zipDirName(zipPath string) string {
	base := filepath.Base(zipPath)
	if n := strings.TrimSuffix(base, filepath.Ext(base)); n != "" && n != "." {
		return n
	}
	return "guide"
}

// writeFileAtomic writes data next to name and renames it into place, so a
// reader never sees half a file, if rule allows replacing name.
func writeFileAtomic(name string, data []byte, rule outdir.Rule, own func(string) bool) error {
	if err := outdir.CheckFile(name, rule, own); err != nil {
		return err
	}
	name, err := filepath.Abs(name) // the path CheckFile looked at
	if err != nil {
		return err
	}
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp-")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}
