// Package lint is guidebook's author lint: problems that do not break a
// book but that an author keeping a glossary and a bibliography in order
// over months wants to hear about, the way Sphinx warns under -n. It
// works on the resolved book as data (Book), which Collect fills in from
// the models the pipeline already built (the book, glossary,
// bibliography, resolved links, each chapter's parse; site calls it
// after resolve); Check knows nothing of Markdown.
//
// Some problems an author might expect here are build errors already and
// stay so, reported by the glossary as it is built: a term defined twice
// (with the same definition or not), a see: naming no term, and an alias
// that is another term's name or alias.
//
// Each finding is a *diag.Error with Severity diag.Warning (fatal under
// --strict) or diag.Info (never fatal), and the name of its rule.
package lint

import (
	"fmt"

	"guidebook/internal/diag"
)

// The rules, as reports name them ("[unused-term]") and the README
// lists them.
const (
	UnusedTerm        = "unused-term"
	UncitedReference  = "uncited-reference"
	OrphanChapter     = "orphan-chapter"
	UnstableHeadingID = "unstable-heading-id"
)

// Book is what lint needs of a resolved book.
type Book struct {
	Chapters   []Chapter
	Terms      []Term
	References []Reference
	// Uncited are the keys book.yaml lists under citations: references
	// kept on purpose without a citation.
	Uncited []Key
	Links   []Link
}

// Chapter is one chapter as resolved.
type Chapter struct {
	ID, File string
	Uses     []string // ids of the glossary terms marked in it
	Cited    []string // keys of the works in its bibliography (cited, or listed in its citations:)
	Headings []Heading
}

// Heading is a heading's id and whether the author wrote it ({#id}) or it
// was derived from the heading's text.
type Heading struct {
	ID       string
	Explicit bool
	Pos      diag.Pos
}

// Term is a glossary term and where it is defined.
type Term struct {
	ID, Name string
	Pos      diag.Pos
}

// Reference is a work of the bibliography and where its entry starts.
type Reference struct {
	Key string
	Pos diag.Pos
}

// Key is a citation key where it is written.
type Key struct {
	Key string
	Pos diag.Pos
}

// Link is a link between chapters: From and To are chapter ids.
type Link struct {
	From, To string
	Fragment string
	Pos      diag.Pos
}

// Check runs every rule and returns the findings sorted by file, line and
// column, without duplicates. A key in Uncited that names no reference is
// an error (Severity diag.Fatal), as an unknown key in a chapter's
// citations: is.
func Check(b *Book) []*diag.Error {
	var l diag.List
	unusedTerms(b, &l)
	uncitedReferences(b, &l)
	orphanChapters(b, &l)
	unstableHeadingIDs(b, &l)
	return l.Errors()
}

// StrictCount is how many of findings --strict counts: every one but
// Info.
func StrictCount(findings []*diag.Error) int {
	n := 0
	for _, f := range findings {
		if f.Severity != diag.Info {
			n++
		}
	}
	return n
}

func warn(l *diag.List, sev diag.Severity, rule string, pos diag.Pos, format string, args ...any) {
	l.Add(&diag.Error{Pos: pos, Msg: fmt.Sprintf(format, args...), Severity: sev, Rule: rule})
}

// unusedTerms: a term no chapter marks (by its name, an alias or
// [[term:…]]) has no use on any page but the glossary's.
func unusedTerms(b *Book, l *diag.List) {
	used := map[string]bool{}
	for _, ch := range b.Chapters {
		for _, id := range ch.Uses {
			used[id] = true
		}
	}
	for _, t := range b.Terms {
		if !used[t.ID] {
			warn(l, diag.Warning, UnusedTerm, t.Pos,
				"glossary term %q is used in no chapter: use it, or remove it from the glossary", t.Name)
		}
	}
}

// uncitedReferences: a work no chapter cites or lists, and that book.yaml
// does not keep on purpose, is probably left over from an edit.
func uncitedReferences(b *Book, l *diag.List) {
	cited := map[string]bool{}
	for _, ch := range b.Chapters {
		for _, k := range ch.Cited {
			cited[k] = true
		}
	}
	known := map[string]bool{}
	for _, r := range b.References {
		known[r.Key] = true
	}
	for _, k := range b.Uncited {
		if !known[k.Key] {
			l.Addf(k.Pos, "citations: no reference has the key %q", k.Key)
		}
		cited[k.Key] = true
	}
	for _, r := range b.References {
		if !cited[r.Key] {
			warn(l, diag.Warning, UncitedReference, r.Pos,
				"reference %q is cited in no chapter: cite it ([@%s]), or list it under citations: in book.yaml to keep it uncited", r.Key, r.Key)
		}
	}
}

// orphanChapters: a chapter that only the table of contents reaches. It
// is information, not a problem (a book's last chapter often is one), so
// it never fails a --strict run.
func orphanChapters(b *Book, l *diag.List) {
	if len(b.Chapters) < 2 {
		return
	}
	linked := map[string]bool{}
	for _, k := range b.Links {
		if k.From != k.To {
			linked[k.To] = true
		}
	}
	for _, ch := range b.Chapters {
		if !linked[ch.ID] {
			warn(l, diag.Info, OrphanChapter, diag.Pos{File: ch.File, Line: 1, Col: 1},
				"no other chapter links to this one: readers reach it only from the table of contents")
		}
	}
}

// unstableHeadingIDs: a heading whose id comes from its text, and which a
// link from another chapter targets. Within a chapter the author sees the
// heading and the link together (and a link left behind fails the
// build); a link from elsewhere, and every bookmark and shared address,
// breaks silently when the heading is reworded. Such a heading should
// say its id.
func unstableHeadingIDs(b *Book, l *diag.List) {
	type target struct{ chapter, id string }
	from := map[target][]diag.Pos{}
	for _, k := range b.Links {
		if k.From != k.To && k.Fragment != "" {
			t := target{k.To, k.Fragment}
			from[t] = append(from[t], k.Pos)
		}
	}
	for _, ch := range b.Chapters {
		for _, h := range ch.Headings {
			links := from[target{ch.ID, h.ID}]
			if h.Explicit || len(links) == 0 {
				continue
			}
			more := ""
			if len(links) > 1 {
				more = fmt.Sprintf(" (and %d more)", len(links)-1)
			}
			warn(l, diag.Warning, UnstableHeadingID, h.Pos,
				"heading id %q is derived from the heading's text, and %s links to it%s: rewording the heading breaks the link; write {#%s} after the heading to keep the id",
				h.ID, links[0], more, h.ID)
		}
	}
}
