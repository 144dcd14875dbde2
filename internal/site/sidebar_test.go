package site

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"guidebook/internal/pages"
	"guidebook/internal/testing/benchbook"
)

// A book above pages.LargeBook ships its chapter list once, in toc.js;
// each page lists its own chapter and neighbours and links to the full
// list on the home page. Also checks that a generated benchmark book
// builds without a single problem.
func TestLargeBookSidebarScript(t *testing.T) {
	n := pages.LargeBook + 10
	dir := t.TempDir()
	if err := benchbook.Generate(dir, n, benchbook.Options{}); err != nil {
		t.Fatal(err)
	}
	out, err := NewBuilder(Options{SiteDir: dir, Mode: Export}).buildMem()
	if err != nil {
		t.Fatal(err)
	}
	var toc string
	for p, data := range out.Files {
		if strings.HasPrefix(p, "assets/toc") && strings.HasSuffix(p, ".js") {
			toc = string(data)
		}
	}
	if got := strings.Count(toc, `index.html"`); got != n {
		t.Fatalf("toc.js lists %d chapters, want %d", got, n)
	}
	if !strings.Contains(toc, `["chapter-0002/index.html","Chapter 2: `) {
		t.Errorf("toc.js entries are not root-relative URLs: %.200s", toc)
	}
	page := string(out.Files["chapter-0002/index.html"])
	if !strings.Contains(page, `data-gb-root="../"`) {
		t.Fatal("chapter page root is not ../")
	}
	sidebar := page[strings.Index(page, `<nav id="gb-sidebar"`):]
	sidebar = sidebar[:strings.Index(sidebar, "</nav>")]
	links := regexp.MustCompile(`<li[^>]*><a href="\.\./(chapter-\d+)/index\.html"`).FindAllStringSubmatch(sidebar, -1)
	var ids []string
	for _, l := range links {
		ids = append(ids, l[1])
	}
	if strings.Join(ids, " ") != "chapter-0001 chapter-0002 chapter-0003" {
		t.Errorf("sidebar of chapter 2 lists %v, want chapters 1 to 3", ids)
	}
	if !strings.Contains(sidebar, `aria-current="page"`) || !strings.Contains(sidebar, `class="gb-page-toc"`) {
		t.Error("current chapter lost its aria-current or its table of contents")
	}
	if !strings.Contains(sidebar, `<a href="../index.html">All chapters</a>`) {
		t.Error("no link to the full chapter list")
	}
	if !regexp.MustCompile(`<script src="\.\./assets/toc\.js" defer></script>`).MatchString(page) {
		t.Error("chapter page does not load toc.js")
	}
	home := string(out.Files["index.html"])
	if got := strings.Count(home, `<li><h2><a href="chapter-`); got != n {
		t.Errorf("home page lists %d chapters, want %d", got, n)
	}
	if strings.Contains(home, "toc.js") {
		t.Error("home page loads toc.js though it lists every chapter")
	}
	if g := string(out.Files["glossary/index.html"]); strings.Contains(g[strings.Index(g, `<nav id="gb-sidebar"`):], `href="../chapter-0001/index.html"`) {
		t.Error("glossary sidebar lists chapters itself")
	}
}

// toc.js is a theme asset like any other: a site's own assets/js/toc.js
// replaces it, and the chapter list is filled into it; a small book ships
// no toc.js at all.
func TestTOCScriptOverride(t *testing.T) {
	dir := t.TempDir()
	if err := benchbook.Generate(dir, pages.LargeBook+1, benchbook.Options{NoWidgets: true}); err != nil {
		t.Fatal(err)
	}
	must(t, os.MkdirAll(filepath.Join(dir, "assets", "js"), 0o755))
	own := "/* mine */\nvar chapters = [];\nmyFill(chapters);\n"
	must(t, os.WriteFile(filepath.Join(dir, "assets", "js", "toc.js"), []byte(own), 0o644))
	out, err := NewBuilder(Options{SiteDir: dir, Mode: Serve}).buildMem()
	if err != nil {
		t.Fatal(err)
	}
	toc := string(out.Files["assets/toc.js"])
	if !strings.HasPrefix(toc, "/* mine */\nvar chapters = [[\"chapter-0001/\",") || !strings.HasSuffix(toc, "]];\nmyFill(chapters);\n") {
		t.Errorf("the site's toc.js was not filled in: %.200q", toc)
	}
	if _, ok := out.Files["assets/js/toc.js"]; ok {
		t.Error("the toc.js source was published as it is")
	}
	small := buildGuide(t, Serve)
	for p := range small.Files {
		if strings.Contains(p, "toc") && strings.HasSuffix(p, ".js") {
			t.Errorf("a small book ships %s", p)
		}
	}
}
