package glossary

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"guidebook/internal/diag"
	"guidebook/internal/testing/goldentest"
)

// testTerms is the glossary every golden case is rendered against.
func testTerms() []Term {
	return []Term{
		{Name: "Insulin resistance", Aliases: []string{"insulin-resistant"}, Definition: "Cells respond weakly to insulin.", See: []string{"insulin"}},
		{Name: "Insulin", Definition: "A hormone made by beta cells."},
		{Name: "AMPK", Definition: "AMP-activated protein kinase."},
		{Name: "AMPK activation", Definition: "Switching AMPK on, e.g. by exercise."},
		{Name: "Ketone body", Definition: "A fuel the liver makes from fat."},
		{Name: "Mitochondrion", Aliases: []string{"mitochondria"}, Definition: "The cell's power plant."},
		{Name: "GLUT4", Definition: "A glucose transporter."},
		{Name: "β-cell", Aliases: []string{"beta cell"}, Definition: "Pancreatic cell that makes insulin."},
		{Name: `Quote "test" & co`, Definition: `<script>alert("x")</script> & 'single' "double"`},
	}
}

func testGlossary(t testing.TB) *Glossary {
	t.Helper()
	g, err := New(testTerms())
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func newMarkdown(g *Glossary) goldmark.Markdown {
	return newMarkdownWith(&Extender{Glossary: g, Href: func(t *Term) string { return "../glossary/#" + t.ID }})
}

func newMarkdownWith(e *Extender) goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, e),
		// 199, as package xref's [[chapter]] parser: it must still see
		// every "[[" that is not a term mark.
		goldmark.WithParserOptions(parser.WithInlineParsers(util.Prioritized(fakeWikilink{}, 199))),
	)
}

// fakeWikilink stands in for package xref's parser: [[x]] -> link to x.html.
type fakeWikilink struct{}

func (fakeWikilink) Trigger() []byte { return []byte{'['} }

func (fakeWikilink) Parse(_ ast.Node, block text.Reader, _ parser.Context) ast.Node {
	line, seg := block.PeekLine()
	end := bytes.Index(line, []byte("]]"))
	if !bytes.HasPrefix(line, []byte("[[")) || end < 0 || bytes.HasPrefix(line, []byte("[[term:")) {
		return nil
	}
	l := ast.NewLink()
	l.Destination = append(line[2:end:end], ".html"...)
	l.AppendChild(l, ast.NewTextSegment(text.NewSegment(seg.Start+2, seg.Start+end)))
	block.Advance(end + 2)
	return l
}

// convert renders src as the file input.md and returns the HTML, the
// problems found (one per line, each ending in a newline) and the parser
// context.
func convert(t testing.TB, md goldmark.Markdown, src []byte) (string, string, parser.Context) {
	t.Helper()
	pc := parser.NewContext()
	s := &diag.Source{File: "input.md", Src: src, List: &diag.List{}}
	diag.WithSource(pc, s)
	doc := md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	var out bytes.Buffer
	if err := md.Renderer().Render(&out, src, doc); err != nil {
		t.Fatal(err)
	}
	var errs strings.Builder
	for _, e := range s.List.Errors() {
		errs.WriteString(e.Error() + "\n")
	}
	return out.String(), errs.String(), pc
}

// TestGolden renders each case of testdata/*.txt against testTerms and
// compares the HTML and the located problems; a case with the option
// "notes: true" renders as for an EPUB (Extender.Notes). Run with -update after an
// intended change and review the diff.
func TestGolden(t *testing.T) {
	g := testGlossary(t)
	md := newMarkdown(g)
	notes := newMarkdownWith(&Extender{Glossary: g, Href: func(t *Term) string { return "../glossary/index.xhtml#" + t.ID }, Notes: true})
	goldentest.Run(t, "testdata/*.txt", func(t *testing.T, c *goldentest.Case) (string, string) {
		md := md
		if c.Options["notes"] == "true" {
			md = notes // the EPUB rendering
		}
		html, errs, _ := convert(t, md, []byte(c.Markdown))
		return html, errs
	})
}
