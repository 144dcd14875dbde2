package outdir

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"reflect"
	"strings"
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
	good, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 1
	// One file made by maker 1 of none, sealed with a valid checksum.
	badMaker := appendString([]byte(manifestMagic+"\x00\x01"), "a.html")
	badMaker = append(badMaker, 4)
	badMaker = append(badMaker, page[:]...)
	badMaker = append(badMaker, 0, 0, 0, 0, 1)
	badMaker = append(badMaker, page[:]...)
	badMaker = binary.LittleEndian.AppendUint32(badMaker, crc32.Checksum(badMaker, crcTable))
	if _, err := decodeManifest(badMaker); err == nil || !strings.Contains(err.Error(), "maker 1 of 0") {
		t.Errorf("a maker past all: %v", err)
	}
	for name, bad := range map[string][]byte{
		"format 2 (JSON)":  []byte(`{"format":2,"files":{}}`),
		"empty":            nil,
		"truncated":        good[:len(good)*2/3],
		"a byte flipped":   flipped,
		"no checksum":      good[:len(good)-4],
		"a maker past all": badMaker,
	} {
		if err := os.WriteFile(filepath.Join(dir, ManifestName), bad, 0o644); err != nil {
			t.Fatal(err)
		}
		if ReadManifest(dir) != nil {
			t.Errorf("%s: read", name)
		}
	}
}
