package markup

import (
	"bytes"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// codeHighlighting is goldmark-highlighting with one chroma formatter
// per Markdown instance. goldmark-highlighting builds a formatter for
// every code block, and a new formatter's style cache starts empty, so
// each block converted the whole chroma style to CSS classes again. A
// block with no attributes needs only the instance's format options, so
// it shares one formatter (safe for concurrent use: its options are
// read-only and its style cache is locked), and lexers are looked up
// through lexerFor. A block with attributes (linenos, hl_lines, nohl,
// style) goes to goldmark-highlighting's own renderer unchanged.
type codeHighlighting struct {
	options []chromahtml.Option
}

func (e codeHighlighting) Extend(m goldmark.Markdown) {
	m.Renderer().AddOptions(renderer.WithNodeRenderers(
		util.Prioritized(newCodeRenderer(e.options), 200),
	))
}

type codeRenderer struct {
	upstream  renderer.NodeRenderer
	fallback  renderer.NodeRendererFunc
	formatter *chromahtml.Formatter
	style     *chroma.Style
}

func newCodeRenderer(opts []chromahtml.Option) *codeRenderer {
	up := highlighting.NewHTMLRenderer(
		highlighting.WithFormatOptions(opts...),
		highlighting.WithGuessLanguage(false),
	)
	var c capture
	up.RegisterFuncs(&c)
	return &codeRenderer{
		upstream:  up,
		fallback:  c.fn,
		formatter: chromahtml.New(opts...),
		style:     styles.Get(highlighting.NewConfig().Style),
	}
}

// capture takes goldmark-highlighting's code block render function.
type capture struct{ fn renderer.NodeRendererFunc }

func (c *capture) Register(_ ast.NodeKind, fn renderer.NodeRendererFunc) { c.fn = fn }

// SetOption passes the renderer's options (XHTML, unsafe) on to the
// upstream renderer, which writes the blocks chroma does not highlight.
func (r *codeRenderer) SetOption(name renderer.OptionName, value any) {
	if so, ok := r.upstream.(renderer.SetOptioner); ok {
		so.SetOption(name, value)
	}
}

func (r *codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.render)
}

func (r *codeRenderer) render(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.FencedCodeBlock)
	if !entering || hasAttributes(n, source) {
		return r.fallback(w, source, node, entering)
	}
	lang := n.Language(source)
	var lexer chroma.Lexer
	if lang != nil {
		lexer = lexerFor(string(lang))
	}
	if lexer == nil {
		writePlain(w, lang, n, source)
		return ast.WalkContinue, nil
	}
	var code bytes.Buffer
	lines := n.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		code.Write(seg.Value(source))
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code.String())
	if err != nil {
		return r.fallback(w, source, node, entering)
	}
	// goldmark-highlighting ignores a formatting error too: the
	// writer is the page buffer, and a lexer's tokens always format.
	_ = r.formatter.Format(w, r.style, it)
	return ast.WalkContinue, nil
}

// writePlain writes a block chroma has no lexer for as
// goldmark-highlighting does, without its second registry lookup.
func writePlain(w util.BufWriter, lang []byte, n *ast.FencedCodeBlock, source []byte) {
	_, _ = w.WriteString("<pre><code")
	if lang != nil {
		_, _ = w.WriteString(` class="language-`)
		html.DefaultWriter.Write(w, lang)
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	lines := n.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		html.DefaultWriter.RawWrite(w, seg.Value(source))
	}
	_, _ = w.WriteString("</code></pre>\n")
}

// hasAttributes reports whether goldmark-highlighting would find
// per-block options: attributes on the node, or a {…} in the info
// string after the language.
func hasAttributes(n *ast.FencedCodeBlock, source []byte) bool {
	if n.Attributes() != nil {
		return true
	}
	if n.Info == nil {
		return false
	}
	return bytes.IndexByte(n.Info.Segment.Value(source), '{') > 0
}
