package watch

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"guidebook/internal/diag"
	"guidebook/internal/output"
	"guidebook/internal/search"
	"guidebook/internal/site"
)

// DefaultAddr is where `guidebook serve` listens unless told otherwise:
// loopback only, the port Hugo made familiar.
const DefaultAddr = "127.0.0.1:1313"

// Prefix is the URL path under which the server answers for itself; no
// page of a book can live there (chapter ids do not start with "__").
const Prefix = "/__guidebook/"

// Script is the markup watch mode adds to every page's <head>.
const Script template.HTML = `<script src="` + Prefix + `livereload.js"></script>`

// SourceDirs are the site folders watched: chapters, glossary and
// references live in content/, the theme in templates/ and assets/.
var SourceDirs = []string{"content", "templates", "assets"}

// Options configure a Server.
type Options struct {
	SiteDir  string        // holds content/ (and optional templates/, assets/); default "."
	Addr     string        // listen address; default DefaultAddr
	Log      io.Writer     // one line per build; default io.Discard
	Debounce time.Duration // quiet time that ends a burst of events; default 15ms (see defaultDebounce)
	Workers  int           // build parallelism; default GOMAXPROCS
	// Ready, if set, is called by Serve once the site is built, the
	// sources are watched and the listener is bound, with the site's URL
	// ("http://127.0.0.1:1313/").
	Ready func(url string)
}

// Problem is one build problem as the browser's overlay shows it, or one
// author lint finding (Severity "warning" or "info", and its Rule).
type Problem struct {
	File     string `json:"file,omitempty"`
	Line     int    `json:"line,omitempty"`
	Col      int    `json:"col,omitempty"`
	Message  string `json:"message"`
	Severity string `json:"severity,omitempty"`
	Rule     string `json:"rule,omitempty"`
}

// Status is what /__guidebook/status answers: which server and which good
// build the pages come from, the problems of the last build if it
// failed, and the author lint findings of the last good build.
type Status struct {
	Instance string    `json:"instance"`
	Build    int       `json:"build"`
	OK       bool      `json:"ok"`
	Errors   []Problem `json:"errors"`
	Warnings []Problem `json:"warnings"`
}

// Server builds a site in memory, serves it and rebuilds it on change.
type Server struct {
	opts     Options
	builder  *site.Builder
	instance string
	hub      *hub

	buildMu sync.Mutex // Builder is not safe for concurrent builds

	mu       sync.RWMutex
	good     *tree     // last good build; pages are served from it
	build    int       // how many good builds so far
	problems []Problem // of the last build; nil when it succeeded
	warnings []Problem // author lint's, of the last good build
	failed   bool
}

// New checks the site directory and prepares a Server; nothing is built
// until Serve (or a first Rebuild).
func New(opts Options) (*Server, error) {
	if opts.SiteDir == "" {
		opts.SiteDir = "."
	}
	if opts.Addr == "" {
		opts.Addr = DefaultAddr
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if opts.Debounce <= 0 {
		opts.Debounce = defaultDebounce
	}
	fi, err := os.Stat(filepath.Join(opts.SiteDir, "content"))
	if err != nil {
		return nil, fmt.Errorf("%s has no content/ folder: %w", opts.SiteDir, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a folder", filepath.Join(opts.SiteDir, "content"))
	}
	var id [8]byte
	rand.Read(id[:])
	return &Server{
		opts:     opts,
		instance: hex.EncodeToString(id[:]),
		hub:      newHub(),
		builder: site.NewBuilder(site.Options{
			SiteDir: opts.SiteDir, Mode: site.Serve, Head: Script, Workers: opts.Workers,
		}),
	}, nil
}

// Serve watches the sources, builds the site, listens on Options.Addr and
// serves until ctx is cancelled; then it stops the HTTP server (ending
// every event stream), closes the watcher and returns once all its
// goroutines have ended. A build problem never stops it.
func (s *Server) Serve(ctx context.Context) error {
	w, err := NewWatcher(s.opts.SiteDir, SourceDirs, s.opts.Debounce)
	if err != nil {
		return fmt.Errorf("watch %s: %w", s.opts.SiteDir, err)
	}
	// Bind before building, so a busy port fails at once; connections
	// wait in the listen queue until the first build is served.
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		w.fw.Close()
		return err
	}
	// Watches are in place before the first build, so an edit made while
	// it runs is not lost.
	s.Rebuild(nil)
	// The address bound, not the one asked for, decides: "localhost:0"
	// is 127.0.0.1 by now.
	h := s.handler(LoopbackAddr(ln.Addr().String()))
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	var wg sync.WaitGroup
	served := make(chan error, 1)
	wg.Go(func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			served <- err
		}
	})
	wctx, stopWatch := context.WithCancel(ctx)
	wg.Go(func() { w.Run(wctx, func(changed []string) { s.Rebuild(changed) }) })
	if s.opts.Ready != nil {
		s.opts.Ready("http://" + ln.Addr().String() + "/")
	}
	select {
	case <-ctx.Done():
		err = nil
	case err = <-served:
	}
	stopWatch()
	// Event streams never end by themselves, and Shutdown waits for
	// active requests: end them first.
	s.hub.close()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if serr := srv.Shutdown(sctx); serr != nil && err == nil {
		err = serr
	}
	wg.Wait()
	return err
}

