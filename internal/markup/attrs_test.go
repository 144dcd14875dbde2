package markup

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"guidebook/internal/diag"
)

// headings parses the rendered body and returns each heading's attributes.
func headings(t *testing.T, body []byte) []map[string]string {
	t.Helper()
	nodes, err := html.ParseFragment(bytes.NewReader(body), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		t.Fatal(err)
	}
	var hs []map[string]string
	for _, n := range nodes {
		if n.Type == html.ElementNode && len(n.Data) == 2 && n.Data[0] == 'h' {
			m := map[string]string{}
			for _, a := range n.Attr {
				m[a.Key] = a.Val
			}
			hs = append(hs, m)
		}
	}
	return hs
}

func TestHeadingAttributesOtherThanIDAndClassNeedUnsafe(t *testing.T) {
	src := []byte("## A {#a .note style=\"position:fixed;inset:0;z-index:9999\" tabindex=1 hidden=true data-x=1}\n\n" +
		"B {#b style=\"color:red\"}\n-\n")
	for _, unsafe := range []bool{false, true} {
		md := New(Options{Unsafe: unsafe})
		l := &diag.List{}
		p := Parse(md, &diag.Source{File: "a.md", Src: src, List: l}, nil)
		if err := l.Err(); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := md.Renderer().Render(&out, src, p.Doc); err != nil {
			t.Fatal(err)
		}
		hs := headings(t, out.Bytes())
		if len(hs) != 2 || hs[0]["id"] != "a" || hs[0]["class"] != "note" || hs[1]["id"] != "b" {
			t.Fatalf("unsafe=%v: headings %v in\n%s", unsafe, hs, out.String())
		}
		for _, h := range hs {
			for _, k := range []string{"style", "tabindex", "hidden", "data-x"} {
				if _, ok := h[k]; ok != unsafe && (k != "data-x" && k != "tabindex" && k != "hidden" || h["id"] == "a") {
					t.Errorf("unsafe=%v: heading %s has %s: %v, want %v\n%s", unsafe, h["id"], k, ok, unsafe, out.String())
				}
			}
		}
	}
}

// goldmark asserts that a heading id is text: {id=5} used to panic.
func TestNonTextHeadingIDIsItsText(t *testing.T) {
	src := []byte("# A {id=5}\n\nB {id=true}\n=\n")
	md := New(Options{})
	l := &diag.List{}
	p := Parse(md, &diag.Source{File: "a.md", Src: src, List: l}, nil)
	var out bytes.Buffer
	if err := md.Renderer().Render(&out, src, p.Doc); err != nil {
		t.Fatal(err)
	}
	hs := headings(t, out.Bytes())
	if len(hs) != 2 || hs[0]["id"] != "5" || hs[1]["id"] != "true" {
		t.Errorf("headings %v in\n%s", hs, out.String())
	}
}

func TestExplicitHeadingIDsAreChecked(t *testing.T) {
	src := "# Intro\n\n## A {#same}\n\n## B {#same}\n\n## C {#gb-main}\n\n## D {#gb-ref-doe2020}\n\n" +
		"## E {#fn:1}\n\n## F {#intro}\n\n## G {id=\"two words\"}\n\nH {#footnotes}\n-\n\n## GB Main\n\n## Fine {#fine}\n"
	run := chapterPipeline(t)
	body, l := run([]byte(src))
	got := l.Error()
	for _, want := range []string{
		`a.md:5:6: heading id "same" is used by an earlier heading`,
		`a.md:7:6: heading id "gb-main" is reserved`,
		`a.md:9:6: heading id "gb-ref-doe2020" is reserved`,
		`a.md:11:6: heading id "fn:1" is reserved`,
		`a.md:13:6: heading id "intro" is used by an earlier heading`,
		`a.md:15:6: heading id "two words" is not a valid id`,
		`a.md:17:3: heading id "footnotes" is reserved`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
	if n := len(l.Errors()); n != 7 {
		t.Errorf("%d problems, want 7:\n%s", n, got)
	}
	// A generated id never takes a reserved one.
	hs := headings(t, body)
	if id := hs[len(hs)-2]["id"]; id != "section-gb-main" {
		t.Errorf("heading \"GB Main\" got id %q, want section-gb-main", id)
	}
}
