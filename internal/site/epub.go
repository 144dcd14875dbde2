package site

// EPUB GLUE. This file is the only place that knows both the pipeline
// (load, resolve, render) and package epub: it runs the stages over the
// book with the extensions' EPUB rendering mode and hands epub the
// resolved chapters as data. When the pipeline changes shape, this is the
// file to port.

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/parser"

	"guidebook/internal/cite"
	"guidebook/internal/content"
	"guidebook/internal/diag"
	"guidebook/internal/epub"
	"guidebook/internal/glossary"
	"guidebook/internal/markup"
	"guidebook/internal/paths"
	"guidebook/internal/publish"
	"guidebook/internal/widgets"
	"guidebook/internal/xref"
)

// epubStyles are the assets every EPUB page links: a reading-system
// friendly stylesheet and the code highlighting classes the site uses.
var epubStyles = []string{"css/epub.css", "css/chroma.css"}

// EPUB loads, resolves and renders the book for an EPUB. Chapters are
// parsed once, with the extensions in their EPUB mode (markup.Options.EPUB)
// and links resolved to the container's pages (epub.PageName). With
// BaseURL set, a widget links to its live version on the published site.
// Problems come back as a *diag.List, like Build's.
func (b *Builder) EPUB() (*epub.Book, error) {
	if err := content.CheckDir(b.opts.ContentDir); err != nil {
		return nil, err
	}
	book, err := b.epub()
	if err != nil {
		return nil, b.relocate(err)
	}
	return book, nil
}

// epub runs the stages: load (the book and the theme), resolve with the
// EPUB mode (epubChapters), and the back matter and resources as data.
func (b *Builder) epub() (*epub.Book, error) {
	book, err := b.load()
	if err != nil {
		return nil, err
	}
	e, err := b.prepare(book)
	if err != nil {
		return nil, err
	}
	chapters, uses, cited, err := b.epubChapters(book, e)
	if err != nil {
		return nil, err
	}
	out := &epub.Book{
		Title: book.Title, Author: book.Author, Language: firstNonEmpty(book.Language, "en"), Description: book.Description,
		Identifier: epub.Identifier(book.Title, book.Author, book.Language),
		Chapters:   chapters,
		Glossary:   epubGlossary(book, e.gl, uses),
		References: epubReferences(book, e.bib, cited),
	}
	if out.Modified, err = sourceDate(e.bib.Entries()); err != nil {
		return nil, err
	}
	for _, name := range epubStyles {
		a, ok := b.assets.Get(name)
		if !ok {
			return nil, fmt.Errorf("epub: no asset %s", name)
		}
		out.Styles = append(out.Styles, epub.File{Path: name, Data: a.Data})
	}
	var errs diag.List
	for _, rel := range book.Static {
		data, err := book.ReadStatic(rel)
		if err != nil {
			errs.Add(err)
			continue
		}
		out.Files = append(out.Files, epub.File{Path: rel, Data: data})
		if coverNames[rel] && out.Cover == "" {
			out.Cover = rel
		}
	}
	return out, errs.Err()
}

// epubChapters is the resolve stage for an EPUB: each chapter parsed with
// the extensions' EPUB mode, its links resolved against the container's
// pages, its body rendered as XHTML; and what the back matter needs of
// the parse (the terms used, the works cited).
func (b *Builder) epubChapters(book *content.Book, e *env) ([]epub.Chapter, [][]glossary.Use, [][]*cite.Entry, error) {
	lk := paths.Linker{Page: epub.PageName}
	md := markup.New(markup.Options{
		Glossary:     e.gl,
		GlossaryHref: func(t *glossary.Term) string { return lk.Rel("x/", "glossary/") + "#" + t.ID },
		Bibliography: e.bib,
		CiteStyle:    e.style,
		Widgets:      &widgets.Extender{Registry: widgets.NewRegistry(b.tmpl.Set), CiteStyle: e.style, EPUB: true},
		Unsafe:       book.Unsafe,
		EPUB:         true,
	})
	targets := make([]*xref.Target, len(book.Chapters))
	for i, ch := range book.Chapters {
		targets[i] = &xref.Target{ID: ch.ID, File: ch.File, Dir: ch.ID + "/", Title: ch.Title}
	}
	ix := xref.NewIndex(append(append([]*xref.Target{}, targets...), bookTargets(book, e)...), book.Static, lk)
	ix.DeferFragments()

	chapters := make([]epub.Chapter, len(book.Chapters))
	uses := make([][]glossary.Use, len(book.Chapters))
	cited := make([][]*cite.Entry, len(book.Chapters))
	var errs diag.List
	parallel(len(book.Chapters), b.opts.Workers, func(i int) {
		ch := book.Chapters[i]
		src := &diag.Source{File: ch.File, Src: ch.Source, List: &errs}
		var setup []func(parser.Context)
		if b.opts.BaseURL != "" {
			page := publish.AbsURL(b.opts.BaseURL, ch.ID+"/")
			setup = append(setup, func(pc parser.Context) { widgets.WithPage(pc, page) })
		}
		p := markup.Parse(md, src, ch.Citations, setup...)
		uses[i], cited[i] = glossary.Uses(p.Context), cite.Cited(p.Context)
		targets[i].Anchors = chapterTarget(ch, &chapterState{headings: p.Links.Headings, uses: uses[i], cited: cited[i]}).Anchors
		ix.Resolve(targets[i], p.Links, src)
		chapters[i] = epub.Chapter{ID: ch.ID, Title: ch.Title}
		for _, h := range tocHeadings(p.Links.Headings) {
			chapters[i].Headings = append(chapters[i].Headings, epub.Heading{ID: h.ID, Level: h.Level, Text: h.Text})
		}
		body, err := epubBody(md, ch, p, book.Unsafe)
		if err != nil {
			errs.Addf(diag.Pos{File: ch.File}, "%v", err)
			return
		}
		chapters[i].Body = body
	})
	ix.CheckFragments()
	return chapters, uses, cited, errs.Err()
}

