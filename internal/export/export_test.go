package export

import (
	"archive/zip"
	"bytes"
	"guidebook/internal/testing/filetree"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"guidebook/internal/outdir"
	"guidebook/internal/output"
	"guidebook/internal/site"
	"guidebook/internal/testing/browsertest"
)

// exported runs the whole export of the shipped guide once per test
// binary: folder, zip and single file, as `guidebook export` does.
var exported = sync.OnceValues(func() (*exportedGuide, error) {
	dir, err := os.MkdirTemp("", "guidebook-export-test-")
	if err != nil {
		return nil, err
	}
	g := &exportedGuide{root: dir, dir: filepath.Join(dir, "guide-offline"), zip: filepath.Join(dir, "guide.zip"), single: filepath.Join(dir, "guide.html")}
	g.res, err = Run(Options{SiteDir: "../..", Dir: g.dir, Zip: g.zip, SingleFile: g.single})
	return g, err
})

type exportedGuide struct {
	root, dir, zip, single string
	res                    *Result
}

func guide(t *testing.T) *exportedGuide {
	t.Helper()
	g, err := exported()
	if err != nil {
		t.Fatalf("exporting the shipped guide: %v", err)
	}
	return g
}

func TestMain(m *testing.M) {
	code := m.Run()
	if g, err := exported(); err == nil && g != nil {
		os.RemoveAll(g.root)
	}
	browsertest.Close()
	os.Exit(code)
}

func parse(t *testing.T, name string, data []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return doc
}

func idsOf(doc *html.Node) map[string]int {
	ids := map[string]int{}
	walk(doc, func(n *html.Node) {
		if id := attr(n, "id"); id != "" {
			ids[id]++
		}
	})
	return ids
}

// isResource reports whether an attribute makes the browser fetch its URL
// by itself (as opposed to a link the reader may follow).
func isResource(n *html.Node, key string) bool {
	return key == "src" || key == "poster" || key == "srcset" || (n.DataAtom == atom.Link && key == "href")
}

// The folder opens from disk: every page links only to files that exist
// (with explicit index.html), every fragment names an id in its target, and
// nothing is loaded from the network; the only absolute URLs are links in
// the prose and references.
func TestExportFolderResolvesOnDisk(t *testing.T) {
	g := guide(t)
	files := filetree.Read(t, g.dir)
	if len(files) != g.res.Files+1 {
		t.Errorf("folder holds %d files, Run reported %d and the marker", len(files), g.res.Files)
	}
	docs := map[string]*html.Node{}
	for p, data := range files {
		if strings.HasSuffix(p, ".html") {
			docs[p] = parse(t, p, data)
		}
	}
	for _, want := range []string{"index.html", "fundamentals/index.html", "glossary/index.html", "references/index.html", "search/index.html"} {
		if docs[want] == nil {
			t.Errorf("export lacks %s", want)
		}
	}
	external, local := 0, 0
	for p, doc := range docs {
		walk(doc, func(n *html.Node) {
			for _, a := range n.Attr {
				if a.Key != "href" && a.Key != "src" && a.Key != "action" && a.Key != "srcset" && a.Key != "poster" {
					continue
				}
				u, err := url.Parse(a.Val)
				if err != nil {
					t.Errorf("%s: %s=%q: %v", p, a.Key, a.Val, err)
					continue
				}
				if u.Scheme != "" || u.Host != "" || strings.HasPrefix(a.Val, "//") {
					if isResource(n, a.Key) {
						t.Errorf("%s: <%s %s=%q> loads from the network", p, n.Data, a.Key, a.Val)
					} else if n.DataAtom != atom.A || (u.Scheme != "https" && u.Scheme != "http" && u.Scheme != "mailto") {
						t.Errorf("%s: <%s %s=%q>: only <a> may link out", p, n.Data, a.Key, a.Val)
					}
					external++
					continue
				}
				if strings.HasPrefix(u.Path, "/") {
					t.Errorf("%s: %s=%q is root-absolute: it breaks from file://", p, a.Key, a.Val)
					continue
				}
				local++
				target := p
				if u.Path != "" {
					target = path.Join(path.Dir(p), u.Path)
					if strings.HasSuffix(u.Path, "/") {
						t.Errorf("%s: %s=%q ends in / (file:// shows a directory listing)", p, a.Key, a.Val)
						continue
					}
				}
				if _, ok := files[target]; !ok {
					t.Errorf("%s: %s=%q: %s does not exist on disk", p, a.Key, a.Val, target)
					continue
				}
				if u.Fragment != "" && docs[target] != nil && idsOf(docs[target])[u.Fragment] == 0 {
					t.Errorf("%s: %s=%q: no id %q in %s", p, a.Key, a.Val, u.Fragment, target)
				}
			}
		})
	}
	t.Logf("%d pages: %d local links and resources resolve, %d external prose links", len(docs), local, external)
	if local < 100 {
		t.Errorf("only %d local links checked: the walk is not seeing the pages", local)
	}
}

