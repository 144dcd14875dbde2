package site

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"guidebook"
	"guidebook/internal/outdir"
	"guidebook/internal/publish"
	"guidebook/internal/testing/benchbook"
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
	buildDir(t, Options{SiteDir: "../..", Mode: Publish, BaseURL: testBaseURL}, dir, &publish.Options{BaseURL: testBaseURL, HostFiles: true})
	checkIcons(t, readTree(t, dir), testBaseURL, icon)

	export := buildGuide(t, Export)
	checkIcons(t, export.Files, "file:///guide/", icon)

	// An author's icon, in a copy of the guide.
	siteDir := t.TempDir()
	must(t, os.CopyFS(filepath.Join(siteDir, "content"), os.DirFS("../../content")))
	own := []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>`)
	must(t, os.MkdirAll(filepath.Join(siteDir, "assets"), 0o755))
	must(t, os.WriteFile(filepath.Join(siteDir, "assets", "favicon.svg"), own, 0o644))
	out, err := NewBuilder(Options{SiteDir: siteDir, Mode: Export}).buildMem()
	if err != nil {
		t.Fatal(err)
	}
	checkIcons(t, out.Files, "file:///guide/", own)
}

// hostFileNames are files a host or crawler reads by name, no page
// linking them.
var hostFileNames = map[string]bool{"_headers": true, "robots.txt": true, "sitemap.xml": true, "404.html": true,
	// The output folder's ownership marker is read by the next build, not
	// by a page; it is harmless where the folder is published.
	outdir.Marker: true}

// cssURL finds url(...) references in a stylesheet.
var cssURL = regexp.MustCompile(`url\(\s*['"]?([^'")]+)`)

// unreferenced lists the files of a written site that nothing could load:
// not a page, host file or compressed sibling, and named by no page's
// href or src, no search manifest and no stylesheet's url(). base is the
// URL the tree is served from ("/guide/" for a build, "" for an export).
func unreferenced(t *testing.T, files map[string][]byte, base string) []string {
	t.Helper()
	refs := map[string]bool{}
	add := func(from, ref string) {
		u, err := url.Parse(ref)
		if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" {
			return
		}
		p := u.Path
		if strings.HasPrefix(p, "/") {
			p = strings.TrimPrefix(p, base)
		} else {
			p = path.Join(path.Dir(from), p)
		}
		refs[p] = true
	}
	for name, data := range files {
		switch {
		case strings.HasSuffix(name, ".html"):
			walk(parseHTML(t, name, data), func(n *html.Node) {
				for _, a := range n.Attr {
					if a.Key == "href" || a.Key == "src" {
						add(name, a.Val)
					}
				}
			})
		case strings.HasSuffix(name, ".css"):
			for _, m := range cssURL.FindAllSubmatch(data, -1) {
				add(name, string(m[1]))
			}
		case strings.HasPrefix(string(data), "window.guidebookSearch = "):
			var m struct{ Parts []struct{ Src string } }
			if err := json.Unmarshal([]byte(strings.TrimSuffix(strings.TrimPrefix(string(data), "window.guidebookSearch = "), ";\n")), &m); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for _, p := range m.Parts {
				refs[p.Src] = true
			}
		}
	}
	var out []string
	for name := range files {
		orig := strings.TrimSuffix(strings.TrimSuffix(name, ".gz"), ".br")
		if orig != name {
			if _, ok := files[orig]; ok {
				continue // a compressed sibling
			}
		}
		if !refs[name] && !hostFileNames[name] && !strings.HasSuffix(name, ".html") {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Only files a page can use are published: every asset of a build or an
// export is loaded by some page (or by a published asset), so watch
// mode's livereload.js, a widget's script in a book without that widget
// and an author's stray file under assets/ stay out.
func TestOnlyReferencedAssetsPublished(t *testing.T) {
	small := t.TempDir()
	if err := benchbook.Generate(small, 3, benchbook.Options{NoWidgets: true, Terms: 10, References: 10}); err != nil {
		t.Fatal(err)
	}
	must(t, os.MkdirAll(filepath.Join(small, "assets", "js"), 0o755))
	must(t, os.WriteFile(filepath.Join(small, "assets", "js", "draft.js"), []byte("// not linked from any template\n"), 0o644))
	for _, tc := range []struct {
		name, site string
		mode       Mode
	}{
		{"guide build", "../..", Publish},
		{"guide export", "../..", Export},
		{"widgetless build", small, Publish},
		{"widgetless export", small, Export},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			var pub *publish.Options
			base := ""
			if tc.mode == Publish {
				pub, base = &publish.Options{BaseURL: testBaseURL, HostFiles: true, Precompress: true}, "/guide/"
			}
			buildDir(t, Options{SiteDir: tc.site, Mode: tc.mode, BaseURL: testBaseURL}, dir, pub)
			files := readTree(t, dir)
			if stray := unreferenced(t, files, base); len(stray) > 0 {
				t.Errorf("published but loaded by nothing: %q", stray)
			}
			assets := 0
			for name := range files {
				if strings.HasPrefix(name, "assets/") {
					assets++
				}
			}
			if assets < 5 {
				t.Errorf("only %d asset files: the walk is not seeing them", assets)
			}
		})
	}
}
