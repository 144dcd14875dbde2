package glossary

import (
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Use is the first use of Term in a document.
type Use struct {
	Term   *Term
	Offset int // byte offset in the source
}

var usesKey = parser.NewContextKey()

// Uses returns the terms marked in the document just parsed with pc, in
// document order: the glossary page links back to them.
func Uses(pc parser.Context) []Use {
	u, _ := pc.Get(usesKey).([]Use)
	return u
}

// transformer marks the first use of each term and settles explicit marks.
type transformer struct {
	g     *Glossary
	notes bool // append the chapter's TermNotes
}

func (tr *transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	used := map[*Term]bool{}
	explicit, texts := collect(doc)
	for _, ref := range explicit {
		if !markable(ref) {
			// A term link inside a link or a heading would nest anchors
			// or be copied into the table of contents: keep the text.
			parent := ref.Parent()
			for c := ref.FirstChild(); c != nil; {
				next := c.NextSibling()
				parent.InsertBefore(parent, ref, c)
				c = next
			}
			parent.RemoveChild(parent, ref)
			continue
		}
		ref.repeat = used[ref.Term]
		used[ref.Term] = true
	}
	// Terms marked by hand are the author's choice of place: automatic
	// matches still claim their text but mark nothing.
	done := len(used)
	var scratch []byte
	for _, t := range texts {
		if done == len(tr.g.terms) {
			break
		}
		seg := t.Segment
		var ms []match
		ms, scratch = tr.g.m.find(src[seg.Start:seg.Stop], scratch)
		parent := t.Parent()
		cur := seg.Start
		for _, m := range ms {
			if used[m.term] {
				continue
			}
			used[m.term] = true
			done++
			s, e := seg.Start+m.start, seg.Start+m.end
			if s > cur {
				parent.InsertBefore(parent, t, ast.NewTextSegment(text.NewSegment(cur, s)))
			}
			ref := NewTermRef(m.term, s, false)
			ref.AppendChild(ref, ast.NewTextSegment(text.NewSegment(s, e)))
			parent.InsertBefore(parent, t, ref)
			cur = e
		}
		// The original node stays as the tail, keeping its line break.
		t.Segment = seg.WithStart(cur)
		if cur == seg.Stop && !t.SoftLineBreak() && !t.HardLineBreak() {
			parent.RemoveChild(parent, t)
		}
	}
	var uses []Use
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if ref, ok := n.(*TermRef); ok && entering {
			if !ref.repeat {
				uses = append(uses, Use{Term: ref.Term, Offset: ref.offset})
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	pc.Set(usesKey, uses)
	if tr.notes && len(uses) > 0 {
		doc.AppendChild(doc, &TermNotes{Uses: uses})
	}
}

// collect returns, in document order, the explicit marks and the Text
// nodes where terms may be found automatically.
func collect(doc ast.Node) (explicit []*TermRef, texts []*ast.Text) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *TermRef:
			explicit = append(explicit, n)
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			// Padding only occurs where tabs were expanded; such text
			// is left alone rather than re-padded piece by piece.
			if !n.IsRaw() && n.Segment.Padding == 0 {
				texts = append(texts, n)
			}
			return ast.WalkSkipChildren, nil
		}
		if skip(n) {
			// Explicit marks below still need settling.
			_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
				if ref, ok := c.(*TermRef); ok && entering {
					explicit = append(explicit, ref)
					return ast.WalkSkipChildren, nil
				}
				return ast.WalkContinue, nil
			})
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return explicit, texts
}

// skip reports whether terms are never found automatically under n:
// headings, code, raw HTML, links and images, and inline nodes of other
// extensions (wikilinks, citations), whose text is not prose.
func skip(n ast.Node) bool {
	switch n.Kind() {
	case ast.KindHeading, ast.KindCodeBlock, ast.KindFencedCodeBlock, ast.KindHTMLBlock:
		return true
	case ast.KindEmphasis, east.KindStrikethrough:
		return false
	}
	return n.Type() == ast.TypeInline
}

// markable reports whether an explicit mark may become a term link: not
// inside a link, an image or a heading.
func markable(ref *TermRef) bool {
	for p := ref.Parent(); p != nil; p = p.Parent() {
		switch p.Kind() {
		case ast.KindLink, ast.KindAutoLink, ast.KindImage, ast.KindHeading:
			return false
		}
	}
	return true
}
