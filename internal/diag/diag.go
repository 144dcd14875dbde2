// Package diag carries located build problems (file:line:col: message) from
// every stage of the pipeline to the user.
//
// Problems are collected, not returned one at a time: an author fixing a
// chapter wants every broken link and unknown citation in one run, the way a
// compiler reports all errors. Stages append to a List; the build stops at
// the end of a stage when the List is non-empty.
package diag

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/yuin/goldmark/parser"
)

// MaxErrors bounds how many problems a build reports, so that a systematic
// mistake (a renamed references file, say) does not bury the terminal.
const MaxErrors = 100

// Pos is a location in a source file. Line and Col are 1-based; zero means
// unknown.
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats the position as file:line:col, dropping unknown parts.
func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	default:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	}
}

// Severity says what a problem does to a run. The zero value is an
// error, so every problem made before author lint existed stays one.
type Severity int

const (
	// Fatal fails the run.
	Fatal Severity = iota
	// Warning is author lint: reported, and fatal only under --strict
	// (as Sphinx's -W makes its warnings fatal).
	Warning
	// Info is lint that is worth knowing but not worth failing over,
	// even under --strict.
	Info
)

func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Info:
		return "info"
	}
	return "error"
}

// Error is one located problem.
type Error struct {
	Pos Pos
	Msg string
	// Severity and Rule are set on author lint: Rule names the check
	// ("unused-term"), so an author can look it up in the README.
	Severity Severity
	Rule     string
}

// Errorf returns a located error.
func Errorf(pos Pos, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// Error formats the problem as one line, its author text escaped (see
// Escape); Msg and Pos keep the text as written.
func (e *Error) Error() string {
	msg := e.Msg
	if e.Severity != Fatal {
		msg = e.Severity.String() + ": " + msg
	}
	if e.Rule != "" {
		msg += " [" + e.Rule + "]"
	}
	if e.Pos.File == "" {
		return Escape(msg)
	}
	return Escape(e.Pos.String() + ": " + msg)
}

// List is a set of problems. It is safe for concurrent use through its
// methods; the zero value is ready.
type List struct {
	mu   sync.Mutex
	errs []*Error
}

// Add records err. A *Error or a joined/List error keeps its positions;
// anything else is recorded without one.
func (l *List) Add(err error) {
	if err == nil {
		return
	}
	var other *List
	if errors.As(err, &other) && other != l {
		for _, e := range other.Errors() {
			l.Add(e)
		}
		return
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			l.Add(e)
		}
		return
	}
	var de *Error
	if !errors.As(err, &de) {
		de = &Error{Msg: err.Error()}
	}
	l.mu.Lock()
	l.errs = append(l.errs, de)
	l.mu.Unlock()
}

// Addf records a located problem.
func (l *List) Addf(pos Pos, format string, args ...any) {
	l.Add(Errorf(pos, format, args...))
}

// Len reports how many problems were recorded.
func (l *List) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.errs)
}

// Errors returns the problems sorted by file, line, column and message,
// without duplicates.
func (l *List) Errors() []*Error {
	l.mu.Lock()
	errs := append([]*Error(nil), l.errs...)
	l.mu.Unlock()
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i], errs[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		return a.Msg < b.Msg
	})
	out := errs[:0]
	for i, e := range errs {
		if i > 0 && *e == *errs[i-1] {
			continue
		}
		out = append(out, e)
	}
	return out
}

// Err returns l as an error, or nil when it holds no problems.
func (l *List) Err() error {
	if l == nil || l.Len() == 0 {
		return nil
	}
	return l
}

// Error lists the problems one per line, at most MaxErrors of them.
func (l *List) Error() string {
	errs := l.Errors()
	var b strings.Builder
	for i, e := range errs {
		if i == MaxErrors {
			fmt.Fprintf(&b, "\n... and %d more problems", len(errs)-MaxErrors)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// LineCol converts a byte offset in src to a 1-based line and column
// (column counted in bytes, as Go's own tools do).
func LineCol(src []byte, offset int) (line, col int) {
	if offset > len(src) {
		offset = len(src)
	}
	if offset < 0 {
		offset = 0
	}
	before := src[:offset]
	line = bytes.Count(before, []byte{'\n'}) + 1
	col = offset - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// Source is the file a goldmark parse is reading, with a List for the
// problems its extensions find. Extensions reach it through the parser
// context so they can report file:line without knowing where the bytes came
// from.
type Source struct {
	File string
	Src  []byte
	List *List

	once  sync.Once
	lines []int // offsets where lines start, built on first use
}

// Pos converts a byte offset in the source to a position. The line index
// is built once, so a chapter with many problems is not rescanned for each.
func (s *Source) Pos(offset int) Pos {
	s.once.Do(func() {
		// Every link that reaches a page gets a position (for author
		// lint), so every chapter's lines are indexed: bytes.IndexByte
		// finds them many bytes at a time.
		s.lines = make([]int, 1, bytes.Count(s.Src, []byte{'\n'})+1)
		for i := 0; ; {
			j := bytes.IndexByte(s.Src[i:], '\n')
			if j < 0 {
				break
			}
			i += j + 1
			s.lines = append(s.lines, i)
		}
	})
	offset = max(0, min(offset, len(s.Src)))
	i := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > offset }) - 1
	return Pos{File: s.File, Line: i + 1, Col: offset - s.lines[i] + 1}
}

// Addf records a problem at a byte offset of the source.
func (s *Source) Addf(offset int, format string, args ...any) {
	s.List.Addf(s.Pos(offset), format, args...)
}

var sourceKey = parser.NewContextKey()

// WithSource stores s in a parser context.
func WithSource(pc parser.Context, s *Source) {
	pc.Set(sourceKey, s)
}

// SourceOf returns the Source stored in pc. Parsing without one (as the
// extensions' own golden tests do) gets a throwaway Source whose problems
// go nowhere but are still well-formed.
func SourceOf(pc parser.Context) *Source {
	if s, ok := pc.Get(sourceKey).(*Source); ok {
		return s
	}
	s := &Source{File: "<input>", List: &List{}}
	pc.Set(sourceKey, s)
	return s
}

// Relocate returns err with every relative file position prefixed by dir,
// so that problems found in a book's own terms ("academic.md") name the
// file the way the author reaches it ("content/academic.md").
func Relocate(err error, dir string) error {
	if err == nil || dir == "" || dir == "." {
		return err
	}
	var in List
	in.Add(err)
	var out List
	for _, e := range in.Errors() {
		c := *e
		if c.Pos.File != "" && !filepath.IsAbs(c.Pos.File) && !strings.HasPrefix(c.Pos.File, "(") {
			c.Pos.File = filepath.ToSlash(filepath.Join(dir, c.Pos.File))
		}
		out.Add(&c)
	}
	return out.Err()
}

// DisplayDir is dir as the user should see it: relative to the working
// directory when it is below it, absolute otherwise.
func DisplayDir(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, abs); err == nil && filepath.IsLocal(rel) {
			return filepath.ToSlash(rel)
		}
		if abs == wd {
			return "."
		}
	}
	return filepath.ToSlash(abs)
}
