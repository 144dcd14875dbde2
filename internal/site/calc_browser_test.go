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
	js := `(() => {
  const fig = "figure.gb-widget-homa-ir ";
  const ir = document.querySelector(fig + "output[id$='-ir']"), g = document.querySelector(fig + "input[name='g']");
  if (!ir || ir.textContent !== "2.47" || scrollY === 0) return false;
  // In view, and not under the sticky header: the point hits the element.
  return [ir, g].every(e => { const r = e.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight && e.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)); });
})()`
	if _, ok := browsertest.Wait(ctx, js, 5*time.Second, 50*time.Millisecond); !ok {
		y := browsertest.Run(t, ctx, chromedp.Evaluate[float64](`scrollY`))
		t.Errorf("the calculator and its result are not in view (scrollY %v)", y)
	}
}
