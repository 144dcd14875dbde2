package ebook

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/parser"

	"guidebook/internal/cite"
	"guidebook/internal/content"
	"guidebook/internal/diag"
	"guidebook/internal/epub"
	"guidebook/internal/glossary"
	"guidebook/internal/markup"
	"guidebook/internal/pages"
	"guidebook/internal/paths"
	"guidebook/internal/publish"
	"guidebook/internal/site"
	"guidebook/internal/widgets"
	"guidebook/internal/workers"
	"guidebook/internal/xref"
)

// resolve is the resolve stage for an EPUB: each chapter parsed with the
// extensions' EPUB mode, its links resolved against the container's
// pages, its body rendered as XHTML; and what the back matter needs of
// the parse (the terms used, the works cited).
func resolve(p *site.Prepared) ([]epub.Chapter, [][]glossary.Use, [][]*cite.Entry, error) {
	book := p.Book
	lk := paths.Linker{Page: epub.PageName}
	md := markup.New(markup.Options{
		Glossary:     p.Glossary,
		GlossaryHref: func(t *glossary.Term) string { return lk.Rel("x/", "glossary/") + "#" + t.ID },
		Bibliography: p.Bibliography,
		CiteStyle:    p.Style,
		Widgets:      &widgets.Extender{Registry: widgets.NewRegistry(p.Templates.Set), CiteStyle: p.Style, EPUB: true},
		Unsafe:       book.Unsafe,
		EPUB:         true,
	})
	targets := make([]*xref.Target, len(book.Chapters))
	for i, ch := range book.Chapters {
		targets[i] = &xref.Target{ID: ch.ID, File: ch.File, Dir: ch.ID + "/", Title: ch.Title}
	}
	ix := xref.NewIndex(append(append([]*xref.Target{}, targets...), pages.BookTargets(book.Title, p.Glossary, p.Bibliography)...), book.Static, lk)
	ix.DeferFragments()

	chapters := make([]epub.Chapter, len(book.Chapters))
	uses := make([][]glossary.Use, len(book.Chapters))
	cited := make([][]*cite.Entry, len(book.Chapters))
	var errs diag.List
	workers.For(len(book.Chapters), p.Options.Workers, func(i int) {
		ch := book.Chapters[i]
		src := &diag.Source{File: ch.File, Src: ch.Source, List: &errs}
		var setup []func(parser.Context)
		if p.Options.BaseURL != "" {
			page := publish.AbsURL(p.Options.BaseURL, ch.ID+"/")
			setup = append(setup, func(pc parser.Context) { widgets.WithPage(pc, page) })
		}
		parsed := markup.Parse(md, src, ch.Citations, setup...)
		uses[i], cited[i] = glossary.Uses(parsed.Context), cite.Cited(parsed.Context)
		targets[i].Anchors = pages.ChapterTarget(ch, parsed.Links.Headings, cited[i], uses[i]).Anchors
		ix.Resolve(targets[i], parsed.Links, src)
		chapters[i] = epub.Chapter{ID: ch.ID, Title: ch.Title}
		for _, h := range pages.TOCHeadings(parsed.Links.Headings) {
			chapters[i].Headings = append(chapters[i].Headings, epub.Heading{ID: h.ID, Level: h.Level, Text: h.Text})
		}
		body, err := render(md, ch, parsed, book.Unsafe)
		if err != nil {
			errs.Addf(diag.Pos{File: ch.File}, "%v", err)
			return
		}
		chapters[i].Body = body
	})
	ix.CheckFragments()
	return chapters, uses, cited, errs.Err()
}

// render renders a chapter's body. goldmark's XHTML mode and the
// extensions' EPUB modes write well-formed XHTML; what they pass through
// does not have to be, raw HTML and the site's widget templates, so those
// chapters are checked.
func render(md goldmark.Markdown, ch *content.Chapter, p *markup.Parsed, unsafe bool) ([]byte, error) {
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
