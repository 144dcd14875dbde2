package site

// Publishing is the last stage before Write for a site headed to a web
// server or CDN: it adds the files a host reads (sitemap.xml, robots.txt,
// _headers) and precompressed siblings, and optionally minifies the pages.
// Asset minification happens earlier, in the Builder (Options.Minify),
// because an asset's fingerprint and SRI hash must be computed on the bytes
// that are served.
//
// Third-party libraries: github.com/tdewolff/minify/v2 (the standard Go
// minifier for HTML, CSS and JS; writing one is a project of its own) and
// github.com/andybalholm/brotli (a pure-Go port of the reference brotli
// encoder; the standard library has no brotli).

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/tdewolff/minify/v2"
	mincss "github.com/tdewolff/minify/v2/css"
	minhtml "github.com/tdewolff/minify/v2/html"
	minjs "github.com/tdewolff/minify/v2/js"
	minsvg "github.com/tdewolff/minify/v2/svg"

	"guidebook/internal/diag"
	"guidebook/internal/render"
)

// PublishOptions configure PublishOutput.
type PublishOptions struct {
	// BaseURL is the absolute URL the site is served at. With it, PublishOutput
	// writes sitemap.xml and names it in robots.txt; _headers paths start
	// at its path.
	BaseURL string
	// Minify minifies every HTML page. Build with Options.Minify as well,
	// so that the assets the pages reference are minified too.
	Minify bool
}

// Precompression settings. Files below compressMin gain little and cost a
// second request path on the server; a compressed copy that is not smaller
// than the original is dropped (servers fall back to the original).
const compressMin = 256

var compressible = map[string]bool{
	".html": true, ".css": true, ".js": true, ".xml": true, ".txt": true, ".json": true, ".svg": true,
}

// PublishOutput readies out for a CDN in place: it minifies pages (with
// opts.Minify), adds sitemap.xml (with a base URL), robots.txt and _headers
// unless the author ships their own, and finally .gz and .br siblings of
// every text file. The result depends only on out and opts, so two builds
// of the same sources are byte-identical.
func PublishOutput(out *Output, opts PublishOptions) error {
	if opts.Minify {
		if err := minifyPages(out); err != nil {
			return err
		}
	}
	pages := sitePages(out)
	base := basePath(opts.BaseURL)
	if opts.BaseURL != "" {
		addIfAbsent(out, "sitemap.xml", sitemap(opts.BaseURL, pages))
	}
	addIfAbsent(out, "robots.txt", robots(opts.BaseURL))
	addIfAbsent(out, "_headers", headers(base, out))
	return precompress(out)
}

// addIfAbsent adds a generated file unless the book's static files already
// provide one: the author's robots.txt or _headers wins.
func addIfAbsent(out *Output, name string, data []byte) {
	if _, ok := out.Files[name]; !ok {
		out.Files[name] = data
	}
}

// sitePages lists the pages a crawler should know, sorted, as site paths
// in directory form ("", "academic/"). The 404 page and the search page
// have no content of their own.
func sitePages(out *Output) []string {
	var pages []string
	for p := range out.Files {
		if !strings.HasSuffix(p, ".html") || p == "404.html" || p == "search/index.html" {
			continue
		}
		if p == "index.html" || strings.HasSuffix(p, "/index.html") {
			p = strings.TrimSuffix(p, "index.html")
		}
		pages = append(pages, p)
	}
	sort.Strings(pages)
	return pages
}

