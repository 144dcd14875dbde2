package site

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guidebook/internal/publish"
	"guidebook/internal/testing/browsertest"
)

// buildServed builds the shipped guide as `guidebook build` does (one-shot,
// straight to disk, precompressed) and serves it the way a CDN would.
func buildServed(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "public")
	buildDir(t, Options{SiteDir: "../..", Mode: Publish, BaseURL: testBaseURL}, dir,
		&publish.Options{BaseURL: testBaseURL, HostFiles: true, Precompress: true})
	return cdnServer(t, dir).URL + "/guide/"
}

// followHit types q into the header search box and follows the first
// result whose text contains want.
func followHit(t *testing.T, ctx context.Context, q, want string) {
	t.Helper()
	browsertest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#gb-search-input"), q))
	waitJS(t, ctx, "search results for "+q, `!!document.querySelector("#gb-search-results a.gb-search-hit, #gb-search-results .gb-search-empty")`)
	hits := browsertest.Run(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#gb-search-results a.gb-search-hit"), a => a.textContent)`))
	for i, h := range hits {
		if strings.Contains(h, want) {
			browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf("#gb-search-results li:nth-child(%d) a.gb-search-hit", i+1))))
			return
		}
	}
	t.Fatalf("searching %q: no result contains %q; results: %q", q, want, hits)
}

// Search on a built site, served over HTTP, covers the references: an
// author, with or without the accent, and a word of a title find the
// work's entry on the References page.
func TestBuiltSiteSearchFindsReferences(t *testing.T) {
	base := buildServed(t)
	ctx := browsertest.Tab(t, 60*time.Second)
	for _, q := range []string{"Perez", "Pérez", "endothelial"} {
		browsertest.Run(t, ctx, chromedp.Navigate(base+"fundamentals/"))
		waitJS(t, ctx, "the page", `document.readyState === "complete"`)
		followHit(t, ctx, q, "Pérez-Rubio")
		waitJS(t, ctx, "the reference entry for "+q, `document.body.classList.contains("gb-kind-references") && !!document.querySelector(":target") && document.querySelector(":target").textContent.includes("Effect of Vitamin D Supplementation")`)
	}
}

// The icon a built page links loads, served with the site's
// Content-Security-Policy (img-src), from a chapter and from a 404 at any
// depth (whose links start at the site's root path).
func TestBuiltSiteFaviconLoads(t *testing.T) {
	base := buildServed(t)
	ctx := browsertest.Tab(t, 60*time.Second)
	for _, p := range []string{"fundamentals/", "404.html"} {
		browsertest.Run(t, ctx, chromedp.Navigate(base+p))
		waitJS(t, ctx, "the icon of "+p, browsertest.IconLoads)
	}
}
