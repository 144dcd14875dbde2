package site

import (
	"errors"
	"fmt"
	"html/template"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/yuin/goldmark"

	"guidebook/internal/bib"
	"guidebook/internal/buildcache"
	"guidebook/internal/cite"
	"guidebook/internal/content"
	"guidebook/internal/diag"
	"guidebook/internal/glossary"
	"guidebook/internal/output"
	"guidebook/internal/search"
	"guidebook/internal/theme"
)

// Version is guidebook's version, shown by `guidebook version` and in the
// generator meta tag.
var Version = "0.1.0"

// Mode is what the output is for.
type Mode int

const (
	// Publish is for a web server or CDN: directory URLs, fingerprinted
	// assets with SRI, sitemap.
	Publish Mode = iota
	// Export is for reading from disk (file://): explicit index.html URLs,
	// no integrity attributes, no absolute URLs.
	Export
	// Serve is watch mode: directory URLs, stable asset names so a
	// stylesheet can be swapped in place.
	Serve
)

// Options configure a build.
type Options struct {
	SiteDir    string // holds content/, templates/, assets/
	ContentDir string // default SiteDir/content
	BaseURL    string // absolute URL the site is published at, for canonical links and the sitemap
	Mode       Mode
	Head       template.HTML // extra markup for every page's <head> (live reload)
	Workers    int           // default GOMAXPROCS
	// Minify minifies the CSS, JS and SVG assets before they are
	// fingerprinted; publish.MinifyPages minifies the pages.
	Minify bool
	// Strict makes author lint's warnings fail the build, before anything
	// is committed (--strict).
	Strict bool
	// Progress, if set, hears of each unit of work as a stage does it
	// (the Stage constants), from the pipeline's workers at once: the
	// command line draws a progress line from it.
	Progress func(stage string, done, total int)
	// Cache, when set, keeps each chapter's resolve products and each
	// page between one-shot builds (build, export), so that a build after
	// an edit parses and renders only what the edit affects. The caller
	// opens and closes it; watch mode's Builder keeps its own.
	Cache *buildcache.Cache
}

// Result says what a build made; its files went to the build's Output.
type Result struct {
	Files    int      // files put, host files and compressed copies aside
	External []string // external link targets, sorted, deduplicated
	Stats    Stats
	// Warnings are author lint's findings (package lint), warnings and
	// information, sorted by file, line and column.
	Warnings []*diag.Error
}

// Stats summarise a build for the one-line report.
type Stats struct {
	Chapters, Pages, Terms, Citations, Parsed int
	Duration                                  time.Duration
}

func (s Stats) String() string {
	return fmt.Sprintf("%d pages (%d chapters), %d glossary terms, %d citations in %s",
		s.Pages, s.Chapters, s.Terms, s.Citations, s.Duration.Round(time.Millisecond))
}

// Builder builds a site. One made by NewBuilder remembers what it parsed
// and rendered, keyed by content hashes, so that watch mode re-does only
// what an edit affects; Build makes one that keeps nothing.
type Builder struct {
	opts Options
	// keep is watch mode's cache: parsed trees, bodies and pages stay for
	// the next build. A one-shot build drops each chapter's tree as soon
	// as its page is rendered, and builds once.
	keep  bool
	built bool

	loader   *content.Loader // re-reads only changed source files
	tmpl     *theme.Templates
	assets   *theme.Assets
	tocCode  []byte // the theme's toc.js, which pages.TOCScript fills in
	siteKey  string // hash of templates and assets: a change re-renders every page
	tmplKey  string // hash of templates alone: widgets render through them
	mdKey    string // glossary, bibliography, widget templates: a change re-parses every chapter
	md       goldmark.Markdown
	chapters map[string]*chapterState
	pages    map[string]pageCache

	// The glossary's matcher and the bibliography are built again only
	// when their sources change: building the Aho–Corasick automaton was
	// most of a one-chapter rebuild of the shipped guide.
	gl     *glossary.Glossary
	glKey  string
	bib    *cite.Bibliography
	bibSrc []cite.Entry
	search search.Index
}

