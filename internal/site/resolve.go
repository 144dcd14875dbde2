package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"sort"
	"sync"

	"github.com/yuin/goldmark/ast"

	"guidebook/internal/cite"
	"guidebook/internal/content"
	"guidebook/internal/diag"
	"guidebook/internal/glossary"
	"guidebook/internal/markup"
	"guidebook/internal/paths"
	"guidebook/internal/search"
	"guidebook/internal/widgets"
	"guidebook/internal/xref"
)

// chapterState is what the pipeline knows of one chapter. Watch mode
// keeps it between builds (Builder.chapters), keyed by the chapter's file.
type chapterState struct {
	src     []byte // the chapter's source, compared to decide whether to re-parse
	srcHash string
	parsed  *markup.Parsed
	target  *xref.Target  // the chapter's anchors, for resolving links to it
	errs    []*diag.Error // parse problems: same source, same problems
	cites   int           // citation occurrences, for the build summary
	body    template.HTML // rendered once; a string, so pages share it without copying
	packed  []byte        // or body compressed, while a one-shot build waits to render its page (packed.go)
	bodyKey string        // the link destinations the body was rendered with
	// bodyHash identifies the rendered body: a page must render again when
	// its body changed without its source (a glossary definition or a
	// reference shown in a tooltip, a link target that moved).
	bodyHash string
	search   []byte // the chapter's search index entries, search.Encoded

	// What the pages need of the parse, kept apart from the parser
	// context, which (through the blocks it last had open) holds the
	// whole tree.
	widgets []string       // widgets used, for their scripts and styles
	uses    []glossary.Use // first uses of terms, for the glossary's back-links
	cited   []*cite.Entry  // works cited, for the references' back-links
}

// release drops what only a next build would reuse: the parsed tree
// (kept alive by the headings' and links' nodes and the parser context
// too) is most of a chapter's memory once its body is rendered.
func (st *chapterState) release() {
	st.parsed.Doc, st.parsed.Context = nil, nil
	for i := range st.parsed.Links.Headings {
		st.parsed.Links.Headings[i].Node = nil
	}
	st.parsed.Links.Refs = nil
	st.src = nil
}

// resolved is the resolve stage's product: every chapter's state, the
// external links found, and how many chapters were parsed anew.
type resolved struct {
	states   []*chapterState
	external []string
	parsed   int
	pages    *pageRenderer // set when the chapter pages were rendered in the chapter loop
}

