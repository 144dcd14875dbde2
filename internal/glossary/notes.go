package glossary

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// NoteID is the id of a term's footnote in a chapter rendered with
// Extender.Notes.
func NoteID(t *Term) string { return "gb-tnote-" + t.ID }

// KindTermNotes is the node kind of TermNotes.
var KindTermNotes = ast.NewNodeKind("TermNotes")

// TermNotes closes a chapter rendered with Extender.Notes: one footnote
// per term marked in it, in order of first use. EPUB reading systems show
// a footnote as a pop-up where its noteref is tapped.
type TermNotes struct {
	ast.BaseBlock
	Uses []Use
}

// Kind implements ast.Node.
func (n *TermNotes) Kind() ast.NodeKind { return KindTermNotes }

// Dump implements ast.Node.
func (n *TermNotes) Dump(source []byte, level int) {
	names := make([]string, len(n.Uses))
	for i, u := range n.Uses {
		names[i] = u.Term.Name
	}
	ast.DumpHelper(n, source, level, map[string]string{"Terms": strings.Join(names, ", ")}, nil)
}

// noteRenderer writes term uses as EPUB noterefs and TermNotes as
// footnote asides, each with a back-link to the use and a link to the
// glossary entry. The markup is XHTML: an EPUB's content documents are
// XML.
type noteRenderer struct {
	href func(*Term) string
}

func (r *noteRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindTermRef, r.renderRef)
	reg.Register(KindTermNotes, r.renderNotes)
}

func (r *noteRenderer) renderRef(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*TermRef)
	if !entering {
		_, _ = w.WriteString(`</a>`)
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<a class="gb-term" epub:type="noteref" role="doc-noteref" href="#`)
	_, _ = w.Write(util.EscapeHTML([]byte(NoteID(n.Term))))
	_ = w.WriteByte('"')
	if !n.repeat {
		_, _ = w.WriteString(` id="`)
		_, _ = w.Write(util.EscapeHTML([]byte(UseID(n.Term.ID))))
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

func (r *noteRenderer) renderNotes(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	for _, u := range node.(*TermNotes).Uses {
		t := u.Term
		_, _ = w.WriteString(`<aside class="gb-note" epub:type="footnote" role="doc-footnote" id="`)
		_, _ = w.Write(util.EscapeHTML([]byte(NoteID(t))))
		_, _ = w.WriteString(`"><p><a href="#`)
		_, _ = w.Write(util.EscapeHTML([]byte(UseID(t.ID))))
		_, _ = w.WriteString(`" role="doc-backlink"><strong>`)
		_, _ = w.Write(util.EscapeHTML([]byte(t.Name)))
		_, _ = w.WriteString(`</strong></a>: `)
		_, _ = w.Write(util.EscapeHTML([]byte(t.Definition)))
		_, _ = w.WriteString(` <a class="gb-note-more" href="`)
		_, _ = w.Write(util.EscapeHTML(util.URLEscape([]byte(r.href(t)), false)))
		_, _ = w.WriteString(`">In the glossary</a></p></aside>` + "\n")
	}
	return ast.WalkSkipChildren, nil
}
