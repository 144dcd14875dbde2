// Package htmltest checks HTML fragments in tests: extensions' renderers
// (cite, glossary) and the bibliography's entries must write balanced,
// script-free markup. It is a test helper, not part of the pipeline.
package htmltest

import (
	"errors"
	"io"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// voidElements never have end tags.
var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true,
}

// CheckWellFormed fails unless every start tag in s has its matching end
// tag in order, no <a> nests in another and no <script> is present.
func CheckWellFormed(t testing.TB, s string) {
	t.Helper()
	if msg := WellFormed(s); msg != "" {
		t.Fatalf("%s in:\n%s", msg, s)
	}
}

// WellFormed describes the first problem in s, or is "".
func WellFormed(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var stack []string
	links := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			if !errors.Is(z.Err(), io.EOF) {
				return z.Err().Error()
			}
			if len(stack) > 0 {
				return "unclosed <" + strings.Join(stack, "> <") + ">"
			}
			return ""
		case html.StartTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if tag == "script" {
				return "<script> in output"
			}
			if voidElements[tag] {
				continue
			}
			if tag == "a" {
				links++
				if links > 1 {
					return "nested <a>"
				}
			}
			stack = append(stack, tag)
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if len(stack) == 0 || stack[len(stack)-1] != tag {
				return "unexpected </" + tag + ">"
			}
			if tag == "a" {
				links--
			}
			stack = stack[:len(stack)-1]
		}
	}
}
