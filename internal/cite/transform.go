package cite

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"guidebook/internal/bib"
	"guidebook/internal/diag"
)

// TransformerPriority is the cite transformer's priority. goldmark runs AST
// transformers in ascending order, so extensions that insert Citation nodes
// (widgets citing their sources) must use a smaller number for their
// citations to be numbered. It is above the footnote transformer (999) so
// the references close the chapter, after any footnotes.
const TransformerPriority = 10000

var (
	citedKey  = parser.NewContextKey()
	nociteKey = parser.NewContextKey()
)

// Nocite is a key a chapter's front matter lists (bib.Nocite).
type Nocite = bib.Nocite

// WithNocite sets, for one document, the keys its front matter lists under
// `citations:`. It joins Extender.Nocite: one goldmark instance serves every
// chapter, so per-chapter data rides in the parser context.
func WithNocite(pc parser.Context, keys []Nocite) {
	pc.Set(nociteKey, append([]Nocite(nil), keys...))
}

// Cited returns, after parsing, the document's bibliography in number
// order: every cited entry, then the front-matter ones. The references page
// and back-links read it instead of walking the tree again.
func Cited(pc parser.Context) []*Entry {
	entries, _ := pc.Get(citedKey).([]*Entry)
	return entries
}

type transformer struct {
	bib    *Bibliography
	nocite []string
}

// Transform resolves every citation in document order, so numbers follow
// the reader's first encounter, and appends the chapter bibliography.
func (t *transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := diag.SourceOf(pc)
	var cites []*Citation
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if c, ok := n.(*Citation); ok && entering {
			cites = append(cites, c)
		}
		return ast.WalkContinue, nil
	})

	numbers := map[string]int{}
	var cited []*Entry
	add := func(e *Entry) int {
		n, seen := numbers[e.Key]
		if !seen {
			cited = append(cited, e)
			n = len(cited)
			numbers[e.Key] = n
		}
		return n
	}
	for i, c := range cites {
		c.Index = i + 1
		for j := range c.Items {
			it := &c.Items[j]
			e, ok := t.bib.Lookup(it.Key)
			if !ok {
				off := it.Offset
				if off == 0 {
					off = c.Offset
				}
				src.Addf(off, "unknown citation key %q", it.Key)
				it.Entry, it.Number = nil, 0
				continue
			}
			it.Entry, it.Number = e, add(e)
		}
	}
	perDoc, _ := pc.Get(nociteKey).([]Nocite)
	var all []Nocite
	for _, k := range t.nocite {
		all = append(all, Nocite{Key: k})
	}
	for _, n := range append(all, perDoc...) {
		key := strings.TrimPrefix(strings.TrimSpace(n.Key), "@")
		if key == "*" {
			for _, e := range t.bib.Entries() {
				add(e)
			}
			continue
		}
		e, ok := t.bib.Lookup(key)
		if !ok {
			if n.Pos.Line > 0 {
				src.List.Add(diag.Errorf(n.Pos, "unknown citation key %q in front matter citations", key))
			} else {
				src.Addf(0, "unknown citation key %q in front matter citations", key)
			}
			continue
		}
		add(e)
	}
	pc.Set(citedKey, cited)
	if len(cited) > 0 {
		doc.AppendChild(doc, &ReferenceList{Entries: cited, First: firstUses(cites)})
	}
}
