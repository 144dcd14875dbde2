// Command guidebook builds a documentation site from a folder of Markdown
// chapters. It only parses flags; the work is done by internal/site and the
// packages it calls.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"sort"
	"strings"
	"time"

	"guidebook/internal/diag"
	"guidebook/internal/outdir"
	"guidebook/internal/output"
	"guidebook/internal/publish"
	"guidebook/internal/site"
)

// command is one subcommand. Each lives in its own file and registers
// itself, so adding a command touches no shared code.
type command struct {
	name, synopsis, summary string
	run                     func(args []string, stdout, stderr io.Writer) int
}

var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

func init() {
	register(&command{name: "build", synopsis: "build [--src DIR] [--out DIR] [--force] [--base-url URL] [--minify] [--strict] [--cache-dir DIR | --no-cache]",
		summary: "publish the site to public/ for a web server or CDN", run: cmdBuild})
	register(&command{name: "version", synopsis: "version", summary: "print the version",
		run: func(_ []string, stdout, _ io.Writer) int { fmt.Fprintln(stdout, "guidebook", site.Version); return 0 }})
}

func usage() string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	width := 0
	for _, n := range names {
		width = max(width, len(commands[n].synopsis))
	}
	var b strings.Builder
	b.WriteString("guidebook builds a cross-linked static site from Markdown chapters.\n\nUsage:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  guidebook %-*s  %s\n", width, commands[n].synopsis, commands[n].summary)
	}
	b.WriteString("\nRun \"guidebook COMMAND --help\" for a command's flags.\n")
	return b.String()
}

func main() {
	limitMemory(os.Args[1:])
	os.Exit(profiled(func() int { return run(os.Args[1:], os.Stdout, os.Stderr) }))
}

// profiled runs f under the CPU profiler when GUIDEBOOK_CPUPROFILE names a
// file, and writes a heap profile after it when GUIDEBOOK_MEMPROFILE does,
// and one at the live heap's peak when GUIDEBOOK_PEAKPROFILE does:
// benchmarks of the whole command (bench/compare.sh) need the profile of
// the process that was timed, not of a go test binary.
func profiled(f func() int) int {
	if p := os.Getenv("GUIDEBOOK_CPUPROFILE"); p != "" {
		w, err := os.Create(p)
		if err == nil && pprof.StartCPUProfile(w) == nil {
			defer w.Close()
			defer pprof.StopCPUProfile()
		}
	}
	if p := os.Getenv("GUIDEBOOK_PEAKPROFILE"); p != "" {
		defer peakProfile(p)()
	}
	code := f()
	if p := os.Getenv("GUIDEBOOK_MEMPROFILE"); p != "" {
		if w, err := os.Create(p); err == nil {
			pprof.Lookup("allocs").WriteTo(w, 0)
			w.Close()
		}
	}
	return code
}

// peakProfile polls the live heap and writes a heap profile to p each
// time it grows a tenth past the last one written, so that p ends up
// showing what was live at (about) the peak; the returned func stops it.
func peakProfile(p string) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		var last uint64
		for {
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > last+last/10 {
				last = v
				if w, err := os.Create(p); err == nil {
					pprof.Lookup("heap").WriteTo(w, 0)
					w.Close()
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

// run is main without os.Exit, so tests can drive the CLI. A panic inside
// the pipeline is a guidebook bug; the user gets a message, not a trace.
func run(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "guidebook: internal error: %v\nThis is a bug in guidebook; please report it with the command you ran.\n", r)
			if os.Getenv("GUIDEBOOK_TRACE") != "" {
				stderr.Write(debug.Stack())
			}
			code = 3
		}
	}()
	if len(args) == 0 {
		fmt.Fprint(stderr, usage())
		return 2
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage())
		return 0
	case "--version":
		name = "version"
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "guidebook: unknown command %q\n\n%s", name, usage())
		return 2
	}
	return c.run(rest, stdout, stderr)
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	synopsis := commands[name].synopsis
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: guidebook %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func cmdBuild(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("build", stderr)
	src := fs.String("src", ".", "site directory holding content/ (and optional templates/, assets/)")
	out := fs.String("out", "", "output directory (default SRC/public), replaced as a whole: it must be missing, empty or written by guidebook")
	force := fs.Bool("force", false, forceHelp)
	baseURL := fs.String("base-url", "", "absolute URL the site is published at, e.g. https://example.org/guide/ (canonical links, sitemap)")
	minify := fs.Bool("minify", false, "minify HTML, CSS and JS (fingerprints and SRI hashes cover the minified bytes)")
	strict := fs.Bool("strict", false, strictHelp)
	cf := addCacheFlags(fs)
	if code, done := parseFlags(fs, args); done {
		return code
	}
	var err error
	if *baseURL, err = publish.CheckBaseURL(*baseURL); err != nil {
		fmt.Fprintf(stderr, "guidebook build: --base-url: %v\n", err)
		return 2
	}
	if *out == "" {
		*out = filepath.Join(*src, "public")
	}
	start := time.Now()
	cache, err := cf.open(*src, []string{*out}, stderr)
	if err != nil {
		return report(stderr, err, "build", *out)
	}
	defer cache.Close()
	dir, err := output.NewDir(*out, outdir.Rule{Site: *src, Force: *force})
	if err != nil {
		return report(stderr, err, "build", *out)
	}
	pub := publish.Options{BaseURL: *baseURL, Minify: *minify, HostFiles: true, Precompress: true}
	if cache != nil {
		pub.Cache = cache
	}
	line := startProgress(stderr)
	o, err := site.Build(site.Options{SiteDir: *src, BaseURL: *baseURL, Mode: site.Publish, Minify: *minify, Strict: *strict, Progress: line.Func(), Cache: cache},
		publish.Wrap(dir, pub))
	line.Clear()
	if err != nil {
		return report(stderr, err, "build", *out)
	}
	// The summary's time covers compression and writing, not just rendering.
	o.Stats.Duration = time.Since(start)
	fmt.Fprintf(stdout, "guidebook: built %s into %s\n", o.Stats, *out)
	printWarnings(stderr, o.Warnings, false)
	return 0
}

