package bib

import (
	"html/template"
	"net/url"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/util"

	"guidebook/internal/diag"
)

// Person is one author. Organisations have only Literal. An author list
// ending in EtAl (BibTeX "and others") stands for further, unnamed authors.
type Person struct{ Family, Given, Literal string }

// EtAl is the Person that BibTeX's "and others" becomes.
var EtAl = Person{Literal: "others"}

// Entry is one reference, reduced to the fields a guide's citations show.
// Type is normalised across formats to one of article, book, chapter,
// conference, report, thesis, webpage or misc.
type Entry struct {
	Key, Type string
	Authors   []Person

	Title, Container, Publisher, Volume, Issue, Pages, Year, DOI, URL, Note string

	Pos diag.Pos // where the entry starts in its file

	// memo holds the formatted reference of an entry that a Bibliography
	// owns (entries are immutable from then on). A book cites the same
	// works thousands of times, each with a tooltip: formatting each use
	// again was a tenth of a large book's build.
	memo *entryMemo
}

type entryMemo struct {
	once sync.Once
	html template.HTML
	text string
}

func (e *Entry) formatted() *entryMemo {
	e.memo.once.Do(func() { e.memo.html, e.memo.text = e.html(), e.text() })
	return e.memo
}

// piece is one run of reference text; formatting builds pieces once and
// writes them as HTML or as plain text so the two never drift apart.
type piece struct {
	text   string
	italic bool
	href   string
}

// pieces lays the entry out in an MLA-like style, which reads naturally in
// a general-audience guide: authors, title, container, numbers, date.
func (e *Entry) pieces() []piece {
	var ps []piece
	add := func(text string, italic bool) { ps = append(ps, piece{text: text, italic: italic}) }

	if a := formatAuthors(e.Authors); a != "" {
		add(endWith(a, "."), false)
	}
	if e.Title != "" {
		if len(ps) > 0 {
			add(" ", false)
		}
		if e.standalone() {
			add(e.Title, true)
			add(endsSentence(e.Title, "", "."), false)
		} else {
			add("“"+e.Title+endsSentence(e.Title, "", ".")+"”", false)
		}
	}
	var parts [][]piece
	if e.Container != "" {
		parts = append(parts, []piece{{text: e.Container, italic: true}})
	}
	for _, s := range []string{prefixed("vol. ", e.Volume), prefixed("no. ", e.Issue), e.Publisher, e.Year, formatPages(e.Pages)} {
		if s != "" {
			parts = append(parts, []piece{{text: s}})
		}
	}
	for i, p := range parts {
		switch {
		case i > 0:
			add(", ", false)
		case len(ps) > 0:
			add(" ", false)
		}
		ps = append(ps, p...)
	}
	if len(parts) > 0 {
		add(endsSentence(lastText(ps), "", "."), false)
	}
	if e.Note != "" {
		if len(ps) > 0 {
			add(" ", false)
		}
		add(endWith(e.Note, "."), false)
	}
	if link := e.link(); link != "" {
		if len(ps) > 0 {
			add(" ", false)
		}
		ps = append(ps, piece{text: link, href: link})
	}
	return ps
}

// standalone reports whether the title names a whole work (italic) rather
// than a part of one (quoted).
func (e *Entry) standalone() bool {
	switch e.Type {
	case "book", "report", "thesis":
		return true
	}
	return false
}

// link is the DOI as a resolver URL, else the URL, else "". Only http(s)
// URLs become links: a references file is author input, and a javascript:
// URL in it must not reach a page.
func (e *Entry) link() string {
	if doi := cleanDOI(e.DOI); doi != "" {
		u := url.URL{Scheme: "https", Host: "doi.org", Path: "/" + doi}
		return u.String()
	}
	if u, err := url.Parse(strings.TrimSpace(e.URL)); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return u.String()
	}
	return ""
}

func cleanDOI(doi string) string {
	doi = strings.TrimSpace(doi)
	for _, p := range []string{"https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:", "DOI:"} {
		doi = strings.TrimPrefix(doi, p)
	}
	return doi
}

// HTML is the full formatted reference, escaped, with the DOI or URL as a
// link.
func (e *Entry) HTML() template.HTML {
	if e.memo != nil {
		return e.formatted().html
	}
	return e.html()
}

func (e *Entry) html() template.HTML {
	var b strings.Builder
	for _, p := range e.pieces() {
		text := string(util.EscapeHTML([]byte(p.text)))
		switch {
		case p.href != "":
			b.WriteString(`<a href="`)
			b.WriteString(template.HTMLEscapeString(p.href))
			b.WriteString(`">`)
			b.WriteString(text)
			b.WriteString(`</a>`)
		case p.italic:
			b.WriteString("<i>" + text + "</i>")
		default:
			b.WriteString(text)
		}
	}
	return template.HTML(b.String())
}

// Text is the formatted reference as plain text, for tooltips and search.
func (e *Entry) Text() string {
	if e.memo != nil {
		return e.formatted().text
	}
	return e.text()
}

