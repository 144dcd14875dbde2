package glossary

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"guidebook/internal/testing/goldentest"
)

// FuzzMark renders arbitrary Markdown against the test glossary (whose
// definition holds a <script>): it must not panic, must produce balanced
// HTML with unique gb- ids and no nested links, and must never emit an
// unescaped "<script". Marking must not change the text a reader sees:
// without the tooltips, the page reads as it does with an empty glossary
// (entities and escapes intact, nothing lost at a split). Seeds: testdata/fuzz/FuzzMark and the golden inputs.
//
//	go test -run XXX -fuzz FuzzMark -fuzztime 1m ./internal/glossary
func FuzzMark(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txt")
	for _, file := range files {
		_, cases := goldentest.Read(f, file)
		for _, c := range cases {
			f.Add(c.Markdown)
		}
	}
	md := newMarkdown(testGlossary(f))
	empty, _ := New(nil)
	plain := newMarkdown(empty)
	f.Fuzz(func(t *testing.T, src string) {
		out, _, _ := convert(t, md, []byte(src))
		want, _, _ := convert(t, plain, []byte(src))
		if got, want := visibleText(t, out), visibleText(t, want); got != want {
			t.Fatalf("visible text changed:\n got %q\nwant %q", got, want)
		}
		if strings.Contains(strings.ToLower(out), "<script") {
			t.Fatalf("unescaped <script in:\n%s", out)
		}
		if _, err := html.Parse(strings.NewReader(out)); err != nil {
			t.Fatalf("html.Parse: %v", err)
		}
		if err := wellFormed(out); err != "" {
			t.Fatalf("%s in:\n%s", err, out)
		}
	})
}

// visibleText is the text of an HTML fragment without the tooltips.
func visibleText(t *testing.T, s string) string {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatalf("html.Parse: %v", err)
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for _, a := range n.Attr {
			if a.Key == "class" && a.Val == "gb-tip" {
				return
			}
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return b.String()
}

// void elements have no end tag.
var void = map[string]bool{"br": true, "hr": true, "img": true, "input": true, "wbr": true, "col": true}

// wellFormed checks that every tag is closed in order, no link sits in a
// link and no gb- id repeats; it returns a description of the first fault.
func wellFormed(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var stack []string
	ids := map[string]bool{}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				return z.Err().Error()
			}
			if len(stack) > 0 {
				return "unclosed " + strings.Join(stack, ">")
			}
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if string(k) == "id" && bytes.HasPrefix(v, []byte("gb-")) {
					if ids[string(v)] {
						return "repeated id " + string(v)
					}
					ids[string(v)] = true
				}
			}
			tag := string(name)
			if tag == "a" {
				for _, open := range stack {
					if open == "a" {
						return "nested <a>"
					}
				}
			}
			if tt == html.StartTagToken && !void[tag] {
				stack = append(stack, tag)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if len(stack) == 0 || stack[len(stack)-1] != string(name) {
				return "unexpected </" + string(name) + "> with open " + strings.Join(stack, ">")
			}
			stack = stack[:len(stack)-1]
		}
	}
}
