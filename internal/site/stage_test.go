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

	"guidebook/internal/outdir"
	"guidebook/internal/output"
	"guidebook/internal/pages"
	"guidebook/internal/publish"
)

// A one-shot Build writes pages as they render; the tree must be the one
// a watch-mode Builder (which keeps everything in memory) gives when its
// files go through the same publishing steps, byte for byte, in every
// mode a command uses.
func TestBuildMatchesKeptBuild(t *testing.T) {
	// A book over pages.LargeBook chapters (the sidebar ships as toc.js),
	// one of them empty: an export writes chapter pages from the chapter
	// loop, and an empty body is still a page.
	large := t.TempDir()
	largeBook(t, large, pages.LargeBook+5, "A")
	must(t, os.WriteFile(filepath.Join(large, "content", "empty.md"), []byte("---\ntitle: Empty\n---\n"), 0o644))
	full := publish.Options{BaseURL: testBaseURL, HostFiles: true, Precompress: true}
	for _, tc := range []struct {
		name string
		opts Options
		pub  publish.Options
	}{
		{"build", Options{SiteDir: "../..", Mode: Publish, BaseURL: testBaseURL}, full},
		{"build-minify", Options{SiteDir: "../..", Mode: Publish, Minify: true}, publish.Options{Minify: true, HostFiles: true, Precompress: true}},
		{"export", Options{SiteDir: "../..", Mode: Export}, publish.Options{}},
		{"build-large", Options{SiteDir: large, Mode: Publish}, publish.Options{HostFiles: true}},
		{"export-large", Options{SiteDir: large, Mode: Export}, publish.Options{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out, err := NewBuilder(tc.opts).buildMem()
			if err != nil {
				t.Fatal(err)
			}
			d, err := output.NewDir(filepath.Join(dir, "memory"), outdir.Rule{})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for name := range out.Files {
				names = append(names, name)
			}
			sort.Strings(names)
			kept := publish.Wrap(d, tc.pub)
			for _, name := range names {
				must(t, kept.Put(name, out.Files[name]))
			}
			must(t, kept.Commit())
			d, err = output.NewDir(filepath.Join(dir, "streamed"), outdir.Rule{})
			if err != nil {
				t.Fatal(err)
			}
			streamed, err := Build(tc.opts, publish.Wrap(d, tc.pub))
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
			if streamed.Files != len(names) {
				t.Errorf("Result.Files counts %d files, the in-memory build has %d", streamed.Files, len(names))
			}
			if streamed.Stats.Pages != out.Stats.Pages || streamed.Stats.Citations != out.Stats.Citations {
				t.Errorf("stats %+v, in memory %+v", streamed.Stats, out.Stats)
			}
		})
	}
}

// buildTo is `guidebook build` into dir.
func buildTo(opts Options, dir string) (*Result, error) {
	d, err := output.NewDir(dir, outdir.Rule{})
	if err != nil {
		return nil, err
	}
	return Build(opts, publish.Wrap(d, publish.Options{BaseURL: opts.BaseURL, Minify: opts.Minify, HostFiles: true, Precompress: true}))
}

// A streamed build that fails after pages were written leaves the output
// directory as it was and no stage beside it.
func TestBuildToFailureLeavesOutput(t *testing.T) {
	site := t.TempDir()
	largeBook(t, site, 12, "A")
	public := filepath.Join(t.TempDir(), "public")
	if _, err := buildTo(Options{SiteDir: site, Mode: Publish}, public); err != nil {
		t.Fatal(err)
	}
	before := treeHash(t, public)
	largeBook(t, site, 12, "B")
	must(t, os.MkdirAll(filepath.Join(site, "templates"), 0o755))
	tmpl := "{{define \"main-chapter\"}}{{if eq .Chapter.ID \"c011\"}}{{.Chapter.Missing}}{{end}}{{end}}\n"
	must(t, os.WriteFile(filepath.Join(site, "templates", "chapter.html"), []byte(tmpl), 0o644))
	if _, err := buildTo(Options{SiteDir: site, Mode: Publish}, public); err == nil {
		t.Fatal("a build with a failing template succeeded")
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

// A one-shot build keeps nothing for a next build, so it refuses one
// rather than writing a site built from released state.
func TestOneShotBuildsOnce(t *testing.T) {
	b := NewBuilder(Options{SiteDir: "../..", Mode: Export})
	b.keep = false
	if _, err := b.Build(output.NewMemory()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Build(output.NewMemory()); err == nil {
		t.Error("a second one-shot Build succeeded")
	}
}

// Two files at one path are refused: two sources claimed it.
func TestRecorderRefusesSecondFile(t *testing.T) {
	r := newRecorder(output.NewMemory())
	must(t, r.Put("a/index.html", []byte("one")))
	if err := r.Put("a/index.html", []byte("two")); err == nil || !strings.Contains(err.Error(), "two files would be written to a/index.html") {
		t.Errorf("second Put of one name: %v", err)
	}
}

// failingOutput fails to write one page.
type failingOutput struct {
	output.Memory
	fail    string
	mu      sync.Mutex
	written int
}

func (f *failingOutput) Put(name string, data []byte) error {
	if name == f.fail {
		return errors.New("no space left on device")
	}
	f.mu.Lock()
	f.written++
	f.mu.Unlock()
	return nil
}

// A page that cannot be written fails the build, with the page's name,
// however many others were written. (Build then aborts its Output, as
// TestBuildToFailureLeavesOutput shows for a failing template.)
func TestWriteErrorFailsBuild(t *testing.T) {
	out := &failingOutput{fail: "fundamentals/index.html"}
	_, err := Build(Options{SiteDir: "../..", Mode: Publish}, out)
	if err == nil {
		t.Fatal("Build succeeded; want the write error")
	}
	if !strings.Contains(err.Error(), "fundamentals/index.html") || !strings.Contains(err.Error(), "no space left") {
		t.Errorf("error does not name the page and the cause: %v", err)
	}
	if out.written == 0 {
		t.Error("no other file was written: the failure did not happen half-way")
	}
}
