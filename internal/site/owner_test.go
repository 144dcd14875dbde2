package site

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"guidebook/internal/outdir"
	"guidebook/internal/output"
)

// Every folder output (build, export) is an output.Dir, so the
// output-folder rule holds for all of them. Only folders under
// t.TempDir() filled with decoys are used.

// writeDir writes one page into a Dir at out under rule.
func writeDir(out string, rule outdir.Rule) error {
	d, err := output.NewDir(out, rule)
	if err != nil {
		return err
	}
	if err := d.Put("index.html", []byte("new")); err != nil {
		d.Abort()
		return err
	}
	return d.Commit()
}

func TestDirRefusesForeignFolder(t *testing.T) {
	out := filepath.Join(t.TempDir(), "D")
	must(t, os.MkdirAll(filepath.Join(out, "Documents"), 0o755))
	must(t, os.WriteFile(filepath.Join(out, "MARKER.txt"), []byte("x"), 0o644))
	before := treeHash(t, out)
	err := writeDir(out, outdir.Rule{})
	if !errors.Is(err, outdir.ErrRefused) {
		t.Fatalf("a Dir over a foreign folder = %v, want a refusal", err)
	}
	if treeHash(t, out) != before {
		t.Fatal("the refused folder changed")
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 1 {
		t.Errorf("a refusal left files beside the folder: %v", entries)
	}
	must(t, writeDir(out, outdir.Rule{Force: true}))
	if _, err := os.Stat(filepath.Join(out, "MARKER.txt")); !os.IsNotExist(err) {
		t.Error("Force kept the foreign files")
	}
	if data, err := os.ReadFile(filepath.Join(out, outdir.Marker)); err != nil || string(data) != outdir.MarkerText {
		t.Errorf("no marker in the output: %v", err)
	}
	must(t, writeDir(out, outdir.Rule{}))
}

// A Dir that knows the site never writes over the sources, Force or not.
func TestDirRefusesSources(t *testing.T) {
	site := t.TempDir()
	largeBook(t, site, 2, "A")
	before := treeHash(t, site)
	for _, out := range []string{site, filepath.Join(site, "content"), filepath.Join(site, "content", "x"), filepath.Dir(site)} {
		err := writeDir(out, outdir.Rule{Site: site, Force: true})
		if !errors.Is(err, outdir.ErrRefused) {
			t.Errorf("a Dir at %s = %v, want a refusal", out, err)
		}
	}
	if treeHash(t, site) != before {
		t.Fatal("a refused build changed the site")
	}
}

// While one Dir is open, a second build of the same output fails at once
// and leaves the first one's stage alone; after Commit it may go.
func TestDirLock(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	first, err := output.NewDir(out, outdir.Rule{})
	must(t, err)
	must(t, first.Put("index.html", []byte("first")))
	_, err = output.NewDir(out, outdir.Rule{})
	if !errors.Is(err, outdir.ErrBusy) || !strings.Contains(err.Error(), "another guidebook build is writing "+out) {
		t.Fatalf("second NewDir = %v, want the lock message", err)
	}
	must(t, first.Commit())
	if data, err := os.ReadFile(filepath.Join(out, "index.html")); err != nil || string(data) != "first" {
		t.Fatalf("the first build's output: %q %v", data, err)
	}
	second, err := output.NewDir(out, outdir.Rule{})
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
	_, err := NewBuilder(Options{SiteDir: site}).buildMem()
	if err == nil || strings.Contains(err.Error(), "content/content") || !strings.Contains(err.Error(), filepath.Join(site, "content")+": no such folder") ||
		!strings.Contains(err.Error(), "pass --src DIR") {
		t.Errorf("Build without content/ = %v", err)
	}
}
