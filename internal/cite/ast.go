package cite

import (
	"fmt"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// Item is one cited work within a citation: "see @volpe2013, pp. 378–383"
// has Prefix "see", Key "volpe2013" and Locator "pp. 378–383". Entry and
// Number are filled in by the transformer; Number is 1-based, per
// document, in first-citation order (0 for an unknown key).
type Item struct {
	Key, Prefix, Locator string
	Entry                *Entry
	Number               int

	// Offset is the byte offset of the key's '@' in the source, so an
	// unknown key is reported exactly. Items built by other extensions
	// leave it 0 and are reported at the Citation's Offset.
	Offset int
}

// KindCitation is the node kind of Citation.
var KindCitation = ast.NewNodeKind("Citation")

// Citation is a bracketed citation of one or more works. It has no
// children: its text is generated from the bibliography, so other
// extensions (the glossary) never see it as prose.
type Citation struct {
	ast.BaseInline
	Items []Item
	// Index is the 1-based order of this citation in the document, which
	// makes its tooltip ids unique in the page.
	Index int
	// Offset is the byte offset of the opening '[' in the source.
	Offset int
}

// NewCitation returns a Citation for other extensions (a widget that cites
// its sources) to insert into the AST before the cite transformer runs
// (see TransformerPriority); that transformer then resolves and numbers it
// like any other.
func NewCitation(items []Item, offset int) *Citation {
	return &Citation{Items: items, Offset: offset}
}

// Kind implements ast.Node.
func (c *Citation) Kind() ast.NodeKind { return KindCitation }

// Dump implements ast.Node.
func (c *Citation) Dump(source []byte, level int) {
	var keys []string
	for _, it := range c.Items {
		s := "@" + it.Key
		if it.Prefix != "" {
			s = it.Prefix + " " + s
		}
		if it.Locator != "" {
			s += ", " + it.Locator
		}
		if it.Number > 0 {
			s += fmt.Sprintf(" (#%d)", it.Number)
		}
		keys = append(keys, s)
	}
	ast.DumpHelper(c, source, level, map[string]string{
		"Items": strings.Join(keys, "; "),
		"Index": fmt.Sprint(c.Index),
	}, nil)
}

// KindReferenceList is the node kind of ReferenceList.
var KindReferenceList = ast.NewNodeKind("ReferenceList")

// ReferenceList is the chapter bibliography the transformer appends to the
// document: the cited entries in number order.
type ReferenceList struct {
	ast.BaseBlock
	Entries []*Entry
	// First maps each cited key to the id of its first citation, where
	// the footnote of a chapter rendered with Extender.Notes links back.
	First map[string]string
}

// Kind implements ast.Node.
func (r *ReferenceList) Kind() ast.NodeKind { return KindReferenceList }

// Dump implements ast.Node.
func (r *ReferenceList) Dump(source []byte, level int) {
	var keys []string
	for _, e := range r.Entries {
		keys = append(keys, e.Key)
	}
	ast.DumpHelper(r, source, level, map[string]string{"Entries": strings.Join(keys, ", ")}, nil)
}
