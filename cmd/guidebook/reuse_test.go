package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"guidebook/internal/outdir"
	"guidebook/internal/testing/filetree"
)

// A build or export into the folder of a previous one (which it partly
// links from, see output.Dir) writes exactly what it writes into an empty
// folder, whatever the previous folder holds: the output of other options
// or of the other command, or files changed after it was written, with
// their times put back.
func TestOutputIntoPreviousFolderIsByteIdentical(t *testing.T) {
	src := copySite(t)
	build := []string{"build"}
	minify := []string{"build", "--minify", "--base-url", guardBaseURL}
	export := []string{"export"}
	cases := []struct {
		name        string
		prev, args  []string
		tamper      func(t *testing.T, out string)
		linkedPages bool // the pages are unchanged: linked, not written
	}{
		{"build", build, build, nil, true},
		{"build --minify", minify, minify, nil, true},
		{"export", export, export, nil, true},
		{"build after build --minify", minify, build, nil, false},
		{"build --minify after build", build, minify, nil, false},
		{"build after export", export, build, nil, false},
		{"export after build", build, export, nil, false},
		{"changed page", build, build, rewriteFile("fundamentals/index.html"), false},
		{"changed .gz", build, build, rewriteFile("fundamentals/index.html.gz"), false},
		{"changed .br", build, build, rewriteFile("fundamentals/index.html.br"), false},
		{"removed sibling", build, build, removeFile("fundamentals/index.html.br"), false},
		{"removed manifest", build, build, removeFile(".guidebook-manifest"), false},
		{"changed manifest", build, build, rewriteFile(".guidebook-manifest"), false},
		{"siblings of another version", build, build, otherVersion("fundamentals/index.html.gz"), false},
	}
	root := t.TempDir()
	fresh := map[string]map[string][]byte{}
	for i, args := range [][]string{build, minify, export} {
		out := filepath.Join(root, "fresh", string(rune('a'+i)))
		cliOK(t, append(args, "--src", src, "--out", out)...)
		fresh[strings.Join(args, " ")] = filetree.Read(t, out)
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(root, "case", string(rune('a'+i)))
			cliOK(t, append(c.prev, "--src", src, "--out", out)...)
			page := filepath.Join(out, "fundamentals", "index.html")
			before, err := os.Lstat(page)
			if err != nil {
				t.Fatal(err)
			}
			if c.tamper != nil {
				c.tamper(t, out)
			}
			cliOK(t, append(c.args, "--src", src, "--out", out)...)
			wantSameTree(t, filetree.Read(t, out), fresh[strings.Join(c.args, " ")])
			after, err := os.Lstat(page)
			if err != nil {
				t.Fatal(err)
			}
			if c.linkedPages && !os.SameFile(before, after) {
				t.Error("an unchanged page was written again, not linked")
			}
		})
	}
}

// After one chapter is edited, a build into the same folder writes what a
// build of the edited site into an empty folder writes, and links what
// did not change.
func TestBuildAfterEditIsByteIdentical(t *testing.T) {
	src := copySite(t)
	out := filepath.Join(t.TempDir(), "out")
	cliOK(t, "build", "--src", src, "--out", out)
	// Every page names the search index by its fingerprint, which an edit
	// changes: the unchanged files are the assets and their siblings.
	css, err := filepath.Glob(filepath.Join(out, "assets", "css", "guidebook.*.css.br"))
	if err != nil || len(css) != 1 {
		t.Fatalf("stylesheet: %v %v", css, err)
	}
	before, err := os.Lstat(css[0])
	if err != nil {
		t.Fatal(err)
	}
	chapter := filepath.Join(src, "content", "reflection.md")
	text, err := os.ReadFile(chapter)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(chapter, append(text, "\nOne more sentence, edited between two builds.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	cliOK(t, "build", "--src", src, "--out", out)
	fresh := filepath.Join(t.TempDir(), "fresh")
	cliOK(t, "build", "--src", src, "--out", fresh)
	got := filetree.Read(t, out)
	wantSameTree(t, got, filetree.Read(t, fresh))
	if !strings.Contains(string(got["reflection/index.html"]), "edited between two builds") {
		t.Error("the edited chapter's page is the previous one")
	}
	if after, err := os.Lstat(css[0]); err != nil || !os.SameFile(before, after) {
		t.Errorf("the unchanged stylesheet's brotli copy was written again (%v)", err)
	}
}

func cliOK(t *testing.T, args ...string) {
	t.Helper()
	if code, _, stderr := runCLI(args...); code != 0 {
		t.Fatalf("%v: exit %d\n%s", args, code, stderr)
	}
}

func wantSameTree(t *testing.T, got, want map[string][]byte) {
	t.Helper()
	for n, w := range want {
		if g, ok := got[n]; !ok {
			t.Errorf("%s is missing", n)
		} else if !bytes.Equal(g, w) {
			t.Errorf("%s differs from a build into an empty folder", n)
		}
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			t.Errorf("%s is extra", n)
		}
	}
}

// rewriteFile changes the file at name in place, same size, and puts its
// modification time back.
func rewriteFile(name string) func(t *testing.T, out string) {
	return func(t *testing.T, out string) {
		p := filepath.Join(out, filepath.FromSlash(name))
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.WriteAt([]byte("EVIL"), info.Size()/2)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Chtimes(p, info.ModTime(), info.ModTime())
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func removeFile(name string) func(t *testing.T, out string) {
	return func(t *testing.T, out string) {
		if err := os.Remove(filepath.Join(out, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
}

// otherVersion replaces the compressed sibling at name with one another
// guidebook version could have made (other bytes, a manifest entry
// saying how), consistently: only the maker's name tells it apart.
func otherVersion(name string) func(t *testing.T, out string) {
	return func(t *testing.T, out string) {
		m := outdir.ReadManifest(out)
		e, ok := m.Files[name]
		if m == nil || !ok || e.Via == "" {
			t.Fatalf("no made entry for %s in the manifest", name)
		}
		page, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(strings.TrimSuffix(name, ".gz"))))
		if err != nil {
			t.Fatal(err)
		}
		var z bytes.Buffer
		w, _ := gzip.NewWriterLevel(&z, gzip.BestSpeed)
		w.Write(page)
		w.Close()
		if err := os.WriteFile(filepath.Join(out, filepath.FromSlash(name)), z.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		e.Size, e.SHA256, e.Via = int64(z.Len()), sha256.Sum256(z.Bytes()), "gzip level 1 (an older guidebook)"
		m.Files[name] = e
		if err := m.Write(out); err != nil {
			t.Fatal(err)
		}
	}
}
