package cite

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/util"
)

// NoteID is the id of an entry's footnote in a chapter rendered with
// Extender.Notes: RefID's escaping under its own prefix.
func NoteID(key string) string { return "gb-cnote-" + strings.TrimPrefix(RefID(key), "gb-ref-") }

// itemID is the id of the i-th item (from 0) of citation c, where a
// footnote's back-link returns to. A one-item citation is one link.
func itemID(c *Citation, i int) string {
	if len(c.Items) == 1 {
		return "gb-cite-" + strconv.Itoa(c.Index)
	}
	return "gb-cite-" + strconv.Itoa(c.Index) + "-" + strconv.Itoa(i+1)
}

// WriteNoterefs renders c for EPUB as WriteCitation does for the web,
// each item a noteref (epub:type="noteref", role="doc-noteref") to the
// entry's footnote at the chapter's end instead of a link with a tooltip,
// for extensions that render a citation inside their own markup.
func WriteNoterefs(w io.Writer, c *Citation, style Style) error {
	bw := bufio.NewWriter(w)
	writeNoterefs(bw, c, style)
	return bw.Flush()
}

func writeNoterefs(w *bufio.Writer, c *Citation, style Style) {
	if insideLink(c) {
		writeCitation(w, c, style) // plain text, as on the web
		return
	}
	open, sep, closer := "[", ", ", "]"
	if style == AuthorYear {
		open, sep, closer = "(", "; ", ")"
	}
	if len(c.Items) == 1 {
		writeNoteref(w, c, 0, open, closer, style)
		return
	}
	writeMark(w, open, style)
	for i := range c.Items {
		if i > 0 {
			writeMark(w, sep, style)
		}
		writeNoteref(w, c, i, "", "", style)
	}
	writeMark(w, closer, style)
}

func writeNoteref(w *bufio.Writer, c *Citation, i int, open, closer string, style Style) {
	it := c.Items[i]
	text := util.EscapeHTML([]byte(open + itemText(it, style) + closer))
	if it.Entry == nil {
		w.WriteString(`<span class="gb-cite-missing` + styleClass(style) + `">`)
		w.Write(text)
		w.WriteString(`</span>`)
		return
	}
	w.WriteString(`<a class="gb-cite` + styleClass(style) + `" epub:type="noteref" role="doc-noteref" href="#`)
	w.WriteString(NoteID(it.Key))
	w.WriteString(`" id="`)
	w.WriteString(itemID(c, i))
	w.WriteString(`">`)
	w.Write(text)
	w.WriteString(`</a>`)
}

// writeNotes writes a footnote aside for every entry of the chapter's
// bibliography that a noteref points to, with a back-link to its first
// citation.
func writeNotes(w util.BufWriter, list *ReferenceList, style Style) {
	for i, e := range list.Entries {
		back, ok := list.First[e.Key]
		if !ok {
			continue // listed by the front matter, never cited
		}
		w.WriteString(`<aside class="gb-note" epub:type="footnote" role="doc-footnote" id="`)
		w.WriteString(NoteID(e.Key))
		w.WriteString(`"><p><a href="#`)
		w.WriteString(back)
		w.WriteString(`" role="doc-backlink">`)
		label := e.Label()
		if style != AuthorYear {
			label = strconv.Itoa(i + 1) // Entries are in number order
		}
		w.Write(util.EscapeHTML([]byte(label)))
		w.WriteString(`</a>. `)
		w.WriteString(string(e.HTML()))
		w.WriteString("</p></aside>\n")
	}
}

// firstUses maps each cited key to the id of its first rendered citation
// item (citations inside links render as text and have none).
func firstUses(cites []*Citation) map[string]string {
	first := map[string]string{}
	for _, c := range cites {
		if insideLink(c) {
			continue
		}
		for i, it := range c.Items {
			if _, ok := first[it.Key]; it.Entry != nil && !ok {
				first[it.Key] = itemID(c, i)
			}
		}
	}
	return first
}
