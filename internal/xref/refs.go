package xref

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Ref is one link found in a document.
type Ref struct {
	Node   ast.Node // *ast.Link, *ast.Image or *Wikilink
	Dest   string   // as written; for wikilinks "target#fragment"
	Offset int      // byte offset in the source, for file:line
}

// Doc is what the recorder keeps of a parsed document: its links and the
// ids its headings received.
type Doc struct {
	Refs     []*Ref
	Headings []Heading
}

// Heading is a heading's id, level and plain text, for tables of contents
// and the search index.
type Heading struct {
	ID    string
	Level int
	Text  string
	Node  *ast.Heading
	// Explicit is set when the author wrote the id ({#id}); otherwise it
	// comes from the text, and changes when the text does.
	Explicit bool
	Offset   int // byte offset of the heading's text in the source
}

var docKey = parser.NewContextKey()

// DocOf returns what the recorder found in the document parsed with pc.
func DocOf(pc parser.Context) *Doc {
	if d, ok := pc.Get(docKey).(*Doc); ok {
		return d
	}
	return &Doc{}
}

type recorder struct{}

func (recorder) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	d := &Doc{}
	ids, _ := pc.IDs().(*IDs)
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			id, _ := n.AttributeString("id")
			idb, _ := id.([]byte)
			h := Heading{ID: string(idb), Level: n.Level, Text: PlainText(n, src), Node: n, Offset: offsetOf(n, src)}
			h.Explicit = ids != nil && ids.explicit[h.ID]
			d.Headings = append(d.Headings, h)
		case *ast.Link:
			d.Refs = append(d.Refs, &Ref{Node: n, Dest: string(n.Destination), Offset: offsetOf(n, src)})
		case *ast.Image:
			d.Refs = append(d.Refs, &Ref{Node: n, Dest: string(n.Destination), Offset: offsetOf(n, src)})
		case *Wikilink:
			dest := n.Target
			if n.Fragment != "" {
				dest += "#" + n.Fragment
			}
			d.Refs = append(d.Refs, &Ref{Node: n, Dest: dest, Offset: n.Offset})
		}
		return ast.WalkContinue, nil
	})
	pc.Set(docKey, d)
}

// offsetOf finds a source offset for an inline node that has no segment of
// its own: the first text inside it, else the enclosing block's first line.
// goldmark does not keep the offset of a link's destination, so messages
// point at the link text, which is on the same line in practice.
func offsetOf(n ast.Node, src []byte) int {
	off := -1
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			off = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if off >= 0 {
		return off
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return p.Lines().At(0).Start
		}
	}
	return 0
}

// PlainText returns the text of n's inline content, the way a reader sees
// it (no markup).
func PlainText(n ast.Node, src []byte) string { return string(AppendPlainText(nil, n, src)) }

// AppendPlainText appends n's plain text to dst: the search index gathers
// a whole book's text this way without a string per block.
func AppendPlainText(dst []byte, n ast.Node, src []byte) []byte {
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			dst = append(dst, c.Segment.Value(src)...)
			if c.SoftLineBreak() || c.HardLineBreak() {
				dst = append(dst, ' ')
			}
		case *ast.String:
			dst = append(dst, c.Value...)
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return dst
}