// The zip holds exactly the folder, under one top directory, with fixed
// times, and is byte-identical when made again.
func TestExportZipMatchesFolder(t *testing.T) {
	g := guide(t)
	files := filetree.Read(t, g.dir)
	data, err := os.ReadFile(g.zip)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if !strings.HasPrefix(f.Name, "guide/") {
			t.Errorf("entry %s is not under guide/", f.Name)
		}
		if !f.Modified.Equal(output.ZipEpoch) {
			t.Errorf("entry %s has time %v, want %v", f.Name, f.Modified, output.ZipEpoch)
		}
		if f.FileInfo().IsDir() {
			continue
		}
		rel := strings.TrimPrefix(f.Name, "guide/")
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		want, ok := files[rel]
		switch {
		case !ok:
			t.Errorf("zip has %s, the folder does not", rel)
		case !bytes.Equal(got, want):
			t.Errorf("zip's %s differs from the folder's", rel)
		}
		seen[rel] = true
	}
	for rel := range files {
		if !seen[rel] && rel != outdir.Marker { // the folder's marker is not the site's
			t.Errorf("zip lacks %s", rel)
		}
	}
	if !sort.StringsAreSorted(names) {
		t.Errorf("zip entries are not sorted: %v", names)
	}

	mem := output.NewMemory()
	if _, err := site.Build(site.Options{SiteDir: "../..", Mode: site.Export}, mem); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := output.WriteZip(&again, mem.Files(), "guide"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), data) {
		t.Errorf("a second zip of the same site differs (%d vs %d bytes)", again.Len(), len(data))
	}
}

// The single file stands alone: unique ids, every fragment link resolves
// in it, no <script src>/<link rel=stylesheet>, no network resource,
// every page a section, the search index pointing at its anchors.
func TestSingleFileSelfContained(t *testing.T) {
	g := guide(t)
	data, err := os.ReadFile(g.single)
	if err != nil {
		t.Fatal(err)
	}
	doc := parse(t, "single", data)
	ids := idsOf(doc)
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q occurs %d times", id, n)
		}
	}
	sections := map[string]bool{}
	frags := 0
	walk(doc, func(n *html.Node) {
		if n.DataAtom == atom.Section && hasToken(attr(n, "class"), "gb-single-section") {
			sections[attr(n, "id")] = true
		}
		if n.DataAtom == atom.Script && attr(n, "src") != "" {
			t.Errorf("script still loads %s", attr(n, "src"))
		}
		if n.DataAtom == atom.Link && hasToken(attr(n, "rel"), "stylesheet") {
			t.Errorf("stylesheet still linked: %s", attr(n, "href"))
		}
		for _, a := range n.Attr {
			if !urlAttrs[a.Key] && a.Key != "srcset" {
				continue
			}
			switch {
			case strings.HasPrefix(a.Val, "#"):
				frags++
				if ids[a.Val[1:]] == 0 {
					t.Errorf("<%s %s=%q>: no such id in the file", n.Data, a.Key, a.Val)
				}
			case strings.HasPrefix(a.Val, "data:"):
			case n.DataAtom == atom.A && (strings.HasPrefix(a.Val, "https://") || strings.HasPrefix(a.Val, "http://")):
			default:
				t.Errorf("<%s %s=%q> points outside the file", n.Data, a.Key, a.Val)
			}
		}
	})
	for _, s := range []string{"home", "fundamentals", "intermediate", "academic", "reflection", "glossary", "references"} {
		if !sections[s] {
			t.Errorf("no <section id=%q>", s)
		}
	}
	if frags < 100 {
		t.Errorf("only %d fragment links: pages were not joined", frags)
	}
	// Colliding ids carry their chapter's prefix; references keep theirs.
	for _, id := range []string{"fundamentals-gb-toc-title", "intermediate-gb-toc-title"} {
		if ids[id] != 1 {
			t.Errorf("want one id %q", id)
		}
	}
	if !bytes.Contains(data, []byte(`"u":"#`)) || bytes.Contains(data, []byte(`index.html#`)) {
		t.Errorf("search index URLs were not rewritten to anchors")
	}
	if root := find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Html }); attr(root, "data-gb-root") != "" {
		t.Errorf("data-gb-root = %q, want empty", attr(root, "data-gb-root"))
	}
}

