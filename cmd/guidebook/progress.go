package main

import (
	"io"
	"os"
	"time"

	"guidebook/internal/progress"
	"guidebook/internal/site"
)

// The progress line's seams, which tests replace: whether stderr is a
// terminal, the clock, and the delay before a build shows progress.
var (
	isTerminal = func(w io.Writer) bool {
		f, ok := w.(*os.File)
		return ok && progress.IsTerminal(f)
	}
	progressClock = time.Now
	progressDelay = progress.Delay
)

// startProgress returns the progress line a build or export draws on
// stderr, or nil (draw nothing) when stderr is not a terminal.
func startProgress(stderr io.Writer) *progress.Line {
	if !isTerminal(stderr) {
		return nil
	}
	return progress.New(stderr, progressClock, progressDelay, progress.Every, site.StageParsed, site.StageRendered, site.StageWritten)
}
