package goldentest

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// update is registered here, once, so that every package whose tests run
// golden files shares the same -update flag.
var update = flag.Bool("update", false, "rewrite the html and errors sections of golden files with the current output")

// Case is one "=== name" case of a golden file.
type Case struct {
	Name    string
	Options map[string]string
	// Markdown, HTML and Errors hold their sections' lines, each ending in
	// a newline; Errors is empty when the case expects no problems.
	Markdown, HTML, Errors string

	// order is the order the options had in the file, so that rewriting a
	// file does not shuffle them.
	order []string
}

// Read parses a golden file. The preamble is everything before the first
// case, kept verbatim so that Write can put it back.
func Read(t testing.TB, file string) (preamble string, cases []*Case) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var pre strings.Builder
	var section *strings.Builder
	var c *Case
	var options, markdown, html, errs strings.Builder
	// The blank line that separates two cases belongs to neither.
	finish := func(next bool) {
		if c == nil {
			return
		}
		if next && section != nil {
			s := section.String()
			if strings.HasSuffix(s, "\n\n") {
				section.Reset()
				section.WriteString(s[:len(s)-1])
			}
		}
		c.Markdown, c.HTML, c.Errors = markdown.String(), html.String(), errs.String()
		for _, line := range strings.Split(options.String(), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			k, v, ok := strings.Cut(line, ":")
			if !ok {
				t.Fatalf("%s: case %q: option %q is not \"key: value\"", file, c.Name, line)
			}
			if c.Options == nil {
				c.Options = map[string]string{}
			}
			k = strings.TrimSpace(k)
			c.Options[k] = strings.TrimSpace(v)
			c.order = append(c.order, k)
		}
		for _, b := range []*strings.Builder{&options, &markdown, &html, &errs} {
			b.Reset()
		}
		cases = append(cases, c)
	}
	lines := strings.SplitAfter(string(data), "\n")
	for n, line := range lines {
		trimmed := strings.TrimSuffix(line, "\n")
		if name, ok := strings.CutPrefix(trimmed, "=== "); ok {
			finish(true)
			c, section = &Case{Name: name}, nil
			continue
		}
		if c == nil {
			pre.WriteString(line)
			continue
		}
		if name, ok := strings.CutPrefix(trimmed, "--- "); ok {
			switch name {
			case "options":
				section = &options
			case "markdown":
				section = &markdown
			case "html":
				section = &html
			case "errors":
				section = &errs
			default:
				t.Fatalf("%s:%d: unknown section %q", file, n+1, trimmed)
			}
			continue
		}
		if section == nil {
			if trimmed != "" {
				t.Fatalf("%s:%d: case %q: text before its first section", file, n+1, c.Name)
			}
			continue
		}
		section.WriteString(line)
	}
	finish(false)
	return pre.String(), cases
}

// Write writes a golden file that Read turns back into preamble and cases.
// Options keep the order they were read in; options added since follow in
// sorted order, so the output does not depend on map iteration.
func Write(t testing.TB, file, preamble string, cases []*Case) {
	t.Helper()
	var b strings.Builder
	b.WriteString(preamble)
	for i, c := range cases {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString("=== " + c.Name + "\n")
		c.writeInput(&b)
		b.WriteString("--- html\n" + c.HTML)
		if c.Errors != "" {
			b.WriteString("--- errors\n" + c.Errors)
		}
	}
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeInput writes the options and markdown sections: what render reads.
func (c *Case) writeInput(b *strings.Builder) {
	if len(c.Options) > 0 {
		b.WriteString("--- options\n")
		for _, k := range c.optionKeys() {
			b.WriteString(k + ": " + c.Options[k] + "\n")
		}
	}
	b.WriteString("--- markdown\n" + c.Markdown)
}

func (c *Case) optionKeys() []string {
	var keys, rest []string
	for _, k := range c.order {
		if _, ok := c.Options[k]; ok && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	for k := range c.Options {
		if !slices.Contains(keys, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(keys, rest...)
}

// Run runs every case of every file matching glob as a subtest named
// "file/case" (the file without .txt). render returns the HTML and the
// problems, one per line, each ending in a newline. With -update, Run
// rewrites each file with what render returned instead of comparing.
func Run(t *testing.T, glob string, render func(t *testing.T, c *Case) (html, errs string)) {
	t.Helper()
	files, err := filepath.Glob(glob)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no golden files match %s", glob)
	}
	for _, file := range files {
		preamble, cases := Read(t, file)
		for _, c := range cases {
			t.Run(strings.TrimSuffix(filepath.Base(file), ".txt")+"/"+c.Name, func(t *testing.T) {
				html, errs := render(t, c)
				if *update {
					c.HTML, c.Errors = html, errs
					return
				}
				if html != c.HTML {
					t.Errorf("%s: html mismatch\n%s--- got\n%s--- want\n%s", file, c.input(), html, c.HTML)
				}
				if errs != c.Errors {
					t.Errorf("%s: errors mismatch\n%s--- got\n%s--- want\n%s", file, c.input(), errs, c.Errors)
				}
			})
		}
		if *update {
			Write(t, file, preamble, cases)
		}
	}
}

// input is the part of a case one needs to make sense of a mismatch.
func (c *Case) input() string {
	var b strings.Builder
	c.writeInput(&b)
	return b.String()
}
