package ebook

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"guidebook/internal/cite"
	"guidebook/internal/content"
	"guidebook/internal/epub"
	"guidebook/internal/glossary"
)

// glossaryTerms lists every term, each with its uses in the chapters, as
// the site's glossary page does.
func glossaryTerms(book *content.Book, gl *glossary.Glossary, uses [][]glossary.Use) []epub.Term {
	byTerm := map[string][]epub.Link{}
	for i, us := range uses {
		ch := book.Chapters[i]
		for _, u := range us {
			byTerm[u.Term.ID] = append(byTerm[u.Term.ID], epub.Link{Href: ch.ID + "/" + epub.PageName + "#" + glossary.UseID(u.Term.ID), Text: ch.Title})
		}
	}
	var terms []epub.Term
	for _, t := range gl.Terms() {
		e := epub.Term{ID: t.ID, Name: t.Name, Definition: t.Definition, Aliases: t.Aliases, Uses: byTerm[t.ID]}
		for _, s := range t.See {
			if st, ok := gl.Lookup(s); ok {
				e.See = append(e.See, epub.Link{Href: "glossary/" + epub.PageName + "#" + st.ID, Text: st.Name})
			}
		}
		terms = append(terms, e)
	}
	return terms
}

// references lists the works cited, as the site's references page does.
func references(book *content.Book, bib *cite.Bibliography, cited [][]*cite.Entry) []epub.Reference {
	by := map[string][]epub.Link{}
	for i, es := range cited {
		ch := book.Chapters[i]
		for _, e := range es {
			by[e.Key] = append(by[e.Key], epub.Link{Href: ch.ID + "/" + epub.PageName + "#" + cite.RefID(e.Key), Text: ch.Title})
		}
	}
	var refs []epub.Reference
	for _, e := range bib.Entries() {
		if len(by[e.Key]) > 0 {
			refs = append(refs, epub.Reference{ID: cite.RefID(e.Key), HTML: string(e.HTML()), Uses: by[e.Key]})
		}
	}
	return refs
}

// sourceDate is the EPUB's dcterms:modified, derived from the sources
// and never from the clock or the files' modification times (which a
// checkout resets), so two exports of the same sources are identical
// wherever they run: SOURCE_DATE_EPOCH when set (the reproducible-builds
// convention; a CI job can set it from the last commit), else the start
// of the newest year among the book's references (the book is at least as
// new as its newest source), else the zip epoch, 1980-01-01.
func sourceDate(refs []*cite.Entry) (time.Time, error) {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q: not a number of seconds: %w", s, err)
		}
		return time.Unix(sec, 0).UTC(), nil
	}
	newest := 1980
	for _, e := range refs {
		// "2021", or a range or note such as "2020-2021", "2021a": the
		// leading four digits.
		if len(e.Year) >= 4 {
			if y, err := strconv.Atoi(e.Year[:4]); err == nil && y > newest && y < 10000 {
				newest = y
			}
		}
	}
	return time.Date(newest, 1, 1, 0, 0, 0, 0, time.UTC), nil
}
