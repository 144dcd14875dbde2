package markup

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"guidebook/internal/content"
)

// frontMatter skips a chapter's front matter, which content has already
// decoded (once, with positions for its errors), so that the Markdown is
// parsed from the whole file and every offset stays file-relative. It
// replaces goldmark-meta, which decoded the same YAML twice more per
// chapter (into a map and into a MapSlice) for values nothing read, and
// whose own end-of-block rule ignored content's "..." closing line.
type frontMatter struct{}

func (frontMatter) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithBlockParsers(util.Prioritized(frontMatterParser{}, 0)))
}

// frontMatterParser is a block parser that opens on the file's first
// line and takes every line up to content.BodyStart.
type frontMatterParser struct{}

func (frontMatterParser) Trigger() []byte { return []byte{'-'} }

// bodyStartKey holds the document's content.BodyStart while its front
// matter is skipped, found once rather than at every line.
var bodyStartKey = parser.NewContextKey()

func (frontMatterParser) Open(_ ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if line, _ := reader.Position(); line != 0 {
		return nil, parser.NoChildren
	}
	start := content.BodyStart(reader.Source())
	if start == 0 {
		return nil, parser.NoChildren
	}
	pc.Set(bodyStartKey, start)
	return ast.NewTextBlock(), parser.NoChildren
}

func (frontMatterParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	_, seg := reader.PeekLine()
	if start, _ := pc.Get(bodyStartKey).(int); seg.Stop >= start {
		reader.Advance(seg.Len()) // the closing line
		return parser.Close
	}
	node.Lines().Append(seg)
	return parser.Continue | parser.NoChildren
}

func (frontMatterParser) Close(node ast.Node, _ text.Reader, _ parser.Context) {
	node.Parent().RemoveChild(node.Parent(), node)
}

func (frontMatterParser) CanInterruptParagraph() bool { return false }

func (frontMatterParser) CanAcceptIndentedLine() bool { return false }
