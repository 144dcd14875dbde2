package cite

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	meta "github.com/yuin/goldmark-meta"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"guidebook/internal/diag"
)

var update = flag.Bool("update", false, "rewrite the html and errors sections of testdata/*.txt golden files")

// goldenCase is one case of a golden file:
//
//	=== name
//	--- options        (optional: "style: author-year", "nocite: a, b")
//	--- markdown
//	--- html
//	--- errors         (optional: expected problems, one per line)
type goldenCase struct {
	name     string
	options  map[string]string
	markdown string
	html     string
	errors   string
}

func readGolden(t *testing.T, file string) []goldenCase {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	var section *string
	var options string
	flush := func() {
		if len(cases) == 0 {
			return
		}
		c := &cases[len(cases)-1]
		c.options = map[string]string{}
		for _, line := range strings.Split(strings.TrimSpace(options), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok {
				c.options[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
		}
		options = ""
	}
	for _, line := range strings.SplitAfter(string(data), "\n") {
		trimmed := strings.TrimRight(line, "\n")
		switch {
		case strings.HasPrefix(trimmed, "=== "):
			// The blank line that separates cases belongs to none.
			if section != nil && strings.HasSuffix(*section, "\n\n") {
				*section = strings.TrimSuffix(*section, "\n")
			}
			flush()
			cases = append(cases, goldenCase{name: strings.TrimPrefix(trimmed, "=== ")})
			section = nil
			continue
		case strings.HasPrefix(trimmed, "--- ") && len(cases) > 0:
			c := &cases[len(cases)-1]
			switch strings.TrimPrefix(trimmed, "--- ") {
			case "options":
				section = &options
			case "markdown":
				section = &c.markdown
			case "html":
				section = &c.html
			case "errors":
				section = &c.errors
			default:
				t.Fatalf("%s: unknown section %q", file, trimmed)
			}
			continue
		}
		if section != nil {
			*section += line
		}
	}
	flush()
	return cases
}

func writeGolden(t *testing.T, file string, cases []goldenCase) {
	var b strings.Builder
	for i, c := range cases {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString("=== " + c.name + "\n")
		if len(c.options) > 0 {
			b.WriteString("--- options\n")
			for _, k := range []string{"style", "nocite"} {
				if v, ok := c.options[k]; ok {
					b.WriteString(k + ": " + v + "\n")
				}
			}
		}
		b.WriteString("--- markdown\n" + c.markdown)
		b.WriteString("--- html\n" + c.html)
		if c.errors != "" {
			b.WriteString("--- errors\n" + c.errors)
		}
	}
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func testBibliography(t testing.TB) *Bibliography {
	t.Helper()
	var all []Entry
	for _, f := range []string{"testdata/guide.bib", "testdata/extra.bib"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := Parse(f, data)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, entries...)
	}
	b, err := NewBibliography(all)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// convert renders markdown as the pipeline does: the whole file is the
// source, so problems carry its line and column.
func convert(t testing.TB, bib *Bibliography, style Style, nocite []string, markdown string) (string, string, parser.Context) {
	t.Helper()
	// goldmark-meta skips the front matter, as in the pipeline, so offsets
	// stay offsets into the whole file.
	md := goldmark.New(goldmark.WithExtensions(meta.Meta, &Extender{Bibliography: bib, Style: style, Nocite: nocite}))
	src := []byte(markdown)
	pc := parser.NewContext()
	list := &diag.List{}
	diag.WithSource(pc, &diag.Source{File: "input.md", Src: src, List: list})
	doc := md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	var out bytes.Buffer
	if err := md.Renderer().Render(&out, src, doc); err != nil {
		t.Fatalf("render: %v", err)
	}
	var errs strings.Builder
	for _, e := range list.Errors() {
		errs.WriteString(e.Error() + "\n")
	}
	return out.String(), errs.String(), pc
}

func TestGolden(t *testing.T) {
	bib := testBibliography(t)
	files, _ := filepath.Glob("testdata/*.txt")
	if len(files) == 0 {
		t.Fatal("no golden files")
	}
	for _, file := range files {
		cases := readGolden(t, file)
		for i := range cases {
			c := &cases[i]
			t.Run(filepath.Base(file)+"/"+c.name, func(t *testing.T) {
				style, err := ParseStyle(c.options["style"])
				if err != nil {
					t.Fatal(err)
				}
				var nocite []string
				if v := c.options["nocite"]; v != "" {
					for _, k := range strings.Split(v, ",") {
						nocite = append(nocite, strings.TrimSpace(k))
					}
				}
				html, errs, _ := convert(t, bib, style, nocite, c.markdown)
				if *update {
					c.html, c.errors = html, errs
					return
				}
				if html != c.html {
					t.Errorf("html mismatch\n--- markdown\n%s--- got\n%s--- want\n%s", c.markdown, html, c.html)
				}
				if errs != c.errors {
					t.Errorf("errors mismatch\n--- got\n%s--- want\n%s", errs, c.errors)
				}
				checkWellFormed(t, html)
			})
		}
		if *update {
			writeGolden(t, file, cases)
		}
	}
}
