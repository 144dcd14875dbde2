package bib

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
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
	sortByAuthor(b.sorted)
	b.version = version(b.sorted)
	return b, errs.Err()
}

// sortByAuthor orders references the way a reader scans a reference
// list: first author's family name, then year, then title. Each entry's
// folded name and title are worked out once, not at every comparison.
func sortByAuthor(entries []*Entry) {
	type keyed struct {
		e           *Entry
		name, title string
	}
	ks := make([]keyed, len(entries))
	for i, e := range entries {
		ks[i] = keyed{e, FoldForSort(e.sortName()), FoldForSort(e.Title)}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		return cmp.Or(strings.Compare(a.name, b.name), cmp.Compare(a.e.Year, b.e.Year),
			strings.Compare(a.title, b.title), strings.Compare(a.e.Key, b.e.Key))
	})
	for i, k := range ks {
		entries[i] = k.e
	}
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
