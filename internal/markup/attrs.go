package markup

import (
	"bytes"
	"fmt"
	"runtime"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// headingAttrs wraps goldmark's heading parsers to settle a heading's
// {…} attributes around the wrapped Close, which hands the id to
// parser.IDs: attributes other than id and class (style, hidden,
// tabindex, data-*) are markup the author could not write without
// unsafe-html, so they go unless it is on, and a non-text id (`{id=5}`)
// becomes its text, since goldmark asserts the id is text. It takes over
// by a priority just ahead of the default parser it wraps, which then
// never opens a heading.
type headingAttrs struct {
	parser.BlockParser
	unsafe bool
}

var (
	attrID    = []byte("id")
	attrClass = []byte("class")
)

func (h headingAttrs) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	// An ATX heading has its attributes from Open; a setext heading reads
	// them inside Close and panics there on a non-text id, after setting
	// the attributes but before recording the id, which is done here.
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(*runtime.TypeAssertionError); !ok {
				panic(r)
			}
			h.settle(node)
			id, _ := node.AttributeString("id")
			pc.IDs().Put(id.([]byte))
		}
	}()
	h.settle(node)
	h.BlockParser.Close(node, reader, pc)
	h.settle(node)
}

func (h headingAttrs) settle(node ast.Node) {
	if h.settled(node) {
		return // most headings: no allocation
	}
	var keep []ast.Attribute
	for _, a := range node.Attributes() {
		if !h.unsafe && !bytes.Equal(a.Name, attrID) && !bytes.Equal(a.Name, attrClass) {
			continue
		}
		if _, ok := a.Value.([]byte); !ok {
			a.Value = fmt.Append(nil, a.Value)
		}
		keep = append(keep, a)
	}
	node.RemoveAttributes()
	for _, a := range keep {
		node.SetAttribute(a.Name, a.Value)
	}
}

// settled reports whether settle would keep node's attributes as they
// are: each is an id or class (or unsafe is on) and its value is text.
func (h headingAttrs) settled(node ast.Node) bool {
	for _, a := range node.Attributes() {
		if !h.unsafe && !bytes.Equal(a.Name, attrID) && !bytes.Equal(a.Name, attrClass) {
			return false
		}
		if _, ok := a.Value.([]byte); !ok {
			return false
		}
	}
	return true
}

// SetOption passes goldmark's parser options (auto ids, attributes) on.
func (h headingAttrs) SetOption(name parser.OptionName, v any) {
	if s, ok := h.BlockParser.(parser.SetOptioner); ok {
		s.SetOption(name, v)
	}
}

// headingParsers are goldmark's ATX and setext parsers (priorities 600 and
// 100) behind headingAttrs.
func headingParsers(unsafe bool) parser.Option {
	return parser.WithBlockParsers(
		util.Prioritized(headingAttrs{parser.NewSetextHeadingParser(), unsafe}, 99),
		util.Prioritized(headingAttrs{parser.NewATXHeadingParser(), unsafe}, 599),
	)
}
