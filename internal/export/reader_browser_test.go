package export

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"guidebook/internal/browsertest"
)

// One Escape on a focused search result closes the results and gives the
// focus back to the search box (the WAI-ARIA combobox pattern): the panel
// must not reopen because the box got the focus back.
func TestSearchEscapeFromResultClosesPanel(t *testing.T) {
	g := guide(t)
	for _, tc := range []struct{ name, url string }{
		{"folder", "file://" + g.dir + "/fundamentals/index.html"},
		{"single file", "file://" + g.single},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := offlineTab(t)
			browsertest.Run(t, ctx, chromedp.Navigate(tc.url))
			browsertest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#gb-search-input"), "berberine"))
			waitFor(t, ctx, "search results", `!!document.querySelector("#gb-search-results a.gb-search-hit")`)
			browsertest.Run(t, ctx, chromedp.KeyEvent(kb.ArrowDown))
			waitFor(t, ctx, "the first result focused", `document.activeElement && document.activeElement.matches("#gb-search-results a.gb-search-hit")`)
			browsertest.Run(t, ctx, chromedp.KeyEvent(kb.Escape))
			got := eval[[]any](t, ctx, `[document.getElementById("gb-search-results").hidden, document.activeElement && document.activeElement.id, document.getElementById("gb-search-input").value]`)
			if got[0] != true || got[1] != "gb-search-input" {
				t.Errorf("after one Escape on a result: panel hidden = %v, focus on %q; want hidden, focus on the search box", got[0], got[1])
			}
			if got[2] != "berberine" {
				t.Errorf("Escape from a result cleared the query: %q", got[2])
			}
			// Typing again reopens the results.
			browsertest.Run(t, ctx, chromedp.KeyEvent("s"))
			waitFor(t, ctx, "results shown again after typing", `!document.getElementById("gb-search-results").hidden`)
		})
	}
}
