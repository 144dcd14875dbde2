package output

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"guidebook/internal/outdir"
	"guidebook/internal/testing/filetree"
)

// Tee finishes every output before committing any: a single file that
// cannot be joined leaves the folder and the zip as they were.
func TestTeeFinishesBeforeCommitting(t *testing.T) {
	root := t.TempDir()
	dirPath, zipPath, onePath := filepath.Join(root, "site"), filepath.Join(root, "site.zip"), filepath.Join(root, "one.html")
	if err := os.MkdirAll(dirPath, 0o755); err != nil {
		t.Fatal(err)
	}
	decoy := filepath.Join(dirPath, "previous.html")
	if err := os.WriteFile(decoy, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The decoy folder is not guidebook's: Force lets the test replace it.
	rule := outdir.Rule{Force: true}
	run := func(join JoinFunc) error {
		d, err := NewDir(dirPath, rule)
		if err != nil {
			t.Fatal(err)
		}
		out := Tee(d, NewZip(zipPath, "site", rule), NewFile(onePath, rule, outdir.OwnSingleFile, join))
		if err := out.Put("index.html", []byte("new")); err != nil {
			t.Fatal(err)
		}
		return out.Commit()
	}
	if err := run(func(map[string][]byte, []string) ([]byte, error) { return nil, errors.New("cannot join") }); err == nil {
		t.Fatal("Commit succeeded although a join failed")
	}
	if got := filetree.Read(t, dirPath); len(got) != 1 || string(got["previous.html"]) != "previous" {
		t.Errorf("the folder changed: %v", got)
	}
	for _, p := range []string{zipPath, onePath} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s was written: %v", p, err)
		}
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 1 {
		t.Errorf("leftovers beside the outputs: %v", entries)
	}

	if err := run(func(files map[string][]byte, _ []string) ([]byte, error) { return files["index.html"], nil }); err != nil {
		t.Fatal(err)
	}
	if got := filetree.Read(t, dirPath); len(got) != 2 || string(got["index.html"]) != "new" || got[outdir.Marker] == nil {
		t.Errorf("the folder is not the new site: %v", got)
	}
	if one, _ := os.ReadFile(onePath); !bytes.Equal(one, []byte("new")) {
		t.Errorf("single file = %q", one)
	}
	if _, err := os.Stat(zipPath); err != nil {
		t.Error(err)
	}
}

// Memory keeps what it is given, so watch mode compares builds by identity.
func TestMemoryKeepsData(t *testing.T) {
	m := NewMemory()
	data := []byte("page")
	if err := m.Put("a/index.html", data); err != nil {
		t.Fatal(err)
	}
	if got := m.Files()["a/index.html"]; &got[0] != &data[0] {
		t.Error("Memory copied the data")
	}
	if names := m.Names(); len(names) != 1 || names[0] != "a/index.html" {
		t.Errorf("Names = %v", names)
	}
	m.Abort()
	if len(m.Files()) != 0 {
		t.Error("Abort kept files")
	}
}
