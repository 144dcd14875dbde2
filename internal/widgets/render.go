package widgets

import (
	"bytes"
	"fmt"
	"html/template"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"

	"guidebook/internal/cite"
)

// Data is what a widget template receives.
type Data struct {
	// ID is unique in the page ("gb-homa-ir-1"); the template uses it as the
	// figure's id and as the prefix of every id inside.
	ID string
	// Link is the widget's name in shared links ("homa-ir-1", see
	// Node.Link); the template writes it as data-link for the script.
	Link string
	// Options is *HOMAOptions for homa-ir, *calc.Spec for calculator,
	// map[string]any for a site widget.
	Options any
	// Citations is the rendered citation of the widget's cite keys (empty
	// when there are none), in the shared gb-cite-wrap markup.
	Citations template.HTML

	groups map[string]template.HTML
	// EPUB is set when rendering for an e-reader: the template writes
	// only the script-free form, as well-formed XHTML.
	EPUB bool
	// Online is the URL of the widget on the published site (see
	// WithPage), or "": an e-reader links there for the live version.
	Online string
}

// CitationsOf is the rendered citation of a part's own cite keys ("" when
// it has none): a calculator's band passes "OUTPUT/N" (Node.CiteGroups).
func (d Data) CitationsOf(group string) template.HTML { return d.groups[group] }

// Renderer writes widget nodes by executing their templates.
type Renderer struct {
	Registry  *Registry
	CiteStyle cite.Style
	EPUB      bool // see Extender.EPUB
}

// RegisterFuncs implements renderer.NodeRenderer.
func (r *Renderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindWidget, r.renderWidget)
}

func (r *Renderer) renderWidget(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*Node)
	tmpl := r.Registry.template(n.Name)
	if tmpl == nil {
		return ast.WalkStop, fmt.Errorf("widget %q: no template %s", n.Name, TemplateName(n.Name))
	}
	write := cite.WriteCitation
	if r.EPUB {
		write = cite.WriteNoterefs
	}
	groups := map[string]template.HTML{}
	i := 0
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if cc, ok := c.(*cite.Citation); ok {
			var b bytes.Buffer
			if err := write(&b, cc, r.CiteStyle); err != nil {
				return ast.WalkStop, err
			}
			group := ""
			if i < len(n.CiteGroups) {
				group = n.CiteGroups[i]
			}
			groups[group] += template.HTML(b.String())
			i++
		}
	}
	// Executing into a buffer keeps a failing template from leaving half a
	// figure in the page.
	var out bytes.Buffer
	data := Data{ID: n.ID, Link: n.Link, Options: n.Options, Citations: groups[""], groups: groups, EPUB: r.EPUB}
	if r.EPUB && n.Page != "" {
		data.Online = n.Page + "#" + n.ID
	}
	if err := tmpl.Execute(&out, data); err != nil {
		return ast.WalkStop, fmt.Errorf("widget %q: %w", n.Name, err)
	}
	w.Write(bytes.TrimRight(out.Bytes(), "\n"))
	w.WriteByte('\n')
	return ast.WalkSkipChildren, nil
}
