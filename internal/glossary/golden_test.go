package glossary

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"guidebook/internal/diag"
)

var update = flag.Bool("update", false, "rewrite testdata/*.txt with the current output")

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
// problems found (one per line) and the parser context.
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
	var errs []string
	for _, e := range s.List.Errors() {
		errs = append(errs, e.Error())
	}
	return out.String(), strings.Join(errs, "\n"), pc
}

// goldenCase is one "=== name" section of a testdata file: Markdown, then
// "--- html" and the expected output, then optionally "--- errors" and the
// expected problems.
type goldenCase struct {
	name, md, html, errs string
}

func readGolden(t *testing.T, path string) []goldenCase {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	var cur *goldenCase
	var field *string
	for _, line := range strings.SplitAfter(string(data), "\n") {
		trimmed := strings.TrimRight(line, "\n")
		switch {
		case strings.HasPrefix(trimmed, "=== "):
			cases = append(cases, goldenCase{name: strings.TrimPrefix(trimmed, "=== ")})
			cur = &cases[len(cases)-1]
			field = &cur.md
		case cur == nil:
			// preamble: comments about the file
		case trimmed == "--- html":
			field = &cur.html
		case trimmed == "--- errors":
			field = &cur.errs
		default:
			*field += line
		}
	}
	return cases
}

func writeGolden(t *testing.T, path string, cases []goldenCase) {
	data, _ := os.ReadFile(path)
	var b strings.Builder
	if i := strings.Index(string(data), "=== "); i > 0 {
		b.WriteString(string(data[:i]))
	}
	for _, c := range cases {
		b.WriteString("=== " + c.name + "\n" + c.md + "--- html\n" + c.html)
		if c.errs != "" {
			b.WriteString("--- errors\n" + c.errs + "\n")
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txt")
	if len(files) == 0 {
		t.Fatal("no testdata/*.txt")
	}
	md := newMarkdown(testGlossary(t))
	for _, file := range files {
		cases := readGolden(t, file)
		for i, c := range cases {
			t.Run(strings.TrimSuffix(filepath.Base(file), ".txt")+"/"+c.name, func(t *testing.T) {
				html, errs, _ := convert(t, md, []byte(c.md))
				if *update {
					cases[i].html, cases[i].errs = html, errs
					return
				}
				if html != c.html {
					t.Errorf("input:\n%s\ngot:\n%s\nwant:\n%s", c.md, html, c.html)
				}
				if want := strings.TrimRight(c.errs, "\n"); errs != want {
					t.Errorf("problems:\ngot:\n%s\nwant:\n%s", errs, want)
				}
			})
		}
		if *update {
			writeGolden(t, file, cases)
		}
	}
}
