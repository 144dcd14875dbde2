package widgets

import (
	"bytes"
	"html/template"
	"os"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	meta "github.com/yuin/goldmark-meta"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	bibpkg "guidebook/internal/bib"
	"guidebook/internal/bibfile"
	"guidebook/internal/cite"
	"guidebook/internal/diag"
)

// homaTemplatePath is the shipped template; tests render with it so that
// what they check is what a site gets.
const homaTemplatePath = "../../templates/widgets/homa-ir.html"

// testTemplates parses the shipped homa-ir template and the test site
// widget "card", named as the render stage names them, with the same
// missingkey=error option.
func testTemplates(t testing.TB) *template.Template {
	t.Helper()
	set := template.New("").Option("missingkey=error")
	for name, file := range map[string]string{
		"widgets/homa-ir.html": homaTemplatePath,
		"widgets/card.html":    "testdata/templates/widgets/card.html",
	} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := set.New(name).Parse(string(data)); err != nil {
			t.Fatal(err)
		}
	}
	return set
}

func testBibliography(t testing.TB) *cite.Bibliography {
	t.Helper()
	data, err := os.ReadFile("testdata/refs.bib")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := bibfile.Parse("refs.bib", data)
	if err != nil {
		t.Fatal(err)
	}
	bib, err := bibpkg.NewBibliography(entries)
	if err != nil {
		t.Fatal(err)
	}
	return bib
}

// newMarkdown builds goldmark as the pipeline does: front matter skipped,
// widgets and citations both enabled.
func newMarkdown(reg *Registry, bib *cite.Bibliography) goldmark.Markdown {
	return goldmark.New(goldmark.WithExtensions(
		meta.Meta,
		&Extender{Registry: reg},
		&cite.Extender{Bibliography: bib},
	))
}

// convert parses and renders a whole chapter file, returning the HTML, the
// problems one per line ("chapter.md:line:col: msg") and the context.
func convert(t testing.TB, md goldmark.Markdown, markdown string) (string, string, parser.Context) {
	t.Helper()
	html, list, pc, err := convertList(md, markdown)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	var errs strings.Builder
	for _, e := range list.Errors() {
		errs.WriteString(e.Error() + "\n")
	}
	return html, errs.String(), pc
}

// convertList is convert returning the render error and the problems as
// they were recorded.
func convertList(md goldmark.Markdown, markdown string) (string, *diag.List, parser.Context, error) {
	src := []byte(markdown)
	pc := parser.NewContext()
	list := &diag.List{}
	diag.WithSource(pc, &diag.Source{File: "chapter.md", Src: src, List: list})
	doc := md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	var out bytes.Buffer
	err := md.Renderer().Render(&out, src, doc)
	return out.String(), list, pc, err
}

func newMarkdownWith(ext *Extender, bib *cite.Bibliography) goldmark.Markdown {
	return goldmark.New(goldmark.WithExtensions(meta.Meta, ext, &cite.Extender{Bibliography: bib}))
}
