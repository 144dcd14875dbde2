package starter

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestWriteCopiesEveryStarterFile: hidden files too (the embed pattern
// needs "all:" for .gitignore), byte for byte.
func TestWriteCopiesEveryStarterFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "book")
	wrote, err := Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	fs.WalkDir(Book(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			want = append(want, p)
		}
		return err
	})
	if !slices.Equal(wrote, want) || !slices.Contains(wrote, ".gitignore") {
		t.Fatalf("wrote %v, want %v with .gitignore", wrote, want)
	}
	for _, f := range wrote {
		got, _ := os.ReadFile(filepath.Join(dir, f))
		orig, _ := fs.ReadFile(Book(), f)
		if string(got) != string(orig) {
			t.Errorf("%s differs from the starter's", f)
		}
	}
	// A second Write into the now full folder is a refusal.
	if _, err := Write(dir); !errors.Is(err, ErrRefused) {
		t.Errorf("second Write: %v, want a refusal", err)
	}
}

// TestNewChapterAfterUnorderedChapters: chapters without an order (0)
// sort first; the new one still comes last.
func TestNewChapterAfterUnorderedChapters(t *testing.T) {
	content := filepath.Join(t.TempDir(), "content")
	if err := os.MkdirAll(content, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(content, "a.md"), []byte("# A\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	file, err := NewChapter(content, "b")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(content, file))
	if want := "---\ntitle: \"B\"\norder: 1\n"; string(data[:len(want)]) != want {
		t.Errorf("b.md starts %q, want %q", data, want)
	}
}