// NewBuilder returns a Builder that keeps its work for the next Build
// (watch mode); nothing is read until Build.
func NewBuilder(opts Options) *Builder {
	if opts.ContentDir == "" {
		opts.ContentDir = filepath.Join(opts.SiteDir, "content")
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	return &Builder{opts: opts, keep: true, loader: &content.Loader{Site: opts.SiteDir}, chapters: map[string]*chapterState{}, pages: map[string]pageCache{}}
}

// Build builds the site once into out (the build and export commands):
// each chapter is parsed, resolved and rendered in one go and its tree
// dropped, and every file goes to out as soon as it is made.
func Build(opts Options, out output.Output) (*Result, error) {
	b := NewBuilder(opts)
	b.keep = false
	return b.Build(out)
}

// InvalidateTheme makes the next Build re-read templates and assets (watch
// mode calls it when a file under templates/ or assets/ changes).
func (b *Builder) InvalidateTheme() { b.tmpl, b.assets = nil, nil }

// Build runs the whole pipeline into out and commits it. On any problem
// it aborts out and returns a *diag.List. Positions name files as the
// author reaches them from the working directory
// ("content/academic.md:12:3").
func (b *Builder) Build(out output.Output) (*Result, error) {
	if !b.keep && b.built {
		return nil, errors.New("site: a one-shot build builds once")
	}
	b.built = true
	if err := content.CheckDir(b.opts.ContentDir); err != nil {
		out.Abort()
		return nil, err
	}
	rec := newRecorder(out)
	rec.written = b.step(StageWritten, 0)
	res, err := b.build(rec)
	if err != nil {
		out.Abort()
		return nil, b.relocate(err)
	}
	if err := out.Commit(); err != nil {
		return nil, err
	}
	res.Files = rec.count()
	return res, nil
}

// Prepared is the book loaded and what its chapters resolve against: for
// an output that runs the later stages its own way (package ebook
// resolves the chapters with the extensions' EPUB mode).
type Prepared struct {
	Options      Options // the Builder's, defaults filled in
	Book         *content.Book
	Glossary     *glossary.Glossary
	Bibliography *bib.Bibliography
	Style        bib.Style
	Templates    *theme.Templates // the widgets render through them
	Assets       *theme.Assets
}

// Prepare runs the load stage and builds the glossary and bibliography.
// Its problems come back as Build's do; those the caller finds later in
// the book are named the same way by Relocate.
func (b *Builder) Prepare() (*Prepared, error) {
	if err := content.CheckDir(b.opts.ContentDir); err != nil {
		return nil, err
	}
	book, err := b.load()
	if err != nil {
		return nil, b.relocate(err)
	}
	e, err := b.prepare(book)
	if err != nil {
		return nil, b.relocate(err)
	}
	return &Prepared{Options: b.opts, Book: book, Glossary: e.gl, Bibliography: e.bib, Style: e.style, Templates: b.tmpl, Assets: b.assets}, nil
}

// Relocate names the files of problems found in a Prepared book as the
// author reaches them (see Build).
func (b *Builder) Relocate(err error) error { return b.relocate(err) }

// build runs the stages in order: load the book and the theme, resolve
// every chapter (parse, link, render its body; its page too where the
// page needs nothing of the others), render the book's pages, and put
// the author's static files last.
func (b *Builder) build(out *recorder) (*Result, error) {
	start := time.Now()
	book, err := b.load()
	if err != nil {
		return nil, err
	}
	env, err := b.prepare(book)
	if err != nil {
		return nil, err
	}
	r, err := b.resolve(book, env, out)
	if err != nil {
		return nil, err
	}
	warnings, err := b.lint(book, env, r)
	if err != nil {
		return nil, err
	}
	pages, err := b.renderPages(book, env, r, out)
	if err != nil {
		return nil, err
	}
	r.pages.records.Save(b.opts.Cache, b.recordsKey()) // nil without the cache
	if err := b.putStatic(book, out); err != nil {
		return nil, err
	}
	return &Result{
		External: r.external, Warnings: warnings,
		Stats: Stats{
			Chapters: len(book.Chapters), Pages: pages, Terms: len(env.gl.Terms()),
			Citations: citationCount(r.states), Parsed: int(r.parsed.Load()), Duration: time.Since(start),
		},
	}, nil
}

// relocate names the files of a build's problems as the author reaches
// them: chapters in the book's terms, templates and assets relative to
// the site directory.
func (b *Builder) relocate(err error) error {
	var content, theme diag.List
	var all diag.List
	all.Add(err)
	for _, e := range all.Errors() {
		if strings.HasPrefix(e.Pos.File, "templates/") || strings.HasPrefix(e.Pos.File, "assets/") {
			theme.Add(e)
		} else {
			content.Add(e)
		}
	}
	var res diag.List
	res.Add(diag.Relocate(content.Err(), diag.DisplayDir(b.opts.ContentDir)))
	res.Add(diag.Relocate(theme.Err(), diag.DisplayDir(b.opts.SiteDir)))
	return res.Err()
}
