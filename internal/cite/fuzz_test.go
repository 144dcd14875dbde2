package cite

import (
	"errors"
	"os"
	"strings"
	"testing"

	bibpkg "guidebook/internal/bib"
	"guidebook/internal/bibfile"
	"guidebook/internal/diag"
	"guidebook/internal/testing/htmltest"
)

// The fuzz targets are best run with a count, not a duration:
//
//	go test -run XXX -fuzz FuzzCitation -fuzztime 200000x ./internal/cite
//
// A duration-based -fuzztime can end in a spurious "context deadline
// exceeded" on Go 1.26 (golang/go#75804), with no crasher written.

func FuzzParseBibTeX(f *testing.F) {
	for _, file := range []string{"../bibfile/testdata/guide.bib", "../bibfile/testdata/extra.bib"} {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`@article{a, title = {x}`))
	f.Add([]byte(`@string{s = "a" # {b}} @misc{k, title = s # "c", author = {{\"O}rg} and von Last, Jr, First}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := bibfile.Parse("fuzz.bib", data)
		if err != nil {
			var list *diag.List
			if !errors.As(err, &list) {
				t.Fatalf("error is %T, want *diag.List: %v", err, err)
			}
			for _, e := range list.Errors() {
				if e.Pos.File != "fuzz.bib" || e.Pos.Line < 1 || e.Pos.Col < 1 {
					t.Fatalf("problem without a position: %v", e)
				}
			}
		}
		b, _ := bibpkg.NewBibliography(entries)
		b.Version()
		for _, e := range b.Entries() {
			htmltest.CheckWellFormed(t, string(e.HTML()))
			_ = e.Text()
			_ = e.Label()
			_ = RefID(e.Key)
		}
	})
}

func FuzzCitation(f *testing.F) {
	for _, s := range []string{
		"[@lan2015]",
		"Text [@lan2015; @guo2021] and [see @volpe2013, pp. 378–383].",
		"[@costello2016, p. 700] [link](http://x) [x]\n\n[x]: /y",
		"[see [@lan2015]](http://x)",
		"[@evil<script>] [@doe:2019/a]",
		"* [@a\n  b; @c]",
		"> [@nih2021,\n> p. 3]",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	bib := testBibliography(f)
	f.Fuzz(func(t *testing.T, markdown string, authorYear bool) {
		style := Numbered
		if authorYear {
			style = AuthorYear
		}
		out, _, pc := convert(t, bib, style, []string{"nih2021"}, markdown)
		htmltest.CheckWellFormed(t, out)
		if len(Cited(pc)) == 0 {
			t.Fatal("front-matter citation missing")
		}
	})
}

// pathologicalBib and pathologicalMarkdown are large inputs that a
// quadratic scan would choke on; a linear parser handles each in
// milliseconds.
func pathologicalBib(n int) map[string]string {
	return map[string]string{
		"mid-line @":       strings.Repeat("@a ", n),
		"blanks before @":  strings.Repeat(" ", n) + strings.Repeat(" @a", n),
		"unclosed entries": strings.Repeat("@a{k,\n", n),
		"deep braces":      "@a{k, t = " + strings.Repeat("{", n) + strings.Repeat("}", n) + "}",
		"many macros":      "@a{k, t = " + strings.Repeat("jan # ", n) + "jan}",
	}
}

func pathologicalMarkdown(n int) map[string]string {
	return map[string]string{
		"open brackets":      strings.Repeat("[@lan2015 ", n),
		"open, one per line": strings.Repeat("[@lan2015\n", n),
		"closed citations":   strings.Repeat("[@lan2015] ", n/10),
		"brackets no keys":   strings.Repeat("[a ", n) + strings.Repeat("] ", n),
	}
}

// TestPathologicalInputs checks these inputs are handled, without a clock:
// a wall-time bound fails on a loaded CI machine. Their speed is measured
// by BenchmarkPathological; a quadratic regression shows there and as a
// test that suddenly takes minutes.
func TestPathologicalInputs(t *testing.T) {
	for _, src := range pathologicalBib(50000) {
		_, _ = bibfile.Parse("p.bib", []byte(src))
	}
	bib := testBibliography(t)
	for name, src := range pathologicalMarkdown(10000) {
		out, _, _ := convert(t, bib, Numbered, nil, src)
		if name == "closed citations" && !strings.Contains(out, "gb-cite") {
			t.Errorf("%s: no citation rendered", name)
		}
	}
}

func BenchmarkPathological(b *testing.B) {
	bib := testBibliography(b)
	for name, src := range pathologicalMarkdown(10000) {
		b.Run("markdown/"+name, func(b *testing.B) {
			for range b.N {
				convert(b, bib, Numbered, nil, src)
			}
		})
	}
	for name, src := range pathologicalBib(50000) {
		b.Run("bibtex/"+name, func(b *testing.B) {
			for range b.N {
				_, _ = bibfile.Parse("p.bib", []byte(src))
			}
		})
	}
}
