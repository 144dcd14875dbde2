package site

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// BuildTo writes pages as they render; the tree must be the one the
// in-memory pipeline (Build, PublishOutput, WriteWith) writes, byte for
// byte, in every mode a command uses.
func TestBuildToMatchesBuildAndWrite(t *testing.T) {
	// A book over sidebarScriptMin chapters (the sidebar ships as toc.js),
	// one of them empty: an export writes chapter pages from the chapter
	// loop, and an empty body is still a page.
	large := t.TempDir()
	largeBook(t, large, sidebarScriptMin+5, "A")
	must(t, os.WriteFile(filepath.Join(large, "content", "empty.md"), []byte("---\ntitle: Empty\n---\n"), 0o644))
	for _, tc := range []struct {
		name string
		opts Options
		wo   WriteOptions
		pub  *PublishOptions
	}{
		{"build", Options{SiteDir: "../..", Mode: Publish, BaseURL: testBaseURL}, WriteOptions{Precompress: true}, &PublishOptions{BaseURL: testBaseURL}},
		{"build-minify", Options{SiteDir: "../..", Mode: Publish, Minify: true}, WriteOptions{Precompress: true}, &PublishOptions{Minify: true}},
		{"export", Options{SiteDir: "../..", Mode: Export}, WriteOptions{}, nil},
		{"build-large", Options{SiteDir: large, Mode: Publish}, WriteOptions{}, &PublishOptions{}},
		{"export-large", Options{SiteDir: large, Mode: Export}, WriteOptions{}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out, err := NewBuilder(tc.opts).Build()
			if err != nil {
				t.Fatal(err)
			}
			if tc.pub != nil {
				if err := PublishOutput(out, *tc.pub); err != nil {
					t.Fatal(err)
				}
			}
			if err := WriteWith(out, filepath.Join(dir, "memory"), tc.wo); err != nil {
				t.Fatal(err)
			}
			streamed, err := BuildTo(tc.opts, filepath.Join(dir, "streamed"), tc.wo, tc.pub)
			if err != nil {
				t.Fatal(err)
			}
			want, got := readTree(t, filepath.Join(dir, "memory")), readTree(t, filepath.Join(dir, "streamed"))
			for name, data := range want {
				if g, ok := got[name]; !ok {
					t.Errorf("%s missing from the streamed tree", name)
				} else if !bytes.Equal(g, data) {
					t.Errorf("%s differs between the streamed and the in-memory build", name)
				}
			}
			for name := range got {
				if _, ok := want[name]; !ok {
					t.Errorf("%s only in the streamed tree", name)
				}
			}
			var names []string
			for name := range out.Files {
				names = append(names, name)
			}
			sort.Strings(names)
			if strings.Join(streamed.Names, "\n") != strings.Join(names, "\n") {
				t.Errorf("Output.Names lists %d files, the in-memory build has %d", len(streamed.Names), len(names))
			}
			if streamed.Stats.Pages != out.Stats.Pages || streamed.Stats.Citations != out.Stats.Citations {
				t.Errorf("stats %+v, in memory %+v", streamed.Stats, out.Stats)
			}
		})
	}
}

// A streamed build that fails after pages were written leaves the output
// directory as it was and no stage beside it.
func TestBuildToFailureLeavesOutput(t *testing.T) {
	site := t.TempDir()
	largeBook(t, site, 12, "A")
	public := filepath.Join(t.TempDir(), "public")
	if _, err := BuildTo(Options{SiteDir: site, Mode: Publish}, public, WriteOptions{Precompress: true}, &PublishOptions{}); err != nil {
		t.Fatal(err)
	}
	before := treeHash(t, public)
	largeBook(t, site, 12, "B")
	must(t, os.MkdirAll(filepath.Join(site, "templates"), 0o755))
	tmpl := "{{define \"main-chapter\"}}{{if eq .Chapter.ID \"c011\"}}{{.Chapter.Missing}}{{end}}{{end}}\n"
	must(t, os.WriteFile(filepath.Join(site, "templates", "chapter.html"), []byte(tmpl), 0o644))
	if _, err := BuildTo(Options{SiteDir: site, Mode: Publish}, public, WriteOptions{Precompress: true}, &PublishOptions{}); err == nil {
		t.Fatal("BuildTo with a failing template succeeded")
	}
	if treeHash(t, public) != before {
		t.Error("a failed streamed build changed the output directory")
	}
	entries, _ := os.ReadDir(filepath.Dir(public))
	for _, e := range entries {
		if e.Name() != "public" {
			t.Errorf("leftover %s beside public/", e.Name())
		}
	}
}

// A Builder that emits keeps nothing for a next build, so it refuses one
// rather than emitting a site built from released state.
func TestEmitBuildsOnce(t *testing.T) {
	b := NewBuilder(Options{SiteDir: "../..", Mode: Export, Emit: func(string, []byte) error { return nil }})
	if _, err := b.Build(); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Build(); err == nil {
		t.Error("a second Build with Emit succeeded")
	}
}

// An author's own NAME.gz wins over the compressed sibling of NAME,
// whichever is written first, and a name written twice is refused.
func TestStageAuthorsCompressedFileWins(t *testing.T) {
	page := bytes.Repeat([]byte("<p>insulin sensitivity</p>\n"), 100)
	own := []byte("the author's own gzip file")
	for _, authorFirst := range []bool{false, true} {
		dir := filepath.Join(t.TempDir(), "public")
		st, err := NewStage(dir, WriteOptions{Precompress: true})
		if err != nil {
			t.Fatal(err)
		}
		puts := []func() error{
			func() error { return st.Put("a/index.html", page) },
			func() error { return st.Put("a/index.html.gz", own) },
		}
		if authorFirst {
			puts[0], puts[1] = puts[1], puts[0]
		}
		for _, put := range puts {
			if err := put(); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.Put("a/index.html", page); err == nil {
			t.Error("a second Put of one name succeeded")
		}
		if err := st.Put("../escape.html", page); err == nil {
			t.Error("a Put outside the stage succeeded")
		}
		if err := st.Commit(); err != nil {
			t.Fatal(err)
		}
		files := readTree(t, dir)
		if !bytes.Equal(files["a/index.html.gz"], own) {
			t.Errorf("author first %v: index.html.gz is not the author's file", authorFirst)
		}
		if _, ok := files["a/index.html.br"]; !ok {
			t.Errorf("author first %v: no brotli sibling", authorFirst)
		}
	}
}

// A page that cannot be written fails the build, with the page's name,
// however many others were written. (BuildTo then aborts its Stage, as
// TestBuildToFailureLeavesOutput shows for a failing template.)
func TestEmitErrorFailsBuild(t *testing.T) {
	var mu sync.Mutex
	var written int
	emit := func(name string, data []byte) error {
		if name == "fundamentals/index.html" {
			return errors.New("no space left on device")
		}
		mu.Lock()
		written++
		mu.Unlock()
		return nil
	}
	_, err := NewBuilder(Options{SiteDir: "../..", Mode: Publish, Emit: emit}).Build()
	if err == nil {
		t.Fatal("Build succeeded; want the write error")
	}
	if !strings.Contains(err.Error(), "fundamentals/index.html") || !strings.Contains(err.Error(), "no space left") {
		t.Errorf("error does not name the page and the cause: %v", err)
	}
	if written == 0 {
		t.Error("no other file was emitted: the failure did not happen half-way")
	}
}
