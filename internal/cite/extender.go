package cite

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// Extender adds citations to a goldmark.Markdown. The zero value works:
// with no Bibliography every key is reported unknown.
type Extender struct {
	Bibliography *Bibliography
	Style        Style
	// Nocite lists keys from the chapter front matter `citations:`; they
	// join the chapter bibliography, numbered after the cited ones, even if
	// not cited. "*" adds every entry.
	Nocite []string
	// Notes renders for EPUB: each citation item is a noteref to a
	// footnote aside after the chapter bibliography, which reading
	// systems show as a pop-up, instead of a link with a tooltip.
	Notes bool
}

// Extend implements goldmark.Extender.
func (e *Extender) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		// 199: just ahead of the link parser (200), which also triggers on
		// '[' and would otherwise claim "[@key" as the start of link text.
		// Whatever is not a citation returns nil and still reaches it.
		parser.WithInlineParsers(util.Prioritized(citationParser{}, 199)),
		parser.WithASTTransformers(util.Prioritized(&transformer{bib: e.Bibliography, nocite: e.Nocite}, TransformerPriority)),
	)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(
		// 500: the customary priority for extension renderers; the kinds
		// are ours alone, so nothing competes for them.
		util.Prioritized(&Renderer{Style: e.Style, Notes: e.Notes}, 500),
	))
}
