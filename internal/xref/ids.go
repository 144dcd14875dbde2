package xref

import (
	"guidebook/internal/paths"
	"strconv"

	"github.com/yuin/goldmark/ast"
)

// IDs generates unique heading ids within one document; it implements
// goldmark's parser.IDs.
type IDs struct{ used map[string]bool }

// NewIDs returns an empty id set. reserved ids (the page's own fixed
// anchors) are never generated.
func NewIDs(reserved ...string) *IDs {
	s := &IDs{used: map[string]bool{}}
	for _, r := range reserved {
		s.used[r] = true
	}
	return s
}

// Generate implements parser.IDs.
func (s *IDs) Generate(value []byte, kind ast.NodeKind) []byte {
	base := paths.Slug(string(value))
	if base == "" {
		base = "section"
	}
	id := base
	for i := 1; s.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	s.used[id] = true
	return []byte(id)
}

// Put implements parser.IDs: an explicit {#id} is taken as given.
func (s *IDs) Put(value []byte) { s.used[string(value)] = true }
