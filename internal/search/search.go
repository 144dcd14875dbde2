package search

import (
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"guidebook/internal/content"
	"guidebook/internal/markup"
	"guidebook/internal/paths"
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
	// ManifestAsset is the manifest's asset name.
	ManifestAsset = "search-index.js"
	// PartChapters is how many chapters' entries a part holds.
	PartChapters = 50
	// partStart opens every part; ReadPart reads the parts back by it.
	partStart = "(window.guidebookSearchParts = window.guidebookSearchParts || [])"
	// manifestStart opens the manifest; ReadManifest reads it back by it.
	manifestStart = "window.guidebookSearch = "
)

// Doc is one entry of the client-side search index. Field names are
// short because the index ships to every reader.
type Doc struct {
	U string `json:"u"` // URL relative to the site root
	C string `json:"c"` // chapter or page title
	H string `json:"h"` // heading
	K string `json:"k"` // chapter | section | term | page | reference
	T string `json:"t"` // plain text
}

// Docs splits a chapter at its h2/h3 headings, reusing the parsed
// tree: one entry per section, so a result links to the right heading.
// A section's text is gathered in one buffer and collapsed once: the index
// holds every word of the book, and a string per block was a tenth of a
// large book's build.
func ChapterDocs(ch *content.Chapter, p *markup.Parsed, lk paths.Linker) []Doc {
	page := lk.Rel("", ch.ID+"/")
	cur := Doc{U: page, C: ch.Title, H: ch.Title, K: "chapter"}
	var docs []Doc
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
			cur = Doc{U: page + "#" + string(idb), C: ch.Title, H: xref.PlainText(h, ch.Source), K: "section"}
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

// Encode encodes a chapter's entries once, when its body is rendered;
// a part is then a concatenation of cached pieces. The bytes are those
// of json.Marshal (TestSearchJSONMatchesMarshal), written without
// reflection.
func Encode(docs []Doc) []byte {
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
