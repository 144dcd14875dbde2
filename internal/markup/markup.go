// Package markup assembles the goldmark pipeline every chapter goes
// through: GFM, front-matter skipping, heading ids, class-based chroma
// highlighting, and guidebook's own extensions (glossary, citations,
// widgets, cross-links). Like Hugo's markup/goldmark/convert.go it turns
// one options struct into a list of extensions, one line per feature, and
// it parses a chapter once so that the same tree feeds the page, the
// search index and the glossary back-links.
//
// goldmark-highlighting is used rather than a hand-written code block
// renderer: it is yuin's own companion to goldmark and already handles
// language lookup, line options and chroma's class-based output; code.go
// only shares one chroma formatter between the blocks that need no
// per-block options.
package markup

import (
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"guidebook/internal/cite"
	"guidebook/internal/diag"
	"guidebook/internal/glossary"
	"guidebook/internal/xref"
)

// Options selects the data the extensions resolve against.
type Options struct {
	Glossary     *glossary.Glossary
	GlossaryHref func(*glossary.Term) string
	Bibliography *cite.Bibliography
	CiteStyle    cite.Style
	// Widgets is the widget extension. It comes in ready-made because it
	// needs the site's templates, which markup knows nothing of.
	Widgets goldmark.Extender
	Unsafe  bool // pass raw HTML through
	// EPUB renders XHTML for an EPUB's content documents: void elements
	// closed, glossary terms and citations as noterefs to footnotes
	// (glossary.Extender.Notes, cite.Extender.Notes). Widgets must come
	// with widgets.Extender.EPUB set.
	EPUB bool
}

// New returns a goldmark instance. It is safe for concurrent use: all
// per-document state lives in the parser context.
func New(o Options) goldmark.Markdown {
	gfm := webGFM
	if o.EPUB {
		gfm = epubGFM
	}
	exts := []goldmark.Extender{
		gfm,
		extension.Footnote,
		frontMatter{}, // skips the front matter, keeping offsets file-relative
		codeHighlighting{options: []chromahtml.Option{chromahtml.WithClasses(true)}},
		xref.Extender{},
	}
	if o.Glossary != nil {
		exts = append(exts, &glossary.Extender{Glossary: o.Glossary, Href: o.GlossaryHref, Notes: o.EPUB})
	}
	if o.Widgets != nil {
		exts = append(exts, o.Widgets)
	}
	if o.Bibliography != nil {
		exts = append(exts, &cite.Extender{Bibliography: o.Bibliography, Style: o.CiteStyle, Notes: o.EPUB})
	}
	var rendererOpts []renderer.Option
	if o.Unsafe {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	if o.EPUB {
		rendererOpts = append(rendererOpts, html.WithXHTML())
	}
	return goldmark.New(
		goldmark.WithExtensions(exts...),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithAttribute(), headingParsers(o.Unsafe),
			// Any priority: it only readies lexers, which render after
			// every transformer has run.
			parser.WithASTTransformers(util.Prioritized(steadyHighlighting{}, 100))),
		goldmark.WithRendererOptions(rendererOpts...),
	)
}

// webGFM is extension.GFM with its linkify parser behind a quick check
// (linkify).
var webGFM = goldmark.Extender(extenders{
	linkify{},
	extension.Table,
	extension.Strikethrough,
	extension.TaskList,
})

// epubGFM is webGFM with table cells aligned by a style attribute: in
// XHTML mode goldmark writes align="…", which an EPUB's XHTML (HTML5)
// does not allow.
var epubGFM = goldmark.Extender(extenders{
	linkify{},
	extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignStyle)),
	extension.Strikethrough,
	extension.TaskList,
})

type extenders []goldmark.Extender

func (es extenders) Extend(m goldmark.Markdown) {
	for _, e := range es {
		e.Extend(m)
	}
}

// Parsed is one chapter after parsing.
type Parsed struct {
	Doc     ast.Node
	Context parser.Context
	Links   *xref.Doc
}

// Parse parses a whole chapter file. Problems go to src.List. Each of
// setup may put further per-document data in the parser context (such as
// widgets.WithPage).
func Parse(md goldmark.Markdown, src *diag.Source, nocite []cite.Nocite, setup ...func(parser.Context)) *Parsed {
	pc := parser.NewContext(parser.WithIDs(xref.NewIDs()))
	diag.WithSource(pc, src)
	cite.WithNocite(pc, nocite)
	for _, f := range setup {
		f(pc)
	}
	body := src.Src
	if !checkLimits(src) {
		body = nil // refused: the problems are in src.List
	}
	doc := md.Parser().Parse(text.NewReader(body), parser.WithContext(pc))
	return &Parsed{Doc: doc, Context: pc, Links: xref.DocOf(pc)}
}
