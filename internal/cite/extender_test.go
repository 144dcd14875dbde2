package cite

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"guidebook/internal/bib"
	"guidebook/internal/bibfile"
	"guidebook/internal/diag"
	"guidebook/internal/testing/htmltest"
)

func diagErrors(pc parser.Context) []string {
	var out []string
	for _, e := range diag.SourceOf(pc).List.Errors() {
		out = append(out, e.Error())
	}
	return out
}

// widgetTransformer stands in for the widgets extension: it inserts a
// Citation of its own before the cite transformer runs.
type widgetTransformer struct{}

func (widgetTransformer) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	para := ast.NewParagraph()
	para.AppendChild(para, NewCitation([]Item{{Key: "nih2021"}, {Key: "missing"}}, 3))
	doc.InsertBefore(doc, doc.FirstChild(), para)
}

type widgetExtension struct{}

func (widgetExtension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(widgetTransformer{}, TransformerPriority-1)))
}

func TestInsertedCitation(t *testing.T) {
	bib := testBibliography(t)
	md := goldmark.New(goldmark.WithExtensions(widgetExtension{}, &Extender{Bibliography: bib}))
	src := []byte("First line.\n\nText [@lan2015] and [@nih2021].\n")
	pc := parser.NewContext()
	diag.WithSource(pc, &diag.Source{File: "w.md", Src: src, List: &diag.List{}})
	doc := md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))

	var cites []*Citation
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if c, ok := n.(*Citation); ok && entering {
			cites = append(cites, c)
		}
		return ast.WalkContinue, nil
	})
	if len(cites) != 3 {
		t.Fatalf("%d citations", len(cites))
	}
	// The widget's citation comes first in the document, so it is cited
	// first: nih2021 is [1] everywhere.
	if w := cites[0]; w.Index != 1 || w.Items[0].Number != 1 || w.Items[1].Entry != nil {
		t.Errorf("widget citation: %+v", w)
	}
	if c := cites[2]; c.Index != 3 || c.Items[0].Number != 1 {
		t.Errorf("text citation of nih2021: %+v", c.Items)
	}
	var keys []string
	for _, e := range Cited(pc) {
		keys = append(keys, e.Key)
	}
	if got := strings.Join(keys, ","); got != "nih2021,lan2015" {
		t.Errorf("Cited = %s", got)
	}
	// The unknown key of an inserted item is reported at the citation.
	errs := diagErrors(pc)
	if len(errs) != 1 || errs[0] != `w.md:1:4: unknown citation key "missing"` {
		t.Errorf("errors %q", errs)
	}

	// WriteCitation writes what the NodeRenderer writes.
	var whole bytes.Buffer
	if err := md.Renderer().Render(&whole, src, doc); err != nil {
		t.Fatal(err)
	}
	for _, style := range []Style{Numbered, AuthorYear} {
		var one bytes.Buffer
		if err := WriteCitation(&one, cites[2], style); err != nil {
			t.Fatal(err)
		}
		if style == Numbered && !strings.Contains(whole.String(), one.String()) {
			t.Errorf("WriteCitation output %s not in rendered page %s", one.String(), whole.String())
		}
		htmltest.CheckWellFormed(t, one.String())
	}
}

func TestCitedEmpty(t *testing.T) {
	md := goldmark.New(goldmark.WithExtensions(&Extender{}))
	pc := parser.NewContext()
	var out bytes.Buffer
	if err := md.Convert([]byte("No [citations] here."), &out, parser.WithContext(pc)); err != nil {
		t.Fatal(err)
	}
	if got := Cited(pc); got != nil {
		t.Errorf("Cited = %v", got)
	}
	if strings.Contains(out.String(), "gb-bibliography") {
		t.Errorf("bibliography without citations: %s", out.String())
	}
}

func TestZeroExtenderReportsUnknown(t *testing.T) {
	md := goldmark.New(goldmark.WithExtensions(&Extender{}))
	pc := parser.NewContext()
	var out bytes.Buffer
	if err := md.Convert([]byte("A [@lan2015]."), &out, parser.WithContext(pc)); err != nil {
		t.Fatal(err)
	}
	if errs := diagErrors(pc); len(errs) != 1 {
		t.Errorf("errors %q", errs)
	}
	if want := `<p>A <span class="gb-cite-missing">[lan2015?]</span>.</p>` + "\n"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

func TestDump(t *testing.T) {
	bib := testBibliography(t)
	md := goldmark.New(goldmark.WithExtensions(&Extender{Bibliography: bib}))
	src := []byte("[see @lan2015, p. 3; @guo2021]")
	doc := md.Parser().Parse(text.NewReader(src))
	var c *Citation
	var list *ReferenceList
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *Citation:
			c = n
		case *ReferenceList:
			list = n
		}
		return ast.WalkContinue, nil
	})
	if c == nil || list == nil {
		t.Fatal("nodes missing")
	}
	if c.Kind() != KindCitation || list.Kind() != KindReferenceList {
		t.Error("kinds")
	}
	if c.Offset != 0 || c.Items[0].Offset != 5 || c.Items[1].Offset != 21 {
		t.Errorf("offsets: citation %d, items %d %d", c.Offset, c.Items[0].Offset, c.Items[1].Offset)
	}
	doc.Dump(src, 0) // must not panic
}

// TestRendererOverride checks that a renderer registered by another
// extension for our kinds is not silently shadowed: ours is at 500, so a
// more urgent (smaller) priority still wins.
func TestRendererOverride(t *testing.T) {
	md := goldmark.New(goldmark.WithExtensions(&Extender{}))
	md.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(overrideRenderer{}, 100)))
	var out bytes.Buffer
	if err := md.Convert([]byte("[@x]"), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "OVERRIDE") {
		t.Errorf("got %s", out.String())
	}
}

type overrideRenderer struct{}

func (overrideRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindCitation, func(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			w.WriteString("OVERRIDE")
		}
		return ast.WalkContinue, nil
	})
}

func TestWithNocite(t *testing.T) {
	bib := testBibliography(t)
	// One instance for every chapter, as the pipeline builds it.
	md := goldmark.New(goldmark.WithExtensions(&Extender{Bibliography: bib, Nocite: []string{"volpe2013"}}))
	for _, tc := range []struct {
		nocite []string
		want   string
	}{
		{[]string{"nih2021", "@lan2015"}, "lan2015,volpe2013,nih2021"},
		{nil, "lan2015,volpe2013"},
	} {
		pc := parser.NewContext()
		var nocite []Nocite
		for _, k := range tc.nocite {
			nocite = append(nocite, Nocite{Key: k})
		}
		WithNocite(pc, nocite)
		var out bytes.Buffer
		if err := md.Convert([]byte("A [@lan2015]."), &out, parser.WithContext(pc)); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, e := range Cited(pc) {
			keys = append(keys, e.Key)
		}
		if got := strings.Join(keys, ","); got != tc.want {
			t.Errorf("nocite %v: Cited = %s, want %s", tc.nocite, got, tc.want)
		}
	}
}

func TestRealReferencesFile(t *testing.T) {
	data, err := os.ReadFile("../../content/references.bib")
	if err != nil {
		t.Skip("content/references.bib not present:", err)
	}
	entries, err := bibfile.Parse("content/references.bib", data)
	if err != nil {
		t.Fatal(err)
	}
	b, err := bib.NewBibliography(entries)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"perezrubio2020", "awahab2017", "lan2015", "costello2016", "simentalmendia2016", "guo2021", "nih2021", "volpe2013"} {
		if _, ok := b.Lookup(key); !ok {
			t.Errorf("content/references.bib lacks %s", key)
		}
	}
}