// resolve is the second stage: each chapter is parsed (the goldmark
// transformers of glossary, cite, xref and widgets run here) unless watch
// mode has it unchanged, its links are resolved, and its body rendered.
// It all happens in one go per chapter, checking link fragments once
// every chapter is parsed: holding every tree until the last chapter was
// parsed made a one-shot build's heap half as large again. Where a
// chapter's page needs nothing of the other chapters (its head names the
// search index by a fixed path, unlike a published page, which names it
// by its hash), the page is rendered from the loop too, so its body is
// never kept.
func (b *Builder) resolve(book *content.Book, e *env, out *recorder) (*resolved, error) {
	r := &resolved{states: b.chapterStates(book)}
	for _, st := range r.states {
		if st.parsed == nil {
			r.parsed++
		}
	}
	targets := make([]*xref.Target, len(book.Chapters))
	for i, ch := range book.Chapters {
		targets[i] = &xref.Target{ID: ch.ID, File: ch.File, Dir: ch.ID + "/", Title: ch.Title}
	}
	ix := xref.NewIndex(append(targets, bookTargets(book, e)...), book.Static, e.lk)
	ix.DeferFragments()
	if b.opts.Mode != Publish {
		if _, ok := b.assets.Get(search.ManifestAsset); !ok {
			b.assets.Add(search.ManifestAsset, nil) // the path pages name; its data comes later
		}
		r.pages = b.newPageRenderer(book, r.states, out)
	}
	var errs, renderErrs diag.List
	var extMu sync.Mutex
	parallel(len(book.Chapters), b.opts.Workers, func(i int) {
		ch, st := book.Chapters[i], r.states[i]
		if st.parsed == nil {
			b.parse(ch, st)
		}
		targets[i].Anchors = st.target.Anchors
		ext := ix.Resolve(targets[i], st.parsed.Links, &diag.Source{File: ch.File, Src: ch.Source, List: &errs})
		extMu.Lock()
		r.external = append(r.external, ext...)
		extMu.Unlock()
		if len(st.errs) == 0 && b.renderBody(ch, st, e.lk, &renderErrs) && r.pages != nil {
			r.pages.chapter(i)
		}
		if !b.keep && r.pages == nil {
			st.pack() // it waits for renderPages
		}
		if !b.keep {
			st.release()
			ch.Source = nil // nothing reads it after this: let the book's bytes go chapter by chapter
		}
	})
	ix.CheckFragments()
	for _, st := range r.states {
		for _, e := range st.errs {
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
		if b.keep { // the hashes key caches a one-shot build does not keep
			states[i].srcHash = hashBytes(ch.Source)
		}
		b.chapters[ch.File] = states[i]
	}
	for f := range b.chapters {
		if !seen[f] {
			delete(b.chapters, f)
		}
	}
	return states
}

// bookTargets are the link targets besides the chapters: the glossary,
// the references and the home page.
func bookTargets(book *content.Book, e *env) []*xref.Target {
	glossaryTarget := &xref.Target{ID: "glossary", Dir: "glossary/", Title: "Glossary", Anchors: map[string]bool{}}
	for _, t := range e.gl.Terms() {
		glossaryTarget.Anchors[t.ID] = true
	}
	refsTarget := &xref.Target{ID: "references", Dir: "references/", Title: "References", Anchors: map[string]bool{}}
	for _, en := range e.bib.Entries() {
		refsTarget.Anchors[cite.RefID(en.Key)] = true
	}
	homeTarget := &xref.Target{ID: "index", Dir: "", Title: book.Title, Anchors: map[string]bool{}}
	return []*xref.Target{glossaryTarget, refsTarget, homeTarget}
}

// parse parses one chapter and keeps what the pages need of the parse.
func (b *Builder) parse(ch *content.Chapter, st *chapterState) {
	var l diag.List
	st.parsed = markup.Parse(b.md, &diag.Source{File: ch.File, Src: ch.Source, List: &l}, ch.Citations)
	st.errs = l.Errors()
	st.cites = countKind(st.parsed.Doc, cite.KindCitation)
	pc := st.parsed.Context
	st.widgets, st.uses, st.cited = widgets.Used(pc), glossary.Uses(pc), cite.Cited(pc)
	st.target = chapterTarget(ch, st)
	st.search = nil
	st.body, st.bodyKey, st.bodyHash = "", "", ""
}

// renderBody renders a chapter's body unless watch mode has it rendered
// with the same link destinations, and reports whether the chapter has a
// body to show.
func (b *Builder) renderBody(ch *content.Chapter, st *chapterState, lk paths.Linker, errs *diag.List) bool {
	var key string
	if b.keep {
		key = linkKey(st.parsed, ch.Source)
		if st.bodyKey == key && st.search != nil {
			return true
		}
	}
	buf := bodyBuffers.Get().(*bytes.Buffer)
	defer bodyBuffers.Put(buf)
	buf.Reset()
	if err := b.md.Renderer().Render(buf, ch.Source, st.parsed.Doc); err != nil {
		errs.Addf(diag.Pos{File: ch.File}, "render: %v", err)
		return false
	}
	st.body, st.bodyKey = template.HTML(buf.String()), key
	if b.keep {
		st.bodyHash = hashBytes(buf.Bytes())
	}
	st.search = search.Encode(search.ChapterDocs(ch, st.parsed, lk))
	return true
}

func chapterTarget(ch *content.Chapter, st *chapterState) *xref.Target {
	t := &xref.Target{ID: ch.ID, File: ch.File, Dir: ch.ID + "/", Title: ch.Title, Anchors: map[string]bool{}}
	for _, h := range st.parsed.Links.Headings {
		t.Anchors[h.ID] = true
	}
	for _, e := range st.cited {
		t.Anchors[cite.RefID(e.Key)] = true
	}
	for _, u := range st.uses {
		t.Anchors[glossary.UseID(u.Term.ID)] = true
	}
	return t
}

// linkKey summarises what resolution wrote into a chapter's tree, so a
// body is re-rendered when a link target moved even if its source did not.
func linkKey(p *markup.Parsed, src []byte) string {
	h := sha256.New()
	for _, r := range p.Links.Refs {
		switch n := r.Node.(type) {
		case *xref.Wikilink:
			h.Write(n.Dest)
			h.Write([]byte(xref.PlainText(n, src)))
		default:
			fmt.Fprint(h, linkDest(n))
		}
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func linkDest(n ast.Node) string {
	switch n := n.(type) {
	case *ast.Link:
		return string(n.Destination)
	case *ast.Image:
		return string(n.Destination)
	}
	return ""
}

// bodyBuffers hold chapter bodies while they render; the body is copied
// out as a string, so the buffers' memory is reused instead of grown and
// zeroed anew for every chapter.
var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func citationCount(states []*chapterState) int {
	n := 0
	for _, st := range states {
		n += st.cites
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
