package publish

import (
	"bytes"
	"crypto/sha256"
	"maps"
	"os"
	"path/filepath"
	"slices"
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
		return sameAsFresh(t, dir, files, Precompress)
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

// sameAsFresh checks that dir holds what files put through steps into an
// empty folder make, and returns dir's files.
func sameAsFresh(t *testing.T, dir string, files map[string][]byte, steps func(output.Output) output.Output) map[string][]byte {
	t.Helper()
	fresh := filepath.Join(t.TempDir(), "fresh")
	putAll(t, steps(newDir(t, fresh)), files)
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

// counting is a Dir that notes the compressed files put into it.
type counting struct {
	*output.Dir
	made *[]string
}

func (c *counting) PutMade(name, src, via string, data []byte) error {
	*c.made = append(*c.made, name)
	return c.Dir.PutMade(name, src, via, data)
}

// keepAll keeps each file the output already holds (output.Keep), puts
// the others, commits, and returns the names kept.
func keepAll(t *testing.T, out output.Output, files map[string][]byte) []string {
	t.Helper()
	var kept []string
	for _, name := range slices.Sorted(maps.Keys(files)) {
		data := files[name]
		ok, err := output.Keep(out, name, sha256.Sum256(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			kept = append(kept, name)
		} else if err := out.Put(name, data); err != nil {
			t.Fatal(err)
		}
	}
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	return kept
}

// The publishing steps keep a file by its hash (output.Keeper) only when
// what they would make of it is kept too: a page whose compressed
// sibling is gone is put, and the sibling made again; a page to minify is
// always put. A kept page is listed in the sitemap like one put. Every
// folder equals a build of the same files into an empty one.
func TestPublishKeeps(t *testing.T) {
	page := []byte("<!doctype html><title>x</title><p>" + strings.Repeat("text ", 200))
	files := map[string][]byte{"a/index.html": page, "b/index.html": page, "small.txt": []byte("tiny")}
	dir := filepath.Join(t.TempDir(), "public")
	opts := Options{BaseURL: "https://example.org/", HostFiles: true, Precompress: true}
	run := func(opts Options) []string {
		t.Helper()
		kept := keepAll(t, Wrap(newDir(t, dir), opts), files)
		sameAsFresh(t, dir, files, func(o output.Output) output.Output { return Wrap(o, opts) })
		return kept
	}
	if kept := run(opts); len(kept) != 0 {
		t.Errorf("first build kept %v", kept)
	}
	if kept := strings.Join(run(opts), " "); kept != "a/index.html b/index.html small.txt" {
		t.Errorf("kept %q, want every file", kept)
	}
	if err := os.Remove(filepath.Join(dir, "b/index.html.br")); err != nil {
		t.Fatal(err)
	}
	if kept := strings.Join(run(opts), " "); kept != "a/index.html small.txt" {
		t.Errorf("with b's sibling gone, kept %q", kept)
	}
	opts.Minify = true
	run(opts)
	if kept := strings.Join(run(opts), " "); kept != "small.txt" {
		t.Errorf("minifying, kept %q", kept)
	}
}
