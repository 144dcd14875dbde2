package widgets

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"

	"guidebook/internal/cite"
)

// Extender adds widgets to a goldmark.Markdown. Registry supplies the
// templates (nil: built-in widgets are recognised but report a missing
// template); CiteStyle must match the cite extension's, so a widget's
// citation looks like the chapter's others.
type Extender struct {
	Registry  *Registry
	CiteStyle cite.Style
	// EPUB renders for e-readers, which mostly run no scripts: templates
	// get Data.EPUB to leave out what only a script brings to life, and
	// citations are EPUB noterefs (cite.WriteNoterefs).
	EPUB bool
}

// Extend implements goldmark.Extender.
func (e *Extender) Extend(m goldmark.Markdown) {
	reg := e.Registry
	if reg == nil {
		reg = NewRegistry(nil)
	}
	m.Parser().AddOptions(parser.WithASTTransformers(
		// See TransformerPriority: before cite's numbering transformer.
		util.Prioritized(&transformer{reg: reg}, TransformerPriority),
	))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(
		// 500: the customary priority for extension renderers; KindWidget
		// is ours alone. Widget blocks never reach the code block renderer
		// (or goldmark-highlighting), having been replaced in the AST.
		util.Prioritized(&Renderer{Registry: reg, CiteStyle: e.CiteStyle, EPUB: e.EPUB}, 500),
	))
}
