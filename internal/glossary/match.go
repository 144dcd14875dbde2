package glossary

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/coregx/ahocorasick"
)

// matcher finds term occurrences in text with one automaton, built on
// the first search: a build whose chapters all come from the build cache
// searches no text, and building the automaton was most of what it spent
// on the glossary.
type matcher struct {
	byKey map[string]*Term // every folded name, alias and plural
	terms []*Term          // by automaton pattern index
	keys  []string         // the automaton's patterns
	once  sync.Once
	ac    *ahocorasick.Automaton
}

// match is one occurrence, as byte offsets into the text searched.
type match struct {
	start, end int
	term       *Term
}

func newMatcher(terms []*Term, exact map[string]*Term) *matcher {
	m := &matcher{byKey: make(map[string]*Term, 4*len(exact))}
	for k, t := range exact {
		m.byKey[k] = t
	}
	// Plurals never displace a name or alias; between two terms whose
	// plurals coincide the alphabetically first wins, the same every build.
	for _, t := range terms {
		for _, form := range append([]string{t.Name}, t.Aliases...) {
			for _, p := range plurals(foldString(form)) {
				if _, ok := m.byKey[p]; !ok {
					m.byKey[p] = t
				}
			}
		}
	}
	if len(m.byKey) == 0 {
		return m
	}
	keys := make([]string, 0, len(m.byKey))
	for k := range m.byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	m.terms = make([]*Term, len(keys))
	for i, k := range keys {
		m.terms[i] = m.byKey[k]
	}
	m.keys = keys
	return m
}

func (m *matcher) build() {
	if len(m.keys) == 0 {
		return
	}
	// Every occurrence is wanted (FindAllOverlapping), so the match kind
	// only orders the automaton's own Find, which is not used. Build
	// fails only on an empty key, which New never makes (it refuses an
	// empty name or alias).
	ac, err := ahocorasick.NewBuilder().AddStrings(m.keys).Build()
	if err != nil {
		panic(fmt.Sprintf("glossary: building the term automaton: %v", err))
	}
	m.ac = ac
}

// plurals returns the simple English plurals of a folded form: +s, +es
// and y -> ies. Only forms ending in a letter get them ("GLUT4" does not).
func plurals(f string) []string {
	r, _ := utf8.DecodeLastRuneInString(f)
	if !unicode.IsLetter(r) {
		return nil
	}
	out := []string{f + "s", f + "es"}
	if strings.HasSuffix(f, "y") {
		out = append(out, f[:len(f)-1]+"ies")
	}
	return out
}

// find returns the non-overlapping, leftmost-longest occurrences of terms
// in text that sit on word boundaries and split no backslash escape or
// entity reference. scratch is reused for the folded copy of text.
func (m *matcher) find(text, scratch []byte) ([]match, []byte) {
	if len(text) == 0 {
		return nil, scratch
	}
	m.once.Do(m.build)
	if m.ac == nil {
		return nil, scratch
	}
	folded := fold(scratch[:0], text)
	var prot []bool
	// Two IndexByte scans are far faster than ContainsAny's byte loop.
	escapes := bytes.IndexByte(text, '&') >= 0 || bytes.IndexByte(text, '\\') >= 0
	var cands []match
	for _, mt := range m.ac.FindAllOverlapping(folded) {
		s, e := mt.Start, mt.End
		if !wordBounded(text, s, e) {
			continue
		}
		if escapes {
			if prot == nil {
				prot = protectedBytes(text)
			}
			if overlaps(prot, s, e) {
				continue
			}
		}
		cands = append(cands, match{s, e, m.terms[mt.PatternID]})
	}
	if len(cands) == 0 {
		return nil, folded
	}
	slices.SortFunc(cands, func(a, b match) int {
		if a.start != b.start {
			return cmp.Compare(a.start, b.start)
		}
		return cmp.Compare(b.end, a.end)
	})
	out := cands[:0]
	pos := 0
	for _, c := range cands {
		if c.start >= pos {
			out = append(out, c)
			pos = c.end
		}
	}
	return out, folded
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

// wordBounded reports whether text[s:e] is a whole word (or words). The
// test applies only at an end where the match itself has a word character,
// so a term such as "C++" still ends where it ends.
func wordBounded(text []byte, s, e int) bool {
	if first, _ := utf8.DecodeRune(text[s:]); isWord(first) && s > 0 {
		prev, n := utf8.DecodeLastRune(text[:s])
		if isWord(prev) {
			return false
		}
		if isApostrophe(prev) { // "l’AMPK": the apostrophe joins two letters
			if before, _ := utf8.DecodeLastRune(text[:s-n]); s-n > 0 && unicode.IsLetter(before) {
				return false
			}
		}
	}
	if last, _ := utf8.DecodeLastRune(text[:e]); isWord(last) && e < len(text) {
		next, n := utf8.DecodeRune(text[e:])
		if isWord(next) {
			return false
		}
		if isApostrophe(next) {
			rest := text[e+n:]
			r, rn := utf8.DecodeRune(rest)
			if len(rest) > 0 && unicode.IsLetter(r) {
				// Only the possessive "’s" lets the term end before
				// the apostrophe; "don’t" is one word.
				if r != 's' && r != 'S' {
					return false
				}
				if after, _ := utf8.DecodeRune(rest[rn:]); len(rest) > rn && isWord(after) {
					return false
				}
			}
		}
	}
	return true
}

// protectedBytes marks the bytes of backslash escapes and entity
// references: goldmark decodes them when it renders a Text segment, so a
// split through one would show "&amp;" where the author wrote "&".
func protectedBytes(text []byte) []bool {
	prot := make([]bool, len(text))
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\\':
			if i+1 < len(text) && isASCIIPunct(text[i+1]) {
				prot[i], prot[i+1] = true, true
				i++
			}
		case '&':
			if n := entityLen(text[i:]); n > 0 {
				for j := i; j < i+n; j++ {
					prot[j] = true
				}
				i += n - 1
			}
		}
	}
	return prot
}

func overlaps(prot []bool, s, e int) bool {
	for _, p := range prot[s:e] {
		if p {
			return true
		}
	}
	return false
}

func isASCIIPunct(c byte) bool {
	return c < utf8.RuneSelf && unicode.IsPunct(rune(c)) || strings.IndexByte("$+<=>^`|~", c) >= 0
}

// entityLen is the length of a character reference at the start of b
// ("&amp;", "&#38;", "&#x26;"), or 0.
func entityLen(b []byte) int {
	i := 1
	digit := func(c byte) bool { return '0' <= c && c <= '9' }
	alnum := func(c byte) bool { return digit(c) || 'a' <= c|0x20 && c|0x20 <= 'z' }
	ok := alnum
	if i < len(b) && b[i] == '#' {
		i++
		ok = digit
		if i < len(b) && b[i]|0x20 == 'x' {
			i++
			ok = func(c byte) bool { return digit(c) || 'a' <= c|0x20 && c|0x20 <= 'f' }
		}
	}
	start := i
	for i < len(b) && i-start < 32 && ok(b[i]) {
		i++
	}
	if i == start || i >= len(b) || b[i] != ';' {
		return 0
	}
	return i + 1
}
