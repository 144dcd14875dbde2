package lint

import (
	"bytes"
	"path/filepath"

	"guidebook/internal/bib"
	"guidebook/internal/content"
	"guidebook/internal/diag"
	"guidebook/internal/glossary"
	"guidebook/internal/xref"
)

// Parse is what lint needs of one chapter's parse: the terms it marks,
// the works it cites and its headings.
type Parse struct {
	Uses     []glossary.Use
	Cited    []*bib.Entry
	Headings []xref.Heading
	// HeadingPos is each derived heading's position (HeadingPositions):
	// a one-shot build lets a chapter's source go once it is resolved.
	HeadingPos []diag.Pos
}

// HeadingPositions finds the place of each heading whose id is derived
// from its text (the only ones a finding names), in the chapter's source;
// an explicit one's is left zero. Headings come in document order, so
// one pass over the source places them all.
func HeadingPositions(src []byte, file string, hs []xref.Heading) []diag.Pos {
	pos := make([]diag.Pos, len(hs))
	line, lineStart, at := 1, 0, 0
	for i, h := range hs {
		if h.Explicit {
			continue
		}
		off := max(0, min(h.Offset, len(src)))
		if off < at { // not in order after all: count from the start
			line, lineStart, at = 1, 0, 0
		}
		line += bytes.Count(src[at:off], []byte{'\n'})
		if nl := bytes.LastIndexByte(src[at:off], '\n'); nl >= 0 {
			lineStart = at + nl + 1
		}
		at = off
		pos[i] = diag.Pos{File: file, Line: line, Col: off - lineStart + 1}
	}
	return pos
}

// Collect is the data Check works on, from the models the pipeline
// built: the book, its glossary and bibliography, the links resolve found
// to the book's pages (xref.Index.Links) and each chapter's parse, in
// reading order. dir is the content folder as the author reaches it: the
// link positions quoted inside messages are written that way.
func Collect(book *content.Book, gl *glossary.Glossary, refs *bib.Bibliography, links []xref.PageLink, parses []Parse, dir string) *Book {
	lb := &Book{}
	for _, t := range gl.Terms() {
		lb.Terms = append(lb.Terms, Term{ID: t.ID, Name: t.Name, Pos: t.Pos})
	}
	for _, en := range refs.Entries() {
		lb.References = append(lb.References, Reference{Key: en.Key, Pos: en.Pos})
	}
	for _, k := range book.Citations {
		lb.Uncited = append(lb.Uncited, Key{Key: k.Key, Pos: k.Pos})
	}
	targeted := map[string]map[string]bool{} // fragments linked, by chapter id
	for _, l := range links {
		if l.To.File == "" { // the glossary, references or home page
			continue
		}
		p := l.Pos
		if dir != "" && dir != "." {
			p.File = filepath.ToSlash(filepath.Join(dir, p.File))
		}
		lb.Links = append(lb.Links, Link{From: l.From.ID, To: l.To.ID, Fragment: l.Fragment, Pos: p})
		if targeted[l.To.ID] == nil {
			targeted[l.To.ID] = map[string]bool{}
		}
		targeted[l.To.ID][l.Fragment] = true
	}
	for i, ch := range book.Chapters {
		lb.Chapters = append(lb.Chapters, collectChapter(ch, parses[i], targeted))
	}
	return lb
}

// collectChapter is one chapter's part of the data. Only headings that a
// link targets are passed.
func collectChapter(ch *content.Chapter, p Parse, targeted map[string]map[string]bool) Chapter {
	c := Chapter{ID: ch.ID, File: ch.File}
	for _, u := range p.Uses {
		c.Uses = append(c.Uses, u.Term.ID)
	}
	for _, en := range p.Cited {
		c.Cited = append(c.Cited, en.Key)
	}
	for i, h := range p.Headings {
		if targeted[ch.ID][h.ID] {
			c.Headings = append(c.Headings, Heading{ID: h.ID, Explicit: h.Explicit, Pos: p.HeadingPos[i]})
		}
	}
	return c
}
