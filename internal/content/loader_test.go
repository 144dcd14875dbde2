package content

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLoaderReusesUnchangedFiles: a second Load hands back the same
// decoded chapter, terms and references for files that did not change,
// and new ones for a file that did.
func TestLoaderReusesUnchangedFiles(t *testing.T) {
	dir := writeBook(t, map[string]string{
		"a.md":           "---\ntitle: A\norder: 1\n---\nText.\n",
		"b.md":           "---\ntitle: B\norder: 2\n---\nText.\n",
		"glossary.yaml":  "- term: Insulin\n  definition: A hormone.\n",
		"references.bib": "@article{k, author={A, B}, title={T}, year={2000}}\n",
	})
	settle(t, dir) // old enough to be trusted by their stat alone
	l := NewLoader()
	first := mustLoad(t, l, dir)
	if err := os.WriteFile(filepath.Join(dir, "b.md"), []byte("---\ntitle: B2\norder: 2\n---\nText.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	second := mustLoad(t, l, dir)
	if first.Chapters[0] != second.Chapters[0] {
		t.Error("the unchanged chapter a.md was decoded again")
	}
	if first.Chapters[1] == second.Chapters[1] || second.Chapters[1].Title != "B2" {
		t.Errorf("the edited chapter b.md: title %q, same pointer %v", second.Chapters[1].Title, first.Chapters[1] == second.Chapters[1])
	}
	if &first.References[0] != &second.References[0] {
		t.Error("the unchanged references were parsed again")
	}
	if second.Terms[0].Name != "Insulin" {
		t.Errorf("terms: %+v", second.Terms)
	}
}

// TestLoaderRacyEdit is the case stat cannot tell: a file rewritten with
// the same size within the clock tick of its last write keeps its size and
// time. A freshly written file is not trusted by its stat, so the edit is
// still seen.
func TestLoaderRacyEdit(t *testing.T) {
	dir := writeBook(t, map[string]string{"a.md": "---\ntitle: One\n---\nText.\n"})
	p := filepath.Join(dir, "a.md")
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	l := NewLoader()
	if b := mustLoad(t, l, dir); b.Chapters[0].Title != "One" {
		t.Fatalf("title %q", b.Chapters[0].Title)
	}
	if err := os.WriteFile(p, []byte("---\ntitle: Two\n---\nText.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, info.ModTime(), info.ModTime()); err != nil {
		t.Fatal(err)
	}
	if b := mustLoad(t, l, dir); b.Chapters[0].Title != "Two" {
		t.Errorf("the same-size, same-time edit was missed: title %q", b.Chapters[0].Title)
	}
}

// TestLoaderKeepsReportingErrors: a broken file's problems come back on
// every Load, not only on the one that decoded it; a deleted chapter
// leaves the book.
func TestLoaderKeepsReportingErrors(t *testing.T) {
	dir := writeBook(t, map[string]string{
		"a.md": "---\ntitle: A\norder: one\n---\nText.\n",
		"b.md": "---\ntitle: B\n---\nText.\n",
	})
	settle(t, dir)
	l := NewLoader()
	for i := 0; i < 2; i++ {
		_, err := l.Load(dir)
		if err == nil || !strings.Contains(err.Error(), "a.md:3") {
			t.Fatalf("load %d: error %v, want one at a.md:3", i+1, err)
		}
	}
	if err := os.Remove(filepath.Join(dir, "a.md")); err != nil {
		t.Fatal(err)
	}
	b := mustLoad(t, l, dir)
	if len(b.Chapters) != 1 || b.Chapters[0].ID != "b" {
		t.Errorf("chapters after deleting a.md: %v", b.Chapters)
	}
}

func mustLoad(t *testing.T, l *Loader, dir string) *Book {
	t.Helper()
	b, err := l.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// settle dates every file in dir back an hour, past racyWindow.
func settle(t *testing.T, dir string) {
	t.Helper()
	old := time.Now().Add(-time.Hour)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := os.Chtimes(filepath.Join(dir, e.Name()), old, old); err != nil {
			t.Fatal(err)
		}
	}
}
