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
	if _, ok := browsertest.Wait(ctx, browsertest.SharedHOMALinkLanded, 5*time.Second, 50*time.Millisecond); !ok {
		y := browsertest.Run(t, ctx, chromedp.Evaluate[float64](`scrollY`))
		t.Errorf("%s: the calculator and its result are not in view (scrollY %v)", url, y)
	}
}
