package glossary

import (
	"strconv"

	"github.com/yuin/goldmark/ast"
)

// KindTermRef is the node kind of a marked term use.
var KindTermRef = ast.NewNodeKind("TermRef")

// TermRef is a use of a glossary term; its children are the text shown.
type TermRef struct {
	ast.BaseInline
	Term     *Term
	Explicit bool // written as [[term:…]] rather than found in the prose

	offset int  // byte offset of the use in the source
	repeat bool // a later explicit mark of a term already marked: a bare link, no ids
}

// NewTermRef returns a node for a use of t at a byte offset of the source.
func NewTermRef(t *Term, offset int, explicit bool) *TermRef {
	return &TermRef{Term: t, Explicit: explicit, offset: offset}
}

// Kind implements ast.Node.
func (n *TermRef) Kind() ast.NodeKind { return KindTermRef }

// Dump implements ast.Node.
func (n *TermRef) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{
		"Term":     n.Term.Name,
		"Explicit": strconv.FormatBool(n.Explicit),
		"Offset":   strconv.Itoa(n.offset),
	}, nil)
}
