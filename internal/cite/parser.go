package cite

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// citationParser builds a Citation from a bracketed citation. Anything
// else starting with '[' returns nil, which hands it to goldmark's link
// parser; a bare @key is never a citation, so e-mail addresses and social
// handles in prose stay prose.
type citationParser struct{}

func (citationParser) Trigger() []byte { return []byte{'['} }

// bracketText is the content between the brackets with, for each byte, its
// offset in the source and whether a backslash escaped it.
type bracketText struct {
	b       []byte
	off     []int
	escaped []bool
}

func (citationParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if len(line) < 3 || line[0] != '[' {
		return nil
	}
	open := sourceOffset(seg, 0)
	var t bracketText
	i := 1
	// A citation may wrap across lines of its paragraph; it may not contain
	// brackets or code, which keeps this scan linear: every '[' stops it.
scan:
	for {
		for ; i < len(line); i++ {
			c := line[i]
			switch c {
			case ']':
				break scan
			case '[', '`':
				return nil
			case '\\':
				if i+1 < len(line) && util.IsPunct(line[i+1]) {
					i++
					t.b, t.off, t.escaped = append(t.b, line[i]), append(t.off, sourceOffset(seg, i)), append(t.escaped, true)
					continue
				}
			}
			t.b, t.off, t.escaped = append(t.b, c), append(t.off, sourceOffset(seg, i)), append(t.escaped, false)
		}
		block.AdvanceLine()
		line, seg = block.PeekLine()
		if line == nil {
			return nil
		}
		i = 0
	}
	block.Advance(i + 1)
	// "[@key](url)" and "[@key][ref]" are links whose text starts with '@'.
	if next := block.Peek(); next == '(' || next == '[' {
		return nil
	}
	items, ok := parseItems(t)
	if !ok {
		return nil
	}
	// A link reference definition "[@key]: url" makes "[@key]" a shortcut
	// link; the author asked for that explicitly.
	if _, ok := pc.Reference(util.ToLinkReference(t.b)); ok {
		return nil
	}
	return NewCitation(items, open)
}

func sourceOffset(seg text.Segment, i int) int {
	off := seg.Start + i - seg.Padding
	if off < seg.Start {
		off = seg.Start
	}
	return off
}

// parseItems splits the bracket text on ';' into items, each "prefix
// @key suffix". Every item must have a key, or the brackets are not a
// citation at all ("[mail me@example.com]", "[a; b]").
func parseItems(t bracketText) ([]Item, bool) {
	var items []Item
	start := 0
	for j := 0; j <= len(t.b); j++ {
		if j < len(t.b) && (t.b[j] != ';' || t.escaped[j]) {
			continue
		}
		it, ok := parseItem(t, start, j)
		if !ok {
			return nil, false
		}
		items = append(items, it)
		start = j + 1
	}
	return items, len(items) > 0
}

func parseItem(t bracketText, from, to int) (Item, bool) {
	for k := from; k < to; k++ {
		if t.b[k] != '@' || t.escaped[k] {
			continue
		}
		// The '@' starts a key only at the start of the item or after
		// a space: "me@example.com" is not a citation.
		if k > from && !unicode.IsSpace(rune(t.b[k-1])) {
			return Item{}, false
		}
		keyEnd := scanKey(t, k+1, to)
		if keyEnd == k+1 {
			return Item{}, false
		}
		return Item{
			Key:     string(t.b[k+1 : keyEnd]),
			Prefix:  collapseSpace(string(t.b[from:k])),
			Locator: locator(string(t.b[keyEnd:to])),
			Offset:  t.off[k],
		}, true
	}
	return Item{}, false
}

// scanKey returns where the key starting at from ends. Pandoc's rules: a
// key starts with a letter, digit or '_' and continues with those and
// _-:.#$%&+?<>~/; a trailing '.' or ':' is sentence punctuation.
func scanKey(t bracketText, from, to int) int {
	j := from
	for j < to && !t.escaped[j] {
		r, n := utf8.DecodeRune(t.b[j:to])
		ok := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_'
		if j > from && !ok {
			ok = strings.ContainsRune("-:.#$%&+?<>~/", r)
		}
		if !ok {
			break
		}
		j += n
	}
	for j > from && (t.b[j-1] == '.' || t.b[j-1] == ':') {
		j--
	}
	return j
}

// locator is the text after a key without the punctuation that separates
// it: "@key, p. 3" and "@key: p. 3" both give "p. 3", and "@key." (a
// sentence-ending period typed inside the brackets) gives "".
func locator(s string) string {
	return collapseSpace(strings.TrimLeft(strings.TrimSpace(s), ",.:"))
}
