package glossary

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"guidebook/internal/diag"
	"guidebook/internal/xref"
)

var termPrefix = []byte("[[term:")

// explicitParser reads [[term:Name]] and [[term:Name|shown text]]. Any
// other '[' (a link, a [[chapter]] wikilink) gets nil and falls through to
// the next parser.
type explicitParser struct{ g *Glossary }

func (p *explicitParser) Trigger() []byte { return []byte{'['} }

func (p *explicitParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if !bytes.HasPrefix(line, termPrefix) {
		return nil
	}
	// A term name has no '[': stopping there keeps a line of n unclosed
	// "[[term:" linear (see xref.CloseBrackets).
	end := xref.CloseBrackets(line, len(termPrefix))
	if end < 0 {
		return nil
	}
	inner := line[len(termPrefix):end]
	name, shown, _ := bytes.Cut(inner, []byte("|"))
	at := seg.Start + len(termPrefix) // start of name
	nameSeg := trim(text.NewSegment(at, at+len(name)), block.Source())
	label := nameSeg
	if len(bytes.TrimSpace(shown)) > 0 {
		s := at + len(name) + 1
		label = trim(text.NewSegment(s, s+len(shown)), block.Source())
	}
	block.Advance(end + 2)
	if label.IsEmpty() {
		label = text.NewSegment(seg.Start, seg.Start+end+2)
	}
	t, ok := p.g.Lookup(string(nameSeg.Value(block.Source())))
	if !ok {
		diag.SourceOf(pc).Addf(nameSeg.Start, "unknown glossary term %q", nameSeg.Value(block.Source()))
		// Show the text so the page still reads while the author fixes it.
		return ast.NewTextSegment(label)
	}
	n := NewTermRef(t, seg.Start, true)
	n.AppendChild(n, ast.NewTextSegment(label))
	return n
}

func trim(s text.Segment, src []byte) text.Segment {
	s = s.TrimLeftSpace(src)
	return s.TrimRightSpace(src)
}
