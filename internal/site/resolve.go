package site

import (
	"bytes"
	"html/template"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/yuin/goldmark/ast"

	"guidebook/internal/chapterdata"
	"guidebook/internal/cite"
	"guidebook/internal/content"
	"guidebook/internal/diag"
	"guidebook/internal/glossary"
	"guidebook/internal/lint"
	"guidebook/internal/markup"
	"guidebook/internal/pages"
	"guidebook/internal/paths"
	"guidebook/internal/search"
	"guidebook/internal/widgets"
	"guidebook/internal/xref"
)

// chapterState is what the pipeline knows of one chapter. Watch mode
// keeps it between builds (Builder.chapters), keyed by the chapter's file.
type chapterState struct {
	// The products resolving it made, as the build cache keeps them.
	chapterdata.Chapter
	src     []byte // the chapter's source, compared to decide whether to re-parse
	srcHash string
	// cacheKey keys the chapter's build-cache entries (chapterKey); ""
	// without the cache.
	cacheKey string
	parsed   *markup.Parsed // nil for a chapter the build cache gave back
	target   *xref.Target   // the chapter's anchors, for resolving links to it
	body     template.HTML  // rendered once; a string, so pages share it without copying
	// headingPos places the derived headings for author lint, found
	// while the source is at hand (lint.HeadingPositions).
	headingPos []diag.Pos
}

// release drops what only a next build would reuse: the parsed tree
// (kept alive by the headings' and links' nodes and the parser context
// too) is most of a chapter's memory once its body is rendered.
func (st *chapterState) release() {
	if st.parsed != nil {
		st.parsed.Doc, st.parsed.Context = nil, nil
		for i := range st.parsed.Links.Headings {
			st.parsed.Links.Headings[i].Node = nil
		}
		st.parsed.Links.Refs = nil
	}
	st.src, st.Links = nil, nil
}

// resolved is the resolve stage's product: every chapter's state, the
// external links found, and how many chapters were parsed anew.
type resolved struct {
	states   []*chapterState
	external []string
	parsed   atomic.Int64
	pages    *pageRenderer   // the chapter loop rendered the chapter pages with it
	links    []xref.PageLink // links that reached a page, for author lint
	// parsedStep counts chapters parsed or loaded, before their pages
	// are rendered and written.
	parsedStep *step
}

// resolve is the second stage: each chapter is parsed (the goldmark
// transformers of glossary, cite, xref and widgets run here) unless watch
// mode has it unchanged, its links are resolved, and its body rendered.
// It all happens in one go per chapter, checking link fragments once
// every chapter is parsed: holding every tree until the last chapter was
// parsed made a one-shot build's heap half as large again. A chapter's
// page needs nothing of the other chapters (its head names the search
// index by a name that does not change with it, theme.AddStable), so it
// is rendered from the loop too and its body is never kept.
func (b *Builder) resolve(book *content.Book, e *env, out *recorder) (*resolved, error) {
	r := &resolved{states: b.chapterStates(book)}
	targets := make([]*xref.Target, len(book.Chapters))
	for i, ch := range book.Chapters {
		targets[i] = &xref.Target{ID: ch.ID, File: ch.File, Dir: ch.ID + "/", Title: ch.Title}
	}
	ix := xref.NewIndex(append(targets, bookTargets(book, e)...), book.Static, e.lk)
	ix.DeferFragments()
	if _, ok := b.assets.Get(search.ManifestAsset); !ok {
		b.assets.AddStable(search.ManifestAsset, nil) // the path pages name; its data comes later
	}
	r.pages = b.newPageRenderer(book, r.states, out)
	var errs, renderErrs diag.List
	var extMu sync.Mutex
	r.parsedStep = b.step(StageParsed, len(book.Chapters))
	parallel(len(book.Chapters), b.opts.Workers, func(i int) {
		ch := book.Chapters[i]
		ext := b.resolveChapter(i, ch, r, targets[i], ix, e, &diag.Source{File: ch.File, Src: ch.Source, List: &errs}, &renderErrs)
		extMu.Lock()
		r.external = append(r.external, ext...)
		extMu.Unlock()
	})
	ix.CheckFragments()
	r.links = ix.PageLinks()
	for _, st := range r.states {
		for _, e := range st.Errs {
			errs.Add(e)
		}
	}
	errs.Add(renderErrs.Err())
	if err := errs.Err(); err != nil {
		return nil, err
	}
	sort.Strings(r.external)
	r.external = dedup(r.external)
	return r, nil
}

// resolveChapter is chapter i's turn of the resolve stage: parse it
// (unless watch mode or the build cache has it), resolve its links, render
// its body (unless it is kept, rendered with the same link destinations)
// and, where the chapter loop does, its page. It returns the external
// links.
func (b *Builder) resolveChapter(i int, ch *content.Chapter, r *resolved, target *xref.Target, ix *xref.Index, e *env, src *diag.Source, renderErrs *diag.List) []string {
	st := r.states[i]
	fresh := st.parsed == nil && !b.loadChapter(ch, st, e)
	if fresh {
		b.parse(ch, st)
	}
	target.Anchors = st.target.Anchors
	r.parsedStep.done()
	res, ext := ix.ResolveLinks(target, st.Links, src)
	key := xref.Key(res)
	if !fresh && st.parsed == nil && len(st.Errs) == 0 {
		if b.reuseCached(i, st, key, r.pages) {
			b.done(ch, st)
			return ext
		}
		if key != st.BodyKey || !b.loadBody(ch, st) {
			// The cached body was rendered with other link destinations,
			// or is gone: parse again.
			b.parse(ch, st)
			fresh = true
		}
	}
	if fresh {
		r.parsed.Add(1)
	}
	if st.parsed != nil {
		st.parsed.Links.Apply(res)
	}
	ok := len(st.Errs) == 0 && b.renderBody(ch, st, key, e.lk, renderErrs)
	if fresh && (ok || len(st.Errs) > 0) {
		b.storeChapter(ch, st)
	}
	if ok {
		r.pages.chapter(i)
	}
	b.done(ch, st)
	return ext
}

