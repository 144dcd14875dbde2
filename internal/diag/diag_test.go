package diag

import (
	"errors"
	"strings"
	"testing"
)

func TestLineCol(t *testing.T) {
	src := []byte("ab\ncd\n\nef")
	cases := []struct{ off, line, col int }{
		{0, 1, 1}, {1, 1, 2}, {3, 2, 1}, {4, 2, 2}, {7, 4, 1}, {9, 4, 3}, {99, 4, 3},
	}
	for _, c := range cases {
		l, col := LineCol(src, c.off)
		if l != c.line || col != c.col {
			t.Errorf("LineCol(%d) = %d:%d, want %d:%d", c.off, l, col, c.line, c.col)
		}
	}
}

func TestListSortsAndDedups(t *testing.T) {
	var l List
	if l.Err() != nil {
		t.Fatal("empty list must be a nil error")
	}
	l.Addf(Pos{File: "b.md", Line: 2}, "second")
	l.Addf(Pos{File: "a.md", Line: 9, Col: 3}, "first")
	l.Addf(Pos{File: "b.md", Line: 2}, "second")
	l.Add(errors.Join(Errorf(Pos{File: "a.md", Line: 1}, "zero"), errors.New("plain")))
	got := l.Error()
	want := "plain\na.md:1: zero\na.md:9:3: first\nb.md:2: second"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestListLimit(t *testing.T) {
	var l List
	for i := 0; i < MaxErrors+5; i++ {
		l.Addf(Pos{File: "x.md", Line: i + 1}, "p")
	}
	if !strings.HasSuffix(l.Error(), "... and 5 more problems") {
		t.Fatalf("limit not applied: %q", l.Error()[len(l.Error())-40:])
	}
}

func TestSourcePosMatchesLineCol(t *testing.T) {
	src := []byte("ab\ncd\n\nef")
	s := &Source{File: "f.md", Src: src, List: &List{}}
	for off := -1; off <= len(src)+1; off++ {
		l, c := LineCol(src, off)
		if p := s.Pos(off); p.Line != l || p.Col != c || p.File != "f.md" {
			t.Errorf("Pos(%d) = %v, want %d:%d", off, p, l, c)
		}
	}
}