// sitemap lists every page by absolute URL. There is no <lastmod>: the
// only dates at hand are file times, which differ between checkouts and
// would make two builds of the same sources differ.
func sitemap(baseURL string, pages []string) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, p := range pages {
		b.WriteString("  <url><loc>")
		xml.EscapeText(&b, []byte(absURL(baseURL, p)))
		b.WriteString("</loc></url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

// robots allows everything. Crawlers only read robots.txt at a host's root,
// so under a base path it is a template for the host's own file.
func robots(baseURL string) []byte {
	s := "User-agent: *\nAllow: /\n"
	if baseURL != "" {
		s += "Sitemap: " + absURL(baseURL, "sitemap.xml") + "\n"
	}
	return []byte(s)
}

// contentSecurityPolicy allows the site's own files only. The templates
// have no inline scripts, styles or event attributes, and scripts set
// styles through the CSSOM, which style-src does not govern; data: images
// stay allowed for authors' inline SVG icons in CSS.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"

// headers writes a Netlify / Cloudflare Pages _headers file. Both hosts
// merge the headers of every rule a path matches, joining repeated names
// with commas, so Cache-Control appears in exactly one rule per path:
// forever for fingerprinted assets, revalidate-always for pages and the
// host files, each page listed by its URL.
func headers(base string, out *Output) []byte {
	var b strings.Builder
	b.WriteString("# Generated by guidebook for Netlify and Cloudflare Pages.\n")
	fmt.Fprintf(&b, "%s*\n", base)
	b.WriteString("  X-Content-Type-Options: nosniff\n")
	b.WriteString("  Referrer-Policy: strict-origin-when-cross-origin\n")
	b.WriteString("  Content-Security-Policy: " + contentSecurityPolicy + "\n")
	fmt.Fprintf(&b, "%sassets/*\n", base)
	b.WriteString("  Cache-Control: public, max-age=31536000, immutable\n")
	short := sitePages(out)
	for p := range out.Files {
		// 404.html, sitemap.xml, robots.txt and the author's root files.
		if !strings.Contains(p, "/") && path.Ext(p) != ".html" && p != "_headers" || p == "404.html" {
			short = append(short, p)
		}
	}
	if _, ok := out.Files["search/index.html"]; ok {
		short = append(short, "search/")
	}
	sort.Strings(short)
	for _, p := range short {
		fmt.Fprintf(&b, "%s%s\n  Cache-Control: public, max-age=0, must-revalidate\n", base, p)
	}
	return []byte(b.String())
}

// precompress adds NAME.gz and NAME.br next to each text file, for servers
// that serve precompressed files (nginx gzip_static, Caddy precompressed).
// gzip runs at its best level (it is fast at any level); brotli's best
// level is not affordable for pages, see brotliLevel. The gzip header carries no name or time, so the bytes depend only on the
// input.
func precompress(out *Output) error {
	var names []string
	for p, data := range out.Files {
		if compressible[path.Ext(p)] && len(data) > compressMin {
			names = append(names, p)
		}
	}
	sort.Strings(names)
	gz := make([][]byte, len(names))
	br := make([][]byte, len(names))
	errs := make([]error, len(names))
	parallel(len(names), 8, func(i int) {
		data := out.Files[names[i]]
		gz[i], errs[i] = gzipBytes(data)
		if errs[i] == nil {
			br[i], errs[i] = brotliBytes(data, brotliQuality)
		}
	})
	for i, n := range names {
		if errs[i] != nil {
			return fmt.Errorf("compressing %s: %w", n, errs[i])
		}
		if len(gz[i]) < len(out.Files[n]) {
			out.Files[n+".gz"] = gz[i]
		}
		if len(br[i]) < len(out.Files[n]) {
			out.Files[n+".br"] = br[i]
		}
	}
	return nil
}

func gzipBytes(data []byte) ([]byte, error) {
	var b bytes.Buffer
	w, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	err = w.Close()
	return b.Bytes(), err
}

// brotliQuality is the brotli level for every file. The pure-Go encoder
// runs at about 0.3 MB/s at quality 11 and about 5 MB/s at 5, measured on
// the shipped guide (11 saves a further 13%, a few kilobytes there). At 11
// the guide's build took 0.3–0.6 s instead of 35 ms and a 1,000-chapter
// book would spend minutes compressing, so 5 it is.
const brotliQuality = 5

func brotliBytes(data []byte, level int) ([]byte, error) {
	var b bytes.Buffer
	w := brotli.NewWriterLevel(&b, level)
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	err := w.Close()
	return b.Bytes(), err
}

// newMinifier configures minify for guidebook's output. Pages keep their
// <html>, <head> and <body> tags and end tags: HTML allows leaving them
// out, but other tools reading the output (and the link checks) should not
// have to know the omission rules.
func newMinifier() *minify.M {
	m := minify.New()
	m.Add("text/html", &minhtml.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true})
	m.AddFunc("text/css", mincss.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`^(application|text)/(x-)?(java|ecma)script$`), minjs.Minify)
	m.AddFunc("image/svg+xml", minsvg.Minify)
	return m
}

var minifyTypes = map[string]string{
	".css": "text/css",
	".js":  "application/javascript",
	".svg": "image/svg+xml",
}

// minifyAssets replaces each CSS, JS and SVG asset with its minified form.
// Re-adding an asset recomputes its fingerprinted name and SRI hash, so
// the pages rendered afterwards reference the minified bytes.
func minifyAssets(a *render.Assets) error {
	m := newMinifier()
	var errs diag.List
	for _, as := range a.All() {
		mt, ok := minifyTypes[path.Ext(as.Name)]
		if !ok {
			continue
		}
		min, err := m.Bytes(mt, as.Data)
		if err != nil {
			errs.Addf(diag.Pos{File: "assets/" + as.Name}, "cannot minify: %v", err)
			continue
		}
		a.Add(as.Name, min)
	}
	return errs.Err()
}

// minifyPages minifies every HTML file of out. The page cache shares the
// byte slices in out.Files, so each page is replaced, never edited.
func minifyPages(out *Output) error {
	m := newMinifier()
	var names []string
	for p := range out.Files {
		if path.Ext(p) == ".html" {
			names = append(names, p)
		}
	}
	sort.Strings(names)
	res := make([][]byte, len(names))
	var errs diag.List
	parallel(len(names), 8, func(i int) {
		min, err := m.Bytes("text/html", out.Files[names[i]])
		if err != nil {
			errs.Addf(diag.Pos{File: names[i]}, "cannot minify: %v", err)
			return
		}
		res[i] = min
	})
	if err := errs.Err(); err != nil {
		return err
	}
	for i, n := range names {
		out.Files[n] = res[i]
	}
	return nil
}
