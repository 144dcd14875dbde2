package watch

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// watching runs a Watcher over a fresh root and hands its batches to the
// test.
type watching struct {
	root    string
	batches chan []string
}

func startWatcher(t *testing.T, debounce time.Duration) *watching {
	t.Helper()
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content", "a.md"), "a")
	w, err := NewWatcher(root, SourceDirs, debounce)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	wt := &watching{root: root, batches: make(chan []string, 100)}
	go func() { done <- w.Run(ctx, func(c []string) { wt.batches <- c }) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Error(err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Run did not return after cancel")
		}
	})
	return wt
}

// until collects batches until one contains want, and returns every path
// seen so far.
func (w *watching) until(t *testing.T, want string) []string {
	t.Helper()
	var seen []string
	deadline := time.After(5 * time.Second)
	for {
		select {
		case b := <-w.batches:
			seen = append(seen, b...)
			if slices.Contains(b, want) {
				return seen
			}
		case <-deadline:
			t.Fatalf("no batch with %s after 5s; saw %v", want, seen)
		}
	}
}

func (w *watching) path(rel string) string { return filepath.Join(w.root, filepath.FromSlash(rel)) }

func TestWatcher(t *testing.T) {
	w := startWatcher(t, 20*time.Millisecond)

	t.Run("write", func(t *testing.T) {
		writeFile(t, w.path("content/a.md"), "a2")
		w.until(t, "content/a.md")
	})

	t.Run("new folder is watched", func(t *testing.T) {
		writeFile(t, w.path("content/sub/deeper/b.md"), "b")
		w.until(t, "content/sub/deeper/b.md")
		writeFile(t, w.path("content/sub/deeper/b.md"), "b2")
		w.until(t, "content/sub/deeper/b.md")
	})

	t.Run("folder removed and recreated", func(t *testing.T) {
		if err := os.RemoveAll(w.path("content/sub")); err != nil {
			t.Fatal(err)
		}
		w.until(t, "content/sub")
		writeFile(t, w.path("content/sub/c.md"), "c")
		w.until(t, "content/sub/c.md")
		writeFile(t, w.path("content/sub/c.md"), "c2")
		w.until(t, "content/sub/c.md")
	})

	t.Run("top-level folder created later", func(t *testing.T) {
		writeFile(t, w.path("templates/chapter.html"), "x")
		w.until(t, "templates/chapter.html")
		writeFile(t, w.path("assets/css/site.css"), "x")
		w.until(t, "assets/css/site.css")
	})

	t.Run("editor scratch files and other folders are ignored", func(t *testing.T) {
		a := w.path("content/a.md")
		for _, scratch := range []string{".a.md.swp", "a.md~", "4913", "a.md___jb_tmp___", "#a.md#"} {
			writeFile(t, w.path("content/"+scratch), "x")
		}
		writeFile(t, w.path("public/index.html"), "x")
		writeFile(t, w.path("notes.txt"), "x")
		// vim's rename-and-rewrite save, then JetBrains' safe write.
		if err := os.Rename(a, a+"~"); err != nil {
			t.Fatal(err)
		}
		writeFile(t, a, "vim")
		writeFile(t, a+"___jb_tmp___", "jb")
		if err := os.Rename(a, a+"___jb_old___"); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(a+"___jb_tmp___", a); err != nil {
			t.Fatal(err)
		}
		seen := w.until(t, "content/a.md")
		for _, p := range seen {
			if p != "content/a.md" {
				t.Errorf("batch names %s", p)
			}
		}
	})
}

// TestWatcherDebounces: a burst of saves is one batch. The debounce is
// long here so that a loaded machine (or -race) cannot space the writes
// out beyond it.
func TestWatcherDebounces(t *testing.T) {
	w := startWatcher(t, 250*time.Millisecond)
	a := w.path("content/a.md")
	for i := range 20 {
		if err := os.WriteFile(a, []byte(strings.Repeat("x", i)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, w.path("content/last.md"), "done")
	var batches [][]string
	deadline := time.After(10 * time.Second)
	for done := false; !done; {
		select {
		case b := <-w.batches:
			batches = append(batches, b)
			done = slices.Contains(b, "content/last.md")
		case <-deadline:
			t.Fatal("no batch")
		}
	}
	if len(batches) > 1 || !slices.Equal(batches[0], []string{"content/a.md", "content/last.md"}) {
		t.Errorf("21 writes in a row made batches %v, want one with both files", batches)
	}
}

func TestIgnored(t *testing.T) {
	for name, want := range map[string]bool{
		"academic.md": false, "glossary.yaml": false, "references.bib": false, "guidebook.css": false,
		".academic.md.swp": true, "academic.md~": true, "4913": true, "academic.md___jb_old___": true,
		"#academic.md#": true, ".#academic.md": true, ".git": true, "x.tmp": true,
	} {
		if ignored(name) != want {
			t.Errorf("ignored(%q) = %v", name, !want)
		}
	}
}
