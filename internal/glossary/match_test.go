package glossary

import (
	"bytes"
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestAutomatonFindsEveryOccurrence checks the automaton library's
// overlapping search, on which find relies for every occurrence of every
// key, against a direct search of each key: random keys over a small
// alphabet (so that keys are prefixes, suffixes and infixes of each
// other, multi-byte runes included) in random texts.
func TestAutomatonFindsEveryOccurrence(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	alphabet := []string{"a", "b", "c", " ", "é", "’", "-"}
	word := func(n int) string {
		var b []byte
		for range n {
			b = append(b, alphabet[r.IntN(len(alphabet))]...)
		}
		return string(b)
	}
	for round := range 200 {
		set := map[string]bool{}
		for range 1 + r.IntN(30) {
			set[word(1+r.IntN(5))] = true
		}
		var keys []string
		for k := range set {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		m := &matcher{keys: keys}
		m.build()
		text := []byte(word(r.IntN(300)))
		var want, got [][3]int
		for i, k := range keys {
			for at := 0; ; at++ {
				j := bytes.Index(text[at:], []byte(k))
				if j < 0 {
					break
				}
				at += j
				want = append(want, [3]int{at, at + len(k), i})
			}
		}
		for _, mt := range m.ac.FindAllOverlapping(text) {
			got = append(got, [3]int{mt.Start, mt.End, mt.PatternID})
		}
		order := func(a, b [3]int) int {
			return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]), cmp.Compare(a[2], b[2]))
		}
		slices.SortFunc(want, order)
		slices.SortFunc(got, order)
		if !slices.Equal(got, want) {
			t.Fatalf("round %d, keys %q, text %q:\n got %v\nwant %v", round, keys, text, got, want)
		}
	}
}
