package xref

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"guidebook/internal/diag"
	"guidebook/internal/paths"
)

// ReservedPrefix starts every id guidebook writes into a page itself (page
// furniture, references, glossary marks, tooltips): a heading id never
// starts with it, so no author can take one of them, today's or a future
// one's.
const ReservedPrefix = "gb-"

// The footnote extension's ids ("fn:1", "fnref:1") and its list.
var (
	reservedPrefixes = []string{ReservedPrefix, "fn:", "fnref:"}
	reservedIDs      = map[string]bool{"footnotes": true}
)

// Reserved reports whether a heading may not have id: guidebook or one of
// its extensions uses it on the page.
func Reserved(id string) bool {
	if reservedIDs[id] {
		return true
	}
	for _, p := range reservedPrefixes {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

// IDs generates unique heading ids within one document; it implements
// goldmark's parser.IDs. Generated ids are never reserved and never repeat
// an earlier heading's; explicit {#id}s are checked by the Extender's
// idChecker, which knows their position.
type IDs struct {
	used map[string]bool
	// next is the first suffix worth trying for a base: without it, n
	// headings of the same text cost n² lookups.
	next map[string]int
	// explicit are the ids written as {#id}: author lint warns when a
	// link from elsewhere targets an id that is not.
	explicit map[string]bool
}

// NewIDs returns an empty id set.
func NewIDs() *IDs {
	return &IDs{used: map[string]bool{}, next: map[string]int{}, explicit: map[string]bool{}}
}

// Generate implements parser.IDs.
func (s *IDs) Generate(value []byte, kind ast.NodeKind) []byte {
	base := paths.Slug(string(value))
	if base == "" {
		base = "section"
	} else if Reserved(base) {
		base = "section-" + base
	}
	id := base
	if s.used[id] {
		i := max(s.next[base], 1)
		for s.used[base+"-"+strconv.Itoa(i)] {
			i++
		}
		id = base + "-" + strconv.Itoa(i)
		s.next[base] = i + 1
	}
	s.used[id] = true
	return []byte(id)
}

// Put implements parser.IDs: an explicit {#id} is taken as given.
func (s *IDs) Put(value []byte) {
	s.used[string(value)] = true
	s.explicit[string(value)] = true
}

// idChecker reports explicit heading ids that are reserved, repeat an
// earlier heading's id or are no valid HTML id. Generated ids never do, so
// every problem it finds is at an explicit {#id}.
type idChecker struct{}

func (idChecker) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	seen := map[string]bool{}
	for n := doc.FirstChild(); n != nil; n = next(doc, n) {
		h, ok := n.(*ast.Heading)
		if !ok {
			continue
		}
		v, _ := h.AttributeString("id")
		id, _ := v.([]byte)
		if id == nil {
			continue
		}
		switch s := string(id); {
		case s == "" || bytes.ContainsFunc(id, unicode.IsSpace):
			diag.SourceOf(pc).Addf(attrOffset(h, src), "heading id %q is not a valid id: it must be non-empty and have no spaces", s)
		case Reserved(s):
			diag.SourceOf(pc).Addf(attrOffset(h, src), "heading id %q is reserved: guidebook uses ids starting with %q (and footnotes' fn:/fnref:) on every page", s, ReservedPrefix)
		case seen[s]:
			diag.SourceOf(pc).Addf(attrOffset(h, src), "heading id %q is used by an earlier heading in this chapter", s)
		}
		seen[string(id)] = true
	}
}

// next walks the tree in document order without recursion, so a deeply
// nested document costs no stack.
func next(root, n ast.Node) ast.Node {
	if c := n.FirstChild(); c != nil {
		return c
	}
	for ; n != root; n = n.Parent() {
		if s := n.NextSibling(); s != nil {
			return s
		}
	}
	return nil
}

// attrOffset points at the heading's attribute block, which goldmark keeps
// outside the heading's text on the same line, else at the text.
func attrOffset(h *ast.Heading, src []byte) int {
	lines := h.Lines()
	if lines.Len() == 0 {
		return h.Pos()
	}
	last := lines.At(lines.Len() - 1)
	eol := bytes.IndexByte(src[last.Start:], '\n')
	if eol < 0 {
		eol = len(src) - last.Start
	}
	if i := bytes.LastIndexByte(src[last.Start:last.Start+eol], '{'); i >= 0 {
		return last.Start + i
	}
	return last.Start
}
