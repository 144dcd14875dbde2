package watch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guidebook"
	"guidebook/internal/testing/browsertest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	browsertest.Close()
	os.Exit(code)
}

// TestBrowserLiveReload opens a chapter in Chromium and edits its file: the
// page changes without a manual reload and keeps its scroll position; a
// broken front matter shows #gb-error-overlay with file:line, also on a
// page loaded while broken, and the fix removes it; a stylesheet edit is
// swapped in without reloading.
func TestBrowserLiveReload(t *testing.T) {
	browsertest.Browser(t) // skips, loudly, without Chromium
	dir := copySite(t)
	r := startServer(t, dir)
	// Opened after the server so that it closes first (cleanups run in
	// reverse): a server stopping under an open tab makes its event
	// stream log a refused reconnect.
	tab := browsertest.Tab(t, 60*time.Second)
	academic := filepath.Join(dir, "content", "academic.md")
	orig := readFile(t, academic)

	eval := func(t *testing.T, js string) any {
		t.Helper()
		return browsertest.Run(t, tab, chromedp.Evaluate[any](js))
	}
	// waitJS polls a JavaScript condition; it returns how long it took.
	waitJS := func(t *testing.T, what, js string) time.Duration {
		t.Helper()
		// Every 25 ms, not faster: on two cores, polling the browser
		// harder slows the very rebuild and reload it measures.
		took, ok := browsertest.Wait(tab, js, 10*time.Second, 25*time.Millisecond)
		if !ok {
			t.Fatalf("browser: still not %s after 10s\nlog:\n%s", what, r.log.String())
		}
		return took
	}
	open := func(t *testing.T, p string) {
		t.Helper()
		n := r.hub.subscribers()
		browsertest.Run(t, tab, chromedp.Navigate(r.url+strings.TrimPrefix(p, "/")))
		// The page's event stream is connected once the hub counts it.
		deadline := time.Now().Add(10 * time.Second)
		for r.hub.subscribers() <= n-1 || r.hub.subscribers() == 0 {
			if time.Now().After(deadline) {
				t.Fatal("the page did not open its event stream")
			}
			time.Sleep(2 * time.Millisecond)
		}
		waitJS(t, "status checked", `document.readyState === "complete"`)
	}

	open(t, "/academic/")
	eval(t, `window.scrollTo({top: 600, behavior: "instant"}); window.gbMarker = 1; true`)

	t.Run("edit updates the page in place and keeps its place", func(t *testing.T) {
		eval(t, `document.addEventListener("guidebook:swap", function () { window.gbSwappedAt = Date.now(); }); true`)
		start := time.Now()
		writeFile(t, academic, orig+"\nA live marker paragraph.\n")
		waitJS(t, "edited", `document.body.textContent.includes("A live marker paragraph.")`)
		took := time.Since(start)
		// The page's own clock says when the new content was in place,
		// free of this test's polling (both clocks are the system's).
		at := eval(t, `window.gbSwappedAt`).(float64)
		shown := time.UnixMilli(int64(at)).Sub(start)
		// Resource timing splits it: until the page asked for its new
		// version (debounce, rebuild, event), and the fetch itself.
		fetch := eval(t, `(function(){var e=performance.getEntriesByType("resource").filter(function(r){return r.initiatorType==="fetch"&&r.name===location.href;}).pop();
			return e ? [performance.timeOrigin+e.startTime, performance.timeOrigin+e.responseEnd] : [0,0];})()`).([]any)
		ms := func(v any) time.Duration {
			return (time.Duration(v.(float64)*float64(time.Millisecond)) - time.Duration(start.UnixNano())).Round(time.Millisecond)
		}
		t.Logf("save -> new content in the page %s (polled: %s); save -> page fetch starts %s, fetch done %s",
			shown.Round(time.Millisecond), took.Round(time.Millisecond), ms(fetch[0]), ms(fetch[1]))
		t.Logf("server: %s", strings.TrimSpace(r.log.String()))
		if eval(t, `window.gbMarker`) != 1.0 {
			t.Error("the page reloaded instead of swapping its content in place")
		}
		if y := eval(t, `window.scrollY`).(float64); y < 598 || y > 602 {
			t.Errorf("scrollY %v after the swap, want 600", y)
		}
		// The new content works: its glossary tooltips are there, and a
		// second edit swaps again.
		if eval(t, `!!document.querySelector(".gb-layout .gb-term[aria-describedby]")`) != true {
			t.Error("no glossary term in the swapped content")
		}
		writeFile(t, academic, orig+"\nA second marker paragraph.\n")
		waitJS(t, "edited again", `document.body.textContent.includes("A second marker paragraph.") && !document.body.textContent.includes("A live marker paragraph.")`)
		if n := eval(t, `document.querySelectorAll(".gb-layout").length`); n != 1.0 {
			t.Errorf("%v .gb-layout elements after two swaps", n)
		}
	})

	t.Run("broken front matter shows the overlay", func(t *testing.T) {
		writeFile(t, academic, strings.Replace(orig, "order: 3", "order: three", 1))
		waitJS(t, "showing the overlay", `!!document.querySelector('#gb-error-overlay[role="alertdialog"][aria-label="Build error"]')`)
		text := eval(t, `document.getElementById("gb-error-overlay").textContent`).(string)
		if !strings.Contains(text, "academic.md:3") {
			t.Errorf("overlay does not name academic.md:3: %q", text)
		}
		// Styled by the theme's #gb-error-overlay rules.
		if pos := eval(t, `getComputedStyle(document.getElementById("gb-error-overlay")).position`); pos != "fixed" {
			t.Errorf("overlay position %v", pos)
		}
		// A page opened while the build is broken asks the status.
		open(t, "/fundamentals/")
		waitJS(t, "showing the overlay on a fresh page", `!!document.getElementById("gb-error-overlay")`)

		writeFile(t, academic, orig)
		waitJS(t, "without the overlay", `!document.getElementById("gb-error-overlay")`)
	})

	t.Run("stylesheet swaps without a reload", func(t *testing.T) {
		// The fix above reloaded the page: wait until the new page's
		// stream is connected and has checked the status, or the
		// stylesheet's event could land between two pages (the page
		// would then notice the missed build and reload, correctly,
		// but this test is about the swap).
		waitJS(t, "connected", `document.documentElement.hasAttribute("data-gb-live")`)
		eval(t, `window.gbMarker = 2; true`)
		css, err := guidebook.Files.ReadFile("assets/css/guidebook.css")
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "assets", "css", "guidebook.css"), string(css)+"\nbody{outline:3px solid rgb(1, 2, 3)}\n")
		waitJS(t, "restyled", `getComputedStyle(document.body).outlineColor === "rgb(1, 2, 3)"`)
		if eval(t, `window.gbMarker`) != 2.0 {
			t.Error("the page reloaded for a stylesheet change")
		}
		if n := eval(t, `document.querySelectorAll('link[href*="guidebook.css"]').length`); n != 1.0 {
			t.Errorf("%v guidebook.css links after the swap, want 1", n)
		}
	})
}
