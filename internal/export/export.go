package export

import (
	"bytes"
	"path/filepath"
	"strings"

	"guidebook/internal/buildcache"
	"guidebook/internal/diag"
	"guidebook/internal/ebook"
	"guidebook/internal/epub"
	"guidebook/internal/outdir"
	"guidebook/internal/output"
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
	// Strict fails the export on an author lint warning, before any
	// output is written (see site.Options.Strict).
	Strict bool
	// Progress is the folder build's site.Options.Progress.
	Progress func(stage string, done, total int)
	// Cache is the build cache the folder's build reads and fills (see
	// site.Options.Cache); nil builds cold.
	Cache *buildcache.Cache
}

// Result says what Run wrote.
type Result struct {
	Stats                site.Stats
	Files                int   // files in the folder
	ZipSize, SingleBytes int64 // 0 when not asked for
	EPUBSize             int64
	Warnings             []*diag.Error // author lint's findings (site.Result.Warnings)
}

// Run builds the site once in Export mode into every output asked for:
// the folder and, if asked, the zip and the single file; and the EPUB,
// a renderer of its own over the same stages. Nothing is built unless
// every target is guidebook's to replace, and nothing is written unless
// the builds and every output succeed (output.Tee finishes the zip and
// the single file before committing any; the EPUB is made first).
func Run(opts Options) (*Result, error) {
	if err := CheckTargets(opts); err != nil {
		return nil, err
	}
	res := &Result{}
	if opts.Dir == "" && opts.EPUB != "" {
		// The EPUB's own pipeline does not lint: a build into memory
		// does, before the EPUB is written.
		r, err := site.Build(site.Options{SiteDir: opts.SiteDir, Mode: site.Export, Strict: opts.Strict}, output.NewMemory())
		if err != nil {
			return nil, err
		}
		res.Warnings = r.Warnings
	}
	var book []byte
	if opts.EPUB != "" {
		var err error
		if book, err = EPUB(opts.SiteDir, opts.BaseURL); err != nil {
			return nil, err
		}
	}
	if opts.Dir != "" {
		var err error
		if res, err = runSite(opts); err != nil {
			return nil, err
		}
	}
	if book != nil {
		if err := writeEPUB(opts, book); err != nil {
			return nil, err
		}
		res.EPUBSize = int64(len(book))
	}
	return res, nil
}

// EPUB builds the book as an EPUB 3 file (see packages ebook and epub).
func EPUB(siteDir, baseURL string) ([]byte, error) {
	book, err := ebook.Make(site.Options{SiteDir: siteDir, Mode: site.Export, BaseURL: baseURL})
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := epub.Write(&b, book); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeEPUB writes the EPUB to a temporary file beside its target and
// renames it into place, if the target is (still) guidebook's to replace.
func writeEPUB(opts Options, book []byte) error {
	rule := outdir.Rule{Site: opts.SiteDir, Force: opts.Force}
	return output.WriteOwnedFile(opts.EPUB, rule, outdir.OwnEPUB, book)
}

// runSite writes the folder and the files made from its pages.
func runSite(opts Options) (*Result, error) {
	rule := outdir.Rule{Site: opts.SiteDir, Force: opts.Force}
	dir, err := output.NewDir(opts.Dir, rule)
	if err != nil {
		return nil, err
	}
	outs := []output.Output{dir}
	var zip, single *output.File
	if opts.Zip != "" {
		zip = output.NewZip(opts.Zip, zipDirName(opts.Zip), rule)
		outs = append(outs, zip)
	}
	if opts.SingleFile != "" {
		single = NewSingleFile(opts.SingleFile, rule)
		outs = append(outs, single)
	}
	out := outs[0]
	if len(outs) > 1 {
		out = output.Tee(outs...)
	}
	r, err := site.Build(site.Options{SiteDir: opts.SiteDir, Mode: site.Export, Strict: opts.Strict, Progress: opts.Progress, Cache: opts.Cache}, out)
	if err != nil {
		return nil, err
	}
	res := &Result{Stats: r.Stats, Files: r.Files, Warnings: r.Warnings}
	if zip != nil {
		res.ZipSize = zip.Size()
	}
	if single != nil {
		res.SingleBytes = single.Size()
	}
	return res, nil
}

// NewSingleFile returns an Output writing the whole book as one HTML file
// to path (see SingleFile), if rule allows replacing path.
func NewSingleFile(path string, rule outdir.Rule) *output.File {
	return output.NewFile(path, rule, outdir.OwnSingleFile, SingleFile)
}

// CheckTargets refuses an export whose folder or files are not guidebook's
// to replace (outdir.CheckDir, outdir.CheckFile), or two of whose targets
// are one path.
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
