package pages

import (
	"guidebook/internal/bib"
	"guidebook/internal/cite"
	"guidebook/internal/content"
	"guidebook/internal/glossary"
	"guidebook/internal/theme"
	"guidebook/internal/xref"
)

// TOCHeadings are a chapter's h2 and h3, for its table of contents (the
// site's sidebar and the EPUB's navigation alike).
func TOCHeadings(hs []xref.Heading) []*theme.TOCEntry {
	var out []*theme.TOCEntry
	for _, h := range hs {
		if h.Level >= 2 && h.Level <= 3 {
			out = append(out, &theme.TOCEntry{ID: h.ID, Text: h.Text, Level: h.Level})
		}
	}
	return out
}

// ChapterTarget is a chapter page as a link target: its headings, the
// anchors of its citations' references and of its first use of each
// term.
func ChapterTarget(ch *content.Chapter, headings []xref.Heading, cited []*bib.Entry, uses []glossary.Use) *xref.Target {
	t := &xref.Target{ID: ch.ID, File: ch.File, Dir: ch.ID + "/", Title: ch.Title, Anchors: map[string]bool{}}
	for _, h := range headings {
		t.Anchors[h.ID] = true
	}
	for _, e := range cited {
		t.Anchors[cite.RefID(e.Key)] = true
	}
	for _, u := range uses {
		t.Anchors[glossary.UseID(u.Term.ID)] = true
	}
	return t
}

// BookTargets are the link targets besides the chapters: the glossary
// (an anchor a term), the references (one a work) and the home page.
func BookTargets(title string, gl *glossary.Glossary, refs *bib.Bibliography) []*xref.Target {
	glossaryTarget := &xref.Target{ID: "glossary", Dir: "glossary/", Title: "Glossary", Anchors: map[string]bool{}}
	for _, t := range gl.Terms() {
		glossaryTarget.Anchors[t.ID] = true
	}
	refsTarget := &xref.Target{ID: "references", Dir: "references/", Title: "References", Anchors: map[string]bool{}}
	for _, en := range refs.Entries() {
		refsTarget.Anchors[cite.RefID(en.Key)] = true
	}
	homeTarget := &xref.Target{ID: "index", Dir: "", Title: title, Anchors: map[string]bool{}}
	return []*xref.Target{glossaryTarget, refsTarget, homeTarget}
}
