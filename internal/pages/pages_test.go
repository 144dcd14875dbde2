package pages

import (
	"fmt"
	"slices"
	"testing"

	"guidebook/internal/content"
	"guidebook/internal/paths"
	"guidebook/internal/theme"
	"guidebook/internal/xref"
)

func chapters(n int) []*content.Chapter {
	chs := make([]*content.Chapter, n)
	for i := range chs {
		chs[i] = &content.Chapter{ID: fmt.Sprintf("c%d", i), Title: fmt.Sprintf("C%d", i)}
	}
	return chs
}

func sidebar(kind, dir string, chs []*content.Chapter, cur int) *theme.Page {
	p := theme.PageContext{Linker: paths.Linker{Pretty: true}}.Bind(&theme.Page{Kind: kind, Dir: dir})
	Sidebar(p, chs, cur)
	return p
}

func titles(p *theme.Page) []string {
	var out []string
	for _, l := range p.Chapters {
		out = append(out, l.Title)
	}
	return out
}

// A small book lists every chapter on every page; a large one lists a
// page's own chapter and its neighbours (none on a book page but home),
// loads toc.js for the rest and links to the full list.
func TestSidebar(t *testing.T) {
	small := chapters(3)
	if got := titles(sidebar("glossary", "glossary/", small, -1)); !slices.Equal(got, []string{"C0", "C1", "C2"}) {
		t.Errorf("small book's glossary lists %v", got)
	}
	large := chapters(LargeBook + 1)
	p := sidebar("chapter", "c5/", large, 5)
	if got := titles(p); !slices.Equal(got, []string{"C4", "C5", "C6"}) {
		t.Errorf("large book's chapter 5 lists %v", got)
	}
	if !p.Chapters[1].Current || !slices.Contains(p.Scripts, TOCAsset) || p.Extras[len(p.Extras)-1].Title != "All chapters" {
		t.Errorf("large book's chapter page: current %v, scripts %v, extras %d", p.Chapters[1].Current, p.Scripts, len(p.Extras))
	}
	if got := titles(sidebar("glossary", "glossary/", large, -1)); len(got) != 0 {
		t.Errorf("large book's glossary lists %v", got)
	}
	if got := titles(sidebar("home", "", large, -1)); len(got) != len(large) {
		t.Errorf("large book's home lists %d chapters, want %d", len(got), len(large))
	}
}

// The table of contents holds h2 and h3 only.
func TestTOCHeadings(t *testing.T) {
	got := TOCHeadings([]xref.Heading{{ID: "a", Level: 1}, {ID: "b", Level: 2}, {ID: "c", Level: 3}, {ID: "d", Level: 4}})
	var ids []string
	for _, h := range got {
		ids = append(ids, h.ID)
	}
	if !slices.Equal(ids, []string{"b", "c"}) {
		t.Errorf("TOCHeadings kept %v, want [b c]", ids)
	}
}
