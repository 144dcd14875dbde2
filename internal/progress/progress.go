// Package progress draws a long build's progress on a terminal: one line,
// rewritten in place with a carriage return, cleared when the build ends,
// so that only the one-line summary stays on the screen. A build that
// ends within Delay draws nothing, and the command line draws nothing at
// all when stderr is not a terminal (a log or a CI job keeps only the
// summary).
//
// The clock is a field, so tests drive the delay and the redraw rate
// without sleeping.
package progress

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Defaults: a build shorter than Delay shows nothing; the line is drawn at
// most every Every, which keeps a fast build from spending its time on
// the terminal.
const (
	Delay = time.Second
	Every = 100 * time.Millisecond
)

// maxWidth keeps the line shorter than the narrowest usual terminal: a
// wrapped line cannot be rewritten with a carriage return.
const maxWidth = 79

// Line draws the progress line. Its methods are safe for concurrent use
// (the build's workers report at once).
type Line struct {
	w            io.Writer
	now          func() time.Time
	delay, every time.Duration

	order []string // stage names in the order they are shown

	mu     sync.Mutex
	start  time.Time
	drawn  time.Time // when the line was last drawn
	width  int       // runes on the screen, 0 when the line is clear
	stages []stage   // by order, then as they first reported
}

type stage struct {
	name        string
	done, total int
}

// New returns a Line writing to w, counting its delay from now(). The
// stages named in order are shown in that order, whichever reports first
// (the build writes its first files before it renders its first page).
func New(w io.Writer, now func() time.Time, delay, every time.Duration, order ...string) *Line {
	return &Line{w: w, now: now, delay: delay, every: every, order: order, start: now()}
}

// Update records a stage's progress and redraws the line if the delay is
// over and the last drawing is old enough. Its signature is
// site.Options.Progress's.
func (l *Line) Update(name string, done, total int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.set(name, done, total)
	now := l.now()
	if now.Sub(l.start) < l.delay || l.width > 0 && now.Sub(l.drawn) < l.every {
		return
	}
	l.drawn = now
	l.draw(l.text())
}

func (l *Line) set(name string, done, total int) {
	for i := range l.stages {
		if l.stages[i].name == name {
			// Workers report out of order; the count only grows.
			l.stages[i].done = max(l.stages[i].done, done)
			return
		}
	}
	l.stages = append(l.stages, stage{name, done, total})
	slices.SortStableFunc(l.stages, func(a, b stage) int { return cmp.Compare(l.rank(a.name), l.rank(b.name)) })
}

// rank is a stage's place in the order; unlisted stages come after.
func (l *Line) rank(name string) int {
	if i := slices.Index(l.order, name); i >= 0 {
		return i
	}
	return len(l.order)
}

// text is "guidebook: parsed 12/40, rendered 3/45, written 17".
func (l *Line) text() string {
	parts := make([]string, len(l.stages))
	for i, s := range l.stages {
		if s.total > 0 {
			parts[i] = fmt.Sprintf("%s %d/%d", s.name, s.done, s.total)
		} else {
			parts[i] = fmt.Sprintf("%s %d", s.name, s.done)
		}
	}
	t := "guidebook: " + strings.Join(parts, ", ")
	for utf8.RuneCountInString(t) > maxWidth {
		_, n := utf8.DecodeLastRuneInString(t)
		t = t[:len(t)-n]
	}
	return t
}

// draw replaces the line on the screen with t, blanking what a longer
// previous line left.
func (l *Line) draw(t string) {
	n := utf8.RuneCountInString(t)
	pad := max(l.width-n, 0)
	fmt.Fprintf(l.w, "\r%s%s", t, strings.Repeat(" ", pad))
	if pad > 0 {
		fmt.Fprintf(l.w, "\r%s", t)
	}
	l.width = n
}

// Func is l.Update, or nil for a nil Line (no progress wanted), which
// spares the build even the counting.
func (l *Line) Func() func(stage string, done, total int) {
	if l == nil {
		return nil
	}
	return l.Update
}

// Clear erases the line if it was drawn, leaving the cursor at the start
// of the empty line for the summary or the error report. Updates after
// Clear draw nothing. A nil Line does nothing.
func (l *Line) Clear() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.width > 0 {
		fmt.Fprintf(l.w, "\r%s\r", strings.Repeat(" ", l.width))
	}
	l.width = 0
	l.delay = 1<<63 - 1
}
