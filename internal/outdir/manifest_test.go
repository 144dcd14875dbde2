package outdir

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// A manifest reads back as written, in a folder holding the Marker only;
// a damaged one, or one of another format, reads as none.
func TestManifestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{"a.html": "page", "a.html.gz": "zz", "b/c.css": "p{}"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m := NewManifest()
	page := sha256.Sum256([]byte("page"))
	m.Files["a.html"] = Entry{Size: 4, SHA256: page}
	m.Files["a.html.gz"] = Entry{Size: 2, SHA256: sha256.Sum256([]byte("zz")), From: page, Via: "gzip 6"}
	m.Files["b/c.css"] = Entry{Size: 3, SHA256: sha256.Sum256([]byte("p{}"))}
	m.Files["gone.html"] = Entry{Size: 1}
	if err := m.Write(dir); err != nil {
		t.Fatal(err)
	}
	if ReadManifest(dir) != nil {
		t.Error("a manifest was read from a folder without the marker")
	}
	if err := os.WriteFile(filepath.Join(dir, Marker), []byte(MarkerText), 0o644); err != nil {
		t.Fatal(err)
	}
	got := ReadManifest(dir)
	if got == nil {
		t.Fatal("the manifest was not read")
	}
	if _, ok := got.Files["gone.html"]; ok || len(got.Files) != 3 {
		t.Errorf("files %v: a missing file is listed", got.Files)
	}
	for name, e := range got.Files {
		info, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		want := m.Files[name]
		want.Mode, want.MTime = info.Mode(), info.ModTime().UnixNano()
		want.Inode, want.CTime = statExtra(info)
		if !reflect.DeepEqual(e, want) {
			t.Errorf("%s = %+v, want %+v", name, e, want)
		}
		if same, _ := got.Untouched(e, info); !same {
			t.Errorf("%s is not untouched", name)
		}
	}
	for _, bad := range []string{
		`{"format":1,"files":{}}`,
		`{"format":2}`,
		`{"format":2,"files":{"a.html":{"s":4,"h":"AAAA"}}}`,
		`{"format":2,"files":{"a.html":{"s":4,"v":1}}}`,
		`{"format":2,"files":`,
	} {
		if err := os.WriteFile(filepath.Join(dir, ManifestName), []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		if ReadManifest(dir) != nil {
			t.Errorf("%s was read", bad)
		}
	}
}
