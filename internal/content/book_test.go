package content

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"guidebook/internal/testing/filetree"
)

func writeBook(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	filetree.Write(t, dir, files)
	return dir
}

func TestLoadShippedBook(t *testing.T) {
	b, err := Load("../../content")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, ch := range b.Chapters {
		ids = append(ids, ch.ID)
	}
	if got := strings.Join(ids, ","); got != "fundamentals,intermediate,academic,reflection" {
		t.Errorf("chapter order = %s", got)
	}
	if len(b.Terms) < 20 || len(b.References) != 11 {
		t.Errorf("terms=%d references=%d", len(b.Terms), len(b.References))
	}
	for _, term := range b.Terms {
		if term.Pos.Line == 0 || term.Pos.File == "" {
			t.Errorf("term %q has no position", term.Name)
		}
	}
}

func TestFrontMatter(t *testing.T) {
	dir := writeBook(t, map[string]string{"a.md": "---\ntitle: A\norder: 3\nsummary: S\nglossary:\n  - term: Foo\n    definition: A foo.\ncitations: [x]\n---\n\nBody\n"})
	b, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	ch := b.Chapters[0]
	if ch.Title != "A" || ch.Order != 3 || ch.Summary != "S" || ch.BodyLine != 10 || len(ch.Citations) != 1 {
		t.Errorf("chapter = %+v", ch)
	}
	if len(ch.Terms) != 1 || ch.Terms[0].Pos.Line != 6 || ch.Terms[0].ID != "foo" {
		t.Errorf("terms = %+v", ch.Terms)
	}
}

func TestNoFrontMatter(t *testing.T) {
	b, err := Load(writeBook(t, map[string]string{"getting-started.md": "# Hello\n"}))
	if err != nil {
		t.Fatal(err)
	}
	if b.Chapters[0].Title != "Getting Started" || b.Chapters[0].ID != "getting-started" {
		t.Errorf("defaults = %+v", b.Chapters[0])
	}
}

// Each bad book must fail with this exact position and a message naming the problem.
func TestBadInput(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"unclosed", map[string]string{"a.md": "---\ntitle: A\n\nbody\n"}, "a.md:1: front matter is not closed"},
		{"bad yaml", map[string]string{"a.md": "---\ntitle: A\norder: [1\n---\n"}, "a.md:3: invalid YAML: did not find expected ',' or ']'"},
		{"wrong type", map[string]string{"a.md": "---\ntitle: A\norder: \"x\"\n---\n"}, "a.md:3:8: "},
		{"unknown field", map[string]string{"a.md": "---\ntitle: A\ntittle: B\n---\n"}, `a.md:3:1: unknown front matter field "tittle"`},
		{"empty title", map[string]string{"a.md": "---\ntitle: \"\"\n---\n"}, "a.md:2: front matter: title must not be empty"},
		{"duplicate id", map[string]string{"a.md": "---\ntitle: A\nid: same\n---\n", "b.md": "---\ntitle: B\nid: same\n---\n"}, `b.md:1: duplicate chapter id "same" (also a.md)`},
		{"escaping id", map[string]string{"a.md": "---\ntitle: A\nid: ../../etc\n---\n"}, `a.md:1: chapter id "../../etc" must be`},
		{"reserved id", map[string]string{"glossary.md": "---\ntitle: G\n---\n"}, `glossary.md:1: chapter id "glossary" is reserved`},
		{"non utf8", map[string]string{"a.md": "---\ntitle: A\n---\nok\nbad \xff here\n"}, "a.md:5:5: file is not valid UTF-8"},
		{"glossary field", map[string]string{"a.md": "---\ntitle: A\nglossary:\n  - term: X\n    defn: y\n---\n"}, `a.md:5:5: unknown glossary field "defn"`},
		{"glossary file", map[string]string{"a.md": "---\ntitle: A\n---\n", "glossary.yaml": "- term: X\n  definition: [1\n"}, "glossary.yaml:2: invalid YAML"},
		{"bad mapping", map[string]string{"a.md": "---\ntitle: A\nsummary: : x\n---\n"}, "a.md:3: invalid YAML: mapping values are not allowed"},
		{"config", map[string]string{"a.md": "---\ntitle: A\n---\n", "book.yaml": "title: T\ncolour: red\n"}, `book.yaml:2:1: unknown setting "colour"`},
		{"missing references", map[string]string{"a.md": "---\ntitle: A\n---\n", "book.yaml": "references: nope.bib\n"}, `book.yaml:1:13: references file "nope.bib" does not exist`},
		{"too large", map[string]string{"a.md": strings.Repeat("x", MaxFileSize+1)}, "a.md: file is too large"},
		{"no chapters", map[string]string{"book.yaml": "title: T\n"}, "no chapters"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(writeBook(t, c.files))
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error:\n%v\nwant it to contain %q", err, c.want)
			}
		})
	}
}

func TestSymlinkLoopIsReported(t *testing.T) {
	dir := writeBook(t, map[string]string{"a.md": "---\ntitle: A\n---\n"})
	if err := os.Symlink(dir, filepath.Join(dir, "loop")); err != nil {
		t.Skip("symlinks unsupported:", err)
	}
	_, err := Load(dir)
	if err == nil || !strings.Contains(err.Error(), "loop: symbolic link to a directory is not followed") {
		t.Fatalf("err = %v", err)
	}
}

func TestUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads any file; permission errors cannot be provoked")
	}
	dir := writeBook(t, map[string]string{"a.md": "---\ntitle: A\n---\n"})
	os.Chmod(filepath.Join(dir, "a.md"), 0)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "a.md: cannot read") {
		t.Fatalf("err = %v", err)
	}
}

// Root reads any file, so unreadability is provoked with a chapter that is
// a link to nothing; it must be named, not skipped.
func TestDanglingChapterLink(t *testing.T) {
	dir := writeBook(t, map[string]string{"a.md": "---\ntitle: A\n---\n"})
	if err := os.Symlink(filepath.Join(dir, "gone.md"), filepath.Join(dir, "b.md")); err != nil {
		t.Skip("symlinks unsupported:", err)
	}
	_, err := Load(dir)
	if err == nil || !strings.Contains(err.Error(), "b.md: broken or looping symbolic link") {
		t.Fatalf("err = %v", err)
	}
}

// TestBookCitations: book.yaml's citations: lists references kept on
// purpose without a citation (author lint does not warn about them),
// each with its position.
func TestBookCitations(t *testing.T) {
	dir := writeBook(t, map[string]string{"a.md": "---\ntitle: A\n---\n", "book.yaml": "title: T\ncitations:\n  - lan2015\n  - guo2021\n"})
	b, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Citations) != 2 || b.Citations[0].Key != "lan2015" || b.Citations[1].Pos.String() != "book.yaml:4:5" {
		t.Errorf("citations = %+v", b.Citations)
	}
	_, err = Load(writeBook(t, map[string]string{"a.md": "---\ntitle: A\n---\n", "book.yaml": "citations: lan2015\n"}))
	if err == nil || !strings.Contains(err.Error(), "book.yaml:1:12: expected a list") {
		t.Errorf("a citations: that is no list: %v", err)
	}
}
