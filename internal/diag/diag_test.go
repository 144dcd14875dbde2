package diag

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
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

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, ünïcödé 日本":  "plain text, ünïcödé 日本",
		"a\r\nb":                  `a\r\nb`,
		"tab\there":               `tab\there`,
		"\x1b[2J\x1b]0;title\x07": `\x1b[2J\x1b]0;title\x07`,
		"nul\x00del\x7f":          `nul\x00del\x7f`,
		"c1\u0085\u009b":          `c1\u0085\u009b`,
		"bidi\u202eevil\u2066":    `bidi\u202eevil\u2066`,
		"sep\u2028\u2029":         `sep\u2028\u2029`,
		"bad\xffutf8":             `bad\xffutf8`,
		`back\slash stays`:        `back\slash stays`,
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
	if got := EscapeLines("one\x1b\ntwo\r"); got != "one\\x1b\ntwo\\r" {
		t.Errorf("EscapeLines = %q", got)
	}
}

// A message built from decoded author text (a link target with %0d%0a
// and an escape sequence) stays one inert line in the report.
func TestErrorEscapesControlCharacters(t *testing.T) {
	var l List
	l.Addf(Pos{File: "content/a\x1b[31m.md", Line: 7, Col: 2}, "no file %s in the book", "nowhere\r\nFORGED.md\x1b[2J")
	l.Add(errors.New("plain\r\nerror"))
	got := l.Error()
	want := "plain\\r\\nerror\ncontent/a\\x1b[31m.md:7:2: no file nowhere\\r\\nFORGED.md\\x1b[2J in the book"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// The problem itself keeps the text as written, for the browser
	// overlay (which escapes for HTML) and for tests.
	if e := l.Errors()[1]; e.Msg != "no file nowhere\r\nFORGED.md\x1b[2J in the book" {
		t.Errorf("Msg = %q", e.Msg)
	}
}

// FuzzEscape: whatever the text, the escaped form is valid UTF-8 with
// nothing left to escape, and text with nothing to escape is unchanged.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "plain", "a\r\nb", "\x1b[2J", "\xff\xfe", "\u202e", "tab\t", `back\slash`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := Escape(s)
		if !utf8.ValidString(e) {
			t.Fatalf("Escape(%q) = %q is not UTF-8", s, e)
		}
		clean := true
		for i, r := range s {
			_, size := utf8.DecodeRuneInString(s[i:])
			clean = clean && !needsEscape(r, size)
		}
		for i, r := range e {
			_, size := utf8.DecodeRuneInString(e[i:])
			if needsEscape(r, size) {
				t.Fatalf("Escape(%q) = %q keeps %U", s, e, r)
			}
		}
		if clean != (e == s) {
			t.Fatalf("Escape(%q) = %q", s, e)
		}
		if l := EscapeLines(s); strings.Count(l, "\n") != strings.Count(s, "\n") || strings.ReplaceAll(l, "\n", `\n`) != e {
			t.Fatalf("EscapeLines(%q) = %q, Escape = %q", s, l, e)
		}
	})
}

func TestWarningFormat(t *testing.T) {
	w := &Error{Pos: Pos{File: "a.md", Line: 3, Col: 1}, Msg: "term \"X\"\x1b[2J is never used", Severity: Warning, Rule: "unused-term"}
	if got, want := w.Error(), `a.md:3:1: warning: term "X"\x1b[2J is never used [unused-term]`; got != want {
		t.Errorf("warning: got %q, want %q", got, want)
	}
	i := &Error{Pos: Pos{File: "b.md", Line: 1, Col: 1}, Msg: "no page links here", Severity: Info, Rule: "orphan-chapter"}
	if got, want := i.Error(), "b.md:1:1: info: no page links here [orphan-chapter]"; got != want {
		t.Errorf("info: got %q, want %q", got, want)
	}
	e := Errorf(Pos{File: "c.md", Line: 2}, "broken")
	if got, want := e.Error(), "c.md:2: broken"; got != want {
		t.Errorf("error: got %q, want %q", got, want)
	}
}

func TestListKeepsWarningAndErrorApart(t *testing.T) {
	var l List
	l.Add(&Error{Pos: Pos{File: "a.md", Line: 1}, Msg: "m", Severity: Warning, Rule: "r"})
	l.Add(&Error{Pos: Pos{File: "a.md", Line: 1}, Msg: "m", Severity: Warning, Rule: "r"})
	l.Addf(Pos{File: "a.md", Line: 1}, "m")
	if got := len(l.Errors()); got != 2 {
		t.Fatalf("got %d problems, want 2 (the duplicate warning dropped, the error kept): %v", got, l.Errors())
	}
}
