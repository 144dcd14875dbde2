package site

import (
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
	parses := make([]lint.Parse, len(r.states))
	for i, st := range r.states {
		parses[i] = lint.Parse{Uses: st.Uses, Cited: st.Cited, Headings: st.Headings, HeadingPos: st.headingPos}
	}
	findings := lint.Check(lint.Collect(book, e.gl, e.bib, r.links, parses, diag.DisplayDir(b.opts.ContentDir)))
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
