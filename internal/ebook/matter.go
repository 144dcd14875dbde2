package ebook

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"guidebook/internal/bib"
	"guidebook/internal/cite"
	"guidebook/internal/epub"
	"guidebook/internal/glossary"
	"guidebook/internal/pages"
)

// glossaryTerms lists every term, each with its uses in the chapters, as
// the site's glossary page does.
func glossaryTerms(gl *glossary.Glossary, bl pages.BackLinks) []epub.Term {
	var terms []epub.Term
	for _, t := range gl.Terms() {
		e := epub.Term{ID: t.ID, Name: t.Name, Definition: t.Definition, Aliases: t.Aliases}
		for _, ch := range bl.UsesByTerm[t.ID] {
			e.Uses = append(e.Uses, epub.Link{Href: ch.ID + "/" + epub.PageName + "#" + glossary.UseID(t.ID), Text: ch.Title})
		}
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
func references(refs *bib.Bibliography, bl pages.BackLinks) []epub.Reference {
	var out []epub.Reference
	for _, e := range refs.Entries() {
		var uses []epub.Link
		for _, ch := range bl.CitedBy[e.Key] {
			uses = append(uses, epub.Link{Href: ch.ID + "/" + epub.PageName + "#" + cite.RefID(e.Key), Text: ch.Title})
		}
		if len(uses) > 0 {
			out = append(out, epub.Reference{ID: cite.RefID(e.Key), HTML: string(e.HTML()), Uses: uses})
		}
	}
	return out
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
