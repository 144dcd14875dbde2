package site

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"guidebook/internal/outdir"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"golang.org/x/net/html"

	"guidebook/internal/check"
	"guidebook/internal/output"
	"guidebook/internal/publish"
	"guidebook/internal/testing/filetree"
)

const testBaseURL = "https://example.org/guide/"

// publishTo builds the shipped guide for a CDN as `guidebook build` does
// (every publishing step over a Dir) into dir and returns the tree read
// back from disk.
func publishTo(t *testing.T, dir string, baseURL string, minify bool) map[string][]byte {
	t.Helper()
	d, err := output.NewDir(dir, outdir.Rule{})
	if err != nil {
		t.Fatal(err)
	}
	out := publish.Wrap(d, publish.Options{BaseURL: baseURL, Minify: minify, HostFiles: true, Precompress: true})
	if _, err := Build(Options{SiteDir: "../..", Mode: Publish, BaseURL: baseURL, Minify: minify}, out); err != nil {
		t.Fatalf("building the shipped guide: %v", err)
	}
	return readTree(t, dir)
}

func readTree(t *testing.T, dir string) map[string][]byte { return filetree.Read(t, dir) }

var fingerprinted = regexp.MustCompile(`\.([0-9a-f]{8})\.[a-z]+$`)

// checkPublished runs every check a CDN deployment depends on over a tree
// on disk.
func checkPublished(t *testing.T, files map[string][]byte, baseURL string) {
	t.Helper()
	docs := map[string]*html.Node{}
	for p, data := range files {
		if strings.HasSuffix(p, ".html") {
			docs[p] = parseHTML(t, p, data)
		}
	}
	if len(docs) < 9 {
		t.Fatalf("only %d pages", len(docs))
	}
	rootPath := publish.BasePath(baseURL)

	// Links and resources resolve, fragments name ids (the link checker,
	// with the base path the 404 page's root-absolute links start from).
	rep := check.Files(files, check.Options{Base: rootPath})
	for _, pr := range rep.Problems {
		t.Errorf("%s", pr)
	}
	if rep.Links < 200 {
		t.Errorf("the checker followed only %d links", rep.Links)
	}

	// Only the 404 page links root-absolute; nothing loads from elsewhere;
	// every script and stylesheet carries the right SRI hash.
	sri := 0
	for p, doc := range docs {
		walk(doc, func(n *html.Node) {
			if n.Type != html.ElementNode {
				return
			}
			if (n.Data == "script" && hasAttr(n, "src")) || (n.Data == "link" && hasToken(n, "rel", "stylesheet")) {
				// The search manifest keeps one name while its bytes
				// change (theme.AddStable): the one script without a hash.
				if src, _ := attr(n, "src"); templateScript(src) && !strings.Contains(src, "assets/") {
					if _, ok := attr(n, "integrity"); ok {
						t.Errorf("%s: the search manifest has an integrity value, which its next change would break", p)
					}
				} else if _, ok := attr(n, "integrity"); !ok {
					t.Errorf("%s: <%s> without integrity", p, n.Data)
				}
			}
			for _, key := range []string{"href", "src", "action"} {
				v, ok := attr(n, key)
				if !ok {
					continue
				}
				u, err := url.Parse(v)
				if err != nil {
					t.Errorf("%s: %s=%q: %v", p, key, v, err)
					continue
				}
				if u.Scheme != "" || u.Host != "" {
					if n.Data != "a" && !(n.Data == "link" && hasToken(n, "rel", "canonical")) {
						t.Errorf("%s: <%s %s=%q> loads from elsewhere", p, n.Data, key, v)
					}
					continue
				}
				target := path.Join(path.Dir(p), u.Path)
				if strings.HasPrefix(u.Path, "/") {
					if p != "404.html" {
						t.Errorf("%s: root-absolute %s=%q", p, key, v)
					}
					target = strings.TrimPrefix(u.Path, rootPath)
				}
				integ, ok := attr(n, "integrity")
				if !ok {
					continue
				}
				sri++
				sum := sha512.Sum384(files[target])
				if want := "sha384-" + base64.StdEncoding.EncodeToString(sum[:]); integ != want {
					t.Errorf("%s: %s: integrity %s, but the file hashes to %s", p, v, integ, want)
				}
			}
		})
	}
	if sri < 4*len(docs) {
		t.Errorf("checked only %d SRI hashes: the walk is not seeing the pages", sri)
	}

	// Every asset name carries the hash of its bytes.
	for p, data := range files {
		if !strings.HasPrefix(p, "assets/") || strings.HasSuffix(p, ".gz") || strings.HasSuffix(p, ".br") {
			continue
		}
		m := fingerprinted.FindStringSubmatch(p)
		if m == nil {
			t.Errorf("%s is not fingerprinted", p)
			continue
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:4]); got != m[1] {
			t.Errorf("%s: name says %s, content hashes to %s", p, m[1], got)
		}
	}

	// Precompressed siblings decompress to their original; every text
	// file worth compressing has both.
	for p, data := range files {
		ext := path.Ext(p)
		if ext == ".gz" || ext == ".br" {
			orig, ok := files[strings.TrimSuffix(p, ext)]
			if !ok {
				t.Errorf("%s has no original", p)
				continue
			}
			var r io.Reader
			if ext == ".gz" {
				zr, err := gzip.NewReader(bytes.NewReader(data))
				if err != nil {
					t.Errorf("%s: %v", p, err)
					continue
				}
				if zr.Name != "" || !zr.ModTime.IsZero() {
					t.Errorf("%s: gzip header carries name %q / time %v", p, zr.Name, zr.ModTime)
				}
				r = zr
			} else {
				r = brotli.NewReader(bytes.NewReader(data))
			}
			got, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(got, orig) {
				t.Errorf("%s does not decompress to its original (err %v)", p, err)
			}
			if len(data) >= len(orig) {
				t.Errorf("%s (%d bytes) is not smaller than its original (%d)", p, len(data), len(orig))
			}
			continue
		}
		if publish.Precompressible(p, len(data)) {
			for _, c := range []string{".gz", ".br"} {
				if _, ok := files[p+c]; !ok {
					t.Errorf("%s (%d bytes) has no %s", p, len(data), c)
				}
			}
		}
	}

	// Host files.
	robots := string(files["robots.txt"])
	if !strings.HasPrefix(robots, "User-agent: *\n") {
		t.Errorf("robots.txt = %q", robots)
	}
	hdr := string(files["_headers"])
	for _, want := range []string{
		rootPath + "assets/*\n  Cache-Control: public, max-age=31536000, immutable\n",
		rootPath + "*\n  X-Content-Type-Options: nosniff\n",
		"  Content-Security-Policy: default-src 'self';",
		"  Referrer-Policy: strict-origin-when-cross-origin\n",
	} {
		if !strings.Contains(hdr, want) {
			t.Errorf("_headers lacks %q:\n%s", want, hdr)
		}
	}
	// A path must not get Cache-Control from two rules (hosts join them):
	// pages keep the host's default, the same on Netlify and Cloudflare.
	if strings.Count(hdr, "Cache-Control:") != 1 {
		t.Errorf("_headers: only assets/* should set Cache-Control:\n%s", hdr)
	}

	if baseURL == "" {
		if _, ok := files["sitemap.xml"]; ok {
			t.Error("sitemap.xml without a base URL: its URLs could not be absolute")
		}
		if strings.Contains(robots, "Sitemap:") {
			t.Errorf("robots.txt names a sitemap without a base URL: %q", robots)
		}
		return
	}
	if !strings.Contains(robots, "\nSitemap: "+baseURL+"sitemap.xml\n") {
		t.Errorf("robots.txt lacks the sitemap: %q", robots)
	}
	var sm struct {
		XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
		URLs    []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(files["sitemap.xml"], &sm); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	var locs []string
	for _, u := range sm.URLs {
		locs = append(locs, u.Loc)
		rel, ok := strings.CutPrefix(u.Loc, baseURL)
		if !ok {
			t.Errorf("sitemap URL %s is not under %s", u.Loc, baseURL)
			continue
		}
		if _, ok := files[rel+"index.html"]; !ok {
			t.Errorf("sitemap URL %s has no page", u.Loc)
		}
	}
	want := []string{baseURL, baseURL + "academic/", baseURL + "fundamentals/", baseURL + "glossary/",
		baseURL + "intermediate/", baseURL + "references/", baseURL + "reflection/"}
	if strings.Join(locs, " ") != strings.Join(want, " ") {
		t.Errorf("sitemap URLs\n got %v\nwant %v", locs, want)
	}
}

