package check

import (
	"guidebook/internal/outdir"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"guidebook/internal/output"
	"guidebook/internal/site"
)

func page(body string) []byte {
	return []byte("<!doctype html><html><head><title>t</title></head><body>" + body + "</body></html>")
}

func TestFiles(t *testing.T) {
	files := map[string][]byte{
		"index.html": page(`<h1 id="top">Home</h1>
			<a href="a/">a</a> <a href="a/index.html#s1">s1</a> <a href="./a#s2">s2</a>
			<a href="#top">top</a> <a href="#nowhere">x</a>
			<a href="b/">missing dir</a> <a href="a/#missing">missing fragment</a>
			<a href="https://example.org/x">ext</a> <a href="//cdn.example.org/y.js">ext2</a>
			<a href="mailto:a@b.c">mail</a> <a href="javascript:alert(1)">js</a>
			<img src="img/p.png" srcset="img/p.png 1x, img/p2.png 2x">
			<link rel="stylesheet" href="assets/s.css"><script src="assets/missing.js"></script>
			<a href="../../etc/passwd">escape</a> <a href="/index.html">root</a> <a href="/">root dir</a>
			<a href="a/file%20name.txt">escaped name</a>`),
		"a/index.html":       page(`<h2 id="s1">S1</h2><a name="s2"></a><a href="../#top">up</a> <a href="../">home</a> <a href="../glossary/">g</a>`),
		"a/file name.txt":    []byte("x"),
		"img/p.png":          nil,
		"assets/s.css":       []byte(`body{background:url("../img/p.png")} .x{background:url(../img/gone.png)} .y{background:url('data:image/png;base64,xx')}`),
		"404.html":           page(`<a href="/a/">a</a> <a href="/guide/a/">wrong base</a>`),
		"sitemap.xml":        []byte("<urlset/>"),
		"search/index.html":  page(`<form action="../search/"></form>`),
		"assets/x.js":        []byte("//"),
		"index.html.gz":      []byte("compressed"),
		"references/x.html":  page(`<a href="https://example.org/x">same external twice</a>`),
		"glossary/index.htm": nil,
	}
	r := Files(files, Options{})
	var got []string
	for _, p := range r.Problems {
		got = append(got, p.String())
	}
	want := []string{
		`404.html: broken link "/guide/a/": no file guide/a/index.html`,
		`a/index.html: broken link "../glossary/": no file glossary/index.html`,
		`assets/s.css: broken link "../img/gone.png": no file img/gone.png`,
		`index.html: broken link "#nowhere": index.html has no id "nowhere"`,
		`index.html: broken link "../../etc/passwd": points outside the site`,
		`index.html: broken link "a/#missing": a/index.html has no id "missing"`,
		`index.html: broken link "assets/missing.js": no file assets/missing.js`,
		`index.html: broken link "b/": no file b/index.html`,
		`index.html: broken link "img/p2.png": no file img/p2.png`,
		`index.html: broken link "javascript:alert(1)": script URL`,
		`index.html.br: missing: the build writes it beside index.html, which compresses well`,
		`index.html.gz: corrupt gzip data: gzip: invalid header`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if want := []string{"//cdn.example.org/y.js", "https://example.org/x"}; !reflect.DeepEqual(r.External, want) {
		t.Errorf("external = %q, want %q", r.External, want)
	}
	if in := r.ExternalIn["https://example.org/x"]; !reflect.DeepEqual(in, []string{"index.html", "references/x.html"}) {
		t.Errorf("external x is in %q", in)
	}
	if r.Pages != 5 {
		t.Errorf("pages = %d, want 5", r.Pages)
	}

	// Under a base path the 404 page's root-relative links resolve.
	files["404.html"] = page(`<a href="/a/">outside</a> <a href="/guide/a/">a</a> <a href="/guide/">home</a> <a href="/guide">home</a> <a href="/guide/nope/">x</a>`)
	r = Files(files, Options{Base: "/guide"})
	var for404 []string
	for _, p := range r.Problems {
		if p.File == "404.html" {
			for404 = append(for404, p.String())
		}
	}
	if want := []string{
		`404.html: broken link "/a/": root-relative link outside the site's base path /guide/`,
		`404.html: broken link "/guide/nope/": no file nope/index.html`,
	}; !reflect.DeepEqual(for404, want) {
		t.Errorf("404 with base: %q", for404)
	}
}

// The shipped guide, built in every mode, has no broken link; a tree on
// disk is checked the same as one in memory.
func TestShippedGuide(t *testing.T) {
	for _, mode := range []site.Mode{site.Publish, site.Export, site.Serve} {
		out := output.NewMemory()
		if _, err := site.Build(site.Options{SiteDir: "../..", Mode: mode}, out); err != nil {
			t.Fatal(err)
		}
		r := Files(out.Files(), Options{})
		for _, p := range r.Problems {
			t.Errorf("mode %d: %s", mode, p)
		}
		if r.Pages < 8 || r.Links < 100 {
			t.Errorf("mode %d: only %d pages, %d links checked", mode, r.Pages, r.Links)
		}
		if mode != site.Publish {
			continue
		}
		dir := filepath.Join(t.TempDir(), "public")
		disk, err := output.NewDir(dir, outdir.Rule{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := site.Build(site.Options{SiteDir: "../..", Mode: mode}, disk); err != nil {
			t.Fatal(err)
		}
		d, err := Dir(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Problems) != 0 || d.Links != r.Links || !reflect.DeepEqual(d.External, r.External) {
			t.Errorf("on disk: %d problems, %d links, %d external; in memory: %d links, %d external",
				len(d.Problems), d.Links, len(d.External), r.Links, len(r.External))
		}
		os.Remove(filepath.Join(dir, "glossary", "index.html"))
		if d, err = Dir(dir, Options{}); err != nil {
			t.Fatal(err)
		}
		if len(d.Problems) == 0 || d.Problems[0].Reason != "no file glossary/index.html" {
			t.Errorf("removed glossary page not reported: %v", d.Problems)
		}
	}
}
