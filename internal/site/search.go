package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"guidebook/internal/cite"
	"guidebook/internal/content"
	"guidebook/internal/glossary"
	"guidebook/internal/markup"
	"guidebook/internal/render"
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
	K string `json:"k"` // chapter | section | term | page | reference
	T string `json:"t"` // plain text
}

// searchDocs splits a chapter at its h2/h3 headings, reusing the parsed
// tree: one entry per section, so a result links to the right heading.
// A section's text is gathered in one buffer and collapsed once: the index
// holds every word of the book, and a string per block was a tenth of a
// large book's build.
func searchDocs(ch *content.Chapter, p *markup.Parsed, lk xref.Linker) []searchDoc {
	page := lk.Rel("", ch.ID+"/")
	cur := searchDoc{U: page, C: ch.Title, H: ch.Title, K: "chapter"}
	var docs []searchDoc
	var text []byte
	flush := func() {
		cur.T = collapseSpace(text)
		if cur.T != "" || cur.K != "chapter" {
			docs = append(docs, cur)
		}
		text = text[:0]
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
		text = xref.AppendPlainText(text, n, ch.Source)
		text = append(text, ' ')
	}
	flush()
	return docs
}

// asciiSpace marks the bytes unicode.IsSpace accepts below utf8.RuneSelf.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// collapseSpace is strings.Join(strings.Fields(s), " ") in one pass and
// one allocation, decoding runes only outside ASCII.
func collapseSpace(s []byte) string {
	b := make([]byte, 0, len(s))
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		size := 1
		isSpace := false
		if c < utf8.RuneSelf {
			isSpace = asciiSpace[c]
		} else {
			var r rune
			r, size = utf8.DecodeRune(s[i:])
			isSpace = unicode.IsSpace(r)
		}
		if isSpace {
			space = len(b) > 0
		} else {
			if space {
				b = append(b, ' ')
				space = false
			}
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}

// searchJSON encodes a chapter's entries once, when its body is rendered;
// a part is then a concatenation of cached pieces. The bytes are those
// of json.Marshal (TestSearchJSONMatchesMarshal), written without
// reflection.
func searchJSON(docs []searchDoc) []byte {
	n := 0
	for _, d := range docs {
		n += len(d.U) + len(d.C) + len(d.H) + len(d.K) + len(d.T) + 40
	}
	b := make([]byte, 0, n)
	for _, d := range docs {
		b = append(b, `{"u":`...)
		b = appendJSONString(b, d.U)
		b = append(b, `,"c":`...)
		b = appendJSONString(b, d.C)
		b = append(b, `,"h":`...)
		b = appendJSONString(b, d.H)
		b = append(b, `,"k":`...)
		b = appendJSONString(b, d.K)
		b = append(b, `,"t":`...)
		b = appendJSONString(b, d.T)
		b = append(b, "},"...)
	}
	return b
}

// appendJSONString appends s as encoding/json writes a string: HTML
// characters, U+2028 and U+2029 escaped, invalid UTF-8 as U+FFFD.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// searchCache remembers what each part was made of, so a rebuild adds
// (and hashes) only the parts whose chapters' entries changed.
type searchCache struct {
	parts []searchPartKey
}

// searchPartKey identifies a part's input: its chapters' cached pieces,
// compared by identity (a re-rendered chapter gets a new piece), or, for
// the parts of the book's own pages, ver: the glossary version for the
// terms part, a hash of the entries for the references part.
type searchPartKey struct {
	pieces [][]byte
	ver    string
}

func (k searchPartKey) equal(o searchPartKey) bool {
	if k.ver != o.ver || len(k.pieces) != len(o.pieces) {
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

// referenceDocs are the references page and each work listed on it (the
// works some chapter cites), so a reader finds a source by its author or
// title. The text is the formatted reference as written ("Pérez-Rubio");
// search.js folds accents away on both sides.
func referenceDocs(bib *cite.Bibliography, cited func(*cite.Entry) bool, lk xref.Linker) []searchDoc {
	page := lk.Rel("", "references/")
	docs := []searchDoc{{U: page, C: "References", H: "References", K: "page"}}
	for _, e := range bib.Entries() {
		if cited(e) {
			docs = append(docs, searchDoc{U: page + "#" + cite.RefID(e.Key), C: "References", H: e.Label(), K: "reference", T: e.Text()})
		}
	}
	return docs
}

// searchAssets adds the parts that changed and the manifest: parts of
// searchPartChapters chapters in reading order, then one of glossary
// terms, then one of the references (refs, from referenceDocs).
func (b *Builder) searchAssets(gl *glossary.Glossary, refs []searchDoc, states []*chapterState, lk xref.Linker) {
	var keys []searchPartKey
	for i := 0; i < len(states); i += searchPartChapters {
		var k searchPartKey
		for _, st := range states[i:min(i+searchPartChapters, len(states))] {
			k.pieces = append(k.pieces, st.search)
		}
		keys = append(keys, k)
	}
	refsJSON := searchJSON(refs)
	glossaryPart, refsPart := len(keys), len(keys)+1
	keys = append(keys, searchPartKey{ver: "glossary " + gl.Version()}, searchPartKey{ver: "references " + hashBytes(refsJSON)})

	c := &b.search
	var changed []int
	for i, k := range keys {
		if _, ok := b.assets.Get(searchPartName(i)); ok && i < len(c.parts) && k.equal(c.parts[i]) {
			continue
		}
		changed = append(changed, i)
	}
	// The parts of a large book are megabytes to copy (and, for a
	// published site, to hash): they are made in parallel.
	made := make([]*render.Asset, len(changed))
	parallel(len(changed), b.opts.Workers, func(j int) {
		i := changed[j]
		pieces := keys[i].pieces
		switch i {
		case glossaryPart:
			var docs []searchDoc
			for _, t := range gl.Terms() {
				docs = append(docs, searchDoc{U: lk.Rel("", "glossary/") + "#" + t.ID, C: "Glossary", H: t.Name, K: "term", T: t.Definition})
			}
			pieces = [][]byte{searchJSON(docs)}
		case refsPart:
			pieces = [][]byte{refsJSON}
		}
		made[j] = b.assets.Prepare(searchPartName(i), searchPart(i, pieces))
	})
	for _, as := range made {
		b.assets.Put(as)
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
	var names []string
	for i := range keys {
		names = append(names, searchPartName(i))
		a, _ := b.assets.Get(searchPartName(i))
		r := ref{Src: a.Path}
		if b.opts.Mode == Publish {
			r.Integrity = a.Integrity
		}
		manifest.Parts = append(manifest.Parts, r)
	}
	data, _ := json.Marshal(manifest)
	data = append(append([]byte("window.guidebookSearch = "), data...), ";\n"...)
	m, ok := b.assets.Get(searchManifest)
	if !ok || string(m.Data) != string(data) {
		m = b.assets.Add(searchManifest, data)
	}
	m.Refs = names // search.js loads the parts the manifest names
}

func searchPartName(i int) string { return fmt.Sprintf("search/%d.js", i) }

// searchPart is part i as a script: the entries of its pieces, each
// followed by a comma, become the i-th array of
// window.guidebookSearchParts. The part is assembled in one allocation:
// the parts of a large book hold every word of it.
func searchPart(i int, pieces [][]byte) []byte {
	head := fmt.Sprintf("%s[%d] = [", searchPartStart, i)
	const tail = "];\n"
	n := len(head) + len(tail)
	for _, p := range pieces {
		n += len(p)
	}
	out := make([]byte, 0, n)
	out = append(out, head...)
	for _, p := range pieces {
		out = append(out, p...)
	}
	out = bytes.TrimSuffix(out, []byte(","))
	return append(out, tail...)
}
