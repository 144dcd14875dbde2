package markup

import (
	"bytes"
	"testing"

	bibpkg "guidebook/internal/bib"
	"guidebook/internal/bibfile"
	"guidebook/internal/diag"
	"guidebook/internal/glossary"
	"guidebook/internal/paths"
	"guidebook/internal/theme"
	"guidebook/internal/widgets"
	"guidebook/internal/xref"
)

// chapterPipeline returns what a build does to one chapter a.md: parse
// with every extension (glossary, citations, widgets, cross-links),
// resolve its links and render it. It returns the HTML and the problems
// (a rendering error among them), and may run on any goroutine.
func chapterPipeline(t testing.TB) func(src []byte) ([]byte, *diag.List) {
	t.Helper()
	g, err := glossary.New([]glossary.Term{{Name: "Insulin", Aliases: []string{"insulin-like"}, Definition: "A hormone."}})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := bibfile.Parse("references.bib", []byte("@article{doe2020, author = {Doe, Jane}, title = {T}, journal = {J}, year = {2020}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	bib, err := bibpkg.NewBibliography(entries)
	if err != nil {
		t.Fatal(err)
	}
	tm, err := theme.LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	md := New(Options{
		Glossary:     g,
		GlossaryHref: func(*glossary.Term) string { return "../glossary/" },
		Bibliography: bib,
		Widgets:      &widgets.Extender{Registry: widgets.NewRegistry(tm.Set)},
	})
	return func(src []byte) ([]byte, *diag.List) {
		l := &diag.List{}
		s := &diag.Source{File: "a.md", Src: src, List: l}
		p := Parse(md, s, nil)
		a := &xref.Target{ID: "a", File: "a.md", Dir: "a/", Title: "A", Anchors: map[string]bool{}}
		for _, h := range p.Links.Headings {
			a.Anchors[h.ID] = true
		}
		b := &xref.Target{ID: "b", File: "b.md", Dir: "b/", Title: "B", Anchors: map[string]bool{"section": true}}
		xref.NewIndex([]*xref.Target{a, b}, []string{"p.png"}, paths.Linker{Pretty: true}).Resolve(a, p.Links, s)
		var out bytes.Buffer
		if err := md.Renderer().Render(&out, src, p.Doc); err != nil {
			l.Addf(diag.Pos{File: "a.md", Line: 1}, "render: %v", err)
		}
		return out.Bytes(), l
	}
}
