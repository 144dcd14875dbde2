package main

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"

	"guidebook/internal/check"
	"guidebook/internal/diag"
	"guidebook/internal/lint"
	"guidebook/internal/output"
	"guidebook/internal/publish"
	"guidebook/internal/site"
)

func init() {
	register(&command{name: "check", synopsis: "check [--src DIR] [--dir DIR] [--base-url URL] [--external] [-v] [--strict]",
		summary: "check every link of the built site, and that a built tree is what the build wrote (builds into memory unless --dir names a built tree)", run: cmdCheck})
}

func cmdCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", stderr)
	src := fs.String("src", ".", "site directory to build into memory and check")
	dir := fs.String("dir", "", "check this already built directory (e.g. public) instead of building")
	baseURL := fs.String("base-url", "", "URL the site is published at; its path resolves root-relative links such as the 404 page's")
	external := fs.Bool("external", false, "list every external link and the pages holding it (they are never fetched)")
	verbose := fs.Bool("v", false, "same as --external")
	strict := fs.Bool("strict", false, "with --src: exit 1 on an author lint warning (unused terms, uncited references, unstable heading ids)")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if *strict && *dir != "" {
		fmt.Fprintln(stderr, "guidebook check: --strict lints the sources: use it with --src, not --dir")
		return 2
	}
	opts := check.Options{}
	if *baseURL != "" {
		norm, err := publish.CheckBaseURL(*baseURL)
		if err != nil {
			fmt.Fprintf(stderr, "guidebook check: --base-url: %v\n", err)
			return 2
		}
		u, _ := url.Parse(norm)
		*baseURL, opts.Base = norm, u.Path
	}

	var r *check.Report
	var warnings []*diag.Error
	where := *dir
	if *dir != "" {
		if info, err := os.Stat(*dir); err != nil || !info.IsDir() {
			fmt.Fprintf(stderr, "guidebook check: %s is not a built site directory\n", *dir)
			return 2
		}
		var err error
		if r, err = check.Dir(*dir, opts); err != nil {
			fmt.Fprintln(stderr, "guidebook check:", diag.Escape(err.Error()))
			return 2
		}
	} else {
		mem := output.NewMemory()
		res, err := site.Build(site.Options{SiteDir: *src, BaseURL: *baseURL, Mode: site.Publish}, mem)
		if err != nil {
			fmt.Fprintln(stderr, err)
			fmt.Fprintln(stderr, "guidebook check: the site does not build; fix the problems above first")
			return 1
		}
		r = check.Files(mem.Files(), opts)
		where = "the site built from " + *src
		warnings = res.Warnings
	}
	code := reportCheck(r, *dir, where, *external || *verbose, stdout, stderr)
	printWarnings(stderr, warnings, true)
	if code == 0 && *strict && lint.StrictCount(warnings) > 0 {
		fmt.Fprintln(stderr, "guidebook check: failed: --strict makes warnings errors")
		return 1
	}
	return code
}

// reportCheck prints check's problems, the external links if asked, and
// the summary, and returns the exit status.
func reportCheck(r *check.Report, dir, where string, external bool, stdout, stderr io.Writer) int {

	for _, p := range r.Problems {
		if dir != "" {
			p.File = filepath.ToSlash(filepath.Join(dir, p.File))
		}
		fmt.Fprintln(stderr, p)
	}
	if external {
		for _, u := range r.External {
			// A URL is the author's text: one line, escaped.
			fmt.Fprintln(stdout, diag.Escape(fmt.Sprintf("external %s (in %s)", u, joinMax(r.ExternalIn[u], 3))))
		}
	}
	summary := fmt.Sprintf("checked %d links in %d pages of %s; %d external links listed, not fetched", r.Links, r.Pages, where, len(r.External))
	if len(r.Problems) > 0 {
		what := "problems"
		if len(r.Problems) == 1 {
			what = "problem"
		}
		fmt.Fprintf(stderr, "guidebook check: %d %s (%s)\n", len(r.Problems), what, summary)
		return 1
	}
	fmt.Fprintf(stdout, "guidebook check: no broken links: %s\n", summary)
	return 0
}

// joinMax lists up to n items and says how many more there are.
func joinMax(items []string, n int) string {
	if len(items) <= n {
		return fmt.Sprint(items)
	}
	return fmt.Sprintf("%v and %d more", items[:n], len(items)-n)
}
