package glossary

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// benchGlossary has 200 terms of one to three words; only the even ones
// occur in benchText, so the scan runs to the end of every document.
func benchGlossary(tb testing.TB) (*Glossary, []string) {
	r := rand.New(rand.NewPCG(1, 2))
	var terms []Term
	var names []string
	for i := range 200 {
		words := make([]string, 1+r.IntN(3))
		for j := range words {
			words[j] = fmt.Sprintf("term%dw%d", i, j)
		}
		name := strings.Join(words, " ")
		terms = append(terms, Term{Name: name, Aliases: []string{fmt.Sprintf("alias%d", i)}, Definition: "Definition of " + name})
		if i%2 == 0 {
			names = append(names, name)
		}
	}
	g, err := New(terms)
	if err != nil {
		tb.Fatal(err)
	}
	return g, names
}

// benchText is size bytes of paragraphs of filler words with a term every
// so often, in a varying case and sometimes plural.
func benchText(size int, names []string) []byte {
	r := rand.New(rand.NewPCG(3, 4))
	filler := strings.Fields("the cell insulin muscle glucose fasting liver uptake signal after meal exercise sleep fat and of in to")
	var sb strings.Builder
	for sb.Len() < size {
		for range 8 {
			for range 12 {
				sb.WriteString(filler[r.IntN(len(filler))])
				sb.WriteByte(' ')
			}
			n := names[r.IntN(len(names))]
			if r.IntN(2) == 0 {
				n = strings.ToUpper(n[:1]) + n[1:] + "s"
			}
			sb.WriteString(n)
			sb.WriteString(".\n")
		}
		sb.WriteString("\n")
	}
	return []byte(sb.String())
}

// BenchmarkMark parses and renders documents of growing size: MB/s stays
// flat (linear time) and close to goldmark alone ("plain").
func BenchmarkMark(b *testing.B) {
	g, names := benchGlossary(b)
	for _, size := range []int{256 << 10, 512 << 10, 1 << 20} {
		src := benchText(size, names)
		for _, c := range []struct {
			name string
			ext  *Extender
		}{{"plain", nil}, {"glossary", &Extender{Glossary: g}}} {
			b.Run(fmt.Sprintf("%s/%dKB", c.name, size>>10), func(b *testing.B) {
				ext := c.ext
				if ext == nil {
					ext = &Extender{Glossary: mustNew(b, nil)}
				}
				md := newMarkdownWith(ext)
				b.SetBytes(int64(len(src)))
				for b.Loop() {
					convert(b, md, src)
				}
			})
		}
	}
}

// BenchmarkFind is the matcher alone on 1 MB of text, every term
// occurrence reported: the automaton cost without goldmark.
func BenchmarkFind(b *testing.B) {
	g, names := benchGlossary(b)
	for _, size := range []int{256 << 10, 1 << 20} {
		src := benchText(size, names)
		b.Run(fmt.Sprintf("%dKB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			var scratch []byte
			for b.Loop() {
				_, scratch = g.m.find(src, scratch)
			}
		})
	}
}

func mustNew(b *testing.B, terms []Term) *Glossary {
	g, err := New(terms)
	if err != nil {
		b.Fatal(err)
	}
	return g
}

// BenchmarkChapters marks 200 chapter-sized documents of 4 KB, each
// with its own first uses: the shape of a book, where a term is rendered
// once per chapter that uses it rather than once per large document.
func BenchmarkChapters(b *testing.B) {
	g, names := benchGlossary(b)
	md := newMarkdownWith(&Extender{Glossary: g, Href: func(t *Term) string { return "../glossary/#" + t.ID }})
	var docs [][]byte
	for i := range 200 {
		docs = append(docs, benchText(4<<10, names[i%50:i%50+20]))
	}
	for b.Loop() {
		for _, d := range docs {
			convert(b, md, d)
		}
	}
}

// BenchmarkAutomatonBuild is the term automaton's build for
// benchGlossary's 200 terms: a build that parses one edited chapter pays
// it once (the matcher builds it on the first search).
func BenchmarkAutomatonBuild(b *testing.B) {
	g, _ := benchGlossary(b)
	for b.Loop() {
		m := &matcher{byKey: g.m.byKey, terms: g.m.terms, keys: g.m.keys}
		m.build()
	}
}
