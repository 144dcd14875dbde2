package widgets

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	meta "github.com/yuin/goldmark-meta"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"guidebook/internal/cite"
	"guidebook/internal/diag"
)

// With Extender.EPUB the calculator renders its script-free form only, as
// well-formed XHTML, its sources as EPUB noterefs, and (when the page's
// published URL is known) a link to the live calculator.
func TestEPUBScriptFreeForm(t *testing.T) {
	bib := testBibliography(t)
	src := []byte("```widget homa-ir\ncite: [" + bib.Entries()[0].Key + "]\n```\n")
	epubForm(t, bib, src, "gb-homa-ir-1", "gb-homa-online", []string{`class="gb-homa-formula"`, `class="gb-homa-bands"`, `epub:type="noteref"`})
}

// A calculator declared in YAML has the same script-free EPUB form.
func TestEPUBCalculatorForm(t *testing.T) {
	bib := testBibliography(t)
	src := []byte("```widget calculator\ncaption: Ratio\ncite: [" + bib.Entries()[0].Key + "]\ninputs:\n" +
		"  - {id: a, label: A, units: [{id: u, label: u, factor: 1}], range: {min: 1, max: 10}}\n" +
		"  - {id: b, label: B, units: [{id: u, label: u, factor: 1}], range: {min: 1, max: 10}}\n" +
		"outputs:\n  - {id: r, label: Ratio, formula: a / b, decimals: 2}\nexample: {a: 3, b: 4}\n```\n")
	epubForm(t, bib, src, "gb-calculator-1", "gb-calc-online", []string{"0.75", `epub:type="noteref"`})
}

// epubForm renders src (one widget) for an EPUB, without and with the
// page's published URL, and checks it is well-formed XHTML with no form,
// holds each of present, and links to the live widget (element id, in an
// element of class onlineClass) exactly when the URL is known.
func epubForm(t *testing.T, bib *cite.Bibliography, src []byte, id, onlineClass string, present []string) {
	t.Helper()
	md := goldmark.New(goldmark.WithExtensions(meta.Meta,
		&Extender{Registry: NewRegistry(testTemplates(t)), EPUB: true},
		&cite.Extender{Bibliography: bib, Notes: true}))
	for _, page := range []string{"", "https://example.org/guide/intermediate/"} {
		pc := parser.NewContext()
		list := &diag.List{}
		diag.WithSource(pc, &diag.Source{File: "chapter.md", Src: src, List: list})
		if page != "" {
			WithPage(pc, page)
		}
		doc := md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
		var out bytes.Buffer
		if err := md.Renderer().Render(&out, src, doc); err != nil || list.Len() > 0 {
			t.Fatalf("render: %v %v", err, list.Err())
		}
		html := out.String()
		d := xml.NewDecoder(strings.NewReader(`<body xmlns:epub="http://www.idpf.org/2007/ops">` + html + `</body>`))
		d.Strict = true
		for {
			_, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("not well-formed XML: %v\n%s", err, html)
			}
		}
		for _, absent := range []string{"<form", "<input", "<select"} {
			if strings.Contains(html, absent) {
				t.Errorf("page %q: the EPUB rendering has %s", page, absent)
			}
		}
		for _, want := range present {
			if !strings.Contains(html, want) {
				t.Errorf("page %q: no %s", page, want)
			}
		}
		online := `<a href="` + page + `#` + id + `">`
		if got := strings.Contains(html, onlineClass); got != (page != "") || (page != "" && !strings.Contains(html, online)) {
			t.Errorf("page %q: link to the live calculator %v, want %s", page, got, online)
		}
	}
}
