package export

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"guidebook/internal/testing/browsertest"
)

// offlineTab opens a tab in which any request that is not file:// (or an
// inline data: URI) fails, and is reported as a test failure along with
// anything the page writes to the console.
func offlineTab(t *testing.T) context.Context {
	t.Helper()
	ctx, cancelTab := chromedp.NewContext(browsertest.Browser(t))
	ctx, cancelTime := context.WithTimeout(ctx, 60*time.Second)
	var (
		mu       sync.Mutex
		problems []string
		requests int
		wg       sync.WaitGroup
	)
	report := func(s string) { mu.Lock(); problems = append(problems, s); mu.Unlock() }
	local := func(u string) bool { return strings.HasPrefix(u, "file://") || strings.HasPrefix(u, "data:") }

	messages := chromedp.Console(ctx)
	sent := chromedp.Events(ctx, network.RequestWillBeSent)
	paused := chromedp.Events(ctx, fetch.RequestPaused)
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	// Smooth scrolling would move elements under a click's coordinates.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}}); err != nil {
		t.Fatal(err)
	}
	// Interception is the guard: a stray request fails instead of leaving
	// the machine. The observer above is the check that nothing tried.
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*"}}}); err != nil {
		t.Fatal(err)
	}
	wg.Add(3)
	go func() {
		defer wg.Done()
		for m, err := range messages {
			if err != nil {
				return
			}
			report("console: " + m.String())
		}
	}()
	go func() {
		defer wg.Done()
		for ev, err := range sent {
			if err != nil {
				return
			}
			mu.Lock()
			requests++
			mu.Unlock()
			if !local(ev.Request.URL) {
				report("request to " + ev.Request.URL)
			}
		}
	}()
	go func() {
		defer wg.Done()
		for ev, err := range paused {
			if err != nil {
				return
			}
			if local(ev.Request.URL) {
				chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
			} else {
				chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonInternetDisconnected})
			}
		}
	}()
	t.Cleanup(func() {
		cancelTime()
		cancelTab()
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		for _, p := range problems {
			t.Error(p)
		}
		if requests == 0 {
			t.Error("the request observer saw no request at all: it is not working")
		}
	})
	return ctx
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	return browsertest.Run(t, ctx, chromedp.Evaluate[T](js))
}

// waitFor polls a JS expression until it is true.
func waitFor(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	if _, ok := browsertest.Wait(ctx, js, 5*time.Second, 50*time.Millisecond); !ok {
		t.Fatalf("timed out waiting for %s (%s)", what, js)
	}
}

// focusByKeyboard focuses an element as keyboard users do, so that
// :focus-visible (which shows tooltips) applies: a key press first puts
// Chromium in keyboard modality.
func focusByKeyboard(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
		if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, input.DispatchKeyEventParams{Type: typ, Key: "Shift", Code: "ShiftLeft", WindowsVirtualKeyCode: 16}); err != nil {
			t.Fatal(err)
		}
	}
	browsertest.Run(t, ctx, chromedp.Focus(chromedp.CSS(sel)))
}

// tooltip focuses the first glossary term matching sel and returns the
// text of the tooltip its aria-describedby names, failing if it is hidden.
func tooltip(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	focusByKeyboard(t, ctx, sel)
	got := eval[[]string](t, ctx, fmt.Sprintf(`(() => {
		const a = document.activeElement, tip = document.getElementById(a.getAttribute("aria-describedby") || "");
		if (!tip) return ["", "no tooltip for " + a.outerHTML];
		return [getComputedStyle(tip).display, tip.textContent, a.matches(%q) ? "" : "focus went to " + a.outerHTML];
	})()`, sel))
	if got[0] != "block" || (len(got) > 2 && got[2] != "") {
		t.Fatalf("tooltip of %s: display %q (%v)", sel, got[0], got[1:])
	}
	return got[1]
}

// calculator types fasting glucose 90 mg/dL and insulin 10 µU/mL into the
// first HOMA-IR widget: HOMA-IR = 90 × 10 ÷ 405 = 2.22.
func calculator(t *testing.T, ctx context.Context) {
	t.Helper()
	fig := "figure.gb-widget-homa-ir"
	waitFor(t, ctx, "the calculator form", `!document.querySelector("`+fig+` form").hidden`)
	browsertest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS(fig+` input[name="g"]`), "90"))
	browsertest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS(fig+` input[name="i"]`), "10"))
	waitFor(t, ctx, "HOMA-IR 2.22", `document.querySelector("`+fig+` output[id$='-ir']").textContent === "2.22"`)
}

