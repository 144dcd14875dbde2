package theme

import (
	"html/template"
	"strings"
	"testing"
)

// linksTemplate is what the glossary and references templates wrote for
// back-links before Links.HTML.
var linksTemplate = template.Must(template.New("").Parse(`{{range $i, $l := .}}{{if $i}}, {{end}}<a href="{{$l.URL}}">{{$l.Title}}</a>{{end}}`))

func viaTemplate(t *testing.T, ls Links) string {
	t.Helper()
	var b strings.Builder
	if err := linksTemplate.Execute(&b, []Link(ls)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestLinksHTMLMatchesTemplate(t *testing.T) {
	for _, ls := range []Links{
		nil,
		{{Title: "Fundamentals", URL: "../fundamentals/index.html#gb-use-insulin-resistance"}},
		{{Title: "A", URL: "../a/"}, {Title: "B & <C> \"quoted\" 'single' C++", URL: "../b/#gb-use-β-cell"}},
		{{Title: "nul\x00byte, bad \xff utf8", URL: "../x y/(paren)'q'?a=1&b=2#frag%20"}},
		{{Title: "js", URL: "javascript:alert(1)"}, {Title: "mail", URL: "MAILTO:a@b.c"}, {Title: "web", URL: "https://example.org/a+b"}},
		{{Title: "rel", URL: "a/b:c"}, {Title: "data", URL: "data:text/html,x"}},
	} {
		if got, want := string(ls.HTML()), viaTemplate(t, ls); got != want {
			t.Errorf("Links.HTML() =\n%s\nhtml/template:\n%s", got, want)
		}
	}
}

func FuzzLinksHTML(f *testing.F) {
	f.Add("B & <C> C++", "../b/#gb-use-β-cell")
	f.Add("x", "javascript:x")
	f.Fuzz(func(t *testing.T, title, url string) {
		ls := Links{{Title: title, URL: url}, {Title: url, URL: title}}
		if got, want := string(ls.HTML()), viaTemplate(t, ls); got != want {
			t.Errorf("Links.HTML() =\n%q\nhtml/template:\n%q", got, want)
		}
	})
}
