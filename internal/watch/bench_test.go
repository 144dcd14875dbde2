package watch

// Benchmarks of watch mode: a full build against the rebuild after a
// one-chapter edit, on the shipped guide and on a 1,000-chapter book from
// internal/testing/benchbook; and the whole loop from saving a file to the reload
// event reaching a connected client (fsnotify, debounce, rebuild, SSE).
//
//	go test -run '^$' -bench . -benchtime 20x ./internal/watch/
//
// BenchmarkSaveToBrowser needs Chromium (it skips, loudly, without).

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guidebook/internal/testing/benchbook"
	"guidebook/internal/testing/browsertest"
)

func BenchmarkRebuild(b *testing.B) {
	guide := copySite(b)
	book := filepath.Join(b.TempDir(), "book")
	if err := benchbook.Generate(book, 1000, benchbook.Options{}); err != nil {
		b.Fatal(err)
	}
	for _, bk := range []struct {
		name, dir, chapter string
	}{
		{"guide", guide, "content/academic.md"},
		{"chapters=1000", book, filepath.ToSlash(must(filepath.Rel(book, benchbook.ChapterPath(book, 500))))},
	} {
		b.Run(bk.name+"/full", func(b *testing.B) {
			for b.Loop() {
				s, err := New(Options{SiteDir: bk.dir})
				if err != nil {
					b.Fatal(err)
				}
				if err := s.Rebuild(nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bk.name+"/one-chapter", func(b *testing.B) {
			s, err := New(Options{SiteDir: bk.dir})
			if err != nil {
				b.Fatal(err)
			}
			if err := s.Rebuild(nil); err != nil {
				b.Fatal(err)
			}
			file := filepath.Join(bk.dir, filepath.FromSlash(bk.chapter))
			orig, err := os.ReadFile(file)
			if err != nil {
				b.Fatal(err)
			}
			defer os.WriteFile(file, orig, 0o644)
			changed := []string{bk.chapter}
			i := 0
			for b.Loop() {
				b.StopTimer()
				i++
				if err := os.WriteFile(file, fmt.Appendf(append([]byte(nil), orig...), "\nEdited paragraph %d.\n", i), 0o644); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if err := s.Rebuild(changed); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSaveToEvent is what an author waits for before the browser
// starts reloading: a save on disk to the "reload" event on the stream.
func BenchmarkSaveToEvent(b *testing.B) {
	dir := copySite(b)
	r := startServer(b, dir)
	es := openStream(b, r)
	file := filepath.Join(dir, "content", "academic.md")
	orig := readFile(b, file)
	defer os.WriteFile(file, []byte(orig), 0o644)
	i := 0
	for b.Loop() {
		i++
		writeFile(b, file, fmt.Sprintf("%s\nEdited paragraph %d.\n", orig, i))
		es.next(b, "reload")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// BenchmarkSaveToBrowser is what the author sees: from a chapter saved on
// disk to its new content in place in an open Chromium tab (debounce,
// rebuild, event, the page fetching and swapping in its new layout), on
// the shipped guide and on a 1,000-chapter book. The page's own clock
// stamps the swap, so the test's polling adds nothing; save-to-page-ms is
// the median over b.N saves.
func BenchmarkSaveToBrowser(b *testing.B) {
	browsertest.Browser(b) // skips, loudly, without Chromium
	b.Run("guide", func(b *testing.B) {
		benchSaveToBrowser(b, copySite(b), "academic")
	})
	b.Run("chapters=1000", func(b *testing.B) {
		dir := filepath.Join(b.TempDir(), "book")
		if err := benchbook.Generate(dir, 1000, benchbook.Options{}); err != nil {
			b.Fatal(err)
		}
		benchSaveToBrowser(b, dir, benchbook.ChapterID(500))
	})
}

func benchSaveToBrowser(b *testing.B, dir, chapter string) {
	r := startServer(b, dir)
	tab := browsertest.Tab(b, 10*time.Minute)
	file := filepath.Join(dir, "content", chapter+".md")
	orig := readFile(b, file)
	defer os.WriteFile(file, []byte(orig), 0o644)
	browsertest.Run(b, tab, chromedp.Navigate(r.url+chapter+"/"))
	wait := func(what, js string) {
		if _, ok := browsertest.Wait(tab, js, 10*time.Second, 5*time.Millisecond); !ok {
			b.Fatalf("browser: still not %s after 10s", what)
		}
	}
	wait("connected", `document.documentElement.hasAttribute("data-gb-live")`)
	browsertest.Run(b, tab, chromedp.Evaluate[bool](`document.addEventListener("guidebook:swap", function () { window.gbSwappedAt = Date.now(); }); true`))
	var took, asked []time.Duration
	i := 0
	for b.Loop() {
		i++
		marker := fmt.Sprintf("Saved edit number %d.", i)
		start := time.Now()
		writeFile(b, file, orig+"\n"+marker+"\n")
		wait("updated", fmt.Sprintf(`document.body.textContent.includes(%q)`, marker))
		at := browsertest.Run(b, tab, chromedp.Evaluate[float64](`window.gbSwappedAt`))
		took = append(took, time.UnixMilli(int64(at)).Sub(start))
		// When the page asked for its new version: the server's share
		// (debounce, rebuild, event) ends there.
		fetched := browsertest.Run(b, tab, chromedp.Evaluate[float64](`(function(){
			var e = performance.getEntriesByType("resource").filter(function(r){return r.initiatorType==="fetch"&&r.name===location.href;}).pop();
			performance.clearResourceTimings();
			return e ? performance.timeOrigin + e.startTime : 0;})()`))
		asked = append(asked, time.Duration(fetched*float64(time.Millisecond))-time.Duration(start.UnixNano()))
	}
	median := func(ds []time.Duration) float64 {
		slices.Sort(ds)
		return float64(ds[len(ds)/2]) / float64(time.Millisecond)
	}
	b.ReportMetric(median(asked), "save-to-fetch-ms")
	b.ReportMetric(median(took), "save-to-page-ms")
	b.ReportMetric(float64(took[len(took)-1])/float64(time.Millisecond), "max-ms")
}
