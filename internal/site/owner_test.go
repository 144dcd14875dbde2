package site

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"guidebook/internal/outdir"
)

// Every caller of the write path (WriteWith, BuildTo, export) goes through
// NewStage, so the output-folder rule holds for all of them. Only folders
// under t.TempDir() filled with decoys are used.

func TestStageRefusesForeignFolder(t *testing.T) {
	out := filepath.Join(t.TempDir(), "D")
	must(t, os.MkdirAll(filepath.Join(out, "Documents"), 0o755))
	must(t, os.WriteFile(filepath.Join(out, "MARKER.txt"), []byte("x"), 0o644))
	before := treeHash(t, out)
	files := &Output{Files: map[string][]byte{"index.html": []byte("new")}}
	err := WriteWith(files, out, WriteOptions{})
	if !errors.Is(err, outdir.ErrRefused) {
		t.Fatalf("WriteWith over a foreign folder = %v, want a refusal", err)
	}
	if treeHash(t, out) != before {
		t.Fatal("the refused folder changed")
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 1 {
		t.Errorf("a refusal left files beside the folder: %v", entries)
	}
	must(t, WriteWith(files, out, WriteOptions{Force: true}))
	if _, err := os.Stat(filepath.Join(out, "MARKER.txt")); !os.IsNotExist(err) {
		t.Error("Force kept the foreign files")
	}
	if data, err := os.ReadFile(filepath.Join(out, outdir.Marker)); err != nil || string(data) != outdir.MarkerText {
		t.Errorf("no marker in the output: %v", err)
	}
	must(t, WriteWith(files, out, WriteOptions{}))
}

// BuildTo knows the site: it never writes over the sources, Force or not.
func TestBuildToRefusesSources(t *testing.T) {
	site := t.TempDir()
	largeBook(t, site, 2, "A")
	before := treeHash(t, site)
	for _, out := range []string{site, filepath.Join(site, "content"), filepath.Join(site, "content", "x"), filepath.Dir(site)} {
		_, err := BuildTo(Options{SiteDir: site, Mode: Publish}, out, WriteOptions{Force: true}, nil)
		if !errors.Is(err, outdir.ErrRefused) {
			t.Errorf("BuildTo(%s) = %v, want a refusal", out, err)
		}
	}
	if treeHash(t, site) != before {
		t.Fatal("a refused build changed the site")
	}
}

// While one stage is open, a second build of the same output fails at
// once and leaves the first one's stage alone; after Commit it may go.
func TestStageLock(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	first, err := NewStage(out, WriteOptions{})
	must(t, err)
	must(t, first.Put("index.html", []byte("first")))
	_, err = NewStage(out, WriteOptions{})
	if !errors.Is(err, outdir.ErrBusy) || !strings.Contains(err.Error(), "another guidebook build is writing "+out) {
		t.Fatalf("second NewStage = %v, want the lock message", err)
	}
	must(t, first.Commit())
	if data, err := os.ReadFile(filepath.Join(out, "index.html")); err != nil || string(data) != "first" {
		t.Fatalf("the first build's output: %q %v", data, err)
	}
	second, err := NewStage(out, WriteOptions{})
	must(t, err)
	second.Abort()
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("beside the output: %v", entries)
	}
}

// A folder without content/ is named as the author typed it, with a hint,
// not as "content/content".
func TestMissingContentFolder(t *testing.T) {
	site := t.TempDir()
	_, err := NewBuilder(Options{SiteDir: site}).Build()
	if err == nil || strings.Contains(err.Error(), "content/content") || !strings.Contains(err.Error(), filepath.Join(site, "content")+": no such folder") ||
		!strings.Contains(err.Error(), "pass --src DIR") {
		t.Errorf("Build without content/ = %v", err)
	}
}