// strictHelp describes --strict of build, export and check.
const strictHelp = "treat author lint warnings (unused terms, uncited references, unstable heading ids) as errors: exit 1 and leave the output unchanged"

// printWarnings reports author lint's findings, one line each, and how
// many of them --strict would count. Informational ones (a chapter no
// other links to) are listed only where listInfo (check --src): on every
// build of a large book they would bury the warnings; build and export
// give their number.
func printWarnings(stderr io.Writer, findings []*diag.Error, listInfo bool) {
	n, info := 0, 0
	for _, f := range findings {
		if f.Severity == diag.Info && !listInfo {
			info++
			continue
		}
		fmt.Fprintln(stderr, f)
		if f.Severity == diag.Warning {
			n++
		}
	}
	if info > 0 {
		fmt.Fprintf(stderr, "guidebook: %d informational lint findings not listed (guidebook check --src lists them)\n", info)
	}
	switch {
	case n == 1:
		fmt.Fprintln(stderr, "guidebook: 1 warning (--strict makes it an error)")
	case n > 1:
		fmt.Fprintf(stderr, "guidebook: %d warnings (--strict makes them errors)\n", n)
	}
}

// strictFailure reports whether errs hold author lint warnings, which
// fail a run only under --strict.
func strictFailure(errs []*diag.Error) bool {
	for _, e := range errs {
		if e.Severity == diag.Warning {
			return true
		}
	}
	return false
}

func parseFlags(fs *flag.FlagSet, args []string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, true
		}
		return 2, true
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "guidebook %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return 2, true
	}
	return 0, false
}

// forceHelp describes --force of build and export.
const forceHelp = "replace an output folder (or export file) that guidebook did not write; never the home folder, the site or its sources"

// report prints why a run failed and what it left alone. A refusal
// (exit 2) or another build's lock touched nothing and says so itself.
func report(stderr io.Writer, err error, verb string, outputs ...string) int {
	if errors.Is(err, outdir.ErrRefused) || errors.Is(err, outdir.ErrBusy) {
		fmt.Fprintln(stderr, "guidebook:", err)
		if errors.Is(err, outdir.ErrRefused) {
			return 2
		}
		return 1
	}
	msg := err.Error()
	// Count problems, not lines: the report stops at diag.MaxErrors.
	var all diag.List
	all.Add(err)
	n := len(all.Errors())
	// Located problems are escaped already; a plain error may carry a
	// file name too.
	fmt.Fprintln(stderr, diag.EscapeLines(msg))
	left := strings.Join(outputs, ", ")
	why := ""
	if strictFailure(all.Errors()) {
		why = " (--strict makes warnings errors)"
	}
	if n > 1 {
		fmt.Fprintf(stderr, "guidebook: %s failed with %d problems%s; %s left unchanged\n", verb, n, why, left)
	} else {
		fmt.Fprintf(stderr, "guidebook: %s failed%s; %s left unchanged\n", verb, why, left)
	}
	return 1
}
