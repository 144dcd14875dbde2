package markup

import (
	"testing"
	"time"

	"guidebook/internal/diag"
)

// fuzzDeadline bounds one input's trip through the chapter pipeline. Fuzz
// inputs are a few kilobytes, which takes milliseconds when the work is
// linear; the bound is loose because fuzz workers share a loaded machine.
const fuzzDeadline = 2 * time.Second

// FuzzChapter sends Markdown through parsing with every extension, link
// resolution and rendering: it must not panic, must take bounded time and
// must locate every problem it reports.
func FuzzChapter(f *testing.F) {
	for _, p := range pathological {
		f.Add(p.gen(200))
	}
	for _, s := range []string{
		"# Heading {#id .c style=\"x\"}\n\nText with [[term:Insulin]], [@doe2020], [[b#section]] and [x](p.png).\n",
		"A {id=5}\n=\n\n## B {#gb-main}\n\n## B {#b}\n\n## B\n",
		"```widget homa-ir\nbands: []\n```\n\n[^1]\n\n[^1]: note [^2]\n[^2]: again\n",
		"- > 1. * [[ [[term: [^ {#\n",
	} {
		f.Add(s)
	}
	run := chapterPipeline(f)
	f.Fuzz(func(t *testing.T, src string) {
		// The pipeline runs aside so that an input that never finishes
		// fails here, with its bytes saved, instead of stalling the run.
		done := make(chan *diag.List, 1)
		go func() {
			_, l := run([]byte(src))
			done <- l
		}()
		var l *diag.List
		select {
		case l = <-done:
		case <-time.After(fuzzDeadline):
			t.Fatalf("a %d-byte chapter took more than %v", len(src), fuzzDeadline)
		}
		for _, e := range l.Errors() {
			if e.Pos.File != "a.md" || e.Pos.Line == 0 || e.Msg == "" {
				t.Errorf("problem without a position or message: %q", e)
			}
		}
	})
}