// Rebuild builds the site again after the given files changed (paths
// relative to the site directory, slash-separated; nil means unknown, so
// everything is re-read), tells the browsers and prints one line. The
// Builder's caches make it re-parse only changed chapters and re-render
// only pages whose inputs changed. It returns the build's problems.
func (s *Server) Rebuild(changed []string) error {
	s.buildMu.Lock()
	defer s.buildMu.Unlock()
	if changed == nil || touchesTheme(changed) {
		s.builder.InvalidateTheme()
	}
	start := time.Now()
	out, err := s.buildTree()
	took := time.Since(start).Round(100 * time.Microsecond)
	what := describe(changed)

	if err != nil {
		problems := toProblems(err)
		s.mu.Lock()
		s.problems, s.failed = problems, true
		first := s.good == nil
		s.mu.Unlock()
		verb := "rebuild failed"
		if first {
			verb = "build failed"
		}
		fmt.Fprintf(s.opts.Log, "%s in %s: %s(%s)\n", verb, took, what, plural(len(problems), "problem"))
		for _, p := range problems {
			fmt.Fprintf(s.opts.Log, "  %s\n", (&diag.Error{Pos: diag.Pos{File: p.File, Line: p.Line, Col: p.Col}, Msg: p.Message}).Error())
		}
		s.hub.publish(event{name: "error", data: problems})
		return err
	}

	s.mu.Lock()
	prev, wasFailed := s.good, s.failed
	d := diffOutputs(prev, out)
	if prev == nil || !d.empty() || wasFailed {
		s.build++
	}
	warnings := problems(out.Warnings)
	lintChanged := !slices.Equal(warnings, s.warnings)
	s.good, s.problems, s.failed, s.warnings = out, nil, false, warnings
	build := s.build
	s.mu.Unlock()

	if lintChanged {
		// Warnings do not block: the tabs update as after any good build,
		// and show the findings beside the page.
		s.hub.publish(event{name: "warnings", data: warnings})
	}
	switch {
	case prev == nil && !wasFailed:
		// The first build: no page is open yet.
	case wasFailed:
		// Every open tab shows the overlay: clear it everywhere.
		s.hub.publish(event{name: "reload", data: reloadData{Build: build, Pages: d.pages, All: true}})
	case d.cssOnly():
		s.hub.publish(event{name: "css", data: cssData{Build: build, Assets: d.assets}})
	case !d.empty():
		s.hub.publish(event{name: "reload", data: reloadData{Build: build, Pages: d.pages, All: d.all}})
	}
	s.logBuilt(prev == nil, took, what, d, out, lintChanged)
	return nil
}

// logBuilt prints the line of a good build, and author lint's findings
// when they changed.
func (s *Server) logBuilt(first bool, took time.Duration, what string, d delta, out *tree, lintChanged bool) {
	if first {
		fmt.Fprintf(s.opts.Log, "built %s\n", out.Stats)
	} else {
		var result string
		switch {
		case d.cssOnly():
			result = "stylesheet " + strings.Join(d.assets, ", ") + " swapped"
		case d.empty():
			result = "no page changed"
		default:
			result = plural(len(d.pages), "page")
		}
		fmt.Fprintf(s.opts.Log, "rebuilt in %s: %s(%s)\n", took, what, result)
	}
	if lintChanged && (!first || len(out.Warnings) > 0) {
		s.logWarnings(out.Warnings)
	}
}

// logWarnings prints author lint's findings under the build's line, as
// build and check print them.
func (s *Server) logWarnings(ws []*diag.Error) {
	if len(ws) == 0 {
		fmt.Fprintln(s.opts.Log, "  no author lint warnings")
	}
	for _, w := range ws {
		fmt.Fprintf(s.opts.Log, "  %s\n", w)
	}
}

// tree is a good build held in memory.
type tree struct {
	Files    map[string][]byte
	Stats    site.Stats
	Warnings []*diag.Error
}

// buildTree runs the Builder into memory: the write stage's Output for
// watch mode.
func (s *Server) buildTree() (*tree, error) {
	mem := output.NewMemory()
	res, err := s.builder.Build(mem)
	if err != nil {
		return nil, err
	}
	return &tree{Files: mem.Files(), Stats: res.Stats, Warnings: res.Warnings}, nil
}