// search types a query into the header box and follows the first result,
// returning the result's href.
func search(t *testing.T, ctx context.Context, q string) string {
	t.Helper()
	browsertest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#gb-search-input"), q))
	waitFor(t, ctx, "search results", `!!document.querySelector("#gb-search-results a.gb-search-hit")`)
	href := eval[string](t, ctx, `document.querySelector("#gb-search-results a.gb-search-hit").href`)
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS("#gb-search-results a.gb-search-hit")))
	return href
}

func TestOfflineFolderInChromium(t *testing.T) {
	g := guide(t)
	ctx := offlineTab(t)
	base := "file://" + g.dir + "/"
	browsertest.Run(t, ctx, chromedp.Navigate(base+"index.html"))

	// A chapter, by following the home page's link.
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`main a[href="fundamentals/index.html"]`)))
	waitFor(t, ctx, "the chapter page", `location.href === "`+base+`fundamentals/index.html" && document.readyState === "complete"`)
	if n := eval[int](t, ctx, `document.styleSheets.length`); n < 2 {
		t.Errorf("chapter page has %d stylesheets", n)
	}

	// A glossary term's definition, from the keyboard.
	if tip := tooltip(t, ctx, "a.gb-term"); !strings.Contains(tip, ":") || len(tip) < 20 {
		t.Errorf("tooltip text %q does not look like a definition", tip)
	}

	// Search from the header, then follow the first result.
	href := search(t, ctx, "berberine")
	if !strings.HasPrefix(href, base) {
		t.Fatalf("search result %q is not a file in the export", href)
	}
	waitFor(t, ctx, "the search result's page", fmt.Sprintf(`location.href === %q && document.readyState === "complete"`, href))
	if _, frag, ok := strings.Cut(href, "#"); ok {
		if !eval[bool](t, ctx, fmt.Sprintf(`!!document.getElementById(%q)`, frag)) {
			t.Errorf("search result %s: no such anchor on the page", href)
		}
	}

	// The calculator.
	browsertest.Run(t, ctx, chromedp.Navigate(base+"intermediate/index.html"))
	calculator(t, ctx)
}

func TestSingleFileInChromium(t *testing.T) {
	g := guide(t)
	ctx := offlineTab(t)
	browsertest.Run(t, ctx, chromedp.Navigate("file://"+g.single))

	// The sidebar's chapter link is an in-page anchor.
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`#gb-sidebar a[href="#intermediate"]`)))
	waitFor(t, ctx, "the #intermediate section", `location.hash === "#intermediate" && document.querySelector(":target") && document.querySelector(":target").id === "intermediate" && scrollY > 0`)

	// A tooltip in a chapter, then following the term to the glossary
	// section: another in-page anchor.
	term := `#fundamentals a.gb-term`
	if tip := tooltip(t, ctx, term); !strings.Contains(tip, ":") || len(tip) < 20 {
		t.Errorf("tooltip text %q does not look like a definition", tip)
	}
	href := eval[string](t, ctx, `document.querySelector("`+term+`").getAttribute("href")`)
	if !strings.HasPrefix(href, "#") {
		t.Fatalf("glossary link %q is not an in-page anchor", href)
	}
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(term)))
	waitFor(t, ctx, "the glossary entry", fmt.Sprintf(`location.hash === %q && document.querySelector(":target") && document.querySelector(":target").closest("#glossary") !== null`, href))

	// Search works in the single file and lands on an anchor in it.
	hit := search(t, ctx, "berberine")
	_, frag, ok := strings.Cut(hit, "#")
	if !ok || !strings.HasPrefix(hit, "file://"+g.single) {
		t.Fatalf("search result %q is not an anchor in the file", hit)
	}
	waitFor(t, ctx, "the search result's anchor", fmt.Sprintf(`location.hash === %q && !!document.getElementById(%q)`, "#"+frag, frag))

	calculator(t, ctx)
}
