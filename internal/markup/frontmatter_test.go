package markup

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"guidebook/internal/diag"
	"guidebook/internal/testing/benchbook"
)

func renderChapter(t testing.TB, src string) string {
	t.Helper()
	md := New(Options{})
	l := &diag.List{}
	p := Parse(md, &diag.Source{File: "c.md", Src: []byte(src), List: l}, nil)
	if err := l.Err(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := md.Renderer().Render(&out, []byte(src), p.Doc); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// textOf is the text of the rendered fragment.
func textOf(t testing.TB, frag string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(frag))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return strings.TrimSpace(b.String())
}

// The page body is what content takes for the body: front matter ends
// at its closing "---" or "..." line (content accepts both), never
// earlier or later, and its YAML is not rendered.
func TestFrontMatterSkippedAsContentSplitsIt(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"---\ntitle: T\n---\n\nBody text.\n", "Body text."},
		{"---\ntitle: T\n...\n\nBody text.\n", "Body text."},
		{"---  \r\ntitle: T\r\n---\r\nBody text.\r\n", "Body text."},
		{"---\ntitle: T\nsummary: \"a - b\"\n---\n# Head\n\n---\n\nAfter a rule.\n", "Head\nAfter a rule."},
		{"No front matter.\n\n---\n\nAfter a rule.\n", "No front matter.\nAfter a rule."},
	} {
		got := textOf(t, renderChapter(t, c.src))
		if strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(c.want), " ") {
			t.Errorf("%q: text %q, want %q", c.src, got, c.want)
		}
	}
}

// BenchmarkParseBenchbook parses and renders 1,000 benchbook chapters
// (front matter included) with one Markdown instance and no glossary.
func BenchmarkParseBenchbook(b *testing.B) {
	dir := b.TempDir()
	if err := benchbook.Generate(dir, 1000, benchbook.Options{}); err != nil {
		b.Fatal(err)
	}
	var chapters [][]byte
	for i := 1; i <= 1000; i++ {
		src, err := os.ReadFile(benchbook.ChapterPath(dir, i))
		if err != nil {
			b.Fatal(err)
		}
		chapters = append(chapters, src)
	}
	benchParseRender(b, chapters)
}