func (e *Entry) text() string {
	var b strings.Builder
	for _, p := range e.pieces() {
		b.WriteString(p.text)
	}
	return b.String()
}

// Label is the author-year label: "Volpe, 2013", "Smith and Jones, 2020",
// "Lan et al., 2015", "National Institutes of Health, 2021". Entries
// without authors use their title; without a year, "n.d.".
func (e *Entry) Label() string {
	year := e.Year
	if year == "" {
		year = "n.d."
	}
	return e.labelNames() + ", " + year
}

func (e *Entry) labelNames() string {
	names, etAl := splitEtAl(e.Authors)
	switch {
	case len(names) == 0 && e.Title != "":
		return e.Title
	case len(names) == 0:
		return e.Key
	case len(names) == 1 && !etAl:
		return names[0].short()
	case len(names) == 2 && !etAl:
		return names[0].short() + " and " + names[1].short()
	default:
		return names[0].short() + " et al."
	}
}

func splitEtAl(ps []Person) (names []Person, etAl bool) {
	for _, p := range ps {
		if p == EtAl {
			etAl = true
			continue
		}
		names = append(names, p)
	}
	return names, etAl
}

func (p Person) short() string {
	if p.Literal != "" {
		return p.Literal
	}
	if p.Family != "" {
		return p.Family
	}
	return p.Given
}

// inverted is "Family, G. M." for a first author.
func (p Person) inverted() string {
	if p.Literal != "" || p.Family == "" {
		return p.short()
	}
	if p.Given == "" {
		return p.Family
	}
	return p.Family + ", " + initials(p.Given)
}

// natural is "G. M. Family" for a second author.
func (p Person) natural() string {
	if p.Literal != "" || p.Family == "" {
		return p.short()
	}
	if p.Given == "" {
		return p.Family
	}
	given, suffix, hasSuffix := strings.Cut(initials(p.Given), ", ")
	if hasSuffix {
		return given + " " + p.Family + ", " + suffix
	}
	return given + " " + p.Family
}

// formatAuthors follows MLA: one author inverted, two joined by "and",
// three or more (or an explicit et al.) shortened to the first.
func formatAuthors(ps []Person) string {
	names, etAl := splitEtAl(ps)
	switch {
	case len(names) == 0:
		return ""
	case len(names) == 1 && !etAl:
		return names[0].inverted()
	case len(names) == 2 && !etAl:
		return names[0].inverted() + ", and " + names[1].natural()
	default:
		return names[0].inverted() + ", et al."
	}
}

// initials abbreviates given names ("Karla María" -> "K. M.", "Jean-Pierre"
// -> "J.-P."), so that entries from different sources look alike. A suffix
// after a comma ("Martin Luther, Jr.") is kept as written.
func initials(given string) string {
	given, suffix, hasSuffix := strings.Cut(given, ",")
	var words []string
	for _, w := range strings.Fields(given) {
		var parts []string
		for _, part := range strings.Split(w, "-") {
			r, _ := utf8.DecodeRuneInString(part)
			switch {
			case part == "":
			case !unicode.IsLetter(r):
				parts = append(parts, part)
			default:
				parts = append(parts, string(r)+".")
			}
		}
		if len(parts) > 0 {
			words = append(words, strings.Join(parts, "-"))
		}
	}
	out := strings.Join(words, " ")
	if hasSuffix && strings.TrimSpace(suffix) != "" {
		out += ", " + strings.TrimSpace(suffix)
	}
	return out
}

// formatPages writes a range as "pp. 69–81", one page as "p. 5" and an
// article number (bvaa057, e0123) as it is.
func formatPages(p string) string {
	p = strings.TrimSpace(p)
	if p == "" {
		return ""
	}
	for _, dash := range []string{"---", "--", "—", "–", "-"} {
		if a, b, ok := strings.Cut(p, dash); ok && strings.TrimSpace(a) != "" && strings.TrimSpace(b) != "" {
			return "pp. " + strings.TrimSpace(a) + "–" + strings.TrimSpace(b)
		}
	}
	if strings.Trim(p, "0123456789") == "" {
		return "p. " + p
	}
	return p
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// endWith appends end unless s already ends a sentence.
func endWith(s, end string) string {
	return s + endsSentence(s, "", end)
}

// endsSentence returns ifEnded when s already ends with sentence
// punctuation, else end.
func endsSentence(s, ifEnded, end string) string {
	s = strings.TrimRight(s, "”’\"')")
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!") {
		return ifEnded
	}
	return end
}

func lastText(ps []piece) string {
	if len(ps) == 0 {
		return ""
	}
	return ps[len(ps)-1].text
}

// RefID makes a citation key safe for an HTML id and a URL fragment. Keys
// keep letters, digits, '_', '-' and '.'; every other byte becomes "=XX".
// '=' never occurs in a key, so different keys get different ids.
func RefID(key string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('=')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return "gb-ref-" + b.String()
}
