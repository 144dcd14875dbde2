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
	md := goldmark.New(goldmark.WithExtensions(meta.Meta,
		&Extender{Registry: NewRegistry(testTemplates(t)), EPUB: true},
		&cite.Extender{Bibliography: bib, Notes: true}))
	src := []byte("```widget homa-ir\ncite: [" + bib.Entries()[0].Key + "]\n```\n")
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
		for _, present := range []string{`class="gb-homa-formula"`, `class="gb-homa-bands"`, `epub:type="noteref"`} {
			if !strings.Contains(html, present) {
				t.Errorf("page %q: no %s", page, present)
			}
		}
		online := `<a href="` + page + `#gb-homa-ir-1">`
		if got := strings.Contains(html, `gb-homa-online`); got != (page != "") || (page != "" && !strings.Contains(html, online)) {
			t.Errorf("page %q: link to the live calculator %v, want %s", page, got, online)
		}
	}
}
