package goldentest

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// golden uses every part of the format: a preamble, options out of sorted
// order, all four sections, an HTML section that itself ends in a blank
// line, and a case with no errors.
const golden = `Comments about the file.
More comments.
=== first case
--- options
style: author-year
nocite: a, b
--- markdown
Some *text*.

More.
--- html
<p>Some <em>text</em>.</p>
<p>More.</p>
--- errors
input.md:1:1: one
input.md:2:1: two

=== second case
--- markdown
Plain.
--- html
<pre>x

</pre>


=== third case
--- markdown
--- html
`

func TestReadWriteRoundTrip(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a.txt")
	if err := os.WriteFile(file, []byte(golden), 0o644); err != nil {
		t.Fatal(err)
	}
	preamble, cases := Read(t, file)
	if want := "Comments about the file.\nMore comments.\n"; preamble != want {
		t.Errorf("preamble = %q, want %q", preamble, want)
	}
	want := []*Case{
		{
			Name:     "first case",
			Options:  map[string]string{"style": "author-year", "nocite": "a, b"},
			Markdown: "Some *text*.\n\nMore.\n",
			HTML:     "<p>Some <em>text</em>.</p>\n<p>More.</p>\n",
			Errors:   "input.md:1:1: one\ninput.md:2:1: two\n",
		},
		{Name: "second case", Markdown: "Plain.\n", HTML: "<pre>x\n\n</pre>\n\n"},
		{Name: "third case"},
	}
	if len(cases) != len(want) {
		t.Fatalf("got %d cases, want %d", len(cases), len(want))
	}
	for i, c := range cases {
		w := want[i]
		if c.Name != w.Name || !reflect.DeepEqual(c.Options, w.Options) || c.Markdown != w.Markdown || c.HTML != w.HTML || c.Errors != w.Errors {
			t.Errorf("case %d = %+v\nwant %+v", i, *c, *w)
		}
	}

	Write(t, file, preamble, cases)
	if got := readString(t, file); got != golden {
		t.Errorf("Write(Read(file)) changed the file:\n%s", got)
	}
}

func TestWriteSortsNewOptions(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a.txt")
	c := &Case{Name: "c", Options: map[string]string{"zeta": "1", "alpha": "2", "mid": "3"}, Markdown: "x\n", HTML: "<p>x</p>\n"}
	Write(t, file, "", []*Case{c})
	want := "=== c\n--- options\nalpha: 2\nmid: 3\nzeta: 1\n--- markdown\nx\n--- html\n<p>x</p>\n"
	if got := readString(t, file); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestReadRejects(t *testing.T) {
	for name, tc := range map[string]struct{ src, msg string }{
		"unknown section":       {"=== a\n--- markdown\nx\n--- output\ny\n", `a.txt:4: unknown section "--- output"`},
		"text before a section": {"=== a\nx\n--- html\n", `a.txt:2: case "a": text before its first section`},
		"option without colon":  {"=== a\n--- options\nstyle\n--- markdown\n--- html\n", `option "style" is not "key: value"`},
	} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "a.txt")
			if err := os.WriteFile(file, []byte(tc.src), 0o644); err != nil {
				t.Fatal(err)
			}
			msg := fatal(t, func(tb testing.TB) { Read(tb, file) })
			if !strings.Contains(msg, tc.msg) {
				t.Errorf("Read failed with %q, want it to mention %q", msg, tc.msg)
			}
		})
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "upper.txt")
	src := "Upper-cases its input.\n=== one\n--- markdown\nab\n--- html\nAB\n\n=== two\n--- markdown\nbad\n--- html\nBAD\n--- errors\nbad input\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	// Whatever -update says for this run, check first, then update.
	defer func(old bool) { *update = old }(*update)
	*update = false
	var ran []string
	render := func(t *testing.T, c *Case) (string, string) {
		ran = append(ran, t.Name())
		var errs string
		if strings.Contains(c.Markdown, "bad") {
			errs = "bad input\n"
		}
		return strings.ToUpper(c.Markdown), errs
	}
	Run(t, filepath.Join(dir, "*.txt"), render)
	if want := []string{"TestRun/upper/one", "TestRun/upper/two"}; !reflect.DeepEqual(ran, want) {
		t.Errorf("subtests %q, want %q", ran, want)
	}

	// -update rewrites the expectations and nothing else.
	*update = true
	Run(t, filepath.Join(dir, "*.txt"), func(t *testing.T, c *Case) (string, string) {
		return "<" + c.Markdown, ""
	})
	want := "Upper-cases its input.\n=== one\n--- markdown\nab\n--- html\n<ab\n\n=== two\n--- markdown\nbad\n--- html\n<bad\n"
	if got := readString(t, file); got != want {
		t.Errorf("after -update:\n%s\nwant\n%s", got, want)
	}
}

func readString(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// fatalTB records the message of the first Fatal and stops the goroutine,
// as testing.T does, so a test can check that a call fails.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatal(args ...any) {
	f.msg = strings.TrimSuffix(fmt.Sprintln(args...), "\n")
	runtime.Goexit()
}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// fatal runs fn and returns the message it failed with; it fails t if fn
// returns without calling Fatal.
func fatal(t *testing.T, fn func(testing.TB)) string {
	t.Helper()
	tb := &fatalTB{TB: t}
	done := make(chan bool)
	go func() {
		defer close(done)
		fn(tb)
	}()
	<-done
	if tb.msg == "" {
		t.Fatal("did not fail")
	}
	return tb.msg
}
