// Package pages says what each page kind of the book shows, as data:
// the glossary's and the references' entries with their links back to
// the chapters, a chapter's table of contents, every page's sidebar, the
// search documents of the book's own pages, and the anchors each page
// offers to links (its xref.Target).
//
// It sits in the render stage between the resolved book and the theme:
// it reads the models the resolve stage produced (content's chapters,
// the glossary, the bibliography, xref's headings) and fills theme.Page
// and search.Doc. theme stays free of the goldmark extensions and of
// the book's models; site keeps only when and how often a page renders
// (its caches and worker pool); the EPUB (package ebook) shows the same
// headings and anchors as the site because it asks this package too.
// Every function here is pure: no file is read or written.
package pages

import (
	"guidebook/internal/bib"
	"guidebook/internal/cite"
	"guidebook/internal/content"
	"guidebook/internal/glossary"
	"guidebook/internal/paths"
	"guidebook/internal/search"
	"guidebook/internal/theme"
)

// Glossary fills the glossary page gp: every term with its definition,
// its see-also terms and the chapters using it, each linking to the
// term's first use there.
func Glossary(gp *theme.Page, gl *glossary.Glossary, bl BackLinks) *theme.Page {
	var entries []*theme.TermEntry
	for _, t := range gl.Terms() {
		e := &theme.TermEntry{ID: t.ID, Name: t.Name, Definition: t.Definition, Aliases: t.Aliases}
		for _, s := range t.See {
			if st, ok := gl.Lookup(s); ok {
				e.See = append(e.See, theme.Link{Title: st.Name, URL: "#" + st.ID})
			}
		}
		for _, ch := range bl.UsesByTerm[t.ID] {
			e.UsedIn = append(e.UsedIn, theme.Link{Title: ch.Title, URL: gp.URL(ch.ID+"/") + "#" + glossary.UseID(t.ID)})
		}
		entries = append(entries, e)
	}
	gp.SetTerms(entries)
	return gp
}

// References fills the references page rp: the works some chapter
// cites, each with links back to its citations.
func References(rp *theme.Page, refs *bib.Bibliography, bl BackLinks) *theme.Page {
	for _, e := range refs.Entries() {
		if len(bl.CitedBy[e.Key]) == 0 {
			continue
		}
		r := &theme.RefEntry{ID: cite.RefID(e.Key), Label: e.Label(), HTML: e.HTML()}
		for _, ch := range bl.CitedBy[e.Key] {
			r.CitedIn = append(r.CitedIn, theme.Link{Title: ch.Title, URL: rp.URL(ch.ID+"/") + "#" + cite.RefID(e.Key)})
		}
		rp.References = append(rp.References, r)
	}
	return rp
}

// TermDocs are the glossary's search documents, one a term.
func TermDocs(gl *glossary.Glossary, lk paths.Linker) []search.Doc {
	var docs []search.Doc
	for _, t := range gl.Terms() {
		docs = append(docs, search.Doc{U: lk.Rel("", "glossary/") + "#" + t.ID, C: "Glossary", H: t.Name, K: "term", T: t.Definition})
	}
	return docs
}

// ReferenceDocs are the references page and each work listed on it (the
// works some chapter cites), so a reader finds a source by its author or
// title. The text is the formatted reference as written ("Pérez-Rubio");
// search.js folds accents away on both sides.
func ReferenceDocs(refs *bib.Bibliography, bl BackLinks, lk paths.Linker) []search.Doc {
	page := lk.Rel("", "references/")
	docs := []search.Doc{{U: page, C: "References", H: "References", K: "page"}}
	for _, e := range refs.Entries() {
		if len(bl.CitedBy[e.Key]) > 0 {
			docs = append(docs, search.Doc{U: page + "#" + cite.RefID(e.Key), C: "References", H: e.Label(), K: "reference", T: e.Text()})
		}
	}
	return docs
}

// BackLinks are, for each glossary term (by id) and each work (by key),
// the chapters that use or cite it, in reading order: what the glossary
// and the references show beside each entry.
type BackLinks struct {
	UsesByTerm, CitedBy map[string][]*content.Chapter
}

// NewBackLinks gathers the back-links of chapters, whose parses marked
// uses[i] and cited cited[i].
func NewBackLinks(chapters []*content.Chapter, uses [][]glossary.Use, cited [][]*bib.Entry) BackLinks {
	bl := BackLinks{UsesByTerm: map[string][]*content.Chapter{}, CitedBy: map[string][]*content.Chapter{}}
	for i, ch := range chapters {
		for _, u := range uses[i] {
			bl.UsesByTerm[u.Term.ID] = append(bl.UsesByTerm[u.Term.ID], ch)
		}
		for _, e := range cited[i] {
			bl.CitedBy[e.Key] = append(bl.CitedBy[e.Key], ch)
		}
	}
	return bl
}