// defaultDebounce is the quiet time after the last event of a save before
// the rebuild starts. Editors finish a save in one burst (write, or write
// a temporary file then rename it): their events arrive within a
// millisecond or two of each other, and vim's and JetBrains' multi-step
// saves are covered by the tests. Every millisecond of it is latency the
// author sees, and the goal is a page updated within 100 ms of the save.
// A save that straggles past it costs one extra rebuild, not a wrong page:
// events during a build make the next batch.
const defaultDebounce = 15 * time.Millisecond

// Status reports the state the browser's status request sees.
func (s *Server) Status() Status {
	s.mu.RLock()
	defer s.mu.RUnlock()
	errs, warnings := s.problems, s.warnings
	if errs == nil {
		errs = []Problem{}
	}
	if warnings == nil {
		warnings = []Problem{}
	}
	return Status{Instance: s.instance, Build: s.build, OK: !s.failed, Errors: errs, Warnings: warnings}
}

func touchesTheme(changed []string) bool {
	for _, c := range changed {
		if strings.HasPrefix(c, "templates/") || strings.HasPrefix(c, "assets/") || c == "templates" || c == "assets" {
			return true
		}
	}
	return false
}

// describe lists the changed files for the terminal line, at most three.
func describe(changed []string) string {
	if changed == nil {
		return ""
	}
	// The names are whatever files appeared: escaped, so one with a
	// line break or an escape sequence cannot forge a log line.
	const most = 3
	if len(changed) <= most {
		return diag.Escape(strings.Join(changed, ", ")) + " "
	}
	return diag.Escape(strings.Join(changed[:most], ", ")) + fmt.Sprintf(" and %d more ", len(changed)-most)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func toProblems(err error) []Problem {
	var l diag.List
	l.Add(err)
	return problems(l.Errors())
}

// problems lists problems or lint findings for the browser; never nil,
// so that JSON says [] for none.
func problems(errs []*diag.Error) []Problem {
	out := []Problem{}
	for _, e := range errs {
		p := Problem{File: e.Pos.File, Line: e.Pos.Line, Col: e.Pos.Col, Message: e.Msg, Rule: e.Rule}
		if e.Severity != diag.Fatal {
			p.Severity = e.Severity.String()
		}
		out = append(out, p)
	}
	return out
}

type reloadData struct {
	Build int      `json:"build"`
	Pages []string `json:"pages"`
	All   bool     `json:"all"`
}

type cssData struct {
	Build  int      `json:"build"`
	Assets []string `json:"assets"`
}

// delta is what changed between two good builds, in the browser's terms.
type delta struct {
	pages  []string // URL paths of added, changed or removed pages ("/academic/")
	assets []string // changed stylesheets by asset name ("css/guidebook.css")
	all    bool     // something every page uses changed (a script, a static file)
}

func (d delta) empty() bool   { return len(d.pages) == 0 && len(d.assets) == 0 && !d.all }
func (d delta) cssOnly() bool { return len(d.pages) == 0 && len(d.assets) > 0 && !d.all }

// diffOutputs compares two builds file by file. Unchanged pages share
// their bytes with the Builder's cache, so most comparisons are a pointer
// check.
func diffOutputs(prev, next *tree) delta {
	var d delta
	if prev == nil {
		return d
	}
	note := func(p string) {
		switch {
		case strings.HasSuffix(p, ".html"):
			d.pages = append(d.pages, pageURL(p))
		case strings.HasPrefix(p, "assets/") && path.Ext(p) == ".css":
			d.assets = append(d.assets, strings.TrimPrefix(p, "assets/"))
		case p == search.ManifestAsset || strings.HasPrefix(p, "assets/search/"):
			// The search index's manifest and parts: a tab reads them
			// when its reader first searches; a stale index in an open
			// tab is harmless, and the edited chapter's own page updates.
		default:
			d.all = true
		}
	}
	for p, data := range next.Files {
		if old, ok := prev.Files[p]; !ok || !bytes.Equal(old, data) {
			note(p)
		}
	}
	for p := range prev.Files {
		if _, ok := next.Files[p]; !ok {
			note(p)
		}
	}
	sort.Strings(d.pages)
	sort.Strings(d.assets)
	if len(d.assets) > 0 && len(d.pages) > 0 {
		d.all = true // a stylesheet swap and a reload at once: just reload
	}
	return d
}

// pageURL is the URL path a browser shows for an output page.
func pageURL(file string) string {
	if file == "index.html" {
		return "/"
	}
	if strings.HasSuffix(file, "/index.html") {
		return "/" + strings.TrimSuffix(file, "index.html")
	}
	return "/" + file
}
