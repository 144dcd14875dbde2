package export

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"guidebook/internal/testing/browsertest"
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

// landmarkRoles are the ARIA landmark roles as Chromium's accessibility
// tree names them.
var landmarkRoles = map[string]bool{
	"banner": true, "complementary": true, "contentinfo": true, "form": true,
	"main": true, "navigation": true, "region": true, "search": true,
}

// landmarks returns "role: name" for every landmark Chromium exposes on
// the page, computed by the browser itself.
func landmarks(t *testing.T, ctx context.Context) []string {
	t.Helper()
	if _, err := chromedp.Call(ctx, accessibility.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	tree, err := chromedp.Call(ctx, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
	if err != nil {
		t.Fatal(err)
	}
	str := func(v *accessibility.Value) string {
		var s string
		if v != nil {
			json.Unmarshal(v.Value, &s)
		}
		return s
	}
	var out []string
	for _, n := range tree.Nodes {
		if role := str(n.Role); !n.Ignored && landmarkRoles[role] {
			out = append(out, role+": "+str(n.Name))
		}
	}
	return out
}

// No two landmarks share a role and a name (axe's landmark-unique; an
// unnamed banner or main is fine, being the only one): in the single file
// every chapter's "On this page" and pager navigation, and its
// bibliography, sit side by side.
func TestLandmarkNamesUnique(t *testing.T) {
	g := guide(t)
	for _, tc := range []struct{ name, url string }{
		{"single file", "file://" + g.single},
		{"chapter page", "file://" + g.dir + "/fundamentals/index.html"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := offlineTab(t)
			browsertest.Run(t, ctx, chromedp.Navigate(tc.url))
			waitFor(t, ctx, "the page", `document.readyState === "complete"`)
			all := landmarks(t, ctx)
			seen := map[string]int{}
			navs := 0
			for _, l := range all {
				seen[l]++
				if strings.HasPrefix(l, "navigation: ") {
					navs++
				}
			}
			for l, n := range seen {
				if n > 1 {
					t.Errorf("%d landmarks are %q", n, l)
				}
			}
			if navs < 3 {
				t.Errorf("only %d navigation landmarks found (%q): the tree is not being read", navs, all)
			}
		})
	}
}

// searchHit types q into the header search box and follows the first
// result whose text contains want, returning the result's text.
func searchHit(t *testing.T, ctx context.Context, q, want string) string {
	t.Helper()
	browsertest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#gb-search-input"), q))
	waitFor(t, ctx, "search results for "+q, `!!document.querySelector("#gb-search-results a.gb-search-hit, #gb-search-results .gb-search-empty")`)
	hits := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#gb-search-results a.gb-search-hit"), a => a.textContent)`)
	for i, h := range hits {
		if strings.Contains(h, want) {
			browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf("#gb-search-results li:nth-child(%d) a.gb-search-hit", i+1))))
			return h
		}
	}
	t.Fatalf("searching %q: no result contains %q; results: %q", q, want, hits)
	return ""
}

// Search covers the references: the References page, and each work on it
// by an author (accents folded: "Perez" finds "Pérez-Rubio") or a word of
// its title, landing on the entry.
func TestSearchFindsReferences(t *testing.T) {
	g := guide(t)
	for _, tc := range []struct{ name, url, inRefs string }{
		{"folder", "file://" + g.dir + "/fundamentals/index.html", `document.body.classList.contains("gb-kind-references")`},
		{"single file", "file://" + g.single, `document.querySelector(":target").closest("#references") !== null`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := offlineTab(t)
			for _, q := range []string{"Perez", "Pérez", "endothelial"} {
				browsertest.Run(t, ctx, chromedp.Navigate(tc.url))
				waitFor(t, ctx, "the page", `document.readyState === "complete"`)
				searchHit(t, ctx, q, "Pérez-Rubio")
				waitFor(t, ctx, "the reference entry for "+q, `!!document.querySelector(":target") && document.querySelector(":target").textContent.includes("Effect of Vitamin D Supplementation") && `+tc.inRefs)
			}
			browsertest.Run(t, ctx, chromedp.Navigate(tc.url))
			waitFor(t, ctx, "the page", `document.readyState === "complete"`)
			searchHit(t, ctx, "references", "References")
			waitFor(t, ctx, "the references page", `(location.hash === "" || location.hash === "#references") && `+
				`(document.body.classList.contains("gb-kind-references") || document.querySelector(":target").id === "references")`)
		})
	}
}

// The icon loads from disk, from a chapter of the folder and inline in
// the single file.
func TestFaviconLoadsOffline(t *testing.T) {
	g := guide(t)
	ctx := offlineTab(t)
	for _, u := range []string{"file://" + g.dir + "/fundamentals/index.html", "file://" + g.single} {
		browsertest.Run(t, ctx, chromedp.Navigate(u))
		waitFor(t, ctx, "the icon of "+u, browsertest.IconLoads)
	}
}

// As the browser lays it out, a grouped citation's brackets and commas
// are the size and height of its numbers, as a single citation's are.
func TestGroupedCitationRendersLikeSingle(t *testing.T) {
	g := guide(t)
	ctx := offlineTab(t)
	browsertest.Run(t, ctx, chromedp.Navigate("file://"+g.dir+"/academic/index.html"))
	waitFor(t, ctx, "the page", `document.readyState === "complete"`)
	got := eval[[]string](t, ctx, `(() => {
		const style = e => { const s = getComputedStyle(e); return s.fontSize + " " + s.verticalAlign; };
		const out = [], single = document.querySelector(".gb-cite");
		out.push(single ? style(single) : "no citation");
		document.querySelectorAll(".gb-cite-mark").forEach(m => out.push(style(m)));
		return out;
	})()`)
	if len(got) < 3 {
		t.Fatalf("no grouped citation on the page: %q", got)
	}
	if !strings.HasSuffix(got[0], " super") {
		t.Errorf("a numbered citation is %q, want superscript", got[0])
	}
	for _, s := range got[1:] {
		if s != got[0] {
			t.Errorf("a grouped citation's mark is %q, its numbers %q", s, got[0])
		}
	}
}
