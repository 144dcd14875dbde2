package publish

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"guidebook/internal/output"
	"guidebook/internal/testing/filetree"
)

// Precompress takes the compressed siblings of a file put unchanged from
// the previous folder (the same files, linked) and makes them again for
// a changed file; an author's own NAME.gz is never taken for a sibling
// the build makes, nor the other way round. Every folder equals a build
// of the same files into an empty one.
func TestPrecompressReusesPreviousSiblings(t *testing.T) {
	page := []byte("<!doctype html><title>x</title><p>" + strings.Repeat("text ", 200))
	other := []byte("<!doctype html><title>y</title><p>" + strings.Repeat("word ", 200))
	own := []byte("the author's own gzip file")
	root := t.TempDir()
	dir := filepath.Join(root, "public")
	var made []string // the siblings compressed by the last run
	run := func(files map[string][]byte) map[string][]byte {
		t.Helper()
		made = nil
		putAll(t, Precompress(&counting{newDir(t, dir), &made}), files)
		fresh := filepath.Join(t.TempDir(), "fresh")
		putAll(t, Precompress(newDir(t, fresh)), files)
		got, want := filetree.Read(t, dir), filetree.Read(t, fresh)
		if len(got) != len(want) {
			t.Errorf("%d files, a fresh build %d", len(got), len(want))
		}
		for n, w := range want {
			if !bytes.Equal(got[n], w) {
				t.Errorf("%s differs from a fresh build's", n)
			}
		}
		return got
	}
	inode := func(name string) os.FileInfo {
		t.Helper()
		info, err := os.Lstat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return info
	}

	first := map[string][]byte{"a/index.html": page, "b/index.html": page, "b/index.html.gz": own}
	run(first)
	gz, br, ownGz := inode("a/index.html.gz"), inode("a/index.html.br"), inode("b/index.html.gz")
	run(first)
	// b/index.html.gz is made, then replaced by the author's file put
	// after it: the previous folder's is the author's, not made.
	if strings.Join(made, " ") != "b/index.html.gz" {
		t.Errorf("compressed again: %v", made)
	}
	for name, before := range map[string]os.FileInfo{"a/index.html.gz": gz, "a/index.html.br": br, "b/index.html.gz": ownGz} {
		if !os.SameFile(before, inode(name)) {
			t.Errorf("%s was made again", name)
		}
	}

	// The author's file is gone: b's sibling is made, not taken from it.
	got := run(map[string][]byte{"a/index.html": other, "b/index.html": page})
	if strings.Join(made, " ") != "a/index.html.gz a/index.html.br b/index.html.gz" {
		t.Errorf("compressed %v", made)
	}
	if bytes.Equal(got["b/index.html.gz"], own) || os.SameFile(gz, inode("a/index.html.gz")) {
		t.Error("a sibling was taken from a file made another way or from other bytes")
	}

	// The author's file is back, put after the page: it wins over the
	// sibling the previous build made.
	got = run(map[string][]byte{"a/index.html": other, "b/index.html": page, "b/index.html.gz": own})
	if !bytes.Equal(got["b/index.html.gz"], own) {
		t.Error("the author's own file lost to the previous build's sibling")
	}
}

// counting is a Dir that notes the compressed files put into it.
type counting struct {
	*output.Dir
	made *[]string
}

func (c *counting) PutMade(name, src, via string, data []byte) error {
	*c.made = append(*c.made, name)
	return c.Dir.PutMade(name, src, via, data)
}
