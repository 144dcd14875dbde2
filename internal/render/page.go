package render

import (
	"html/template"
	"strings"

	"guidebook/internal/xref"
)

// Book is what every page knows of the book.
type Book struct {
	Title, Description, Language, Author string
}

// Link is a link to a page, as seen from the page being rendered.
type Link struct {
	Title   string
	URL     string
	Summary string
	Number  int
	Current bool
	TOC     []*TOCEntry // filled for the current chapter in the sidebar
}

// TOCEntry is one heading in a table of contents; h3s nest under h2s.
type TOCEntry struct {
	ID, Text string
	Level    int
	Children []*TOCEntry
}

// Chapter is the chapter-specific part of a chapter page.
type Chapter struct {
	ID, Title, Summary string
	Number             int
	Content            template.HTML
	TOC                []*TOCEntry
	Prev, Next         *Link
}

// TermEntry is one glossary page entry.
type TermEntry struct {
	ID, Name, Definition string
	Aliases              []string
	See                  []Link
	UsedIn               []Link
}

// TermGroup is the glossary entries under one letter.
type TermGroup struct {
	Letter string
	Terms  []*TermEntry
}

// RefEntry is one entry of the book-wide references page.
type RefEntry struct {
	ID      string
	Label   string
	HTML    template.HTML
	CitedIn []Link
}

// Page is the data every template receives.
type Page struct {
	Kind        string // home, chapter, glossary, references, search, 404
	Title       string // this page's title (not the book's)
	Description string
	Book        Book
	Dir         string // output directory relative to the site root ("academic/", "" for root pages)
	Root        string // relative URL of the site root from this page ("../" or "")
	Canonical   string // absolute URL, when the site has a base URL
	Chapters    []*Link
	Extras      []*Link // glossary, references
	Chapter     *Chapter
	Terms       []*TermEntry
	Letters     []string
	TermGroups  []*TermGroup // Terms split by first letter, for the A–Z index
	References  []*RefEntry
	Styles      []string // extra asset names (widgets)
	Scripts     []string
	Head        template.HTML // injected by watch mode (live reload)
	Generator   string

	assets *Assets
	linker xref.Linker
	sri    bool
}

// Asset returns the URL of an asset (logical name, e.g. "css/guidebook.css")
// relative to this page. An unknown name renders as an empty URL and is
// caught by the build's link check.
func (p *Page) Asset(name string) string {
	a, ok := p.assets.Get(name)
	if !ok {
		return ""
	}
	return p.linker.Rel(p.Dir, a.Path)
}

// Integrity returns the SRI attribute value for an asset, or "" when the
// output is meant for file:// (Chromium refuses integrity checks there).
func (p *Page) Integrity(name string) string {
	if !p.sri {
		return ""
	}
	if a, ok := p.assets.Get(name); ok {
		return a.Integrity
	}
	return ""
}

// URL links to a site-root-relative directory or file from this page.
func (p *Page) URL(to string) string { return p.linker.Rel(p.Dir, to) }

// HasAsset reports whether the manifest has an asset.
func (p *Page) HasAsset(name string) bool {
	_, ok := p.assets.Get(name)
	return ok
}

// PageContext carries what pages share in one build.
type PageContext struct {
	Assets *Assets
	Linker xref.Linker
	SRI    bool
}

// Bind attaches the build's assets and URL style to p.
func (c PageContext) Bind(p *Page) *Page {
	p.assets, p.linker, p.sri = c.Assets, c.Linker, c.SRI
	p.Root = strings.Repeat("../", strings.Count(p.Dir, "/"))
	if c.Linker.Base != "" {
		p.Root = c.Linker.Base
	}
	return p
}

// BuildTOC nests headings of level 2 and 3 (h1 is the chapter title).
func BuildTOC(hs []xref.Heading) []*TOCEntry {
	var out []*TOCEntry
	for _, h := range hs {
		e := &TOCEntry{ID: h.ID, Text: h.Text, Level: h.Level}
		switch {
		case h.Level == 2 || h.Level < 2:
			out = append(out, e)
		case h.Level == 3 && len(out) > 0:
			parent := out[len(out)-1]
			parent.Children = append(parent.Children, e)
		case h.Level == 3:
			out = append(out, e)
		}
	}
	return out
}
