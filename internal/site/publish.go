package site

// Publishing is the last stage before Write for a site headed to a web
// server or CDN: it adds the files a host reads (sitemap.xml, robots.txt,
// _headers) and optionally minifies the pages; WriteWith then adds the
// precompressed siblings (WriteOptions.Precompress) on the way to disk.
// Asset minification happens earlier, in the Builder (Options.Minify),
// because an asset's fingerprint and SRI hash must be computed on the bytes
// that are served.
//
// Third-party libraries: github.com/tdewolff/minify/v2 (the standard Go
// minifier for HTML, CSS and JS; writing one is a project of its own),
// github.com/andybalholm/brotli (a pure-Go port of the reference brotli
// encoder; the standard library has no brotli) and
// github.com/klauspost/compress/gzip (a widely used, actively maintained
// drop-in for compress/gzip with the same API, whose output any gzip
// reader decodes). At its default level it compresses pages about 5 times
// faster than compress/gzip did at the level it replaced, for output 1%
// larger; see the table at gzipLevel.

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"fmt"
	"path"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/andybalholm/brotli/matchfinder"
	"github.com/klauspost/compress/gzip"
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
	names := make([]string, 0, len(out.Files))
	for n := range out.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, f := range hostFiles(names, opts) {
		out.Files[f.name] = f.data
	}
	return nil
}

// BuildTo builds the site once, for a CDN when pub is set, straight into
// dir: each page is written (minified, compressed) by the worker that
// rendered it, and dir is replaced in one rename at the end, or left as it
// was if anything fails. It is PublishOutput and WriteWith for a build
// that needs no copy of the site in memory.
func BuildTo(opts Options, dir string, wo WriteOptions, pub *PublishOptions) (*Output, error) {
	if wo.SiteDir == "" {
		wo.SiteDir = cmp.Or(opts.SiteDir, ".")
	}
	st, err := NewStage(dir, wo)
	if err != nil {
		return nil, err
	}
	opts.Emit = st.Put
	if pub != nil && pub.Minify {
		m := newMinifier()
		opts.Emit = func(name string, data []byte) error {
			if path.Ext(name) == ".html" {
				var err error
				if data, err = minifyPage(m, name, data); err != nil {
					return err
				}
			}
			return st.Put(name, data)
		}
	}
	out, err := NewBuilder(opts).Build()
	if err == nil && pub != nil {
		for _, f := range hostFiles(out.Names, *pub) {
			if err = st.Put(f.name, f.data); err != nil {
				break
			}
			out.Names = append(out.Names, f.name)
		}
		sort.Strings(out.Names)
	}
	if err != nil {
		st.Abort()
		return nil, err
	}
	return out, st.Commit()
}

type file struct {
	name string
	data []byte
}

// hostFiles are the files a host reads: sitemap.xml (with a base URL),
// robots.txt and _headers, each unless the site's files (names, sorted)
// already have it: the author's robots.txt or _headers wins.
func hostFiles(names []string, opts PublishOptions) []file {
	has := func(n string) bool {
		i := sort.SearchStrings(names, n)
		return i < len(names) && names[i] == n
	}
	var fs []file
	add := func(name string, data func() []byte) {
		if !has(name) {
			fs = append(fs, file{name, data()})
		}
	}
	base := basePath(opts.BaseURL)
	if opts.BaseURL != "" {
		add("sitemap.xml", func() []byte { return sitemap(opts.BaseURL, sitePages(names)) })
	}
	add("robots.txt", func() []byte { return robots(opts.BaseURL) })
	add("_headers", func() []byte {
		// _headers lists the host files added before it too.
		all := slices.Clone(names)
		for _, f := range fs {
			all = append(all, f.name)
		}
		return headers(base, all)
	})
	return fs
}

