package theme

import (
	"html/template"
	"strings"
	"testing"

	"guidebook/internal/paths"
)

// benchChapterPage is a chapter page of a large book as the build hands
// it to the templates: a 30 KB body, six headings, the three-chapter
// sidebar and the assets every page links.
func benchChapterPage(b *testing.B) (*Templates, func() *Page) {
	tm, err := LoadTemplates("")
	if err != nil {
		b.Fatal(err)
	}
	assets, err := LoadAssets("", false)
	if err != nil {
		b.Fatal(err)
	}
	assets.Add("search-index.js", []byte("x"))
	assets.Add("toc.js", []byte("x"))
	body := template.HTML(strings.Repeat("<p>Insulin resistance <a class=\"gb-term\" href=\"../glossary/#t\">term</a> text.</p>\n", 400))
	pc := PageContext{Assets: assets, Linker: paths.Linker{}}
	toc := BuildTOC([]*TOCEntry{{ID: "section-1", Text: "One", Level: 2}, {ID: "section-2", Text: "Two", Level: 2},
		{ID: "sub", Text: "Sub", Level: 3}, {ID: "section-3", Text: "Three", Level: 2}, {ID: "section-4", Text: "Four", Level: 2}})
	return tm, func() *Page {
		p := pc.Bind(&Page{Kind: "chapter", Dir: "chapter-0002/", Title: "Chapter 2: Comparable", Description: "A summary.",
			Book: Book{Title: "Book", Language: "en"}, Generator: "guidebook"})
		for i, t := range []string{"chapter-0001", "chapter-0002", "chapter-0003"} {
			p.Chapters = append(p.Chapters, &Link{Title: t, URL: p.URL(t + "/"), Number: i + 1, Current: i == 1})
		}
		p.Chapters[1].TOC = toc
		p.Extras = []*Link{{Title: "Glossary", URL: p.URL("glossary/")}, {Title: "References", URL: p.URL("references/")}, {Title: "All chapters", URL: p.URL("")}}
		p.Scripts = []string{"toc.js"}
		p.Chapter = &Chapter{ID: "chapter-0002", Title: p.Title, Summary: "A summary.", Number: 2, Content: body, TOC: toc,
			Prev: &Link{Title: "chapter-0001", URL: p.URL("chapter-0001/")}, Next: &Link{Title: "chapter-0003", URL: p.URL("chapter-0003/")}}
		return p
	}
}

// BenchmarkChapterPage executes the page template for one chapter page.
func BenchmarkChapterPage(b *testing.B) {
	tm, page := benchChapterPage(b)
	for b.Loop() {
		if err := tm.ExecuteFunc("page", page(), func([]byte) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
