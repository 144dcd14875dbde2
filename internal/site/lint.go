package site

import (
	"path/filepath"

	"guidebook/internal/content"
	"guidebook/internal/diag"
	"guidebook/internal/lint"
)

// lint runs author lint (package lint) over the resolved book. A key of
// book.yaml's citations: that names no reference fails the build, and so
// does every warning with Options.Strict; what is left is returned for
// the command to report. Positions are the book's, as every problem's
// before relocate, except the link positions quoted inside messages,
// which are written the way the author reaches the file.
func (b *Builder) lint(book *content.Book, e *env, r *resolved) ([]*diag.Error, error) {
	findings := lint.Check(lintBook(book, e, r, diag.DisplayDir(b.opts.ContentDir)))
	var fatal diag.List
	for _, f := range findings {
		if f.Severity == diag.Fatal || b.opts.Strict && f.Severity == diag.Warning {
			fatal.Add(f)
		}
	}
	if err := fatal.Err(); err != nil {
		return nil, err
	}
	var l diag.List
	for _, f := range findings {
		l.Add(f)
	}
	relocated := diag.Relocate(l.Err(), diag.DisplayDir(b.opts.ContentDir))
	var out diag.List
	out.Add(relocated)
	return out.Errors(), nil
}

// lintBook is the data lint works on, from what the pipeline found.
func lintBook(book *content.Book, e *env, r *resolved, dir string) *lint.Book {
	lb := &lint.Book{}
	for _, t := range e.gl.Terms() {
		lb.Terms = append(lb.Terms, lint.Term{ID: t.ID, Name: t.Name, Pos: t.Pos})
	}
	for _, en := range e.bib.Entries() {
		lb.References = append(lb.References, lint.Reference{Key: en.Key, Pos: en.Pos})
	}
	for _, k := range book.Citations {
		lb.Uncited = append(lb.Uncited, lint.Key{Key: k.Key, Pos: k.Pos})
	}
	targeted := map[string]map[string]bool{} // fragments linked, by chapter id
	for _, l := range r.links {
		if l.To.File == "" { // the glossary, references or home page
			continue
		}
		p := l.Pos
		if dir != "" && dir != "." {
			p.File = filepath.ToSlash(filepath.Join(dir, p.File))
		}
		lb.Links = append(lb.Links, lint.Link{From: l.From.ID, To: l.To.ID, Fragment: l.Fragment, Pos: p})
		if targeted[l.To.ID] == nil {
			targeted[l.To.ID] = map[string]bool{}
		}
		targeted[l.To.ID][l.Fragment] = true
	}
	for i, ch := range book.Chapters {
		lb.Chapters = append(lb.Chapters, lintChapter(ch, r.states[i], targeted))
	}
	return lb
}

// lintChapter is one chapter's part of the lint data. Only headings that
// a link targets are passed: finding the line of every heading of a
// large book would cost a scan of its whole text.
func lintChapter(ch *content.Chapter, st *chapterState, targeted map[string]map[string]bool) lint.Chapter {
	c := lint.Chapter{ID: ch.ID, File: ch.File}
	for _, u := range st.uses {
		c.Uses = append(c.Uses, u.Term.ID)
	}
	for _, en := range st.cited {
		c.Cited = append(c.Cited, en.Key)
	}
	src := &diag.Source{File: ch.File, Src: ch.Source}
	for _, h := range st.parsed.Links.Headings {
		if targeted[ch.ID][h.ID] {
			c.Headings = append(c.Headings, lint.Heading{ID: h.ID, Explicit: h.Explicit, Pos: src.Pos(h.Offset)})
		}
	}
	return c
}
