package markup

import (
	"bytes"
	"strings"
	"testing"

	"guidebook/internal/diag"
	"guidebook/internal/theme"
)

func TestCodeIsHighlightedWithClasses(t *testing.T) {
	md := New(Options{})
	src := []byte("---\ntitle: T\n---\n\n## Code\n\n```go\nfunc main() { println(\"hi\") }\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
	l := &diag.List{}
	p := Parse(md, &diag.Source{File: "t.md", Src: src, List: l}, nil)
	if err := l.Err(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := md.Renderer().Render(&out, src, p.Doc); err != nil {
		t.Fatal(err)
	}
	html := out.String()
	for _, want := range []string{`<pre class="chroma">`, `<span class="kd">func</span>`, `<table>`, `<h2 id="code">Code</h2>`} {
		if !strings.Contains(html, want) {
			t.Errorf("output lacks %s:\n%s", want, html)
		}
	}
	if strings.Contains(html, "style=") {
		t.Errorf("highlighting must use classes, not inline styles:\n%s", html)
	}
	if strings.Contains(html, "title: T") {
		t.Errorf("front matter leaked into the body:\n%s", html)
	}
	if len(p.Links.Headings) != 1 || p.Links.Headings[0].ID != "code" {
		t.Errorf("headings = %+v", p.Links.Headings)
	}
}

func TestChromaCSSHasLightAndDark(t *testing.T) {
	css, err := theme.ChromaCSS()
	if err != nil {
		t.Fatal(err)
	}
	s := string(css)
	if !strings.Contains(s, ".chroma .kd") || !strings.Contains(s, "@media (prefers-color-scheme: dark)") {
		t.Errorf("chroma CSS incomplete:\n%.300s", s)
	}
}

func TestRawHTMLIsOmittedUnlessUnsafe(t *testing.T) {
	src := []byte("Hello <script>alert(1)</script> world\n")
	for _, unsafe := range []bool{false, true} {
		md := New(Options{Unsafe: unsafe})
		p := Parse(md, &diag.Source{File: "t.md", Src: src, List: &diag.List{}}, nil)
		var out bytes.Buffer
		md.Renderer().Render(&out, src, p.Doc)
		if got := strings.Contains(out.String(), "<script>"); got != unsafe {
			t.Errorf("unsafe=%v: output %q", unsafe, out.String())
		}
	}
}
