package widgets

import (
	"html/template"
	"reflect"
	"strings"
	"testing"

	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"guidebook/internal/cite"
)

func TestPriorityBeforeCite(t *testing.T) {
	if TransformerPriority >= cite.TransformerPriority {
		t.Fatalf("widgets transformer (%d) must run before cite's (%d)", TransformerPriority, cite.TransformerPriority)
	}
}

func TestUsed(t *testing.T) {
	md := newMarkdown(NewRegistry(testTemplates(t)), testBibliography(t))
	_, errs, pc := convert(t, md, "```widget card\ntitle: a\n```\n\n```widget homa-ir\n```\n\n```widget card\ntitle: b\n```\n\n```widget nosuch\n```\n")
	if got, want := Used(pc), []string{"card", "calculator", "homa-ir"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Used = %v, want %v", got, want)
	}
	if !strings.Contains(errs, `unknown widget "nosuch"`) {
		t.Errorf("errors: %s", errs)
	}
	if got := Used(parser.NewContext()); got != nil {
		t.Errorf("Used of an unparsed context = %v", got)
	}
}

func TestNodeFields(t *testing.T) {
	md := newMarkdown(NewRegistry(testTemplates(t)), testBibliography(t))
	src := []byte("Intro\n\n```widget homa-ir\nhoma-b: true\n```\n")
	doc := md.Parser().Parse(text.NewReader(src))
	n, ok := doc.FirstChild().NextSibling().(*Node)
	if !ok {
		t.Fatalf("second child is %T", doc.FirstChild().NextSibling())
	}
	o, ok := n.Options.(*HOMAOptions)
	if !ok || !o.HOMAB || len(o.Bands) != 4 || !reflect.DeepEqual(o.Cite, []string{DefaultHOMACite}) {
		t.Errorf("options %+v", n.Options)
	}
	if n.Name != "homa-ir" || n.ID != "gb-homa-ir-1" || n.Link != "homa-ir-1" || string(src[n.Offset:n.Offset+7]) != "homa-ir" {
		t.Errorf("node %+v", n)
	}
	c, ok := n.FirstChild().(*cite.Citation)
	if !ok || c.Items[0].Key != DefaultHOMACite || c.Items[0].Number != 1 {
		t.Errorf("citation child %#v", n.FirstChild())
	}
	n.Dump(src, 0) // must not panic
}

func TestNoTemplates(t *testing.T) {
	for _, ext := range []*Extender{{}, {Registry: NewRegistry(nil)}} {
		md := newMarkdown(ext.Registry, testBibliography(t))
		if ext.Registry == nil {
			md = newMarkdownWith(ext, testBibliography(t))
		}
		html, errs, _ := convert(t, md, "```widget homa-ir\n```\n\n```widget card\n```\n")
		want := "chapter.md:1:11: widget \"homa-ir\" has no template widgets/homa-ir.html\nchapter.md:4:11: unknown widget \"card\"\n"
		if errs != want {
			t.Errorf("errors\n%s want\n%s", errs, want)
		}
		if strings.Count(html, "<pre>") != 2 {
			t.Errorf("blocks should stay code: %s", html)
		}
	}
}

func TestRegistryNames(t *testing.T) {
	set := testTemplates(t)
	template.Must(set.New("chapter.html").Parse("x"))
	if got, want := NewRegistry(set).Names(), []string{"calculator", "card", "homa-ir"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Names = %v, want %v", got, want)
	}
	if got := (*Registry)(nil).Names(); !reflect.DeepEqual(got, []string{"calculator", "homa-ir"}) {
		t.Errorf("nil registry Names = %v", got)
	}
}

func TestTemplateErrorIsReturned(t *testing.T) {
	set := template.Must(template.New("").Option("missingkey=error").New("widgets/broken.html").Parse(`{{.Options.missing}}`))
	md := newMarkdown(NewRegistry(set), nil)
	src := []byte("```widget broken\na: 1\n```\n")
	doc := md.Parser().Parse(text.NewReader(src))
	var b strings.Builder
	err := md.Renderer().Render(&b, src, doc)
	if err == nil || !strings.Contains(err.Error(), `widget "broken"`) || strings.Contains(b.String(), "<figure") {
		t.Errorf("err %v, output %q", err, b.String())
	}
}
