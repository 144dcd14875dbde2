package export

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guidebook/internal/testing/browsertest"
)

// TestSharedCalculatorLinkInChromium opens a shared calculator link (the
// state in the fragment, #homa-ir-1:g=...) in the folder export and in
// the single file: the page lands on the calculator with its result in
// view, as a fragment link would, not at the top (issue #18.2).
func TestSharedCalculatorLinkInChromium(t *testing.T) {
	g := guide(t)
	const state = "#homa-ir-1:g=100,gu=mgdl,i=10,iu=uUml"
	for _, url := range []string{"file://" + g.dir + "/intermediate/index.html" + state, "file://" + g.single + state} {
		ctx := offlineTab(t)
		browsertest.Run(t, ctx, chromedp.Navigate(url))
		sharedLinkLands(t, ctx, url)
	}
}

// sharedLinkLands waits until the first calculator shows the shared
// state's result (100 mg/dL and 10 µU/mL: 2.47) with its glucose field
// and result inside the viewport, the page scrolled down to it.
func sharedLinkLands(t *testing.T, ctx context.Context, url string) {
	t.Helper()
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
		t.Errorf("%s: the calculator and its result are not in view (scrollY %v)", url, y)
	}
}
