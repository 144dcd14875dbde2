package glossary

import (
	"strings"
	"sync"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// termRenderer writes the shared "Glossary term use" markup:
//
//	<span class="gb-term-wrap"><a class="gb-term" href="HREF" id="gb-use-ID"
//	aria-describedby="gb-tip-ID">text</a><span class="gb-tip" role="tooltip"
//	id="gb-tip-ID"><strong>Name</strong>: definition</span></span>
//
// The markup around the text is the same at every use of a term, so it
// is escaped once per term and kept (a book's chapters mark the same few
// hundred terms thousands of times).
type termRenderer struct {
	href   func(*Term) string
	markup sync.Map // *Term → *termMarkup
}

// termMarkup is the markup of a term's uses, before and after the text.
type termMarkup struct {
	first, repeat string // the opening of a first use, of a later one
	tip           string // written after the closing </a> of a first use
}

func (r *termRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindTermRef, r.render)
}

func (r *termRenderer) render(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*TermRef)
	m := r.markupOf(n.Term)
	switch {
	case entering && n.repeat:
		_, _ = w.WriteString(m.repeat)
	case entering:
		_, _ = w.WriteString(m.first)
	case n.repeat:
		_, _ = w.WriteString(`</a>`)
	default:
		_, _ = w.WriteString(`</a>`)
		_, _ = w.WriteString(m.tip)
	}
	return ast.WalkContinue, nil
}

func (r *termRenderer) markupOf(t *Term) *termMarkup {
	if m, ok := r.markup.Load(t); ok {
		return m.(*termMarkup)
	}
	m, _ := r.markup.LoadOrStore(t, newTermMarkup(t, r.href(t)))
	return m.(*termMarkup)
}

func newTermMarkup(t *Term, href string) *termMarkup {
	esc := func(s string) string { return string(util.EscapeHTML([]byte(s))) }
	id := esc(t.ID)
	link := `<a class="gb-term" href="` + string(util.EscapeHTML(util.URLEscape([]byte(href), false))) + `"`
	var tip strings.Builder
	tip.WriteString(`<span class="gb-tip" role="tooltip" id="gb-tip-`)
	tip.WriteString(id)
	tip.WriteString(`"><strong>`)
	tip.WriteString(esc(t.Name))
	tip.WriteString(`</strong>: `)
	tip.WriteString(esc(t.Definition))
	tip.WriteString(`</span></span>`)
	return &termMarkup{
		first:  `<span class="gb-term-wrap">` + link + ` id="` + esc(UseID(t.ID)) + `" aria-describedby="gb-tip-` + id + `">`,
		repeat: link + `>`,
		tip:    tip.String(),
	}
}

// UseID is the id of a term's first use in a chapter, which the glossary
// page's back-links and the chapter's anchors name.
func UseID(termID string) string { return "gb-use-" + termID }