// sitePages lists the pages a crawler should know, sorted, as site paths
// in directory form ("", "academic/"). The 404 page and the search page
// have no content of their own.
func sitePages(names []string) []string {
	var pages []string
	for _, p := range names {
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
func headers(base string, names []string) []byte {
	var b strings.Builder
	b.WriteString("# Generated by guidebook for Netlify and Cloudflare Pages.\n")
	fmt.Fprintf(&b, "%s*\n", base)
	b.WriteString("  X-Content-Type-Options: nosniff\n")
	b.WriteString("  Referrer-Policy: strict-origin-when-cross-origin\n")
	b.WriteString("  Content-Security-Policy: " + contentSecurityPolicy + "\n")
	fmt.Fprintf(&b, "%sassets/*\n", base)
	b.WriteString("  Cache-Control: public, max-age=31536000, immutable\n")
	short := sitePages(names)
	hasSearch := false
	for _, p := range names {
		hasSearch = hasSearch || p == "search/index.html"
		// 404.html, sitemap.xml, robots.txt and the author's root files.
		if !strings.Contains(p, "/") && path.Ext(p) != ".html" && p != "_headers" || p == "404.html" {
			short = append(short, p)
		}
	}
	if hasSearch {
		short = append(short, "search/")
	}
	sort.Strings(short)
	for _, p := range short {
		fmt.Fprintf(&b, "%s%s\n  Cache-Control: public, max-age=0, must-revalidate\n", base, p)
	}
	return []byte(b.String())
}

// compressor holds one write worker's encoders, reused from file to file
// so that their windows, hash tables and buffers are allocated once per
// worker rather than once per file: a new brotli writer per file made
// brotli about 2.5 times slower (see the table at gzipLevel). The gzip
// header carries no name or time and Reset returns an encoder to the state
// of a new one, so the bytes depend only on the input, not on which worker
// compressed which file before (TestCompressorReuseIsDeterministic).
type compressor struct {
	gzLevel, brLevel int // gzipLevel and brotliLevel but in benchmarks

	buf bytes.Buffer
	gz  *gzip.Writer
	br  *matchfinder.Writer
}

// Compression levels for the precompressed siblings, chosen from
// BenchmarkPrecompress: the 238 text files of a minified 200-chapter book
// and the shipped guide, 12.2 MB (51 KB a file). MB/s is on one
// core of a shared 2-core VM, the fastest of 3 runs; output is the
// compressed total over the input total.
//
//	encoder                                   MB/s  output
//	compress/gzip 9, new writer (before)        26  25.01%
//	klauspost gzip 1, reused                   283  27.55%
//	klauspost gzip 5, reused                   169  25.40%
//	klauspost gzip 6, reused (gzipLevel)       158  25.28%
//	klauspost gzip 7, reused                    68  25.08%
//	klauspost gzip 9, reused                    42  24.85%
//	brotli q5, new writer, 4 MiB (before)       15  23.43%
//	brotli q5, new writer, window to size       18  23.43%
//	brotli q5, reused, 4 MiB window             26  23.43%
//	brotli q4, reused, window to size           51  24.72%
//	brotli q5, reused, window to size           41  23.43%  (until 2026-11-25)
//	brotli q6, reused, window to size           35  23.37%
//	brotli NewWriterV2 level 4, reused          79  24.32%  (brotliLevel)
//	brotli NewWriterV2 level 5, reused          43  24.02%
//	brotli NewWriterV2 level 6, reused          49  24.02%
//
// gzip 6 is the knee: 7 is 2.3 times slower for 0.2 points. A browser
// that takes gzip but not brotli is rare, so the .gz is a fallback and
// need not be the smallest. For brotli, the library's newer encoder
// (NewWriterV2, built on its matchfinder package) at level 4 is twice as
// fast as the classic encoder at quality 5 for 0.9 points larger files
// (3.8% more bytes served to brotli clients). Compression was 40% of a
// 1,000-chapter build, whose time is a target (issue #7), so level 4 it
// is; quality 5 was the knee of the classic encoder (6 saves 0.06 points
// for 15% more time, 4 costs 1.3 points). On the unminified 85 KB pages
// of a 1,000-chapter book, reused brotli 5 ran at 28 MB/s (a new writer
// per page: 11-14) and gzip 6 at 165 MB/s. Quality 11 runs at about
// 0.3 MB/s: a 1,000-chapter book would spend minutes compressing for a
// further ~13%.
const (
	gzipLevel   = 6
	brotliLevel = 4
)

func newCompressor() *compressor {
	return &compressor{gzLevel: gzipLevel, brLevel: brotliLevel}
}

// reset empties the buffer and makes room for n bytes, the most a copy
// worth keeping can take, so that it is not regrown while compressing.
func (c *compressor) reset(n int) {
	c.buf.Reset()
	c.buf.Grow(n)
}

// gzip compresses data into the compressor's buffer. The result is valid
// until the next call.
func (c *compressor) gzip(data []byte) ([]byte, error) {
	c.reset(len(data))
	if c.gz == nil {
		w, err := gzip.NewWriterLevel(&c.buf, c.gzLevel)
		if err != nil {
			return nil, err
		}
		c.gz = w
	} else {
		c.gz.Reset(&c.buf)
	}
	if _, err := c.gz.Write(data); err != nil {
		return nil, err
	}
	err := c.gz.Close()
	return c.buf.Bytes(), err
}

// brotli compresses data into the compressor's buffer. The result is valid
// until the next call.
func (c *compressor) brotli(data []byte) ([]byte, error) {
	c.reset(len(data))
	if c.br == nil {
		c.br = brotli.NewWriterV2(&c.buf, c.brLevel)
	} else {
		c.br.Reset(&c.buf)
	}
	if _, err := c.br.Write(data); err != nil {
		return nil, err
	}
	err := c.br.Close()
	return c.buf.Bytes(), err
}

// precompressible reports whether a file at path p with n bytes gets .gz
// and .br siblings.
func precompressible(p string, n int) bool {
	return compressible[path.Ext(p)] && n > compressMin
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
// minifyPage minifies the HTML page at name, reporting a failure there.
func minifyPage(m *minify.M, name string, data []byte) ([]byte, error) {
	min, err := m.Bytes("text/html", data)
	if err != nil {
		return nil, diag.Errorf(diag.Pos{File: name}, "cannot minify: %v", err)
	}
	return min, nil
}

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
	parallel(len(names), runtime.GOMAXPROCS(0), func(i int) {
		min, err := minifyPage(m, names[i], out.Files[names[i]])
		errs.Add(err)
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
