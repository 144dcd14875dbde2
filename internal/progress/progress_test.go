package progress

import (
	"os"
	"strings"
	"testing"
	"time"
)

// clock is a fake time source the test moves by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newLine(c *clock) (*Line, *strings.Builder) {
	var b strings.Builder
	return New(&b, c.now, Delay, Every), &b
}

func TestNothingBeforeTheDelay(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	l, b := newLine(c)
	l.Update("parsed", 1, 4)
	c.advance(Delay - time.Millisecond)
	l.Update("parsed", 4, 4)
	l.Clear()
	if b.Len() != 0 {
		t.Errorf("a build shorter than the delay wrote %q", b.String())
	}
}

func TestLineDrawnRewrittenAndCleared(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	l, b := newLine(c)
	l.Update("parsed", 1, 40)
	c.advance(Delay)
	l.Update("parsed", 2, 40)
	want := "\rguidebook: parsed 2/40"
	if b.String() != want {
		t.Fatalf("first drawing %q, want %q", b.String(), want)
	}
	// Within Every of the last drawing nothing is drawn, but the count is
	// kept for the next one.
	l.Update("rendered", 1, 45)
	c.advance(Every / 2)
	l.Update("written", 7, 0)
	if b.String() != want {
		t.Fatalf("redrawn too soon: %q", b.String())
	}
	c.advance(Every)
	l.Update("parsed", 3, 40)
	l.Update("parsed", 1, 40) // a late report from another worker
	want += "\rguidebook: parsed 3/40, rendered 1/45, written 7"
	if b.String() != want {
		t.Fatalf("second drawing %q, want %q", b.String(), want)
	}
	l.Clear()
	want += "\r" + strings.Repeat(" ", len("guidebook: parsed 3/40, rendered 1/45, written 7")) + "\r"
	if b.String() != want {
		t.Fatalf("after Clear %q, want %q", b.String(), want)
	}
	c.advance(time.Hour)
	l.Update("written", 9, 0)
	if b.String() != want {
		t.Errorf("drawn after Clear: %q", b.String())
	}
}

func TestShorterLineBlanksTheRest(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	var b strings.Builder
	l := New(&b, c.now, 0, 0)
	l.Update("parsed", 10, 10)
	l.stages = l.stages[:0] // a shorter line next: only the new stage
	l.Update("x", 1, 0)
	want := "\rguidebook: parsed 10/10" + "\rguidebook: x 1" + strings.Repeat(" ", len("parsed 10/10")-len("x 1")) + "\rguidebook: x 1"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestStagesInTheGivenOrder(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	var b strings.Builder
	l := New(&b, c.now, 0, 0, "parsed", "rendered", "written")
	l.Update("written", 3, 0)
	l.Update("other", 1, 2)
	l.Update("rendered", 1, 5)
	l.Update("parsed", 2, 2)
	line := b.String()[strings.LastIndex(b.String(), "\r")+1:]
	if want := "guidebook: parsed 2/2, rendered 1/5, written 3, other 1/2"; line != want {
		t.Errorf("line %q, want %q", line, want)
	}
}

func TestLineFitsATerminal(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	var b strings.Builder
	l := New(&b, c.now, 0, 0)
	l.Update("parsed", 1000000, 1000000)
	l.Update("rendered", 1000005, 1000005)
	l.Update("written", 3000000, 0)
	l.Update("another-stage", 3000000, 3000000)
	line := b.String()[strings.LastIndex(b.String(), "\r")+1:]
	if n := len([]rune(line)); n > maxWidth || n == 0 {
		t.Errorf("line of %d runes: %q", n, line)
	}
}

func TestIsTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(f) {
		t.Error("a regular file is taken for a terminal")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if IsTerminal(w) {
		t.Error("a pipe is taken for a terminal")
	}
}
