package cite

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	meta "github.com/yuin/goldmark-meta"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	bibpkg "guidebook/internal/bib"
	"guidebook/internal/bibfile"
	"guidebook/internal/diag"
	"guidebook/internal/testing/goldentest"
	"guidebook/internal/testing/htmltest"
)

func testBibliography(t testing.TB) *Bibliography {
	t.Helper()
	var all []Entry
	for _, f := range []string{"../bibfile/testdata/guide.bib", "../bibfile/testdata/extra.bib"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := bibfile.Parse(f, data)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, entries...)
	}
	b, err := bibpkg.NewBibliography(all)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// convert renders markdown as the pipeline does: the whole file is the
// source, so problems carry its line and column.
func convert(t testing.TB, bib *Bibliography, style Style, nocite []string, markdown string) (string, string, parser.Context) {
	t.Helper()
	return convertWith(t, &Extender{Bibliography: bib, Style: style, Nocite: nocite}, markdown)
}

func convertWith(t testing.TB, ext *Extender, markdown string) (string, string, parser.Context) {
	t.Helper()
	// goldmark-meta skips the front matter, as in the pipeline, so offsets
	// stay offsets into the whole file.
	md := goldmark.New(goldmark.WithExtensions(meta.Meta, ext))
	src := []byte(markdown)
	pc := parser.NewContext()
	list := &diag.List{}
	diag.WithSource(pc, &diag.Source{File: "input.md", Src: src, List: list})
	doc := md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	var out bytes.Buffer
	if err := md.Renderer().Render(&out, src, doc); err != nil {
		t.Fatalf("render: %v", err)
	}
	var errs strings.Builder
	for _, e := range list.Errors() {
		errs.WriteString(e.Error() + "\n")
	}
	return out.String(), errs.String(), pc
}

// TestGolden renders each case of testdata/*.txt with the options it
// names ("style", "nocite": comma-separated keys, "notes: true" for the
// EPUB rendering) and checks that the HTML is well formed. Run with -update after an intended change and review the
// diff.
func TestGolden(t *testing.T) {
	bib := testBibliography(t)
	goldentest.Run(t, "testdata/*.txt", func(t *testing.T, c *goldentest.Case) (string, string) {
		style, err := bibpkg.ParseStyle(c.Options["style"])
		if err != nil {
			t.Fatal(err)
		}
		var nocite []string
		if v := c.Options["nocite"]; v != "" {
			for _, k := range strings.Split(v, ",") {
				nocite = append(nocite, strings.TrimSpace(k))
			}
		}
		ext := &Extender{Bibliography: bib, Style: style, Nocite: nocite, Notes: c.Options["notes"] == "true"}
		html, errs, _ := convertWith(t, ext, c.Markdown)
		htmltest.CheckWellFormed(t, html)
		return html, errs
	})
}
