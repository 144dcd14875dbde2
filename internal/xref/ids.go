package xref

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
)

// Slug makes a heading id: lowercase letters and digits kept, every run of
// anything else folded to one '-', trimmed. Authors type these by hand in
// `chapter.md#slug` links, so the rule is the simple one GitHub readers know.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		dash = true
	}
	return b.String()
}

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
	base := Slug(string(value))
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
