package lint

import (
	"bytes"
	"strings"
	"testing"

	"guidebook/internal/diag"
	"guidebook/internal/xref"
)

func pos(file string, line, col int) diag.Pos { return diag.Pos{File: file, Line: line, Col: col} }

// book is a small clean book: every term used, every reference cited,
// every chapter linked from another, the linked heading with its own id.
func book() *Book {
	return &Book{
		Chapters: []Chapter{
			{ID: "a", File: "content/a.md", Uses: []string{"foo"}, Cited: []string{"lan2015"},
				Headings: []Heading{{ID: "intro", Pos: pos("content/a.md", 5, 4)}}},
			{ID: "b", File: "content/b.md", Uses: []string{"bar"},
				Headings: []Heading{{ID: "deep", Explicit: true, Pos: pos("content/b.md", 7, 4)}}},
		},
		Terms:      []Term{{ID: "foo", Name: "Foo", Pos: pos("content/glossary.yaml", 1, 3)}, {ID: "bar", Name: "Bar", Pos: pos("content/a.md", 6, 5)}},
		References: []Reference{{Key: "lan2015", Pos: pos("content/references.bib", 1, 1)}, {Key: "guo2021", Pos: pos("content/references.bib", 9, 1)}},
		Uncited:    []Key{{Key: "guo2021", Pos: pos("content/book.yaml", 3, 5)}},
		Links: []Link{
			{From: "a", To: "b", Fragment: "deep", Pos: pos("content/a.md", 9, 6)},
			{From: "b", To: "a", Pos: pos("content/b.md", 3, 1)},
		},
	}
}

func lines(errs []*diag.Error) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func expectOne(t *testing.T, b *Book, want string) {
	t.Helper()
	got := lines(Check(b))
	if len(got) != 1 || got[0] != want {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), want)
	}
}

func TestCleanBook(t *testing.T) {
	if got := Check(book()); len(got) != 0 {
		t.Errorf("a clean book has findings:\n%s", strings.Join(lines(got), "\n"))
	}
}

func TestUnusedTerm(t *testing.T) {
	b := book()
	b.Chapters[1].Uses = nil
	expectOne(t, b, `content/a.md:6:5: warning: glossary term "Bar" is used in no chapter: use it, or remove it from the glossary [unused-term]`)
}

func TestUncitedReference(t *testing.T) {
	b := book()
	b.Uncited = nil
	expectOne(t, b, `content/references.bib:9:1: warning: reference "guo2021" is cited in no chapter: cite it ([@guo2021]), or list it under citations: in book.yaml to keep it uncited [uncited-reference]`)
	b = book()
	b.Chapters[0].Cited = nil
	b.Uncited = append(b.Uncited, Key{Key: "lan2015"})
	if got := Check(b); len(got) != 0 {
		t.Errorf("references listed in book.yaml citations: are reported: %v", lines(got))
	}
}

func TestUnknownKeyInCitations(t *testing.T) {
	b := book()
	b.Uncited = append(b.Uncited, Key{Key: "nobody1999", Pos: pos("content/book.yaml", 4, 5)})
	got := Check(b)
	if len(got) != 1 || got[0].Severity != diag.Fatal || got[0].Error() != `content/book.yaml:4:5: citations: no reference has the key "nobody1999"` {
		t.Errorf("got %v", lines(got))
	}
}

func TestOrphanChapter(t *testing.T) {
	b := book()
	b.Links = b.Links[:1] // nothing links to a any more
	got := Check(b)
	want := `content/a.md:1:1: info: no other chapter links to this one: readers reach it only from the table of contents [orphan-chapter]`
	if len(got) != 1 || got[0].Error() != want || got[0].Severity != diag.Info {
		t.Fatalf("got %v, want %s", lines(got), want)
	}
	if StrictCount(got) != 0 {
		t.Error("--strict counts an orphan chapter")
	}
	// A link from the chapter to itself does not count.
	b.Links = append(b.Links, Link{From: "a", To: "a", Fragment: "intro"})
	if got := Check(b); len(got) != 1 {
		t.Errorf("a self-link unorphans a chapter: %v", lines(got))
	}
	// A one-chapter book has nothing to link from.
	b = book()
	b.Chapters, b.Links = b.Chapters[:1], nil
	b.Terms = b.Terms[:1]
	if got := Check(b); len(got) != 0 {
		t.Errorf("one-chapter book: %v", lines(got))
	}
}

func TestUnstableHeadingID(t *testing.T) {
	b := book()
	b.Chapters[1].Headings[0].Explicit = false
	b.Links = append(b.Links, Link{From: "a", To: "b", Fragment: "deep", Pos: pos("content/a.md", 20, 1)})
	got := Check(b)
	want := `content/b.md:7:4: warning: heading id "deep" is derived from the heading's text, and content/a.md:9:6 links to it (and 1 more): rewording the heading breaks the link; write {#deep} after the heading to keep the id [unstable-heading-id]`
	if len(got) != 1 || got[0].Error() != want || StrictCount(got) != 1 {
		t.Fatalf("got %v\nwant %s", lines(got), want)
	}
	// A derived id linked from its own chapter only is left alone.
	b = book()
	b.Links = append(b.Links, Link{From: "a", To: "a", Fragment: "intro", Pos: pos("content/a.md", 12, 1)})
	if got := Check(b); len(got) != 0 {
		t.Errorf("same-chapter link: %v", lines(got))
	}
}

// TestFindingsSortedEscapedOnce: findings come out by file, line and
// column whatever order the rules found them in, a term named twice in
// the data is reported once, and author text with control characters is
// escaped as every error's is.
func TestFindingsSortedEscapedOnce(t *testing.T) {
	b := book()
	b.Chapters[0].Uses, b.Chapters[1].Uses = nil, nil
	b.Terms[0].Name = "Foo\x1b[2J\u202e"
	b.Terms = append(b.Terms, b.Terms[1])
	b.Uncited = nil
	got := lines(Check(b))
	want := []string{
		`content/a.md:6:5: warning: glossary term "Bar" is used in no chapter: use it, or remove it from the glossary [unused-term]`,
		`content/glossary.yaml:1:3: warning: glossary term "Foo\x1b[2J\u202e" is used in no chapter: use it, or remove it from the glossary [unused-term]`,
		`content/references.bib:9:1: warning: reference "guo2021" is cited in no chapter: cite it ([@guo2021]), or list it under citations: in book.yaml to keep it uncited [uncited-reference]`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestHeadingPositions: derived headings are placed at their line and
// column in one pass; explicit ones are left zero.
func TestHeadingPositions(t *testing.T) {
	src := []byte("---\ntitle: A\n---\n\n# Top\n\ntext\n\n## Kept {#kept}\n\n## Derived Here\n")
	at := func(text string) int { return bytes.Index(src, []byte(text)) }
	hs := []xref.Heading{{ID: "top", Offset: at("Top")}, {ID: "kept", Explicit: true, Offset: at("Kept")}, {ID: "derived-here", Offset: at("Derived")}}
	got := HeadingPositions(src, "a.md", hs)
	want := []diag.Pos{{File: "a.md", Line: 5, Col: 3}, {}, {File: "a.md", Line: 11, Col: 4}}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("heading %d at %v, want %v", i, got[i], want[i])
		}
		if !hs[i].Explicit {
			if line, col := diag.LineCol(src, hs[i].Offset); got[i].Line != line || got[i].Col != col {
				t.Errorf("heading %d at %d:%d, diag.LineCol says %d:%d", i, got[i].Line, got[i].Col, line, col)
			}
		}
	}
}
