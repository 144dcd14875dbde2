package main

import (
	"fmt"
	"io"
	"path/filepath"

	"guidebook/internal/buildcache"
	"guidebook/internal/export"
)

func init() {
	register(&command{name: "export", synopsis: "export [--src DIR] [--out DIR] [--force] [--zip FILE] [--single-file FILE] [--epub FILE [--base-url URL]] [--strict] [--cache-dir DIR | --no-cache]",
		summary: "write an offline copy that opens from disk (folder, zip, one HTML file) or in a reading app (EPUB)", run: cmdExport})
}

func cmdExport(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("export", stderr)
	src := fs.String("src", ".", "site directory holding content/ (and optional templates/, assets/)")
	out := fs.String("out", "", "output folder (default SRC/guide-offline), replaced as a whole: it must be missing, empty or written by guidebook")
	force := fs.Bool("force", false, forceHelp)
	zipFile := fs.String("zip", "", "also write the folder as a zip archive to `FILE`, e.g. guide.zip")
	single := fs.String("single-file", "", "also write the whole book as one self-contained HTML `FILE`, e.g. guide.html")
	epubFile := fs.String("epub", "", "also write the book as an EPUB 3 `FILE` for reading apps, e.g. guide.epub; alone (no --out, --zip or --single-file) it is the only output")
	baseURL := fs.String("base-url", "", "`URL` the site is published at: the EPUB links each calculator to its live version there")
	strict := fs.Bool("strict", false, strictHelp)
	cf := addCacheFlags(fs)
	if code, done := parseFlags(fs, args); done {
		return code
	}
	epubOnly := *epubFile != "" && *out == "" && *zipFile == "" && *single == ""
	if *out == "" && !epubOnly {
		*out = filepath.Join(*src, "guide-offline")
	}
	var outputs []string
	for _, f := range []string{*out, *zipFile, *single, *epubFile} {
		if f != "" {
			outputs = append(outputs, f)
		}
	}
	var cache *buildcache.Cache
	if *out != "" {
		var err error
		if cache, err = cf.open(*src, outputs, stderr); err != nil {
			return report(stderr, err, "export", outputs...)
		}
		defer cache.Close()
	}
	line := startProgress(stderr)
	res, err := export.Run(export.Options{SiteDir: *src, Dir: *out, Zip: *zipFile, SingleFile: *single, EPUB: *epubFile, BaseURL: *baseURL, Force: *force, Strict: *strict,
		Progress: line.Func(), Cache: cache})
	line.Clear()
	if err != nil {
		return report(stderr, err, "export", outputs...)
	}
	if *out != "" {
		fmt.Fprintf(stdout, "guidebook: exported %s into %s (%d files)\n", res.Stats, *out, res.Files)
	}
	if *zipFile != "" {
		fmt.Fprintf(stdout, "guidebook: wrote %s (%d bytes)\n", *zipFile, res.ZipSize)
	}
	if *single != "" {
		fmt.Fprintf(stdout, "guidebook: wrote %s (%d bytes)\n", *single, res.SingleBytes)
	}
	if *epubFile != "" {
		fmt.Fprintf(stdout, "guidebook: wrote %s (%d bytes)\n", *epubFile, res.EPUBSize)
	}
	printWarnings(stderr, res.Warnings, false)
	return 0
}
