package calc

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// Problem is something wrong with a spec, at the YAML node it concerns
// (Line and Column 1-based within the YAML; Column 0 means the line). A
// nil Node means the spec as a whole. The widget extension reports it at
// the same place in the chapter, and uses Problem for its own options.
type Problem struct {
	Node *yaml.Node
	Msg  string
}

// At follows keys (string) and indexes (int) from n, returning the
// deepest node found, so a problem inside a missing part is reported at
// the nearest part that exists.
func At(n *yaml.Node, path ...any) *yaml.Node {
	for _, p := range path {
		var next *yaml.Node
		switch k := p.(type) {
		case string:
			next = MapValue(n, k)
		case int:
			if n != nil && n.Kind == yaml.SequenceNode && k < len(n.Content) {
				next = n.Content[k]
			}
		}
		if next == nil {
			return n
		}
		n = next
	}
	return n
}

// mapKey returns the key node of key in a mapping, or the mapping.
func mapKey(m *yaml.Node, key string) *yaml.Node {
	if m != nil && m.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				return m.Content[i]
			}
		}
	}
	return m
}

// atCol builds a problem at a node shifted by col characters into a
// one-line scalar (a formula's column); quoted scalars start one column
// later.
func atCol(n *yaml.Node, col int, msg string) Problem {
	if n == nil || n.Kind != yaml.ScalarNode || strings.Contains(n.Value, "\n") ||
		n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return Problem{n, msg}
	}
	c := n.Column + col
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		c++
	}
	return Problem{&yaml.Node{Line: n.Line, Column: c}, msg}
}

// MapValue returns the value of key in a mapping node, or nil.
func MapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}
