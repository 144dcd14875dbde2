package glossary

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// termRenderer writes the shared "Glossary term use" markup:
//
//	<span class="gb-term-wrap"><a class="gb-term" href="HREF" id="gb-use-ID"
//	aria-describedby="gb-tip-ID">text</a><span class="gb-tip" role="tooltip"
//	id="gb-tip-ID"><strong>Name</strong>: definition</span></span>
type termRenderer struct {
	href func(*Term) string
}

func (r *termRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindTermRef, r.render)
}

func (r *termRenderer) render(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*TermRef)
	id := util.EscapeHTML([]byte(n.Term.ID))
	if entering {
		if !n.repeat {
			_, _ = w.WriteString(`<span class="gb-term-wrap">`)
		}
		_, _ = w.WriteString(`<a class="gb-term" href="`)
		_, _ = w.Write(util.EscapeHTML(util.URLEscape([]byte(r.href(n.Term)), false)))
		_ = w.WriteByte('"')
		if !n.repeat {
			_, _ = w.WriteString(` id="`)
			_, _ = w.Write(util.EscapeHTML([]byte(UseID(n.Term.ID))))
			_, _ = w.WriteString(`" aria-describedby="gb-tip-`)
			_, _ = w.Write(id)
			_ = w.WriteByte('"')
		}
		_ = w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`</a>`)
	if n.repeat {
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<span class="gb-tip" role="tooltip" id="gb-tip-`)
	_, _ = w.Write(id)
	_, _ = w.WriteString(`"><strong>`)
	_, _ = w.Write(util.EscapeHTML([]byte(n.Term.Name)))
	_, _ = w.WriteString(`</strong>: `)
	_, _ = w.Write(util.EscapeHTML([]byte(n.Term.Definition)))
	_, _ = w.WriteString(`</span></span>`)
	return ast.WalkContinue, nil
}

// UseID is the id of a term's first use in a chapter, which the glossary
// page's back-links and the chapter's anchors name.
func UseID(termID string) string { return "gb-use-" + termID }
