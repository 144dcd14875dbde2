package widgets_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guidebook/internal/export"
	"guidebook/internal/outdir"
	"guidebook/internal/output"
	"guidebook/internal/publish"
	"guidebook/internal/site"
	"guidebook/internal/testing/browsertest"
)

// calcSite is testdata/calcsite: a book whose chapters define QUICKI,
// HOMA-%B and the TyG index in YAML alone, two unit systems each.
const calcSite = "testdata/calcsite"

// TestCalcSiteEverywhere builds the calculator site as a reader gets it
// (served over HTTP under a strict CSP, exported to a folder opened from
// file://, and as a single file) and opens a shared TyG link in each: the
// state is restored, the result computed by calculator.js, and the page
// scrolled to it.
func TestCalcSiteEverywhere(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "decoy"), []byte("not guidebook's"), 0o644); err != nil {
		t.Fatal(err)
	}
	pub := filepath.Join(root, "public")
	dir, err := output.NewDir(pub, outdir.Rule{Site: calcSite})
	if err != nil {
		t.Fatal(err)
	}
	// As guidebook build publishes.
	if _, err := site.Build(site.Options{SiteDir: calcSite, Mode: site.Publish}, publish.Wrap(dir, publish.Options{HostFiles: true})); err != nil {
		t.Fatal(err)
	}
	off, single := filepath.Join(root, "offline"), filepath.Join(root, "book.html")
	if _, err := export.Run(export.Options{SiteDir: calcSite, Dir: off, SingleFile: single}); err != nil {
		t.Fatal(err)
	}
	files := http.FileServer(http.Dir(pub))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'")
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()
	browsertest.Browser(t)

	const state = "tg=1.7,tg-u=mmoll,glucose=5,glucose-u=mmoll"
	for _, page := range []string{srv.URL + "/tyg/", "file://" + off + "/tyg/index.html", "file://" + single} {
		ctx := browsertest.Tab(t, 30*time.Second)
		browsertest.Run(t, ctx, chromedp.Navigate(page))
		// The TyG calculator's share name: calculator-1 on its own page;
		// in the single file, where every chapter's first calculator is
		// calculator-1, its renamed id.
		name := browsertest.Run(t, ctx, chromedp.Evaluate[string](`(() => {
  const fig = [...document.querySelectorAll("figure.gb-widget-calculator")].find(f => f.textContent.includes("TyG index ="));
  return fig.id === "gb-" + fig.dataset.link ? fig.dataset.link : fig.id; })()`))
		// A fresh load, as when a reader opens the shared link.
		browsertest.Run(t, ctx, chromedp.Navigate("about:blank"))
		browsertest.Run(t, ctx, chromedp.Navigate(page+"#"+name+":"+state))
		// The single file holds every chapter: the TyG one is far down.
		js := fmt.Sprintf(`(() => {
  const fig = [...document.querySelectorAll("figure.gb-widget-calculator")].find(f => f.textContent.includes("TyG index ="));
  const out = fig.querySelector("output[id$='-out-tyg']");
  const r = out.getBoundingClientRect();
  return out.textContent === "8.82" && fig.querySelector("select").value === "mmoll" && r.top >= 0 && r.bottom <= innerHeight && (%v || scrollY > 0); })()`,
			strings.Contains(page, "/tyg"))
		if _, ok := browsertest.Wait(ctx, js, 10*time.Second, 50*time.Millisecond); !ok {
			why := browsertest.Run(t, ctx, chromedp.Evaluate[string](`(() => {
  const fig = [...document.querySelectorAll("figure.gb-widget-calculator")].find(f => f.textContent.includes("TyG index ="));
  return "TyG " + JSON.stringify(fig.querySelector("output[id$='-out-tyg']").textContent) + ", scrollY " + scrollY + ", script " + (typeof guidebookCalc); })()`))
			t.Errorf("%s#%s:%s: the TyG result is not restored in view (%s)", page, name, state, why)
		}
	}
}
