package widgets

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the html and errors sections of testdata/*.txt golden files")

// goldenCase is one case of a golden file:
//
//	=== name
//	--- markdown
//	--- html
//	--- errors   (optional: expected problems, one per line)
type goldenCase struct {
	name, markdown, html, errors string
}

func readGolden(t *testing.T, file string) []goldenCase {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	var section *string
	for _, line := range strings.SplitAfter(string(data), "\n") {
		trimmed := strings.TrimRight(line, "\n")
		switch {
		case strings.HasPrefix(trimmed, "=== "):
			// The blank line that separates cases belongs to none.
			if section != nil && strings.HasSuffix(*section, "\n\n") {
				*section = strings.TrimSuffix(*section, "\n")
			}
			cases = append(cases, goldenCase{name: strings.TrimPrefix(trimmed, "=== ")})
			section = nil
			continue
		case strings.HasPrefix(trimmed, "--- ") && len(cases) > 0:
			c := &cases[len(cases)-1]
			switch strings.TrimPrefix(trimmed, "--- ") {
			case "markdown":
				section = &c.markdown
			case "html":
				section = &c.html
			case "errors":
				section = &c.errors
			default:
				t.Fatalf("%s: unknown section %q", file, trimmed)
			}
			continue
		}
		if section != nil {
			*section += line
		}
	}
	return cases
}

func writeGolden(t *testing.T, file string, cases []goldenCase) {
	var b strings.Builder
	for i, c := range cases {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString("=== " + c.name + "\n--- markdown\n" + c.markdown + "--- html\n" + c.html)
		if c.errors != "" {
			b.WriteString("--- errors\n" + c.errors)
		}
	}
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestGolden renders each case with widgets and citations enabled and
// compares the HTML and the located problems. Run with -update after an
// intended change and review the diff.
func TestGolden(t *testing.T) {
	md := newMarkdown(NewRegistry(testTemplates(t)), testBibliography(t))
	files, _ := filepath.Glob("testdata/*.txt")
	if len(files) == 0 {
		t.Fatal("no golden files")
	}
	for _, file := range files {
		cases := readGolden(t, file)
		for i := range cases {
			c := &cases[i]
			t.Run(filepath.Base(file)+"/"+c.name, func(t *testing.T) {
				html, errs, _ := convert(t, md, c.markdown)
				if *update {
					c.html, c.errors = html, errs
					return
				}
				if html != c.html {
					t.Errorf("html mismatch\n--- markdown\n%s--- got\n%s--- want\n%s", c.markdown, html, c.html)
				}
				if errs != c.errors {
					t.Errorf("errors mismatch\n--- got\n%s--- want\n%s", errs, c.errors)
				}
			})
		}
		if *update {
			writeGolden(t, file, cases)
		}
	}
}
