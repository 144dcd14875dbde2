package watch

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"guidebook"
)

// TestServeFollowsEdits runs the whole watch loop on a copy of the shipped
// guide: real files edited, added, renamed and deleted, fsnotify, the
// rebuild, the HTTP answer and the event stream, then a clean shutdown.
func TestServeFollowsEdits(t *testing.T) {
	dir := copySite(t)
	before := runtime.NumGoroutine()
	r := startServer(t, dir)
	es := openStream(t, r)
	content := filepath.Join(dir, "content")
	academic := filepath.Join(content, "academic.md")
	orig := readFile(t, academic)

	if status, body, _ := r.get(t, "/academic/"); status != 200 || !strings.Contains(body, "Academic") {
		t.Fatalf("GET /academic/ = %d", status)
	}

	reloadOf := func(page string) {
		t.Helper()
		d := decode[reloadData](t, es.next(t, "reload").data)
		if !d.All && !slices.Contains(d.Pages, page) {
			t.Fatalf("reload event %+v does not name %s", d, page)
		}
	}
	has := func(s string) func(int, string) bool {
		return func(status int, body string) bool { return status == 200 && strings.Contains(body, s) }
	}
	missing := func(status int, body string) bool {
		return status == 404 && strings.Contains(body, "gb-kind-404")
	}

	t.Run("edit", func(t *testing.T) {
		writeFile(t, academic, orig+"\nWatch-mode marker one.\n")
		reloadOf("/academic/")
		r.waitPage(t, "/academic/", "edited", has("Watch-mode marker one."))
		if !regexp.MustCompile(`rebuilt in \S+: content/academic\.md \(1 page\)`).MatchString(r.log.String()) {
			t.Errorf("log has no rebuild line for the edit:\n%s", r.log.String())
		}
	})

	t.Run("vim-save", func(t *testing.T) {
		// vim (backupcopy=no): rename the file to a backup, write a new
		// file under the old name, delete the backup.
		if err := os.Rename(academic, academic+"~"); err != nil {
			t.Fatal(err)
		}
		writeFile(t, academic, orig+"\nSaved the vim way.\n")
		os.Remove(academic + "~")
		reloadOf("/academic/")
		r.waitPage(t, "/academic/", "edited by vim", has("Saved the vim way."))
	})

	t.Run("jetbrains-safe-write", func(t *testing.T) {
		tmp, old := academic+"___jb_tmp___", academic+"___jb_old___"
		writeFile(t, tmp, orig+"\nSaved the JetBrains way.\n")
		if err := os.Rename(academic, old); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, academic); err != nil {
			t.Fatal(err)
		}
		os.Remove(old)
		reloadOf("/academic/")
		r.waitPage(t, "/academic/", "edited by a safe write", has("Saved the JetBrains way."))
	})

	newChapter := "---\ntitle: Brand new chapter\norder: 9\nsummary: Written while the server ran.\n---\n\nFresh text for the new chapter.\n"
	t.Run("add", func(t *testing.T) {
		writeFile(t, filepath.Join(content, "zz-new.md"), newChapter)
		reloadOf("/zz-new/")
		r.waitPage(t, "/zz-new/", "added", has("Fresh text for the new chapter."))
		r.waitPage(t, "/", "listing the new chapter", has("Brand new chapter"))
	})

	t.Run("add-in-new-folder", func(t *testing.T) {
		// A folder created after start must be watched too.
		sub := filepath.Join(content, "extra")
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(sub, "deep.md"), "---\ntitle: Deep chapter\norder: 10\n---\n\nFirst version.\n")
		r.waitPage(t, "/", "listing the nested chapter", has("Deep chapter"))
		writeFile(t, filepath.Join(sub, "deep.md"), "---\ntitle: Deep chapter\norder: 10\n---\n\nSecond version.\n")
		deadline := time.Now().Add(10 * time.Second)
		for {
			found := false
			for _, p := range []string{"/deep/", "/extra/deep/"} {
				if status, body, _ := r.get(t, p); status == 200 && strings.Contains(body, "Second version.") {
					found = true
				}
			}
			if found {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("edit in a folder created after start not served\nlog:\n%s", r.log.String())
			}
			time.Sleep(5 * time.Millisecond)
		}
		if err := os.RemoveAll(sub); err != nil {
			t.Fatal(err)
		}
		r.waitPage(t, "/", "without the nested chapter", func(s int, b string) bool { return s == 200 && !strings.Contains(b, "Deep chapter") })
		drain(es)
	})

	t.Run("rename", func(t *testing.T) {
		if err := os.Rename(filepath.Join(content, "zz-new.md"), filepath.Join(content, "zz-renamed.md")); err != nil {
			t.Fatal(err)
		}
		d := decode[reloadData](t, es.next(t, "reload").data)
		if !slices.Contains(d.Pages, "/zz-new/") || !slices.Contains(d.Pages, "/zz-renamed/") {
			t.Errorf("rename reload names %v, want the old and the new page", d.Pages)
		}
		r.waitPage(t, "/zz-renamed/", "renamed", has("Fresh text for the new chapter."))
		r.waitPage(t, "/zz-new/", "gone", missing)
	})

	t.Run("delete", func(t *testing.T) {
		if err := os.Remove(filepath.Join(content, "zz-renamed.md")); err != nil {
			t.Fatal(err)
		}
		reloadOf("/zz-renamed/")
		r.waitPage(t, "/zz-renamed/", "gone", missing)
		r.waitPage(t, "/", "without the chapter", func(s int, b string) bool { return s == 200 && !strings.Contains(b, "Brand new chapter") })
	})

	t.Run("break-and-fix-front-matter", func(t *testing.T) {
		broken := strings.Replace(orig, "order: 3", "order: three", 1)
		if broken == orig {
			t.Fatal("academic.md has no 'order: 3' line")
		}
		writeFile(t, academic, broken)
		problems := decode[[]Problem](t, es.next(t, "error").data)
		if len(problems) == 0 || !strings.HasSuffix(problems[0].File, "content/academic.md") || problems[0].Line != 3 {
			t.Fatalf("error event %+v, want content/academic.md line 3", problems)
		}
		if st := r.Status(); st.OK || len(st.Errors) == 0 {
			t.Errorf("status while broken = %+v", st)
		}
		// The last good build is still served.
		r.waitPage(t, "/academic/", "the last good build", has("Saved the JetBrains way."))
		if !strings.Contains(r.log.String(), "rebuild failed in") || !strings.Contains(r.log.String(), "academic.md:3") {
			t.Errorf("log does not report the failure:\n%s", r.log.String())
		}

		writeFile(t, academic, orig)
		d := decode[reloadData](t, es.next(t, "reload").data)
		if !d.All {
			t.Errorf("the reload after a fix must reach every tab (to clear its overlay): %+v", d)
		}
		r.waitPage(t, "/academic/", "fixed", func(s int, b string) bool { return s == 200 && !strings.Contains(b, "JetBrains") })
		if st := r.Status(); !st.OK || len(st.Errors) != 0 {
			t.Errorf("status after the fix = %+v", st)
		}
	})

	t.Run("stylesheet-swap", func(t *testing.T) {
		// assets/ does not exist at start: the folder is noticed, and a
		// stylesheet-only change is a "css" event, not a reload.
		css, err := guidebook.Files.ReadFile("assets/css/guidebook.css")
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "assets", "css", "guidebook.css"), string(css)+"\nbody{outline:3px solid rgb(1,2,3)}\n")
		d := decode[cssData](t, es.next(t, "css").data)
		if !slices.Equal(d.Assets, []string{"css/guidebook.css"}) {
			t.Errorf("css event assets %v", d.Assets)
		}
		r.waitPage(t, "/assets/css/guidebook.css", "the new stylesheet", has("rgb(1,2,3)"))
		if !strings.Contains(r.log.String(), "stylesheet css/guidebook.css swapped") {
			t.Errorf("log:\n%s", r.log.String())
		}
	})

	t.Run("template", func(t *testing.T) {
		writeFile(t, filepath.Join(dir, "templates", "404.html"),
			`{{define "main-404"}}<main id="gb-main" class="gb-main"><h1>Custom missing page</h1></main>{{end}}`)
		d := decode[reloadData](t, es.next(t, "reload").data)
		if !slices.Contains(d.Pages, "/404.html") {
			t.Errorf("template reload names %v", d.Pages)
		}
		r.waitPage(t, "/no/such/page/", "the new 404 page", func(s int, b string) bool {
			return s == 404 && strings.Contains(b, "Custom missing page")
		})
	})

	t.Run("shutdown", func(t *testing.T) {
		if err := r.stop(); err != nil {
			t.Fatalf("Serve returned %v", err)
		}
		// The stream ends with the server.
		for range es.events {
		}
		// One more than before: this subtest's own goroutine.
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > before+1 {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				t.Fatalf("%d goroutines after shutdown, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
			}
			time.Sleep(10 * time.Millisecond)
		}
		if _, err := r.client.Get(r.url); err == nil {
			t.Error("server still answers after shutdown")
		}
	})
}

// drain discards queued events (steps whose event count depends on how
// the kernel batched a multi-file change).
func drain(s *stream) {
	for {
		select {
		case <-s.events:
		case <-time.After(100 * time.Millisecond):
			return
		}
	}
}
