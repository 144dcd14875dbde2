package site

import (
	"sync/atomic"

	"guidebook/internal/content"
)

// The stages Options.Progress names, in the order they start.
const (
	StageParsed   = "parsed"   // chapters parsed (or reused in watch mode), of all chapters
	StageRendered = "rendered" // HTML pages rendered, of all pages
	StageWritten  = "written"  // files put into the output; the total is not known ahead
)

// step counts one stage's units for Options.Progress. The pipeline's
// workers call done concurrently; a nil step (no Progress) does nothing,
// so the stages need no test of their own.
type step struct {
	stage string
	total int
	n     atomic.Int64
	f     func(stage string, done, total int)
}

func (b *Builder) step(stage string, total int) *step {
	if b.opts.Progress == nil {
		return nil
	}
	return &step{stage: stage, total: total, f: b.opts.Progress}
}

func (s *step) done() {
	if s != nil {
		s.f(s.stage, int(s.n.Add(1)), s.total)
	}
}

// pageCount is how many HTML pages a book has: its chapters, the home
// page, the glossary, the references, the search page and the 404 page.
func pageCount(book *content.Book) int { return len(book.Chapters) + 5 }