// done keeps what author lint needs of a resolved chapter's source, once
// per source (watch mode keeps a state while its source is unchanged); a
// one-shot build then lets the chapter's tree and source go, chapter by
// chapter, as nothing reads them after this.
func (b *Builder) done(ch *content.Chapter, st *chapterState) {
	if st.headingPos == nil {
		st.headingPos = lint.HeadingPositions(ch.Source, ch.File, st.Headings)
	}
	if !b.keep {
		st.release()
		ch.Source = nil
	}
}

// chapterStates returns each chapter's state: watch mode's own when the
// source is unchanged, else a new one, to be parsed.
func (b *Builder) chapterStates(book *content.Book) []*chapterState {
	states := make([]*chapterState, len(book.Chapters))
	seen := map[string]bool{}
	for i, ch := range book.Chapters {
		seen[ch.File] = true
		// An unchanged chapter from the Loader shares its bytes with the
		// last build, so this is a pointer comparison.
		if st, ok := b.chapters[ch.File]; ok && st.parsed != nil && bytes.Equal(st.src, ch.Source) {
			states[i] = st
			continue
		}
		states[i] = &chapterState{src: ch.Source}
		b.chapters[ch.File] = states[i]
	}
	for f := range b.chapters {
		if !seen[f] {
			delete(b.chapters, f)
		}
	}
	if b.keep || b.opts.Cache != nil { // the hashes key caches a one-shot build does not keep
		// A book's sources are megabytes to hash: side by side.
		parallel(len(states), b.opts.Workers, func(i int) {
			st := states[i]
			if st.srcHash != "" {
				return
			}
			st.srcHash = hashBytes(st.src)
			if b.opts.Cache != nil {
				st.cacheKey = b.chapterKey(book.Chapters[i], st)
			}
		})
	}
	return states
}

// bookTargets are the link targets besides the chapters (pages.BookTargets).
func bookTargets(book *content.Book, e *env) []*xref.Target {
	return pages.BookTargets(book.Title, e.gl, e.bib)
}

// parse parses one chapter and keeps what the pages need of the parse.
func (b *Builder) parse(ch *content.Chapter, st *chapterState) {
	var l diag.List
	st.parsed = markup.Parse(b.md, &diag.Source{File: ch.File, Src: ch.Source, List: &l}, ch.Citations)
	st.Errs = l.Errors()
	st.Cites = countKind(st.parsed.Doc, cite.KindCitation)
	pc := st.parsed.Context
	st.Widgets, st.Uses, st.Cited = widgets.Used(pc), glossary.Uses(pc), cite.Cited(pc)
	st.Links, st.Headings = st.parsed.Links.Links(), st.parsed.Links.Headings
	st.target = chapterTarget(ch, st)
	st.Search = nil
	st.body, st.BodyKey, st.BodyHash = "", "", ""
}

// renderBody renders a chapter's body unless watch mode or the build
// cache has it rendered with the same link destinations (key, from
// xref.Key), and reports whether the chapter has a body to show.
func (b *Builder) renderBody(ch *content.Chapter, st *chapterState, key string, lk paths.Linker, errs *diag.List) bool {
	if st.BodyKey == key && st.Search != nil {
		return true
	}
	buf := bodyBuffers.Get().(*bytes.Buffer)
	defer bodyBuffers.Put(buf)
	buf.Reset()
	if err := b.md.Renderer().Render(buf, ch.Source, st.parsed.Doc); err != nil {
		errs.Addf(diag.Pos{File: ch.File}, "render: %v", err)
		return false
	}
	st.body, st.BodyKey = template.HTML(buf.String()), key
	if b.keep || b.opts.Cache != nil {
		st.BodyHash = hashBytes(buf.Bytes())
	}
	st.Search = search.Encode(search.ChapterDocs(ch, st.parsed, lk))
	return true
}

func chapterTarget(ch *content.Chapter, st *chapterState) *xref.Target {
	return pages.ChapterTarget(ch, st.Headings, st.Cited, st.Uses)
}

// bodyBuffers hold chapter bodies while they render; the body is copied
// out as a string, so the buffers' memory is reused instead of grown and
// zeroed anew for every chapter.
var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func citationCount(states []*chapterState) int {
	n := 0
	for _, st := range states {
		n += st.Cites
	}
	return n
}

func countKind(doc ast.Node, kind ast.NodeKind) int {
	n := 0
	ast.Walk(doc, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && c.Kind() == kind {
			n++
		}
		return ast.WalkContinue, nil
	})
	return n
}
