package benchbook

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if err := Generate(d, 30, Options{}); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"content/glossary.yaml", "content/references.bib", "content/chapter-0007.md", "content/book.yaml"} {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s differs between runs or is empty (%d bytes)", name, len(x))
		}
	}
	c := t.TempDir()
	if err := Generate(c, 30, Options{Seed: 2}); err != nil {
		t.Fatal(err)
	}
	x, _ := os.ReadFile(filepath.Join(a, "content/chapter-0007.md"))
	y, _ := os.ReadFile(filepath.Join(c, "content/chapter-0007.md"))
	if bytes.Equal(x, y) {
		t.Error("another seed wrote the same chapter")
	}
}

func TestGuidebookBook(t *testing.T) {
	dir := t.TempDir()
	if err := Generate(dir, 41, Options{}); err != nil {
		t.Fatal(err)
	}
	mds, _ := filepath.Glob(filepath.Join(dir, "content", "*.md"))
	if len(mds) != 41 {
		t.Fatalf("%d chapters, want 41", len(mds))
	}
	gl, _ := os.ReadFile(filepath.Join(dir, "content/glossary.yaml"))
	if n := strings.Count(string(gl), "- term: "); n != 200 {
		t.Errorf("%d glossary terms, want 200", n)
	}
	bib, _ := os.ReadFile(filepath.Join(dir, "content/references.bib"))
	if n := strings.Count(string(bib), "@article{"); n != 500 {
		t.Errorf("%d references, want 500", n)
	}
	var all strings.Builder
	for _, m := range mds {
		data, _ := os.ReadFile(m)
		all.Write(data)
	}
	s := all.String()
	for _, want := range []string{"[@key", "[[chapter-", "[[term:", ".md#section-", "| --- |", "```python", "{#section-5}", "order: 41"} {
		if !strings.Contains(s, want) {
			t.Errorf("no chapter contains %q", want)
		}
	}
	// One calculator per 20 chapters: chapters 1, 21 and 41.
	if n := strings.Count(s, "```widget homa-ir"); n != 3 {
		t.Errorf("%d widgets, want 3", n)
	}
	if err := Generate(t.TempDir(), 41, Options{NoWidgets: true}); err != nil {
		t.Fatal(err)
	}
}

func TestHugoBook(t *testing.T) {
	dir := t.TempDir()
	if err := Generate(dir, 25, Options{Hugo: true}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"config.toml", "layouts/_default/baseof.html", "layouts/_default/single.html", "layouts/_default/list.html"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "content/glossary.yaml")); err == nil {
		t.Error("Hugo site has a glossary.yaml")
	}
	ch, _ := os.ReadFile(filepath.Join(dir, "content/chapter-0021.md"))
	s := string(ch)
	for _, bad := range []string{"[@", "[[", "```widget", "order:"} {
		if strings.Contains(s, bad) {
			t.Errorf("Hugo chapter contains %q", bad)
		}
	}
	for _, want := range []string{"weight: 21", "](../chapter-", "{#section-1}"} {
		if !strings.Contains(s, want) {
			t.Errorf("Hugo chapter lacks %q", want)
		}
	}
}

func TestGenerateRejectsBadSizes(t *testing.T) {
	for _, n := range []int{0, -1, MaxChapters + 1} {
		if err := Generate(t.TempDir(), n, Options{}); err == nil {
			t.Errorf("Generate(%d) succeeded", n)
		}
	}
}

// TestDensity pins the book to the shipped guide's densest chapter (about
// 1.2 citations per KB, a topic of 24 terms per chapter) and -dense to the
// stress book; and checks that Hugo's copy carries the same words.
func TestDensity(t *testing.T) {
	citesPerKB := func(opts Options) (float64, string) {
		dir := t.TempDir()
		if err := Generate(dir, 40, opts); err != nil {
			t.Fatal(err)
		}
		var all strings.Builder
		for i := 1; i <= 40; i++ {
			data, err := os.ReadFile(ChapterPath(dir, i))
			if err != nil {
				t.Fatal(err)
			}
			all.Write(data)
		}
		s := all.String()
		return float64(strings.Count(s, "[@")) / float64(len(s)) * 1000, s
	}
	if d, _ := citesPerKB(Options{}); d < 0.6 || d > 1.2 {
		t.Errorf("default book: %.2f citation marks per KB, want about 0.9 (the guide: 0 to 1.2)", d)
	}
	if d, _ := citesPerKB(Options{Dense: true}); d < 1.4 {
		t.Errorf("dense book: %.2f citation marks per KB, want about 1.6", d)
	}

	// Hugo's chapter is the guidebook chapter without the guidebook-only
	// marks: the same words, in the same order.
	g, h := t.TempDir(), t.TempDir()
	if err := Generate(g, 3, Options{NoWidgets: true}); err != nil {
		t.Fatal(err)
	}
	if err := Generate(h, 3, Options{NoWidgets: true, Hugo: true}); err != nil {
		t.Fatal(err)
	}
	words := func(dir string) []string {
		data, err := os.ReadFile(ChapterPath(dir, 2))
		if err != nil {
			t.Fatal(err)
		}
		_, body, _ := strings.Cut(strings.TrimPrefix(string(data), "---\n"), "---\n")
		var out []string
		for _, w := range strings.Fields(body) {
			if strings.HasPrefix(w, "[@") || strings.HasPrefix(w, "@key") || strings.Contains(w, "[[") || strings.Contains(w, "](") {
				continue
			}
			out = append(out, strings.Trim(w, ".,;:]|"))
		}
		return out
	}
	gw, hw := words(g), words(h)
	same := 0
	for i := 0; i < min(len(gw), len(hw)) && gw[i] == hw[i]; i++ {
		same++
	}
	if same < 100 {
		t.Errorf("Hugo's chapter diverges from guidebook's after %d words: %q vs %q", same, gw[same:min(same+5, len(gw))], hw[same:min(same+5, len(hw))])
	}
}