// exportOf builds an in-memory Export-mode output for the joiner tests.
func exportOf(files map[string]string) map[string][]byte {
	out := map[string][]byte{}
	for k, v := range files {
		out[k] = []byte(v)
	}
	return out
}

func pageHTML(root, head, main string) string {
	return `<!doctype html><html data-gb-root="` + root + `"><head><title>T</title>` + head + `</head><body class="gb-page gb-kind-home">` +
		`<header><form class="gb-search" role="search" action="` + root + `search/index.html"><input id="gb-search-input"></form></header>` +
		`<main id="gb-main">` + main + `</main></body></html>`
}

func TestSingleFileJoining(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // substrings of the result
		not   []string // substrings that must not occur
		err   string
	}{{
		name: "colliding ids are prefixed and their references follow",
		files: map[string]string{
			"index.html": pageHTML("", "", `<a href="b/index.html">B</a> <a href="a/index.html">A</a>`),
			"a/index.html": pageHTML("../", "", `<h2 id="intro">I</h2><a href="#intro">x</a><span id="tip" role="tooltip">t</span>`+
				`<a aria-describedby="tip" href="../b/index.html#intro">y</a><p id="only-a">z</p>`),
			"b/index.html": pageHTML("../", "", `<h2 id="intro">I</h2><span id="tip">t</span><a href="../a/index.html#only-a">w</a><a href="../a/index.html">a</a>`),
		},
		want: []string{
			`<section id="home" class="gb-single-section">`,
			`<section id="b" class="gb-single-section"><h2 id="b-intro">`, // home links b first
			`<h2 id="a-intro">I</h2><a href="#a-intro">x</a><span id="a-tip" role="tooltip">`,
			`<a aria-describedby="a-tip" href="#b-intro">y</a><p id="only-a">`,
			`<a href="#only-a">w</a><a href="#a">a</a>`,
			`<form class="gb-search" role="search"><input id="gb-search-input"/>`,
			`data-gb-root=""`, `gb-kind-single`,
		},
	}, {
		name: "widget parts are renamed with the widget",
		files: map[string]string{
			"index.html":   pageHTML("", "", `<a href="a/index.html">A</a><a href="b/index.html">B</a>`),
			"a/index.html": pageHTML("../", "", `<figure id="w-1"><label for="w-1-g">g</label><input id="w-1-g"></figure>`),
			"b/index.html": pageHTML("../", "", `<figure id="w-1"><output id="w-1-out" for="w-1-g"></output><input id="w-1-g"></figure>`),
		},
		want: []string{`<figure id="a-w-1"><label for="a-w-1-g">g</label><input id="a-w-1-g"/>`, `<output id="b-w-1-out" for="b-w-1-g">`},
	}, {
		name: "content id equal to a shell or section id is renamed",
		files: map[string]string{
			"index.html":   pageHTML("", "", `<a href="a/index.html">A</a>`),
			"a/index.html": pageHTML("../", "", `<h2 id="gb-search-input">S</h2><h2 id="home">H</h2><a href="#home">h</a><a href="../index.html">top</a>`),
		},
		want: []string{`<h2 id="a-gb-search-input">`, `<h2 id="a-home">H</h2><a href="#a-home">h</a><a href="#home">top</a>`},
	}, {
		name: "assets are inlined once, scripts at the end, raw-text ends escaped, images as data URIs",
		files: map[string]string{
			"index.html": pageHTML("", `<link rel="stylesheet" href="assets/s.css"><script src="assets/a.js" defer></script>`, `<a href="a/index.html">A</a><img src="pic.png" alt="">`),
			"a/index.html": pageHTML("../", `<link rel="stylesheet" href="../assets/s.css"><script src="../assets/a.js" defer></script><script src="../assets/w.js" defer></script>`,
				`<p>a</p>`),
			"assets/s.css": `p{color:red}/* </style> */`,
			"assets/a.js":  `var s = "</script><!--";`,
			"assets/w.js":  `var w = 1;`,
			"pic.png":      "\x89PNG",
		},
		want: []string{`<style>p{color:red}/* <\/style> */</style>`, `<script>var s = "<\/script><\!--";</script><script>var w = 1;</script></body>`,
			`<img src="data:image/png;base64,iVBORw==" alt=""/>`},
		not: []string{`<script src`, `<link rel="stylesheet"`},
	}, {
		name: "the search index is rewritten to anchors",
		files: map[string]string{
			"index.html":             pageHTML("", `<script src="assets/search-index.js" defer></script>`, `<a href="a/index.html">A</a>`),
			"a/index.html":           pageHTML("../", "", `<h2 id="x">X</h2>`),
			"assets/search-index.js": `window.guidebookSearch = {"docs":[{"u":"a/index.html","c":"A","h":"A","k":"chapter","t":""},{"u":"a/index.html#x","c":"A","h":"X","k":"section","t":""}]};` + "\n",
		},
		want: []string{`window.guidebookSearch = {"docs":[{"c":"A","h":"A","k":"chapter","t":"","u":"#a"},{"c":"A","h":"X","k":"section","t":"","u":"#x"}]};`},
	}, {
		name: "the parts of a search index are joined inline",
		files: map[string]string{
			"index.html":             pageHTML("", `<script src="assets/search-index.js" defer></script>`, `<a href="a/index.html">A</a>`),
			"a/index.html":           pageHTML("../", "", `<h2 id="x">X</h2>`),
			"assets/search-index.js": `window.guidebookSearch = {"parts":[{"src":"assets/search/0.js"},{"src":"assets/search/1.js"}]};` + "\n",
			"assets/search/0.js":     `(window.guidebookSearchParts = window.guidebookSearchParts || [])[0] = [{"u":"a/index.html","c":"A","h":"A","k":"chapter","t":""}];` + "\n",
			"assets/search/1.js":     `(window.guidebookSearchParts = window.guidebookSearchParts || [])[1] = [{"u":"a/index.html#x","c":"A","h":"X","k":"section","t":""}];` + "\n",
		},
		want: []string{`window.guidebookSearch = {"docs":[{"c":"A","h":"A","k":"chapter","t":"","u":"#a"},{"c":"A","h":"X","k":"section","t":"","u":"#x"}]};`},
		not:  []string{`guidebookSearchParts`, `"parts"`},
	}, {
		name: "a missing part of the search index hides the search box",
		files: map[string]string{
			"index.html":             pageHTML("", `<script src="assets/search-index.js" defer></script>`, `<p>home</p>`),
			"assets/search-index.js": `window.guidebookSearch = {"parts":[{"src":"assets/search/0.js"}]};`,
		},
		not: []string{`gb-search`, `guidebookSearch`},
	}, {
		name: "an unreadable search index hides the search box",
		files: map[string]string{
			"index.html":             pageHTML("", `<script src="assets/search-index.js" defer></script>`, `<p>home</p>`),
			"assets/search-index.js": `window.guidebookSearch = {broken`,
		},
		not: []string{`gb-search`, `guidebookSearch`},
	}, {
		name: "a link to a missing file fails the export",
		files: map[string]string{
			"index.html": pageHTML("", "", `<a href="nowhere/index.html">x</a>`),
		},
		err: `index.html: href="nowhere/index.html": nowhere/index.html is not in the export`,
	}, {
		name: "a network resource fails the export",
		files: map[string]string{
			"index.html": pageHTML("", "", `<img src="https://example.org/x.png" alt="">`),
		},
		err: `would load from the network`,
	}, {
		name:  "no home page",
		files: map[string]string{"a/index.html": pageHTML("../", "", "")},
		err:   "the site has no index.html",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SingleFile(exportOf(tc.files), nil)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(got), w) {
					t.Errorf("missing %s\nin: %s", w, got)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(string(got), w) {
					t.Errorf("unexpected %s\nin: %s", w, got)
				}
			}
			if again, _ := SingleFile(exportOf(tc.files), nil); !bytes.Equal(again, got) {
				t.Errorf("a second run differs")
			}
		})
	}
}
