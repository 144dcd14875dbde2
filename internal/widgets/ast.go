package widgets

import (
	"fmt"

	"github.com/yuin/goldmark/ast"
)

// KindWidget is the node kind of Node.
var KindWidget = ast.NewNodeKind("Widget")

// Node is a widget block. The transformer builds it from a fenced code
// block whose info string is "widget NAME". Its only children are the
// citations its options name (cite.Citation nodes), placed in the tree so
// the cite transformer numbers them where the widget stands.
type Node struct {
	ast.BaseBlock
	Name string
	// Options is the decoded options: a built-in widget's typed struct
	// (*HOMAOptions, *calc.Spec) or, for a site widget, map[string]any.
	Options any
	// Offset is the byte offset of the widget's name in the source.
	Offset int
	// ID is unique in the page ("gb-homa-ir-1"): xref.ReservedPrefix and
	// Link. Under the reserved prefix no heading can take it, nor any of
	// the ids the template derives from it ("gb-homa-ir-1-g").
	ID string
	// Link is the name a shared link uses ("#homa-ir-1:g=90,..."): NAME-N,
	// counting each name's widgets in document order. It is the id
	// widgets had before they were reserved, so links shared then still
	// open the calculator; "homa-ir-1:g=..." is no element's id, so it
	// cannot mean a heading that happens to be called homa-ir-1.
	Link string
	// CiteGroups names each citation child: "" for the widget's own
	// sources, "OUTPUT/N" for a calculator's Nth band of OUTPUT.
	CiteGroups []string
	// Page is the URL of the chapter's page on the published site, or ""
	// (see WithPage).
	Page string
}

// NewNode returns a widget node.
func NewNode(name string, options any, offset int) *Node {
	return &Node{Name: name, Options: options, Offset: offset}
}

// Kind implements ast.Node.
func (n *Node) Kind() ast.NodeKind { return KindWidget }

// Dump implements ast.Node.
func (n *Node) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{
		"Name":    n.Name,
		"ID":      n.ID,
		"Link":    n.Link,
		"Options": fmt.Sprintf("%+v", n.Options),
	}, nil)
}
