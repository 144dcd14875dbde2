package widgets

import (
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	meta "github.com/yuin/goldmark-meta"
	"github.com/yuin/goldmark/parser"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"guidebook/internal/cite"
	"guidebook/internal/xref"
)

// pageIDs lists the id attributes of an HTML fragment in order, and
// those inside a <figure> (a widget) apart.
func pageIDs(t *testing.T, fragment string) (all, inFigures []string) {
	t.Helper()
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), body)
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *html.Node, fig bool)
	walk = func(n *html.Node, fig bool) {
		fig = fig || n.Type == html.ElementNode && n.Data == "figure"
		for _, a := range n.Attr {
			if a.Key == "id" {
				all = append(all, a.Val)
				if fig {
					inFigures = append(inFigures, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, fig)
		}
	}
	for _, n := range nodes {
		walk(n, false)
	}
	return all, inFigures
}

// Two headings "HOMA IR" get the ids homa-ir and homa-ir-1; a widget's
// ids (and its parts', homa-ir-1-g) must never be one of a heading's, so
// a link to either lands where it should.
func TestWidgetIDsNeverClashWithHeadings(t *testing.T) {
	md := goldmark.New(
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithExtensions(meta.Meta, &Extender{Registry: NewRegistry(testTemplates(t))}, &cite.Extender{Bibliography: testBibliography(t)}),
	)
	page := "# HOMA IR\n\n## HOMA IR\n\n## HOMA IR 1 g\n\n```widget homa-ir\n```\n\n```widget calculator\n" + calcSpecFile(t, "quicki") + "```\n\n# Calculator 1\n\n## Calculator 1 in glucose\n"
	out, errs, _ := convert(t, md, page)
	if errs != "" {
		t.Fatal(errs)
	}
	all, widgetIDs := pageIDs(t, out)
	seen := map[string]bool{}
	for _, id := range all {
		if seen[id] {
			t.Errorf("id %q appears twice in the page", id)
		}
		seen[id] = true
	}
	for _, id := range []string{"homa-ir", "homa-ir-1", "homa-ir-1-g", "calculator-1", "calculator-1-in-glucose"} {
		if !seen[id] {
			t.Errorf("heading id %q missing: %v", id, seen)
		}
	}
	// A widget's ids are reserved ones, which no heading can take.
	if len(widgetIDs) < 10 {
		t.Fatalf("widget ids %v", widgetIDs)
	}
	for _, id := range widgetIDs {
		if !xref.Reserved(id) {
			t.Errorf("widget id %q is not reserved: a heading can take it", id)
		}
	}
}
