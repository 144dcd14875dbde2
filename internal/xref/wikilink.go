package xref

import (
	"bytes"
	"fmt"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// KindWikilink is the node kind of a [[…]] link.
var KindWikilink = ast.NewNodeKind("Wikilink")

// Wikilink is `[[target#fragment|label]]`. Its children are the label; when
// the author gave none, the resolver adds the target's title.
type Wikilink struct {
	ast.BaseInline
	Target   string // chapter id or file, empty for a same-page [[#frag]]
	Fragment string
	Offset   int    // byte offset of the target in the source
	Dest     []byte // resolved URL, set by Resolve
	HasLabel bool
}

// Kind implements ast.Node.
func (n *Wikilink) Kind() ast.NodeKind { return KindWikilink }

// Dump implements ast.Node.
func (n *Wikilink) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{
		"Target": n.Target, "Fragment": n.Fragment, "Dest": string(n.Dest),
	}, nil)
}

type wikilinkParser struct{}

func (wikilinkParser) Trigger() []byte { return []byte{'['} }

func (wikilinkParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if !bytes.HasPrefix(line, []byte("[[")) {
		return nil
	}
	// A nested '[' means this is something else (a link inside brackets).
	end := CloseBrackets(line, 2)
	if end < 0 {
		return nil
	}
	inner := line[2:end]
	// [[term:…]] belongs to the glossary extension.
	if bytes.HasPrefix(inner, []byte("term:")) || len(bytes.TrimSpace(inner)) == 0 {
		return nil
	}
	targetPart, label, hasLabel := bytes.Cut(inner, []byte("|"))
	target, frag, _ := bytes.Cut(targetPart, []byte("#"))
	n := &Wikilink{
		Target:   string(bytes.TrimSpace(target)),
		Fragment: string(bytes.TrimSpace(frag)),
		Offset:   seg.Start + 2,
		HasLabel: hasLabel && len(bytes.TrimSpace(label)) > 0,
	}
	if n.HasLabel {
		start := seg.Start + 2 + len(targetPart) + 1
		seg := text.NewSegment(start, start+len(label))
		seg = seg.TrimLeftSpace(block.Source())
		seg = seg.TrimRightSpace(block.Source())
		t := ast.NewTextSegment(seg)
		n.AppendChild(n, t)
	}
	block.Advance(end + 2)
	return n
}

// CloseBrackets returns the index of the "]]" that closes a [[…]] whose
// inside starts at line[from:], or -1 when a '[' or the end of the line
// comes first. Stopping at the next '[' bounds the scan for each "[[" by
// the distance to the next one, so a line of n unclosed "[[" costs O(n),
// not the O(n²) of searching the rest of the line from each of them.
func CloseBrackets(line []byte, from int) int {
	for i := from; i < len(line); {
		j := bytes.IndexAny(line[i:], "[]\n")
		if j < 0 || line[i+j] != ']' {
			return -1
		}
		i += j + 1
		if i < len(line) && line[i] == ']' {
			return i - 1
		}
	}
	return -1
}

type wikilinkRenderer struct{ html.Config }

func (r *wikilinkRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindWikilink, r.render)
}

func (r *wikilinkRenderer) render(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*Wikilink)
	if entering {
		fmt.Fprintf(w, `<a href="%s">`, util.EscapeHTML(util.URLEscape(n.Dest, false)))
		if !n.HasLabel && n.ChildCount() == 0 {
			// Unresolved and unlabelled: show what the author wrote.
			w.Write(util.EscapeHTML([]byte(n.Target)))
		}
		return ast.WalkContinue, nil
	}
	w.WriteString("</a>")
	return ast.WalkContinue, nil
}

// Extender adds wikilinks, link recording and stable heading ids.
type Extender struct{}

// Extend implements goldmark.Extender.
func (Extender) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		// 199: just ahead of goldmark's link parser (200), which would
		// otherwise read "[[a]]" as a literal bracket around "[a]".
		parser.WithInlineParsers(util.Prioritized(wikilinkParser{}, 199)),
		// 900: after every extension that adds or rewrites nodes, so the
		// recorded links are the ones that will be rendered.
		parser.WithASTTransformers(util.Prioritized(recorder{}, 900)),
		// Any priority: heading ids are final once parsing ends.
		parser.WithASTTransformers(util.Prioritized(idChecker{}, 910)),
	)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(&wikilinkRenderer{}, 500)))
}
