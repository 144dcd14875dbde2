package markup

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"

	"guidebook/internal/diag"
)

// codeSamples are fenced code blocks of the shapes a book holds: the
// common languages, no language, an unknown one, and the per-block
// attributes goldmark-highlighting reads from the info string.
var codeSamples = []string{
	"```go\nfunc QUICKI(g, i float64) float64 {\n\treturn 1 / (math.Log10(i) + math.Log10(g))\n}\n```\n",
	"```python\ndef homa_ir(g, i):\n    \"\"\"x / 405.\"\"\"\n    return g * i / 405\n```\n",
	"```yaml\nstudy:\n  arms: [treatment, placebo]\n  weeks: 12\n```\n",
	"```json\n{\"participants\": 120, \"outcomes\": [\"HbA1c\"]}\n```\n",
	"```js\nconst x = a < b && c > d ? \"<p>\" : '&amp;';\n```\n",
	"```\nplain <text> & more\n```\n",
	"```no-such-language\nkept <as> is\n```\n",
	"```go {linenos=true}\nfunc f() {}\nfunc g() {}\n```\n",
	"```go {hl_lines=[2]}\nfunc f() {}\nfunc g() {}\n```\n",
	"```go {nohl}\nfunc f() {}\n```\n",
	"```html\n<p class=\"x\">a &amp; b</p>\n```\n",
}

// upstreamHighlight is goldmark with only goldmark-highlighting
// configured as New configures it: the output markup must not change.
func upstreamHighlight() goldmark.Markdown {
	return goldmark.New(goldmark.WithExtensions(highlighting.NewHighlighting(
		highlighting.WithFormatOptions(chromahtml.WithClasses(true)),
		highlighting.WithGuessLanguage(false),
	)))
}

func renderWith(t testing.TB, md goldmark.Markdown, src string) string {
	t.Helper()
	var out bytes.Buffer
	if err := md.Convert([]byte(src), &out); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// Sharing one chroma formatter across a build must render every code
// block exactly as goldmark-highlighting's formatter-per-block did,
// attributes included.
func TestSharedFormatterMatchesUpstream(t *testing.T) {
	ours, theirs := New(Options{}), upstreamHighlight()
	for _, src := range codeSamples {
		got := renderWith(t, ours, src)
		want := renderWith(t, theirs, src)
		if got != want {
			t.Errorf("%q:\n got %s\nwant %s", src, got, want)
		}
	}
}

// One Markdown instance highlights on every worker goroutine at once
// (go test -race checks the shared formatter).
func TestSharedFormatterConcurrent(t *testing.T) {
	md, ref := New(Options{}), upstreamHighlight()
	want := make([]string, len(codeSamples))
	for i, src := range codeSamples {
		want[i] = renderWith(t, ref, src)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(codeSamples))
	for w := range 8 {
		wg.Go(func() {
			for k := range codeSamples {
				i := (k + w) % len(codeSamples)
				var out bytes.Buffer
				if err := md.Convert([]byte(codeSamples[i]), &out); err != nil || out.String() != want[i] {
					errs <- fmt.Sprintf("worker %d, sample %d: %q", w, i, out.String())
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// BenchmarkHighlightBook parses and renders 1,000 short chapters with one
// code block each and no glossary (an independent book's shape) through
// one Markdown instance, as a build does.
func BenchmarkHighlightBook(b *testing.B) {
	chapters := make([][]byte, 1000)
	for i := range chapters {
		var s strings.Builder
		fmt.Fprintf(&s, "# Chapter %d\n\nSome prose about the code below, long enough to be a paragraph.\n\n", i)
		s.WriteString(codeSamples[i%5])
		chapters[i] = []byte(s.String())
	}
	benchParseRender(b, chapters)
}

// benchParseRender parses and renders every chapter with the pipeline's
// default Markdown each iteration.
func benchParseRender(b *testing.B, chapters [][]byte) {
	md := New(Options{})
	b.ReportAllocs()
	for b.Loop() {
		var out bytes.Buffer
		for _, src := range chapters {
			out.Reset()
			p := Parse(md, &diag.Source{File: "c.md", Src: src, List: &diag.List{}}, nil)
			if err := md.Renderer().Render(&out, src, p.Doc); err != nil {
				b.Fatal(err)
			}
		}
	}
}
