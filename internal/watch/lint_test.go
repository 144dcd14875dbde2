package watch

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guidebook/internal/testing/browsertest"
)

// unusedTerm adds a glossary term no chapter uses to a chapter's front
// matter: one author lint warning.
const unusedTerm = "glossary:\n  - term: Unobtainium\n    definition: A metal no chapter mentions.\n"

// TestServeLintWarnings: a build with author lint warnings is a good
// build (the pages update); its warnings reach the status, an event and
// the log, and go once fixed.
func TestServeLintWarnings(t *testing.T) {
	dir := copySite(t)
	file := filepath.Join(dir, "content", "reflection.md")
	orig := readFile(t, file)
	log := &syncBuffer{}
	s, err := New(Options{SiteDir: dir, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Rebuild(nil); err != nil {
		t.Fatal(err)
	}
	if st := s.Status(); len(st.Warnings) != 0 {
		t.Fatalf("the shipped guide has warnings: %+v", st.Warnings)
	}
	ch, unsubscribe := s.hub.subscribe()
	defer unsubscribe()

	writeFile(t, file, strings.Replace(orig, "order: 4\n", "order: 4\n"+unusedTerm, 1))
	if err := s.Rebuild([]string{"content/reflection.md"}); err != nil {
		t.Fatal(err)
	}
	e := <-ch
	ws, ok := e.data.([]Problem)
	if e.name != "warnings" || !ok || len(ws) != 1 || ws[0].Rule != "unused-term" || ws[0].Severity != "warning" ||
		!strings.HasSuffix(ws[0].File, "content/reflection.md") || ws[0].Line != 5 || !strings.Contains(ws[0].Message, `"Unobtainium"`) {
		t.Fatalf("event %+v", e)
	}
	if e := <-ch; e.name != "reload" {
		t.Errorf("the build with a warning did not update the pages: %+v", e)
	}
	if st := s.Status(); !st.OK || len(st.Errors) != 0 || len(st.Warnings) != 1 {
		t.Errorf("status %+v", st)
	}
	if !strings.Contains(log.String(), "reflection.md:5:5: warning: glossary term \"Unobtainium\" is used in no chapter") {
		t.Errorf("log:\n%s", log.String())
	}

	writeFile(t, file, orig)
	if err := s.Rebuild([]string{"content/reflection.md"}); err != nil {
		t.Fatal(err)
	}
	if e := <-ch; e.name != "warnings" || len(e.data.([]Problem)) != 0 {
		t.Errorf("after the fix: %+v", e)
	}
	if st := s.Status(); len(st.Warnings) != 0 {
		t.Errorf("status after the fix %+v", st)
	}
}

// TestBrowserLintWarnings: in Chromium, a save that adds a lint warning
// (a link to a heading whose id comes from its text) updates the page in
// place and shows the warning in a panel that does not block it (no
// error overlay, nothing taking focus); dismissing it hides it until the
// warnings change, and the fix removes it.
func TestBrowserLintWarnings(t *testing.T) {
	browsertest.Browser(t)
	dir := copySite(t)
	r := startServer(t, dir)
	tab := browsertest.Tab(t, 60*time.Second)
	file := filepath.Join(dir, "content", "reflection.md")
	orig := readFile(t, file)
	eval := func(t *testing.T, js string) any {
		t.Helper()
		return browsertest.Run(t, tab, chromedp.Evaluate[any](js))
	}
	waitJS := func(t *testing.T, what, js string) {
		t.Helper()
		if _, ok := browsertest.Wait(tab, js, 10*time.Second, 25*time.Millisecond); !ok {
			t.Fatalf("browser: still not %s after 10s\nlog:\n%s", what, r.log.String())
		}
	}
	const (
		measured = "\nSee [[intermediate#how-is-insulin-resistance-measured]] for the numbers.\n"
		vitaminD = "\nAnd [[intermediate#what-is-the-role-of-vitamin-d-in-this-process]].\n"
	)
	browsertest.Run(t, tab, chromedp.Navigate(r.url+"reflection/"))
	waitJS(t, "connected", `document.documentElement.hasAttribute("data-gb-live")`)
	if eval(t, `!!document.getElementById("gb-lint")`) == true {
		t.Fatal("the shipped guide shows lint warnings")
	}
	eval(t, `window.gbMarker = 1; document.activeElement.blur(); true`)

	writeFile(t, file, orig+measured)
	waitJS(t, "updated", `document.body.textContent.includes("for the numbers.")`)
	waitJS(t, "showing the warning", `!!document.getElementById("gb-lint")`)
	text := eval(t, `document.getElementById("gb-lint").textContent`).(string)
	for _, want := range []string{"1 warning", "content/intermediate.md:87:4", `heading id "how-is-insulin-resistance-measured" is derived from the heading's text`, "[unstable-heading-id]"} {
		if !strings.Contains(text, want) {
			t.Errorf("panel %q lacks %q", text, want)
		}
	}
	if eval(t, `window.gbMarker`) != 1.0 {
		t.Error("the page reloaded instead of swapping its content")
	}
	if eval(t, `!!document.getElementById("gb-error-overlay")`) == true {
		t.Error("a warning showed the error overlay")
	}
	if eval(t, `document.activeElement === document.body`) != true {
		t.Error("the warnings panel took the focus")
	}
	waitJS(t, "styled", `getComputedStyle(document.getElementById("gb-lint")).position === "fixed"`)
	if eval(t, `document.getElementById("gb-lint").getAttribute("aria-label")`) != "Author lint" {
		t.Error("the panel has no accessible name")
	}

	// Dismissed, it stays away while the warnings are the same.
	eval(t, `document.querySelector("#gb-lint button").click(); true`)
	writeFile(t, file, orig+measured+"\nA second marker.\n")
	waitJS(t, "updated again", `document.body.textContent.includes("A second marker.")`)
	if eval(t, `!!document.getElementById("gb-lint")`) == true {
		t.Error("a dismissed panel came back for the same warnings")
	}

	writeFile(t, file, orig+measured+vitaminD)
	waitJS(t, "showing two warnings", `!!document.getElementById("gb-lint") && document.getElementById("gb-lint").textContent.includes("2 warnings")`)

	writeFile(t, file, orig)
	waitJS(t, "without the panel", `!document.getElementById("gb-lint") && !document.body.textContent.includes("for the numbers.")`)
}
