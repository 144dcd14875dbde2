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

// BenchmarkAutomata sets the matcher's NFA against its DFA: the time to
// build each for benchGlossary's 200 terms, and to search 1 MB with it
// (dfaAfter is where the DFA's quicker search repays its build).
func BenchmarkAutomata(b *testing.B) {
	g, names := benchGlossary(b)
	src := foldString(string(benchText(1<<20, names)))
	for _, dfa := range []bool{false, true} {
		kind := map[bool]string{false: "nfa", true: "dfa"}[dfa]
		b.Run(kind+"/build", func(b *testing.B) {
			for b.Loop() {
				g.m.build(dfa)
			}
		})
		b.Run(kind+"/search-1MB", func(b *testing.B) {
			ac := g.m.build(dfa)
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				it := ac.IterOverlappingByte([]byte(src))
				for mt := it.Next(); mt != nil; mt = it.Next() {
				}
			}
		})
	}
}
