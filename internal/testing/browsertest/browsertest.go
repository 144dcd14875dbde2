// Package browsertest starts the headless Chromium that guidebook's browser
// tests drive, so that every package checks hover, search, the calculator
// and offline export the same way: one browser per test binary (tabs are
// cheap, starting Chromium is not), flags that keep it off the network, a
// loud skip only when Debian's chromium is not installed, and tabs that
// fail the test on any console message.
//
// github.com/chromedp/chromedp is the driver: it speaks the DevTools
// protocol directly to the Debian package's binary, so no test downloads a
// browser of its own.
package browsertest

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium is where Debian's chromium package installs the browser.
const Chromium = "/usr/bin/chromium"

var (
	once   sync.Once
	shared context.Context
	stop   context.CancelFunc
	start  error
)

// Browser returns the test binary's browser, starting it on first use. It
// skips the test, loudly, only when Chromium is not installed.
func Browser(t testing.TB) context.Context {
	t.Helper()
	if _, err := os.Stat(Chromium); err != nil {
		t.Skip("!!!!!!!! SKIPPING BROWSER TEST: " + Chromium + " is not installed (apt-get install chromium) !!!!!!!!")
	}
	once.Do(func() {
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(Chromium),
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			// Wide enough for the sidebar to be a column, not a drawer.
			chromedp.WindowSize(1280, 900),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
		)
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		bctx, cancelBrowser := chromedp.NewContext(actx)
		shared, stop = bctx, func() { cancelBrowser(); cancelAlloc() }
		// The first Run owns the browser's life: no timeout on it.
		_, start = chromedp.Run(bctx, chromedp.Navigate("about:blank"))
	})
	if start != nil {
		t.Fatalf("start chromium: %v", start)
	}
	return shared
}

// Close stops the browser. Call it from TestMain after m.Run; the browser
// also dies with the test process.
func Close() {
	if stop != nil {
		stop()
	}
}

// OpenTab opens a new tab with a time limit, closed when the test ends.
// Tests that read the console themselves use it; others want Tab.
func OpenTab(t testing.TB, limit time.Duration) context.Context {
	t.Helper()
	ctx, cancelTab := chromedp.NewContext(Browser(t))
	ctx, cancelTime := context.WithTimeout(ctx, limit)
	t.Cleanup(func() { cancelTime(); cancelTab() })
	return ctx
}

// Tab opens a new tab with a time limit. Anything the page writes to the
// console (an error, a warning, an uncaught exception) fails the test when
// the tab closes.
func Tab(t testing.TB, limit time.Duration) context.Context {
	t.Helper()
	ctx, cancelTab := chromedp.NewContext(Browser(t))
	ctx, cancelTime := context.WithTimeout(ctx, limit)
	var mu sync.Mutex
	var msgs []string
	done := make(chan struct{})
	messages := chromedp.Console(ctx)
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			mu.Lock()
			msgs = append(msgs, m.String())
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		cancelTime()
		cancelTab()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, m := range msgs {
			t.Errorf("console: %s", m)
		}
	})
	return ctx
}

// Wait evaluates js in ctx every interval until it is true or within has
// passed, and says how long that took and whether it became true. Callers
// report the failure themselves, with what they know of the context (a
// server's log, say).
func Wait(ctx context.Context, js string, within, every time.Duration) (time.Duration, bool) {
	start := time.Now()
	for {
		if v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err == nil && v {
			return time.Since(start), true
		}
		if time.Since(start) > within {
			return time.Since(start), false
		}
		time.Sleep(every)
	}
}

// Run runs one action and fails the test on error.
func Run[T any](t testing.TB, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// IconLoads is a condition for Wait: true once the page's linked icon
// (link rel~="icon") has loaded as an image, wherever it comes from
// (a file, a data: URI, a server under its CSP).
const IconLoads = `(() => {
	if (window.gbIcon === undefined) {
		window.gbIcon = 0;
		const i = new Image();
		i.onload = () => { window.gbIcon = i.naturalWidth; };
		i.onerror = () => { window.gbIcon = -1; };
		i.src = document.querySelector('link[rel~="icon"]').href;
	}
	return window.gbIcon > 0;
})()`

// SharedHOMALinkLanded is a condition for Wait: true once the page's
// first HOMA-IR calculator shows the result of the shared state the tests
// open (100 mg/dL and 10 µU/mL: 2.47), with its glucose field and result
// inside the viewport and not under the sticky header, the page scrolled
// down to it as a fragment link would.
const SharedHOMALinkLanded = `(() => {
  const fig = "figure.gb-widget-homa-ir ";
  const ir = document.querySelector(fig + "output[id$='-ir']"), g = document.querySelector(fig + "input[name='g']");
  if (!ir || ir.textContent !== "2.47" || scrollY === 0) return false;
  // In view, and not under the sticky header: the point hits the element.
  return [ir, g].every(e => { const r = e.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight && e.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)); });
})()`
