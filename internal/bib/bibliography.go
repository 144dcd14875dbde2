package bib

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"guidebook/internal/diag"
)

// Style is how citations read in the text.
type Style int

const (
	// Numbered cites as [1] and lists references in first-citation order.
	Numbered Style = iota
	// AuthorYear cites as (Lan et al., 2015) and lists references by label.
	AuthorYear
)

// ParseStyle reads a style name from the book configuration. The empty
// string is the default, Numbered.
func ParseStyle(s string) (Style, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "numbered", "numeric":
		return Numbered, nil
	case "author-year", "authoryear", "author-date":
		return AuthorYear, nil
	}
	return Numbered, fmt.Errorf("unknown citation style %q (want \"numbered\" or \"author-year\")", s)
}

func (s Style) String() string {
	if s == AuthorYear {
		return "author-year"
	}
	return "numbered"
}

// Bibliography is the book's reference database, indexed by key. It is
// read-only after NewBibliography, so chapters may be parsed concurrently.
type Bibliography struct {
	byKey   map[string]*Entry
	sorted  []*Entry
	version string
}

// NewBibliography indexes entries. Duplicate keys are errors naming both
// positions; the first entry for a key is kept, so the result is usable even
// when err is non-nil (a watch mode can keep serving while the author fixes
// the file).
func NewBibliography(entries []Entry) (*Bibliography, error) {
	b := &Bibliography{byKey: make(map[string]*Entry, len(entries))}
	errs := &diag.List{}
	for i := range entries {
		e := &entries[i]
		if first, dup := b.byKey[e.Key]; dup {
			errs.Addf(e.Pos, "duplicate citation key %q (first defined at %s)", e.Key, first.Pos)
			continue
		}
		cp := *e
		cp.Authors = append([]Person(nil), e.Authors...)
		cp.memo = &entryMemo{}
		b.byKey[e.Key] = &cp
		b.sorted = append(b.sorted, &cp)
	}
	sort.SliceStable(b.sorted, func(i, j int) bool { return lessByAuthor(b.sorted[i], b.sorted[j]) })
	b.version = version(b.sorted)
	return b, errs.Err()
}

// lessByAuthor orders references the way a reader scans a reference list:
// first author's family name, then year, then title.
func lessByAuthor(a, b *Entry) bool {
	ka, kb := FoldForSort(a.sortName()), FoldForSort(b.sortName())
	if ka != kb {
		return ka < kb
	}
	if a.Year != b.Year {
		return a.Year < b.Year
	}
	if ta, tb := FoldForSort(a.Title), FoldForSort(b.Title); ta != tb {
		return ta < tb
	}
	return a.Key < b.Key
}

func (e *Entry) sortName() string {
	names, _ := splitEtAl(e.Authors)
	if len(names) > 0 {
		return names[0].short()
	}
	return e.Title
}

// Lookup finds the entry for a citation key. A nil Bibliography has none.
func (b *Bibliography) Lookup(key string) (*Entry, bool) {
	if b == nil {
		return nil, false
	}
	e, ok := b.byKey[key]
	return e, ok
}

// Entries returns every entry sorted by first author, year and title, for
// the book-wide references page.
func (b *Bibliography) Entries() []*Entry {
	if b == nil {
		return nil
	}
	return append([]*Entry(nil), b.sorted...)
}

// Version is a hash of all entry data, for the build cache: a cached page
// that cites anything is stale once it changes. Positions are left out:
// moving an entry within the file changes no page.
func (b *Bibliography) Version() string {
	if b == nil {
		return version(nil)
	}
	return b.version
}

func version(entries []*Entry) string {
	sorted := append([]*Entry(nil), entries...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Key < sorted[j].Key })
	h := sha256.New()
	field := func(s string) {
		fmt.Fprintf(h, "%d:%s", len(s), s)
	}
	for _, e := range sorted {
		for _, s := range []string{e.Key, e.Type, e.Title, e.Container, e.Publisher, e.Volume, e.Issue, e.Pages, e.Year, e.DOI, e.URL, e.Note} {
			field(s)
		}
		fmt.Fprintf(h, "%d;", len(e.Authors))
		for _, p := range e.Authors {
			field(p.Family)
			field(p.Given)
			field(p.Literal)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Nocite is a key a document's front matter lists under `citations:`, and
// where it is written, for the message if the key is unknown.
type Nocite struct {
	Key string
	Pos diag.Pos // zero when unknown: the message then names the file
}
