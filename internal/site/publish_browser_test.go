package site

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"guidebook/internal/publish"
	"guidebook/internal/testing/browsertest"
)

// headerRule is one path pattern of a _headers file and its headers.
type headerRule struct {
	pattern string
	headers [][2]string
}

// parseHeaders reads the Netlify / Cloudflare Pages _headers format: a
// path pattern at column 0, its headers indented below.
func parseHeaders(t *testing.T, data string) []headerRule {
	t.Helper()
	var rules []headerRule
	for _, line := range strings.Split(data, "\n") {
		switch {
		case strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#"):
		case line[0] != ' ':
			rules = append(rules, headerRule{pattern: line})
		default:
			k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
			if !ok || len(rules) == 0 {
				t.Fatalf("_headers: bad line %q", line)
			}
			r := &rules[len(rules)-1]
			r.headers = append(r.headers, [2]string{k, strings.TrimSpace(v)})
		}
	}
	return rules
}

func (r headerRule) matches(p string) bool {
	if pre, ok := strings.CutSuffix(r.pattern, "*"); ok {
		return strings.HasPrefix(p, pre)
	}
	return p == r.pattern
}

// cdnServer serves a published tree at /guide/ the way Netlify does:
// directory URLs serve index.html, and every matching _headers rule adds
// its headers (repeated names joined, as the hosts do).
func cdnServer(t *testing.T, dir string) *httptest.Server {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "_headers"))
	if err != nil {
		t.Fatal(err)
	}
	rules := parseHeaders(t, string(data))
	files := http.StripPrefix("/guide/", http.FileServer(http.Dir(dir)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/favicon.ico" {
			// Chromium asks the host root for one; that is the host's, not the site's.
			w.WriteHeader(http.StatusNoContent)
			return
		}
		for _, rule := range rules {
			if rule.matches(r.URL.Path) {
				for _, h := range rule.headers {
					if old := w.Header().Get(h[0]); old != "" {
						w.Header().Set(h[0], old+", "+h[1])
					} else {
						w.Header().Set(h[0], h[1])
					}
				}
			}
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func browserTab(t *testing.T) context.Context {
	t.Helper()
	// The tests here read the console themselves (one expects a CSP report).
	ctx := browsertest.OpenTab(t, 60*time.Second)
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}}); err != nil {
		t.Fatal(err)
	}
	return ctx
}

func waitJS(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	if _, ok := browsertest.Wait(ctx, js, 5*time.Second, 50*time.Millisecond); !ok {
		t.Fatalf("timed out waiting for %s", what)
	}
}

// The Content-Security-Policy in _headers breaks nothing: the minified,
// fingerprinted site, served with the headers a CDN would send, loads
// every page without a console message, and its scripts (search, tooltips,
// calculator) work. A page with an inline script, served the same way,
// shows that a violation would be seen.
func TestPublishedSiteUnderCSP(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	publishTo(t, dir, testBaseURL, true)
	if err := os.WriteFile(filepath.Join(dir, "csp-probe.html"), []byte(`<!doctype html><title>probe</title><script>document.title = "ran"</script>`), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := cdnServer(t, dir)
	ctx := browserTab(t)

	var mu sync.Mutex
	var msgs []string
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if strings.HasSuffix(m.URL, "/favicon.ico") {
				continue // Chromium asks for one; the site has none, as a CDN would answer too
			}
			mu.Lock()
			msgs = append(msgs, m.String()+" ("+m.URL+")")
			mu.Unlock()
		}
	}()
	take := func() []string {
		time.Sleep(100 * time.Millisecond) // console events trail the page
		mu.Lock()
		defer mu.Unlock()
		m := msgs
		msgs = nil
		return m
	}

	base := srv.URL + "/guide/"
	res, err := http.Get(base + "fundamentals/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if csp := res.Header.Get("Content-Security-Policy"); csp != publish.ContentSecurityPolicy {
		t.Fatalf("served CSP = %q", csp)
	}

	// The control: an inline script is refused and reported.
	browsertest.Run(t, ctx, chromedp.Navigate(base+"csp-probe.html"))
	if title := browsertest.Run(t, ctx, chromedp.Evaluate[string](`document.title`)); title != "probe" {
		t.Errorf("the inline script ran under the CSP (title %q)", title)
	}
	if m := take(); len(m) == 0 || !strings.Contains(strings.Join(m, "\n"), "Content Security Policy") {
		t.Fatalf("no CSP violation reported for an inline script: %q", m)
	}

	for _, p := range []string{"", "fundamentals/", "intermediate/", "academic/", "reflection/", "glossary/", "references/", "search/", "404.html"} {
		browsertest.Run(t, ctx, chromedp.Navigate(base+p))
		waitJS(t, ctx, p+" loaded", `document.readyState === "complete" && !!window.guidebookSearch`)
		if m := take(); len(m) > 0 {
			t.Errorf("%s: console under the CSP:\n%s", p, strings.Join(m, "\n"))
		}
	}

	// Scripts work: search, a tooltip's keyboard dismissal, the calculator.
	browsertest.Run(t, ctx, chromedp.Navigate(base+"intermediate/"))
	browsertest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#gb-search-input"), "magnesium"))
	waitJS(t, ctx, "search results", `!!document.querySelector("#gb-search-results a.gb-search-hit")`)
	fig := "figure.gb-widget-homa-ir"
	waitJS(t, ctx, "the calculator form", `!document.querySelector("`+fig+` form").hidden`)
	browsertest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS(fig+` input[name="g"]`), "90"))
	browsertest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS(fig+` input[name="i"]`), "10"))
	waitJS(t, ctx, "HOMA-IR 2.22", fmt.Sprintf(`document.querySelector(%q).textContent === "2.22"`, fig+` output[id$='-ir']`))
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS("a.gb-term")))
	if m := take(); len(m) > 0 {
		t.Errorf("console while using the page:\n%s", strings.Join(m, "\n"))
	}
}
