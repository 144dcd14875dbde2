package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"guidebook/internal/content"
	"guidebook/internal/glossary"
	"guidebook/internal/markup"
	"guidebook/internal/xref"
)

// The client-side search index ships in parts. Every page loads only the
// small manifest, search-index.js, which lists the parts; search.js loads
// them (as classic scripts, which work from file:// where fetch() does
// not) the first time a reader uses the search box. A single index was
// ten megabytes at 1,000 chapters: every page view parsed it, and every
// watch-mode rebuild copied it whole to change one chapter's entries.
// Now a page view parses a few hundred bytes, and an edit rebuilds one
// part of searchPartChapters chapters.
const (
	searchManifest     = "search-index.js"
	searchPartChapters = 50
	// searchPartStart opens every part; export's single-file joiner reads
	// the parts back by it.
	searchPartStart = "(window.guidebookSearchParts = window.guidebookSearchParts || [])"
)

// searchDoc is one entry of the client-side search index. Field names are
// short because the index ships to every reader.
type searchDoc struct {
	U string `json:"u"` // URL relative to the site root
	C string `json:"c"` // chapter or page title
	H string `json:"h"` // heading
	K string `json:"k"` // chapter | section | term
	T string `json:"t"` // plain text
}

// searchDocs splits a chapter at its h2/h3 headings, reusing the parsed
// tree: one entry per section, so a result links to the right heading.
func searchDocs(ch *content.Chapter, p *markup.Parsed, lk xref.Linker) []searchDoc {
	page := lk.Rel("", ch.ID+"/")
	cur := searchDoc{U: page, C: ch.Title, H: ch.Title, K: "chapter"}
	var docs []searchDoc
	var text strings.Builder
	flush := func() {
		cur.T = collapseSpace(text.String())
		if cur.T != "" || cur.K != "chapter" {
			docs = append(docs, cur)
		}
		text.Reset()
	}
	for n := p.Doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && h.Level <= 3 {
			flush()
			id, _ := h.AttributeString("id")
			idb, _ := id.([]byte)
			cur = searchDoc{U: page + "#" + string(idb), C: ch.Title, H: xref.PlainText(h, ch.Source), K: "section"}
			continue
		}
		switch n.Kind() {
		case ast.KindParagraph, ast.KindList, ast.KindBlockquote, ast.KindHeading, ast.KindTextBlock, east.KindTable:
		default:
			continue
		}
		text.WriteString(xref.PlainText(n, ch.Source))
		text.WriteByte(' ')
	}
	flush()
	return docs
}

// collapseSpace is strings.Join(strings.Fields(s), " ") in one pass and
// one allocation: the index holds every word of the book.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// searchJSON encodes a chapter's entries once, when its body is rendered;
// a part is then a concatenation of cached pieces.
func searchJSON(docs []searchDoc) []byte {
	var b []byte
	for _, d := range docs {
		data, _ := json.Marshal(d)
		b = append(append(b, data...), ',')
	}
	return b
}

// searchCache remembers what each part was made of, so a rebuild adds
// (and hashes) only the parts whose chapters' entries changed.
type searchCache struct {
	parts []searchPartKey
}

// searchPartKey identifies a part's input: its chapters' cached pieces,
// compared by identity (a re-rendered chapter gets a new piece), or the
// glossary version for the terms part.
type searchPartKey struct {
	pieces [][]byte
	glVer  string
}

func (k searchPartKey) equal(o searchPartKey) bool {
	if k.glVer != o.glVer || len(k.pieces) != len(o.pieces) {
		return false
	}
	for i, p := range k.pieces {
		q := o.pieces[i]
		if len(p) != len(q) || len(p) > 0 && &p[0] != &q[0] {
			return false
		}
	}
	return true
}

// searchAssets adds the parts that changed and the manifest: parts of
// searchPartChapters chapters in reading order, then one of glossary
// terms.
func (b *Builder) searchAssets(gl *glossary.Glossary, states []*chapterState, lk xref.Linker) {
	var keys []searchPartKey
	for i := 0; i < len(states); i += searchPartChapters {
		var k searchPartKey
		for _, st := range states[i:min(i+searchPartChapters, len(states))] {
			k.pieces = append(k.pieces, st.search)
		}
		keys = append(keys, k)
	}
	keys = append(keys, searchPartKey{glVer: gl.Version()})

	c := &b.search
	for i, k := range keys {
		name := searchPartName(i)
		if _, ok := b.assets.Get(name); ok && i < len(c.parts) && k.equal(c.parts[i]) {
			continue
		}
		var body []byte
		if k.glVer != "" {
			var docs []searchDoc
			for _, t := range gl.Terms() {
				docs = append(docs, searchDoc{U: lk.Rel("", "glossary/") + "#" + t.ID, C: "Glossary", H: t.Name, K: "term", T: t.Definition})
			}
			body = searchJSON(docs)
		} else {
			n := 0
			for _, p := range k.pieces {
				n += len(p)
			}
			body = make([]byte, 0, n)
			for _, p := range k.pieces {
				body = append(body, p...)
			}
		}
		b.assets.Add(name, searchPart(i, body))
	}
	for i := len(keys); i < len(c.parts); i++ {
		b.assets.Remove(searchPartName(i)) // the book got shorter
	}
	c.parts = keys

	type ref struct {
		Src       string `json:"src"`                 // relative to the site root
		Integrity string `json:"integrity,omitempty"` // published sites only
	}
	var manifest struct {
		Parts []ref `json:"parts"`
	}
	for i := range keys {
		a, _ := b.assets.Get(searchPartName(i))
		r := ref{Src: a.Path}
		if b.opts.Mode == Publish {
			r.Integrity = a.Integrity
		}
		manifest.Parts = append(manifest.Parts, r)
	}
	data, _ := json.Marshal(manifest)
	data = append(append([]byte("window.guidebookSearch = "), data...), ";\n"...)
	if old, ok := b.assets.Get(searchManifest); !ok || string(old.Data) != string(data) {
		b.assets.Add(searchManifest, data)
	}
}

func searchPartName(i int) string { return fmt.Sprintf("search/%d.js", i) }

// searchPart is part i as a script: its entries, each followed by a comma,
// become the i-th array of window.guidebookSearchParts.
func searchPart(i int, entries []byte) []byte {
	entries = bytes.TrimSuffix(entries, []byte(","))
	out := make([]byte, 0, len(entries)+len(searchPartStart)+16)
	out = fmt.Appendf(out, "%s[%d] = [", searchPartStart, i)
	out = append(out, entries...)
	return append(out, "];\n"...)
}
