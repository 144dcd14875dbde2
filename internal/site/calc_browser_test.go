package site

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guidebook/internal/testing/browsertest"
)

// A shared calculator link (#homa-ir-1:g=...) opened on the built site,
// served over HTTP under its CSP, lands on the calculator with the result
// in view, as a fragment link would, not at the top of the page (issue
// #18.2). The tab keeps the site's smooth scrolling.
func TestSharedCalculatorLinkServed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	publishTo(t, dir, testBaseURL, true)
	srv := cdnServer(t, dir)
	ctx := browsertest.Tab(t, 60*time.Second)
	browsertest.Run(t, ctx, chromedp.Navigate(srv.URL+"/guide/intermediate/#homa-ir-1:g=100,gu=mgdl,i=10,iu=uUml"))
	if _, ok := browsertest.Wait(ctx, browsertest.SharedHOMALinkLanded, 5*time.Second, 50*time.Millisecond); !ok {
		y := browsertest.Run(t, ctx, chromedp.Evaluate[float64](`scrollY`))
		t.Errorf("the calculator and its result are not in view (scrollY %v)", y)
	}
}
