package theme

import (
	"html/template"
	"sort"
	"strings"
	"unicode"

	"guidebook/internal/paths"
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

// Links are back-links, listed on the glossary and references pages.
type Links []Link

// HTML is the links as anchors separated by commas, escaped exactly as
// html/template escapes `<a href="{{.URL}}">{{.Title}}</a>`
// (TestLinksHTMLMatchesTemplate). The glossary page of a 1,000-chapter
// book has some 19,000 back-links, and the template called four escapers
// by reflection for each: that page was the last of the build to finish.
func (ls Links) HTML() template.HTML {
	var b strings.Builder
	for i, l := range ls {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(`<a href="`)
		escapeHTML(&b, normalizeURL(l.URL))
		b.WriteString(`">`)
		escapeHTML(&b, l.Title)
		b.WriteString("</a>")
	}
	return template.HTML(b.String())
}

// escapeHTML is html/template's escaper for text and quoted attribute
// values.
func escapeHTML(b *strings.Builder, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case 0:
			r = "\uFFFD"
		case '"':
			r = "&#34;"
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '+':
			r = "&#43;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		default:
			continue
		}
		b.WriteString(s[start:i])
		b.WriteString(r)
		start = i + 1
	}
	b.WriteString(s[start:])
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// normalizeURL is html/template's filter and normalizer for a URL in an
// href: a scheme other than http, https or mailto becomes "#ZgotmplZ",
// and bytes outside RFC 3986's unreserved and reserved sets (but for
// quote and parentheses), and a '%' that starts no escape, are
// percent-encoded.
func normalizeURL(u string) string {
	if scheme, _, ok := strings.Cut(u, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		return "#ZgotmplZ"
	}
	const hex = "0123456789abcdef"
	var b strings.Builder
	start := 0
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0:
			continue
		case c == '%' && i+2 < len(u) && isHex(u[i+1]) && isHex(u[i+2]):
			continue // a valid escape is not encoded again
		}
		b.WriteString(u[start:i])
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xf])
		start = i + 1
	}
	if start == 0 {
		return u
	}
	b.WriteString(u[start:])
	return b.String()
}

// TermEntry is one glossary page entry.
type TermEntry struct {
	ID, Name, Definition string
	Aliases              []string
	See                  []Link
	UsedIn               Links
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
	CitedIn Links
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
	linker paths.Linker
	sri    bool
	uses   []string // assets the page named through Asset, for Uses
}

// Asset returns the URL of an asset (logical name, e.g. "css/guidebook.css")
// relative to this page, and records that the page uses it. An unknown
// name renders as an empty URL and is caught by the build's link check.
func (p *Page) Asset(name string) string {
	a, ok := p.assets.Get(name)
	if !ok {
		return ""
	}
	p.uses = append(p.uses, name)
	return p.linker.Rel(p.Dir, a.Path)
}

// AssetLink is what a page's <link> or <script> element names: the
// asset's URL from the page and its SRI value ("" without SRI).
type AssetLink struct {
	URL, Integrity string
}

// Link is Asset and Integrity in one call, for the head's stylesheets
// and scripts: the template engine calls methods by reflection, and a
// page names some six assets.
func (p *Page) Link(name string) AssetLink {
	return AssetLink{URL: p.Asset(name), Integrity: p.Integrity(name)}
}

// Uses returns the assets the page linked while it rendered: the output
// publishes only assets some page uses (and what those load, Asset.Refs).
func (p *Page) Uses() []string { return p.uses }

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
	Linker paths.Linker
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

// BuildTOC nests a chapter's headings of level 2 and 3, given in order
// as entries without children (h1 is the chapter title).
func BuildTOC(hs []*TOCEntry) []*TOCEntry {
	var out []*TOCEntry
	for _, e := range hs {
		h := e
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

// SetTerms lists a glossary page's terms, in the order given, grouped by
// first letter (digits and symbols under "#").
func (p *Page) SetTerms(terms []*TermEntry) {
	letters := map[string]bool{}
	for _, e := range terms {
		p.Terms = append(p.Terms, e)
		l := firstLetter(e.Name)
		if !letters[l] {
			p.TermGroups = append(p.TermGroups, &TermGroup{Letter: l})
		}
		letters[l] = true
		g := p.TermGroups[len(p.TermGroups)-1]
		g.Terms = append(g.Terms, e)
	}
	p.Letters = make([]string, 0, len(letters))
	for l := range letters {
		p.Letters = append(p.Letters, l)
	}
	sort.Strings(p.Letters)
}

func firstLetter(s string) string {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return string(unicode.ToUpper(r))
		}
		if unicode.IsDigit(r) {
			return "#"
		}
	}
	return "#"
}
