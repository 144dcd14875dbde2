package main

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// withTerminal makes the CLI take stderr for a terminal, or not, and show
// progress at once rather than after a second.
func withTerminal(t *testing.T, terminal bool) {
	old, oldDelay, oldClock := isTerminal, progressDelay, progressClock
	isTerminal = func(io.Writer) bool { return terminal }
	progressDelay = 0
	// Each look at the clock is a second later, so every report redraws.
	var mu sync.Mutex
	now := time.Unix(0, 0)
	progressClock = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Second)
		return now
	}
	t.Cleanup(func() { isTerminal, progressDelay, progressClock = old, oldDelay, oldClock })
}

// progressLine matches a progress drawing and its clearing.
var progressLine = regexp.MustCompile(`^\rguidebook: parsed \d+/\d+`)

func TestProgressOnTerminal(t *testing.T) {
	withTerminal(t, true)
	for _, args := range [][]string{{"build"}, {"export"}} {
		site := copySite(t)
		code, out, errOut := runCLI(append(args, "--src", site)...)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s", args[0], code, errOut)
		}
		if !progressLine.MatchString(errOut) || !strings.Contains(errOut, "rendered") || !strings.Contains(errOut, "written") {
			t.Errorf("%s: no progress on the terminal: %q", args[0], errOut)
		}
		// The line ends cleared: blanks, and the cursor back at its start.
		if last := errOut[strings.LastIndex(errOut, "\r\x20"):]; strings.Trim(last, "\r ") != "" || !strings.HasSuffix(last, " \r") {
			t.Errorf("%s: the progress line is not cleared at the end: %q", args[0], last)
		}
		if !strings.HasPrefix(out, "guidebook: ") || strings.Count(out, "\n") != 1 {
			t.Errorf("%s: summary %q, want the one line", args[0], out)
		}
	}
}

func TestNoProgressOffTerminal(t *testing.T) {
	withTerminal(t, false)
	for _, args := range [][]string{{"build"}, {"export"}} {
		site := copySite(t)
		code, out, errOut := runCLI(append(args, "--src", site)...)
		if code != 0 || errOut != "" {
			t.Errorf("%s: exit %d, stderr %q; want nothing on stderr", args[0], code, errOut)
		}
		if strings.Count(out, "\n") != 1 || strings.Contains(out, "\r") {
			t.Errorf("%s: stdout %q, want only the summary", args[0], out)
		}
	}
}

// TestProgressClearedOnFailure: the report of a failed build starts on a
// clean line.
func TestProgressClearedOnFailure(t *testing.T) {
	withTerminal(t, true)
	site := newBook(t)
	if err := os.WriteFile(filepath.Join(site, "content", "measuring.md"), []byte("---\ntitle: M\n---\n\n[[nowhere]]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI("build", "--src", site)
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, errOut)
	}
	i := strings.LastIndex(errOut, "\r") + 1
	if before, report := errOut[:i], errOut[i:]; !strings.HasSuffix(before, " \r") || !strings.HasPrefix(report, site) {
		t.Errorf("the report does not follow a cleared progress line: %q", errOut)
	}
}
