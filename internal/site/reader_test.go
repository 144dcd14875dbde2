package site

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"guidebook"
)

// iconHrefs returns the href of every <link rel="icon"> of page.
func iconHrefs(t *testing.T, name string, page []byte) []string {
	t.Helper()
	var hrefs []string
	walk(parseHTML(t, name, page), func(n *html.Node) {
		rel, _ := attr(n, "rel")
		if n.DataAtom == atom.Link && strings.Contains(" "+rel+" ", " icon ") {
			href, _ := attr(n, "href")
			hrefs = append(hrefs, href)
		}
	})
	return hrefs
}

// checkIcons asserts that every page of files links one icon, and that the
// link, resolved from the page's URL under base, is a file of the tree
// holding want.
func checkIcons(t *testing.T, files map[string][]byte, base string, want []byte) {
	t.Helper()
	b, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	pages := 0
	for name, data := range files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		pages++
		hrefs := iconHrefs(t, name, data)
		if len(hrefs) != 1 {
			t.Errorf("%s links %d icons, want 1: %q", name, len(hrefs), hrefs)
			continue
		}
		page := b.ResolveReference(&url.URL{Path: strings.TrimSuffix(name, "index.html")})
		u, err := url.Parse(hrefs[0])
		if err != nil {
			t.Errorf("%s: icon %q: %v", name, hrefs[0], err)
			continue
		}
		target := page.ResolveReference(u)
		rel, ok := strings.CutPrefix(target.Path, b.Path)
		if !ok || target.Host != b.Host {
			t.Errorf("%s: icon %q resolves to %s, outside the site", name, hrefs[0], target)
			continue
		}
		if got, ok := files[rel]; !ok || !bytes.Equal(got, want) {
			t.Errorf("%s: icon %q resolves to %s: in the tree %v, the theme's icon %v", name, hrefs[0], rel, ok, bytes.Equal(got, want))
		}
	}
	if pages < 9 {
		t.Errorf("only %d pages checked", pages)
	}
}

// Every page links the theme's icon, and the link resolves to the file,
// in a build (served from its base URL's path; 404.html links from the
// root) and an export (from disk); a site's own assets/favicon.svg
// replaces it.
func TestEveryPageLinksFavicon(t *testing.T) {
	icon, err := guidebook.Files.ReadFile("assets/favicon.svg")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "public")
	if _, err := BuildTo(Options{SiteDir: "../..", Mode: Publish, BaseURL: testBaseURL}, dir, WriteOptions{}, &PublishOptions{BaseURL: testBaseURL}); err != nil {
		t.Fatal(err)
	}
	checkIcons(t, readTree(t, dir), testBaseURL, icon)

	export := buildGuide(t, Export)
	checkIcons(t, export.Files, "file:///guide/", icon)

	// An author's icon, in a copy of the guide.
	siteDir := t.TempDir()
	must(t, os.CopyFS(filepath.Join(siteDir, "content"), os.DirFS("../../content")))
	own := []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>`)
	must(t, os.MkdirAll(filepath.Join(siteDir, "assets"), 0o755))
	must(t, os.WriteFile(filepath.Join(siteDir, "assets", "favicon.svg"), own, 0o644))
	out, err := NewBuilder(Options{SiteDir: siteDir, Mode: Export}).Build()
	if err != nil {
		t.Fatal(err)
	}
	checkIcons(t, out.Files, "file:///guide/", own)
}