// epubBody renders a chapter's body. goldmark's XHTML mode and the
// extensions' EPUB modes write well-formed XHTML; what they pass through
// does not have to be, raw HTML and the site's widget templates, so those
// chapters are checked.
func epubBody(md goldmark.Markdown, ch *content.Chapter, p *markup.Parsed, unsafe bool) ([]byte, error) {
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, ch.Source, p.Doc); err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	if unsafe || len(widgets.Used(p.Context)) > 0 {
		if err := wellFormed(buf.Bytes()); err != nil {
			return nil, fmt.Errorf("the chapter does not render to well-formed XHTML, which an EPUB needs (raw HTML or a site widget template?): %w", err)
		}
	}
	return buf.Bytes(), nil
}

// coverNames are the static files an EPUB takes as the book's cover
// image, in the order tried (book.Static is sorted).
var coverNames = map[string]bool{"cover.svg": true, "cover.png": true, "cover.jpg": true, "cover.jpeg": true}

func epubGlossary(book *content.Book, gl *glossary.Glossary, uses [][]glossary.Use) []epub.Term {
	byTerm := map[string][]epub.Link{}
	for i, us := range uses {
		ch := book.Chapters[i]
		for _, u := range us {
			byTerm[u.Term.ID] = append(byTerm[u.Term.ID], epub.Link{Href: ch.ID + "/" + epub.PageName + "#" + glossary.UseID(u.Term.ID), Text: ch.Title})
		}
	}
	var terms []epub.Term
	for _, t := range gl.Terms() {
		e := epub.Term{ID: t.ID, Name: t.Name, Definition: t.Definition, Aliases: t.Aliases, Uses: byTerm[t.ID]}
		for _, s := range t.See {
			if st, ok := gl.Lookup(s); ok {
				e.See = append(e.See, epub.Link{Href: "glossary/" + epub.PageName + "#" + st.ID, Text: st.Name})
			}
		}
		terms = append(terms, e)
	}
	return terms
}

// epubReferences lists the works cited, as the site's references page
// does.
func epubReferences(book *content.Book, bib *cite.Bibliography, cited [][]*cite.Entry) []epub.Reference {
	by := map[string][]epub.Link{}
	for i, es := range cited {
		ch := book.Chapters[i]
		for _, e := range es {
			by[e.Key] = append(by[e.Key], epub.Link{Href: ch.ID + "/" + epub.PageName + "#" + cite.RefID(e.Key), Text: ch.Title})
		}
	}
	var refs []epub.Reference
	for _, e := range bib.Entries() {
		if len(by[e.Key]) > 0 {
			refs = append(refs, epub.Reference{ID: cite.RefID(e.Key), HTML: string(e.HTML()), Uses: by[e.Key]})
		}
	}
	return refs
}

// wellFormed reports whether a chapter body is well-formed XML with no
// entity but XML's own, as XHTML content documents must be.
func wellFormed(body []byte) error {
	d := xml.NewDecoder(io.MultiReader(
		strings.NewReader(`<body xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">`),
		bytes.NewReader(body), strings.NewReader(`</body>`)))
	d.Strict = true
	for {
		_, err := d.Token() // not RawToken, which does not match end tags to start tags
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// sourceDate is the EPUB's dcterms:modified, derived from the sources
// and never from the clock or the files' modification times (which a
// checkout resets), so two exports of the same sources are identical
// wherever they run: SOURCE_DATE_EPOCH when set (the reproducible-builds
// convention; a CI job can set it from the last commit), else the start
// of the newest year among the book's references (the book is at least as
// new as its newest source), else the zip epoch, 1980-01-01.
func sourceDate(refs []*cite.Entry) (time.Time, error) {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q: not a number of seconds: %w", s, err)
		}
		return time.Unix(sec, 0).UTC(), nil
	}
	newest := 1980
	for _, e := range refs {
		// "2021", or a range or note such as "2020-2021", "2021a": the
		// leading four digits.
		if len(e.Year) >= 4 {
			if y, err := strconv.Atoi(e.Year[:4]); err == nil && y > newest && y < 10000 {
				newest = y
			}
		}
	}
	return time.Date(newest, 1, 1, 0, 0, 0, 0, time.UTC), nil
}
