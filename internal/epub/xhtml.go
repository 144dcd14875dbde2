package epub

import (
	"bytes"
	"net/url"
	"strings"
)

// esc escapes text for XML character data and attribute values with
// numeric references only: XHTML in an EPUB knows no HTML named entities.
var esc = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace

// href escapes a slash-separated path for an href or manifest item,
// keeping any fragment.
func href(p string) string {
	p, frag, hasFrag := strings.Cut(p, "#")
	u := (&url.URL{Path: p}).EscapedPath()
	if hasFrag {
		u += "#" + url.PathEscape(frag)
	}
	return u
}

// up is the prefix that leads from a page at path p back to the package
// root.
func up(p string) string { return strings.Repeat("../", strings.Count(p, "/")) }

// page is one XHTML content document being written.
type page struct {
	b    *Book
	path string // relative to the package root
	buf  bytes.Buffer
}

func newPage(b *Book, path, title, bodyType string) *page {
	p := &page{b: b, path: path}
	lang := esc(b.Language)
	p.w(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<!DOCTYPE html>\n")
	p.w(`<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="` + lang + `" lang="` + lang + `">` + "\n")
	p.w("<head>\n<meta charset=\"utf-8\"/>\n<title>" + esc(title) + "</title>\n")
	for _, s := range b.Styles {
		p.w(`<link rel="stylesheet" type="text/css" href="` + esc(up(path)+href(s.Path)) + `"/>` + "\n")
	}
	p.w("</head>\n<body")
	if bodyType != "" {
		p.w(` epub:type="` + bodyType + `"`)
	}
	p.w(">\n")
	return p
}

func (p *page) w(s string) { p.buf.WriteString(s) }

// link writes a link from this page to a root-relative href.
func (p *page) link(l Link) {
	p.w(`<a href="` + esc(up(p.path)+href(l.Href)) + `">` + esc(l.Text) + `</a>`)
}

func (p *page) links(ls []Link) {
	for i, l := range ls {
		if i > 0 {
			p.w(", ")
		}
		p.link(l)
	}
}

func (p *page) end() []byte {
	p.w("</body>\n</html>\n")
	return p.buf.Bytes()
}

// chapterPage wraps a chapter's body.
func chapterPage(b *Book, ch Chapter) []byte {
	p := newPage(b, chapterPath(ch.ID), ch.Title, "bodymatter")
	p.w(`<section epub:type="chapter" role="doc-chapter" aria-labelledby="gb-chapter-title">` + "\n")
	p.w(`<h1 id="gb-chapter-title">` + esc(ch.Title) + "</h1>\n")
	p.buf.Write(ch.Body)
	p.w("\n</section>\n")
	return p.end()
}

// coverPage is the generated cover: the title and author as text, which
// every reading system can show and read aloud.
func coverPage(b *Book) []byte {
	p := newPage(b, coverPath, b.Title, "frontmatter")
	p.w(`<section class="gb-cover" epub:type="cover titlepage" aria-label="Cover">` + "\n")
	if b.Cover != "" {
		// The title follows as text, so the image is decoration.
		p.w(`<p class="gb-cover-image"><img src="` + esc(up(p.path)+href(b.Cover)) + `" alt=""/></p>` + "\n")
	}
	p.w(`<h1 class="gb-cover-title">` + esc(b.Title) + "</h1>\n")
	if b.Author != "" {
		p.w(`<p class="gb-cover-author">` + esc(b.Author) + "</p>\n")
	}
	if b.Description != "" {
		p.w(`<p class="gb-cover-description">` + esc(b.Description) + "</p>\n")
	}
	p.w("</section>\n")
	return p.end()
}

// glossaryPage lists the terms as glossary definitions; chapters' notes
// link to the entries by id.
func glossaryPage(b *Book) []byte {
	p := newPage(b, glossaryPath, "Glossary", "backmatter")
	p.w(`<section epub:type="glossary" role="doc-glossary" aria-labelledby="gb-glossary-title">` + "\n")
	p.w(`<h1 id="gb-glossary-title">Glossary</h1>` + "\n<dl>\n")
	for _, t := range b.Glossary {
		p.w(`<dt epub:type="glossterm" id="` + esc(t.ID) + `"><dfn>` + esc(t.Name) + `</dfn>`)
		if len(t.Aliases) > 0 {
			p.w(` <span class="gb-aliases">(` + esc(strings.Join(t.Aliases, ", ")) + `)</span>`)
		}
		p.w("</dt>\n<dd epub:type=\"glossdef\"><p>" + esc(t.Definition) + "</p>")
		if len(t.See) > 0 {
			p.w(`<p class="gb-see">See also: `)
			p.links(t.See)
			p.w(".</p>")
		}
		if len(t.Uses) > 0 {
			p.w(`<p class="gb-backlinks">Used in: `)
			p.links(t.Uses)
			p.w(".</p>")
		}
		p.w("</dd>\n")
	}
	p.w("</dl>\n</section>\n")
	return p.end()
}

// referencesPage is the book's bibliography.
func referencesPage(b *Book) []byte {
	p := newPage(b, referencesPath, "References", "backmatter")
	p.w(`<section epub:type="bibliography" role="doc-bibliography" aria-labelledby="gb-references-title">` + "\n")
	p.w(`<h1 id="gb-references-title">References</h1>` + "\n")
	// Unnumbered: numbers belong to each chapter's own list.
	p.w("<ul>\n")
	for _, r := range b.References {
		p.w(`<li epub:type="biblioentry" id="` + esc(r.ID) + `">` + r.HTML)
		if len(r.Uses) > 0 {
			p.w(` <span class="gb-backlinks">Cited in: `)
			p.links(r.Uses)
			p.w(".</span>")
		}
		p.w("</li>\n")
	}
	p.w("</ul>\n</section>\n")
	return p.end()
}
