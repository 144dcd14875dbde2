// Package ebook turns the book into an epub.Book: the one package that
// knows both the pipeline and package epub. It takes the loaded book and
// what its chapters resolve against from site (Builder.Prepare, the load
// stage), runs the resolve stage its own way (the chapters parsed with
// the extensions' EPUB mode, links resolved to the container's pages)
// and hands package epub the resolved chapters, back matter and
// resources as data. What a page shows (its table of contents, its link
// anchors) it asks package pages, as the site does, so the two agree.
//
// It sits beside the site's outputs, above site: export → ebook → site,
// pages, epub; nothing in the pipeline imports it. When the pipeline
// changes shape, this is the package to port.
package ebook

import (
	"cmp"
	"fmt"

	"guidebook/internal/diag"
	"guidebook/internal/epub"
	"guidebook/internal/pages"
	"guidebook/internal/site"
)

// styles are the assets every EPUB page links: a reading-system friendly
// stylesheet and the code highlighting classes the site uses.
var styles = []string{"css/epub.css", "css/chroma.css"}

// coverNames are the static files an EPUB takes as the book's cover
// image, in the order tried (book.Static is sorted).
var coverNames = map[string]bool{"cover.svg": true, "cover.png": true, "cover.jpg": true, "cover.jpeg": true}

// Make loads, resolves and renders the book for an EPUB. Chapters are
// parsed once, with the extensions in their EPUB mode
// (markup.Options.EPUB) and links resolved to the container's pages
// (epub.PageName). With opts.BaseURL set, a widget links to its live
// version on the published site. Problems come back as a *diag.List,
// like site.Build's, their files named as the author reaches them.
func Make(opts site.Options) (*epub.Book, error) {
	b := site.NewBuilder(opts)
	p, err := b.Prepare()
	if err != nil {
		return nil, err
	}
	book, err := fromPrepared(p)
	if err != nil {
		return nil, b.Relocate(err)
	}
	return book, nil
}

// fromPrepared runs the EPUB's resolve stage (chapters) and gathers the
// back matter and the resources as data.
func fromPrepared(p *site.Prepared) (*epub.Book, error) {
	book := p.Book
	chapters, uses, cited, err := resolve(p)
	if err != nil {
		return nil, err
	}
	bl := pages.NewBackLinks(book.Chapters, uses, cited)
	out := &epub.Book{
		Title: book.Title, Author: book.Author, Language: cmp.Or(book.Language, "en"), Description: book.Description,
		Identifier: epub.Identifier(book.Title, book.Author, book.Language),
		Chapters:   chapters,
		Glossary:   glossaryTerms(p.Glossary, bl),
		References: references(p.Bibliography, bl),
	}
	if out.Modified, err = sourceDate(p.Bibliography.Entries()); err != nil {
		return nil, err
	}
	for _, name := range styles {
		a, ok := p.Assets.Get(name)
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
