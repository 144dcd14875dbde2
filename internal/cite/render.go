package cite

import (
	"bufio"
	"io"
	"sort"
	"strconv"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// Renderer writes citations and the chapter bibliography in the shared
// HTML contract (gb-cite-wrap, gb-tip, gb-bibliography).
type Renderer struct {
	Style Style
	Notes bool // EPUB noterefs and footnotes (see Extender.Notes)
}

// RegisterFuncs implements renderer.NodeRenderer.
func (r *Renderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindCitation, r.renderCitation)
	reg.Register(KindReferenceList, r.renderReferenceList)
}

func (r *Renderer) renderCitation(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	write := WriteCitation
	if r.Notes {
		write = WriteNoterefs
	}
	if entering {
		if err := write(w, n.(*Citation), r.Style); err != nil {
			return ast.WalkStop, err
		}
	}
	return ast.WalkSkipChildren, nil
}

// WriteCitation renders c exactly as the NodeRenderer does, for extensions
// that render a citation inside their own markup.
//
// A single-item citation is one link, brackets included ("[1]", "(see
// Volpe, 2013, pp. 378–383)"), which gives a finger something to tap. In a
// multi-item citation each item is its own link and tooltip, and the
// brackets and separators between them are gb-cite-mark spans, so that
// the whole citation takes one style: numbers superscript, author-year
// labels (and their marks, class gb-cite-inline) at body size. Inside a
// link (nested links are invalid HTML) the citation is plain text.
func WriteCitation(w io.Writer, c *Citation, style Style) error {
	bw := bufio.NewWriter(w)
	writeCitation(bw, c, style)
	return bw.Flush()
}

func writeCitation(w *bufio.Writer, c *Citation, style Style) {
	open, sep, closer := "[", ", ", "]"
	if style == AuthorYear {
		open, sep, closer = "(", "; ", ")"
	}
	if insideLink(c) {
		text := open
		for i, it := range c.Items {
			if i > 0 {
				text += sep
			}
			text += itemText(it, style)
		}
		w.Write(util.EscapeHTML([]byte(text + closer)))
		return
	}
	if len(c.Items) == 1 {
		writeItem(w, c.Items[0], open, closer, style, "gb-ctip-"+strconv.Itoa(c.Index))
		return
	}
	writeMark(w, open, style)
	for i, it := range c.Items {
		if i > 0 {
			writeMark(w, sep, style)
		}
		writeItem(w, it, "", "", style, "gb-ctip-"+strconv.Itoa(c.Index)+"-"+strconv.Itoa(i+1))
	}
	writeMark(w, closer, style)
}

// styleClass is added to every part of an author-year citation: the
// stylesheet sets numbered citations superscript, author-year ones inline.
func styleClass(style Style) string {
	if style == AuthorYear {
		return " gb-cite-inline"
	}
	return ""
}

// writeMark writes a bracket or separator of a multi-item citation.
func writeMark(w *bufio.Writer, mark string, style Style) {
	w.WriteString(`<span class="gb-cite-mark` + styleClass(style) + `">`)
	w.Write(util.EscapeHTML([]byte(mark)))
	w.WriteString(`</span>`)
}

func writeItem(w *bufio.Writer, it Item, open, closer string, style Style, tipID string) {
	text := util.EscapeHTML([]byte(open + itemText(it, style) + closer))
	if it.Entry == nil {
		w.WriteString(`<span class="gb-cite-missing` + styleClass(style) + `">`)
		w.Write(text)
		w.WriteString(`</span>`)
		return
	}
	w.WriteString(`<span class="gb-cite-wrap"><a class="gb-cite` + styleClass(style) + `" href="#`)
	w.WriteString(RefID(it.Key))
	w.WriteString(`" aria-describedby="`)
	w.WriteString(tipID)
	w.WriteString(`">`)
	w.Write(text)
	w.WriteString(`</a><span class="gb-tip" role="tooltip" id="`)
	w.WriteString(tipID)
	w.WriteString(`">`)
	w.Write(util.EscapeHTML([]byte(it.Entry.Text())))
	w.WriteString(`</span></span>`)
}

// itemText is "prefix 1, locator" or "prefix Lan et al., 2015, locator";
// an unresolved key shows as "key?", as pandoc does.
func itemText(it Item, style Style) string {
	var s string
	switch {
	case it.Entry == nil:
		s = it.Key + "?"
	case style == AuthorYear:
		s = it.Entry.Label()
	default:
		s = strconv.Itoa(it.Number)
	}
	if it.Prefix != "" {
		s = it.Prefix + " " + s
	}
	if it.Locator != "" {
		s += ", " + it.Locator
	}
	return s
}

func insideLink(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Kind() == ast.KindLink || p.Kind() == ast.KindAutoLink {
			return true
		}
	}
	return false
}

func (r *Renderer) renderReferenceList(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	entries := n.(*ReferenceList).Entries
	list := "ol"
	if r.Style == AuthorYear {
		// Author-year references are found by name, not number.
		list = "ul"
		entries = append([]*Entry(nil), entries...)
		sort.SliceStable(entries, func(i, j int) bool {
			a, b := foldForSort(entries[i].Label()), foldForSort(entries[j].Label())
			if a != b {
				return a < b
			}
			return foldForSort(entries[i].Title) < foldForSort(entries[j].Title)
		})
	}
	// Not a region landmark: the single-file export holds every
	// chapter's list, and landmarks must have unique names.
	w.WriteString("<section class=\"gb-bibliography\">\n")
	w.WriteString("<h2 id=\"gb-bibliography-title\">References</h2>\n")
	w.WriteString("<" + list + " class=\"gb-references\">\n")
	for _, e := range entries {
		w.WriteString(`<li id="`)
		w.WriteString(RefID(e.Key))
		w.WriteString(`">`)
		w.WriteString(string(e.HTML()))
		w.WriteString("</li>\n")
	}
	w.WriteString("</" + list + ">\n</section>\n")
	if r.Notes {
		writeNotes(w, n.(*ReferenceList), r.Style)
	}
	return ast.WalkSkipChildren, nil
}