func hasAttr(n *html.Node, key string) bool { _, ok := attr(n, key); return ok }

func hasToken(n *html.Node, key, tok string) bool {
	v, _ := attr(n, key)
	for _, f := range strings.Fields(v) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

func TestPublishedTree(t *testing.T) {
	for _, tc := range []struct {
		name    string
		baseURL string
		minify  bool
	}{
		{"base URL", testBaseURL, false},
		{"base URL, minified", testBaseURL, true},
		{"no base URL", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := publishTo(t, filepath.Join(t.TempDir(), "public"), tc.baseURL, tc.minify)
			checkPublished(t, files, tc.baseURL)
		})
	}
}

// Minifying shrinks pages and assets without changing what the pages say
// or link to: the same ids, links and text (modulo whitespace).
func TestPublishMinify(t *testing.T) {
	plain := publishTo(t, filepath.Join(t.TempDir(), "public"), testBaseURL, false)
	mini := publishTo(t, filepath.Join(t.TempDir(), "public"), testBaseURL, true)
	unhash := func(files map[string][]byte) map[string][]byte {
		m := map[string][]byte{}
		for p, d := range files {
			m[fingerprinted.ReplaceAllString(p, ".H"+path.Ext(p))] = d
		}
		return m
	}
	up, um := unhash(plain), unhash(mini)
	for _, p := range []string{"assets/css/guidebook.H.css", "assets/js/search.H.js", "assets/js/guidebook.H.js", "assets/widgets/homa-ir.H.js", "index.html", "intermediate/index.html"} {
		if len(um[p]) == 0 || len(um[p]) >= len(up[p]) {
			t.Errorf("%s: minified %d bytes, plain %d", p, len(um[p]), len(up[p]))
		}
	}
	hashRef := regexp.MustCompile(`\.[0-9a-f]{8}\.(css|js|svg)$`)
	summary := func(doc *html.Node) string {
		var b strings.Builder
		walk(doc, func(n *html.Node) {
			switch n.Type {
			case html.ElementNode:
				b.WriteString("<" + n.Data)
				for _, k := range []string{"id", "href", "src", "aria-describedby", "class"} {
					if v, ok := attr(n, k); ok {
						b.WriteString(" " + k + "=" + hashRef.ReplaceAllString(strings.Join(strings.Fields(v), " "), ".H.$1"))
					}
				}
				b.WriteString(">")
			case html.TextNode:
				if f := strings.Join(strings.Fields(n.Data), " "); f != "" {
					b.WriteString(f + "|")
				}
			}
		})
		return b.String()
	}
	for p := range up {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		a, b := summary(parseHTML(t, p, up[p])), summary(parseHTML(t, p, um[p]))
		if a != b {
			i := 0
			for i < len(a) && i < len(b) && a[i] == b[i] {
				i++
			}
			t.Errorf("%s: minified page differs in structure near\n plain %q\n   min %q", p, a[max(0, i-80):min(len(a), i+80)], b[max(0, i-80):min(len(b), i+80)])
		}
	}
}

// Two builds of the same sources are byte-identical, file by file.
func TestPublishDeterministic(t *testing.T) {
	a := publishTo(t, filepath.Join(t.TempDir(), "a"), testBaseURL, true)
	b := publishTo(t, filepath.Join(t.TempDir(), "b"), testBaseURL, true)
	var names []string
	for p := range a {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		if d, ok := b[p]; !ok {
			t.Errorf("second build lacks %s", p)
		} else if !bytes.Equal(a[p], d) {
			t.Errorf("%s differs between two builds", p)
		}
	}
	if len(a) != len(b) {
		t.Errorf("builds have %d and %d files", len(a), len(b))
	}
	t.Logf("%d files identical across two builds", len(names))
}
