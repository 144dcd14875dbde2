package glossary

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// Extender adds glossary marking to a goldmark instance. The zero value
// works: no terms, and entries linked as "../glossary/#ID".
type Extender struct {
	Glossary *Glossary
	// Href is the URL of the term's glossary entry as seen from the
	// pages being rendered, e.g. "../glossary/#insulin-resistance". It
	// must depend on the term alone: the renderer asks once per term.
	Href func(t *Term) string
	// Notes renders for EPUB: each first use is a noteref to a footnote
	// aside at the chapter's end (TermNotes), which reading systems show
	// as a pop-up, instead of a link with a tooltip.
	Notes bool
}

// Extend implements goldmark.Extender.
func (e *Extender) Extend(m goldmark.Markdown) {
	g := e.Glossary
	if g == nil {
		g, _ = New(nil)
	}
	href := e.Href
	if href == nil {
		href = func(t *Term) string { return "../glossary/#" + t.ID }
	}
	m.Parser().AddOptions(
		// 198: ahead of the [[chapter]] wikilink parser (199), which
		// declines "[[term:" anyway, and of goldmark's link parser (200),
		// which would read "[[term:x]]" as brackets around a link label.
		// Anything that is not "[[term:…]]" gets nil and falls through.
		parser.WithInlineParsers(util.Prioritized(&explicitParser{g}, 198)),
		// 1000: after goldmark's footnote transformer (999) has moved the
		// footnotes to the end, so "first use" follows reading order, and
		// after every extension that builds nodes out of Text (citations),
		// so that splitting Text cannot hide their syntax from them.
		parser.WithASTTransformers(util.Prioritized(&transformer{g: g, notes: e.Notes}, 1000)),
	)
	var r renderer.NodeRenderer = &termRenderer{href: href}
	if e.Notes {
		r = &noteRenderer{href: href}
	}
	m.Renderer().AddOptions(renderer.WithNodeRenderers(
		// 500: goldmark's default for extension renderers; TermRef and
		// TermNotes are rendered by no one else.
		util.Prioritized(r, 500),
	))
}
