package glossary

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"guidebook/internal/diag"
	"guidebook/internal/paths"
	"guidebook/internal/terms"
)

// Term is one glossary entry: the model lives in package terms, which
// content loads into without knowing of the extension.
type Term = terms.Term

// Glossary is a validated, indexed set of terms. It is immutable and safe
// for concurrent use, so one value serves every chapter of a build.
type Glossary struct {
	terms   []*Term
	m       *matcher
	version string
}

// New validates and indexes terms. Duplicate names or ids, an alias
// colliding with another term's name or alias, an empty name or definition
// and a See entry naming no term are reported together as a *diag.List,
// each at the term's Pos. The returned Glossary is usable even then (it
// leaves out the offending names and aliases) so a build can go on to
// report the chapters' problems in the same run.
func New(terms []Term) (*Glossary, error) {
	var errs diag.List
	g := &Glossary{}
	names := map[string]*Term{} // folded name -> term
	ids := map[string]*Term{}
	for i := range terms {
		t := terms[i]
		t.Name = normSpace(t.Name)
		if t.Name == "" {
			errs.Addf(t.Pos, "glossary term has no name")
			continue
		}
		if strings.TrimSpace(t.Definition) == "" {
			errs.Addf(t.Pos, "glossary term %q has no definition", t.Name)
		}
		key := foldString(t.Name)
		if prev, ok := names[key]; ok {
			errs.Addf(t.Pos, "duplicate glossary term %q (first defined at %s)", t.Name, prev.Pos)
			continue
		}
		if t.ID == "" {
			t.ID = paths.Slug(t.Name)
		}
		if t.ID == "" {
			errs.Addf(t.Pos, "glossary term %q has no letters or digits to make an id from", t.Name)
			continue
		}
		if prev, ok := ids[t.ID]; ok {
			errs.Addf(t.Pos, "glossary term %q has the same id %q as %q (defined at %s)", t.Name, t.ID, prev.Name, prev.Pos)
			continue
		}
		t.Aliases = append([]string(nil), t.Aliases...)
		t.See = append([]string(nil), t.See...)
		p := &t
		names[key], ids[t.ID] = p, p
		g.terms = append(g.terms, p)
	}
	keys := maps.Clone(names) // names, then aliases
	// Aliases second, so that a clash with a name is caught whichever term
	// comes first in the file.
	for _, t := range g.terms {
		kept := t.Aliases[:0]
		for _, a := range t.Aliases {
			a = normSpace(a)
			key := foldString(a)
			switch other, ok := keys[key]; {
			case a == "":
				errs.Addf(t.Pos, "glossary term %q has an empty alias", t.Name)
			case ok && other != t:
				errs.Addf(t.Pos, "alias %q of glossary term %q collides with term %q (defined at %s)", a, t.Name, other.Name, other.Pos)
			case ok: // repeats the term's own name or alias
			default:
				keys[key] = t
				kept = append(kept, a)
			}
		}
		t.Aliases = kept
	}
	sort.SliceStable(g.terms, func(i, j int) bool {
		a, b := strings.ToLower(g.terms[i].Name), strings.ToLower(g.terms[j].Name)
		if a != b {
			return a < b
		}
		return g.terms[i].Name < g.terms[j].Name
	})
	g.m = newMatcher(g.terms, keys)
	// See entries resolve as the glossary page will resolve them: Lookup.
	for _, t := range g.terms {
		for _, s := range t.See {
			if _, ok := g.Lookup(s); !ok {
				errs.Addf(t.Pos, "glossary term %q: see %q names no glossary term", t.Name, s)
			}
		}
	}
	g.version = version(g.terms)
	return g, errs.Err()
}

// Terms returns the terms sorted alphabetically, ignoring case.
func (g *Glossary) Terms() []*Term { return g.terms }

// Lookup finds a term by name, alias or a simple plural of either,
// ignoring case and runs of white space.
func (g *Glossary) Lookup(nameOrAlias string) (*Term, bool) {
	t, ok := g.m.byKey[foldString(normSpace(nameOrAlias))]
	return t, ok
}

// Version is a hash of everything a term contributes to a rendered page
// (not its Pos): when it changes, every chapter must be rendered again.
func (g *Glossary) Version() string { return g.version }

func version(terms []*Term) string {
	h := sha256.New()
	for _, t := range terms {
		// Length-prefixed fields, so that moving text between fields
		// changes the hash.
		fields := append([]string{t.ID, t.Name, t.Definition, fmt.Sprint(len(t.Aliases))}, t.Aliases...)
		fields = append(fields, t.See...)
		for _, f := range fields {
			fmt.Fprintf(h, "%d:%s", len(f), f)
		}
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// fold appends the lower case of s to dst, rune by rune, keeping a rune
// unchanged when its lower case would take a different number of bytes
// (Kelvin sign, dotted capital I). Byte offsets in the result are
// therefore byte offsets in s.
func fold(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if l := unicode.ToLower(r); r != utf8.RuneError && l != r && utf8.RuneLen(l) == n {
			dst = utf8.AppendRune(dst, l)
		} else {
			dst = append(dst, s[i:i+n]...)
		}
		i += n
	}
	return dst
}

func foldString(s string) string { return string(fold(nil, []byte(s))) }
