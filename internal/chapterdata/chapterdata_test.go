package chapterdata

import (
	"reflect"
	"testing"

	"guidebook/internal/cite"
	"guidebook/internal/diag"
	"guidebook/internal/glossary"
	"guidebook/internal/xref"
)

// TestRoundTrip: every field a later stage reads comes back as it was
// stored, terms and works found again through the book's lookups.
func TestRoundTrip(t *testing.T) {
	term := &glossary.Term{ID: "insulin", Name: "Insulin"}
	work := &cite.Entry{Key: "lan2015"}
	look := Lookup{
		Term: func(id string) (*glossary.Term, bool) { return term, id == term.ID },
		Work: func(key string) (*cite.Entry, bool) { return work, key == work.Key },
	}
	c := &Chapter{
		Errs:     []*diag.Error{{Pos: diag.Pos{File: "a.md", Line: 3, Col: 7}, Msg: "broken"}},
		Cites:    2,
		Widgets:  []string{"homa-ir"},
		Uses:     []glossary.Use{{Term: term, Offset: 40}},
		Cited:    []*cite.Entry{work},
		Links:    []xref.Link{{Dest: "b.md#x", Offset: 9}, {Wiki: true, Dest: "b#y", Target: "b", Fragment: "y", HasLabel: true, Offset: 20}},
		Headings: []xref.Heading{{ID: "top", Level: 1, Text: "Top", Offset: 2}, {ID: "kept", Level: 2, Text: "Kept", Explicit: true, Offset: 12}},
		BodyKey:  "k",
		BodyHash: "h",
		Search:   []byte(`{"u":"a/"},`),
	}
	got, ok := Decode(c.Encode(), look)
	if !ok || !reflect.DeepEqual(got, c) {
		t.Fatalf("decoded %+v, %v; want %+v", got, ok, c)
	}
	if _, ok := Decode(c.Encode()[:20], look); ok {
		t.Error("a truncated entry decoded")
	}
	look.Term = func(string) (*glossary.Term, bool) { return nil, false }
	if _, ok := Decode(c.Encode(), look); ok {
		t.Error("an entry naming a term the book no longer has decoded")
	}
}
