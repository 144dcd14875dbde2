package export

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"guidebook/internal/outdir"
)

// The folder holds the marker that makes it guidebook's; the zip and the
// single file carry their own marks instead, and neither holds the marker.
func TestExportOwnershipMarks(t *testing.T) {
	g := guide(t)
	if data, err := os.ReadFile(filepath.Join(g.dir, outdir.Marker)); err != nil || string(data) != outdir.MarkerText {
		t.Errorf("the folder has no marker: %v", err)
	}
	zr, err := zip.OpenReader(g.zip)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if zr.Comment != outdir.ZipComment {
		t.Errorf("zip comment = %q", zr.Comment)
	}
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, outdir.Marker) {
			t.Errorf("the zip holds %s", f.Name)
		}
	}
	if !outdir.OwnZip(g.zip) || !outdir.OwnSingleFile(g.single) {
		t.Error("the export's own files are not recognised as its own")
	}
	if outdir.OwnSingleFile(filepath.Join(g.dir, "index.html")) {
		t.Error("a page of the folder passes for the single file")
	}
	data, _ := os.ReadFile(g.single)
	if strings.Contains(string(data), outdir.MarkerText) {
		t.Error("the single file holds the marker text")
	}
}

// An author's own .html file in content/ is a static file, not a page:
// the single file builds, without it, whether it is a fragment or a whole
// document with its own <main>.
func TestSingleFileWithStaticHTML(t *testing.T) {
	site := t.TempDir()
	if err := os.CopyFS(filepath.Join(site, "content"), os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{
		"plain.html":      "<p>static fragment text</p>",
		"extra/note.html": "<!doctype html><html><head><title>N</title></head><body><main>static main text</main></body></html>",
	} {
		p := filepath.Join(site, "content", filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	single := filepath.Join(out, "guide.html")
	if _, err := Run(Options{SiteDir: site, Dir: filepath.Join(out, "offline"), SingleFile: single}); err != nil {
		t.Fatalf("export with static .html files: %v", err)
	}
	data, err := os.ReadFile(single)
	if err != nil {
		t.Fatal(err)
	}
	doc := parse(t, single, data)
	ids := idsOf(doc)
	for _, id := range []string{"plain", "extra-note", "extra"} {
		if ids[id] > 0 {
			t.Errorf("the single file has a section %q for a static file", id)
		}
	}
	if strings.Contains(string(data), "static main text") || strings.Contains(string(data), "static fragment text") {
		t.Error("a static file's text was joined into the single file")
	}
	if _, err := os.Stat(filepath.Join(out, "offline", "extra", "note.html")); err != nil {
		t.Errorf("the folder lacks the static file: %v", err)
	}
}
