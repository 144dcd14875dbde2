package export

import (
	"path/filepath"
	"strings"

	"guidebook/internal/output"
	"guidebook/internal/site"
)

// Options configure Run.
type Options struct {
	SiteDir    string // holds content/, templates/, assets/
	Dir        string // output folder, replaced atomically
	Zip        string // optional: write a zip of the folder here
	SingleFile string // optional: write the whole book as one HTML file here
}

// Result says what Run wrote.
type Result struct {
	Stats                site.Stats
	Files                int   // files in the folder
	ZipSize, SingleBytes int64 // 0 when not asked for
}

// Run builds the site once in Export mode into every output asked for:
// the folder and, if asked, the zip and the single file. Nothing is
// written unless the build and every output succeed (output.Tee finishes
// the zip and the single file before committing any).
func Run(opts Options) (*Result, error) {
	dir, err := output.NewDir(opts.Dir)
	if err != nil {
		return nil, err
	}
	outs := []output.Output{dir}
	var zip, single *output.File
	if opts.Zip != "" {
		zip = output.NewZip(opts.Zip, zipDirName(opts.Zip))
		outs = append(outs, zip)
	}
	if opts.SingleFile != "" {
		single = NewSingleFile(opts.SingleFile)
		outs = append(outs, single)
	}
	out := outs[0]
	if len(outs) > 1 {
		out = output.Tee(outs...)
	}
	r, err := site.Build(site.Options{SiteDir: opts.SiteDir, Mode: site.Export}, out)
	if err != nil {
		return nil, err
	}
	res := &Result{Stats: r.Stats, Files: r.Files}
	if zip != nil {
		res.ZipSize = zip.Size()
	}
	if single != nil {
		res.SingleBytes = single.Size()
	}
	return res, nil
}

// NewSingleFile returns an Output writing the whole book as one HTML file
// to path (see SingleFile).
func NewSingleFile(path string) *output.File { return output.NewFile(path, SingleFile) }

// zipDirName is the folder inside the archive: the archive's own name
// without .zip, as unzip tools suggest.
func zipDirName(zipPath string) string {
	base := filepath.Base(zipPath)
	if n := strings.TrimSuffix(base, filepath.Ext(base)); n != "" && n != "." {
		return n
	}
	return "guide"
}
