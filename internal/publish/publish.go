package publish

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/andybalholm/brotli/matchfinder"
	"github.com/klauspost/compress/gzip"
	"github.com/tdewolff/minify/v2"
	mincss "github.com/tdewolff/minify/v2/css"
	minhtml "github.com/tdewolff/minify/v2/html"
	minjs "github.com/tdewolff/minify/v2/js"
	minsvg "github.com/tdewolff/minify/v2/svg"

	"guidebook/internal/diag"
	"guidebook/internal/outdir"
	"guidebook/internal/output"
	"guidebook/internal/theme"
)

// Options say which publishing steps Wrap adds.
type Options struct {
	// BaseURL is the absolute URL the site is served at. With it, the
	// host files include sitemap.xml, named in robots.txt; _headers paths
	// start at its path.
	BaseURL string
	// Minify minifies every HTML page. Build with the theme's assets
	// minified too (MinifyAssets), so that the assets the pages reference
	// are minified and their fingerprints cover the served bytes.
	Minify bool
	// HostFiles adds sitemap.xml (with a base URL), robots.txt and
	// _headers unless the site has its own.
	HostFiles bool
	// Precompress writes NAME.gz and NAME.br beside each text file (HTML,
	// CSS, JS, XML, TXT, JSON, SVG) over compressMin bytes, for servers
	// that serve precompressed files (nginx gzip_static, Caddy
	// precompressed). A copy that is not smaller than its original is
	// left out; servers then fall back to the original.
	Precompress bool
	// Cache, when set, keeps each compressed copy between builds, keyed
	// by the hash of the bytes compressed and the compression settings.
	Cache Cache
}

// Cache is where the precompressor keeps compressed copies between
// builds (a *buildcache.Cache): Get misses rather than fail, and an Add
// may be dropped. A copy's bytes follow from its key (the hash of what
// it compresses, and how), so an entry there already is not written
// again.
type Cache interface {
	Get(key string) ([]byte, bool)
	Add(key string, data []byte)
}

// Wrap returns out behind the publishing steps opts ask for, in the order
// they must run: a page is minified, recorded for the host files (which
// list every page) and precompressed on its way to out. The result
// depends only on the files put and opts, so two builds of the same
// sources are byte-identical.
func Wrap(out output.Output, opts Options) output.Output {
	if opts.Precompress {
		out = precompress(out, opts.Cache)
	}
	if opts.HostFiles {
		out = HostFiles(out, opts.BaseURL)
	}
	if opts.Minify {
		out = MinifyPages(out)
	}
	return out
}

// Precompression settings. Files below compressMin gain little and cost a
// second request path on the server; a compressed copy that is not smaller
// than the original is dropped (servers fall back to the original).
const compressMin = 256

var compressible = map[string]bool{
	".html": true, ".css": true, ".js": true, ".xml": true, ".txt": true, ".json": true, ".svg": true,
}

// MinifyPages returns out behind a step that minifies every HTML page.
func MinifyPages(out output.Output) output.Output {
	return &minifying{Output: out, m: newMinifier()}
}

type minifying struct {
	output.Output
	m *minify.M
}

func (w *minifying) Put(name string, data []byte) error {
	if path.Ext(name) == ".html" {
		var err error
		if data, err = minifyPage(w.m, name, data); err != nil {
			return err
		}
	}
	return w.Output.Put(name, data)
}

// Keep passes on what it does not minify: a page kept would be the
// minified bytes, which the caller's sum does not describe.
func (w *minifying) Keep(name string, sum outdir.Sum, size int64) (bool, error) {
	if path.Ext(name) == ".html" {
		return false, nil
	}
	return output.Keep(w.Output, name, sum, size)
}

// Finish passes the call on: a step must not hide its Output's Finish.
func (w *minifying) Finish() error { return finish(w.Output) }

// CopiesOnPut passes the question on: a page it minifies is new bytes,
// and any other file goes down as it is (output.Copier).
func (w *minifying) CopiesOnPut() bool { return output.CopiesOnPut(w.Output) }

// CopiesOnPut passes the question on: it keeps only the names.
func (h *hosting) CopiesOnPut() bool { return output.CopiesOnPut(h.Output) }

// CopiesOnPut passes the question on: the copies are made from the bytes
// before Put returns.
func (p *precompressing) CopiesOnPut() bool { return output.CopiesOnPut(p.Output) }

func finish(o output.Output) error {
	if f, ok := o.(output.Finisher); ok {
		return f.Finish()
	}
	return nil
}

// HostFiles returns out behind a step that, on Commit, adds the files a
// host reads (see hostFiles) for every file put.
func HostFiles(out output.Output, baseURL string) output.Output {
	return &hosting{Output: out, baseURL: baseURL}
}

type hosting struct {
	output.Output
	baseURL string

	mu    sync.Mutex
	names []string
	added bool
}

func (h *hosting) Put(name string, data []byte) error {
	h.mu.Lock()
	h.names = append(h.names, name)
	h.mu.Unlock()
	return h.Output.Put(name, data)
}

// Keep passes the file on, and lists it when kept.
func (h *hosting) Keep(name string, sum outdir.Sum, size int64) (bool, error) {
	kept, err := output.Keep(h.Output, name, sum, size)
	if kept {
		h.mu.Lock()
		h.names = append(h.names, name)
		h.mu.Unlock()
	}
	return kept, err
}

// Finish adds the host files, once.
func (h *hosting) Finish() error {
	if !h.added {
		h.added = true
		sort.Strings(h.names)
		for _, f := range hostFiles(h.names, h.baseURL) {
			if err := h.Output.Put(f.name, f.data); err != nil {
				return err
			}
		}
	}
	return finish(h.Output)
}

func (h *hosting) Commit() error {
	if err := h.Finish(); err != nil {
		h.Output.Abort()
		return err
	}
	return h.Output.Commit()
}

// Precompress returns out behind a step that puts the .gz and .br
// siblings of every text file worth compressing beside it. Compressed
// copies are made by the worker that put the file and go straight on, so
// they are never all in memory at once. An author's own NAME.gz wins, as
// their robots.txt does: a sibling is never put over a file put before,
// and one put after replaces the sibling.
func Precompress(out output.Output) output.Output { return precompress(out, nil) }

func precompress(out output.Output, cache Cache) output.Output {
	n := runtime.GOMAXPROCS(0)
	p := &precompressing{Output: out, comps: make(chan *compressor, n), put: map[string]bool{}, cache: cache}
	for range n {
		p.comps <- newCompressor()
	}
	return p
}

type precompressing struct {
	output.Output
	comps chan *compressor // one per CPU: compression is CPU-bound
	cache Cache

	mu  sync.Mutex
	put map[string]bool
}

func (p *precompressing) Put(name string, data []byte) error {
	p.mu.Lock()
	p.put[name] = true
	p.mu.Unlock()
	if err := p.Output.Put(name, data); err != nil {
		return err
	}
	if !Precompressible(name, len(data)) {
		return nil
	}
	todo, err := p.reuse(name)
	if err != nil || len(todo) == 0 {
		return err
	}
	exts, key := todo, ""
	if p.cache != nil {
		// One entry holds both copies of data, made together: a build
		// writes half as many entries, and a build into a new folder
		// reads half as many.
		key = copiesKey(data)
		if entry, ok := p.cache.Get(key); ok {
			if copies, ok := splitCopies(entry); ok {
				return p.putSiblings(name, data, todo, copies)
			}
		}
		exts = []string{".gz", ".br"}
	}
	made, err := p.makeCopies(data, exts)
	if err != nil {
		return fmt.Errorf("compressing %s: %w", name, err)
	}
	copies := map[string][]byte{}
	for i, ext := range exts {
		copies[ext] = made[i]
	}
	if p.cache != nil {
		p.cache.Add(key, joinCopies(copies))
	}
	return p.putSiblings(name, data, todo, copies)
}

// splitMin is the size from which a file's two copies are made at once
// when a compressor is idle.
const splitMin = 64 << 10

// makeCopies compresses data into each of exts (".gz", ".br"). A large
// file alone (a search index part after an edit) is the last thing a
// small rebuild waits for: when a second compressor is idle, the two
// copies are made at once.
func (p *precompressing) makeCopies(data []byte, exts []string) ([][]byte, error) {
	out, errs := make([][]byte, len(exts)), make([]error, len(exts))
	c := <-p.comps
	defer func() { p.comps <- c }()
	if len(exts) == 2 && len(data) >= splitMin {
		select {
		case c2 := <-p.comps:
			defer func() { p.comps <- c2 }()
			done := make(chan struct{})
			go func() { out[0], errs[0] = c2.copy(exts[0], data); close(done) }()
			out[1], errs[1] = c.copy(exts[1], data)
			<-done
			return out, errors.Join(errs...)
		default:
		}
	}
	for i, ext := range exts {
		if out[i], errs[i] = c.copy(ext, data); errs[i] != nil {
			return nil, errs[i]
		}
	}
	return out, nil
}

// putSiblings puts the copies of name's data that todo lists, each unless
// it is not smaller than data.
func (p *precompressing) putSiblings(name string, data []byte, todo []string, copies map[string][]byte) error {
	for _, ext := range todo {
		if z := copies[ext]; len(z) < len(data) {
			if err := p.putSibling(name, ext, z); err != nil {
				return err
			}
		}
	}
	return nil
}

// copiesKey keys the cache entry of data's compressed copies: the hash of
// the bytes compressed and the compression settings.
func copiesKey(data []byte) string {
	h := sha256.Sum256(data)
	return fmt.Sprintf("compressed copies\x00gzip %d brotli %d\x00%x", gzipLevel, brotliLevel, h[:])
}

// joinCopies is the cache entry of a file's two copies: the .gz's length,
// the .gz, the .br.
func joinCopies(copies map[string][]byte) []byte {
	gz, br := copies[".gz"], copies[".br"]
	out := binary.AppendUvarint(make([]byte, 0, binary.MaxVarintLen64+len(gz)+len(br)), uint64(len(gz)))
	return append(append(out, gz...), br...)
}

// splitCopies reads what joinCopies wrote.
func splitCopies(entry []byte) (map[string][]byte, bool) {
	n, k := binary.Uvarint(entry)
	if k <= 0 || n > uint64(len(entry)-k) {
		return nil, false
	}
	rest := entry[k:]
	return map[string][]byte{".gz": rest[:n], ".br": rest[n:]}, true
}

// Keep keeps name, and reports that it did only if its compressed
// siblings could be kept too: otherwise the caller puts the file, whose
// bytes the siblings are made from.
func (p *precompressing) Keep(name string, sum outdir.Sum, size int64) (bool, error) {
	kept, err := output.Keep(p.Output, name, sum, size)
	if !kept || err != nil {
		return false, err
	}
	if Precompressible(name, int(size)) {
		todo, err := p.reuse(name)
		if err != nil || len(todo) > 0 {
			return false, err
		}
	}
	p.mu.Lock()
	p.put[name] = true
	p.mu.Unlock()
	return true, nil
}

// reuse lists the siblings of name still to be made: not the author's
// own (put before), and not taken, untouched, from the output's previous
// contents where they were made the same way from the same bytes
// (output.Reuser).
func (p *precompressing) reuse(name string) ([]string, error) {
	r, _ := p.Output.(output.Reuser)
	var todo []string
	for _, ext := range []string{".gz", ".br"} {
		p.mu.Lock()
		own := p.put[name+ext]
		p.mu.Unlock()
		if own {
			continue
		}
		if r != nil {
			done, err := r.Reuse(name+ext, name, compressedVia()[ext])
			if err != nil {
				return nil, err
			}
			if done {
				continue
			}
		}
		todo = append(todo, ext)
	}
	return todo, nil
}

// putSibling puts name's compressed sibling, saying how it was made when
// the output can reuse it next time.
func (p *precompressing) putSibling(name, ext string, z []byte) error {
	if r, ok := p.Output.(output.Reuser); ok {
		return r.PutMade(name+ext, name, compressedVia()[ext], z)
	}
	return p.Output.Put(name+ext, z)
}

func (p *precompressing) Finish() error { return finish(p.Output) }

type file struct {
	name string
	data []byte
}

// hostFiles are the files a host reads: sitemap.xml (with a base URL),
// robots.txt and _headers, each unless the site's files (names, sorted)
// already have it: the author's robots.txt or _headers wins.
func hostFiles(names []string, baseURL string) []file {
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
	base := BasePath(baseURL)
	if baseURL != "" {
		add("sitemap.xml", func() []byte { return sitemap(baseURL, sitePages(names)) })
	}
	add("robots.txt", func() []byte { return robots(baseURL) })
	add("_headers", func() []byte { return headers(base) })
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
		xml.EscapeText(&b, []byte(AbsURL(baseURL, p)))
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
		s += "Sitemap: " + AbsURL(baseURL, "sitemap.xml") + "\n"
	}
	return []byte(s)
}

// ContentSecurityPolicy allows the site's own files only. The templates
// have no inline scripts, styles or event attributes, and scripts set
// styles through the CSSOM, which style-src does not govern; data: images
// stay allowed for authors' inline SVG icons in CSS.
const ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"

// securityHeaders are the headers every response carries.
var securityHeaders = [][2]string{
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "strict-origin-when-cross-origin"},
	{"Content-Security-Policy", ContentSecurityPolicy},
}

// The Cache-Control of the fingerprinted assets (a changed asset has a
// new name, so a copy may be kept forever), and of everything else: the
// default Netlify and Cloudflare Pages both document, which a server
// without one (nginx) must send itself.
const (
	AssetCacheControl = "public, max-age=31536000, immutable"
	PageCacheControl  = "public, max-age=0, must-revalidate"
)

// headers writes a Netlify / Cloudflare Pages _headers file: the security
// headers for every path, the long cache for assets/. Both hosts merge the
// headers of every rule a path matches, joining repeated names with
// commas, so Cache-Control is set by one rule only. Pages are not listed
// one by one: Cloudflare takes at most 100 rules, fewer than a large
// book's pages, and the host's default is the pages' rule already.
func headers(base string) []byte {
	var b strings.Builder
	b.WriteString("# Generated by guidebook for Netlify and Cloudflare Pages.\n")
	fmt.Fprintf(&b, "%s*\n", base)
	for _, h := range securityHeaders {
		fmt.Fprintf(&b, "  %s: %s\n", h[0], h[1])
	}
	fmt.Fprintf(&b, "%sassets/*\n", base)
	fmt.Fprintf(&b, "  Cache-Control: %s\n", AssetCacheControl)
	b.WriteString("# Every other path keeps the host's default cache rule (" + PageCacheControl + ").\n")
	return []byte(b.String())
}

// compressor holds one write worker's encoders, reused from file to file
// so that their windows, hash tables and buffers are allocated once per
// worker rather than once per file: a new brotli writer per file made
// brotli several times slower (bench/README.md). The gzip
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
// BenchmarkPrecompressLevels (bench/README.md, "Cold build and memory
// (#17)"): on a plain build's pages and search index, gzip 5 and brotli
// level 3 (NewWriterV2's ZM matchfinder) cost much less CPU than gzip 6
// and level 4 for copies a percent or two larger, and compression was the
// largest part of a build. A browser that takes gzip but not brotli is
// rare, so the .gz is a fallback and need not be the smallest.
const (
	gzipLevel   = 5
	brotliLevel = 3
)

// compressedVia names how each sibling is made, for output.Reuser: a
// sibling from a previous build is reused only when made the same way.
// The names hold the levels and library versions, and the hash of what
// the build's compressor makes of a probe text, so that a change to the
// encoding code (an option, a header field) that the names miss still
// changes them. Anything that changes the compressed bytes must change
// these names.
var compressedVia = sync.OnceValue(func() map[string]string {
	probe := []byte(strings.Repeat("<p>Insulin sensitivity, glucose and the liver.</p>\n", 64))
	c := newCompressor()
	sum := func(f func([]byte) ([]byte, error)) string {
		z, err := f(probe)
		if err != nil {
			return "unknown"
		}
		return fmt.Sprintf("%x", sha256.Sum256(z))[:16]
	}
	return map[string]string{
		".gz": fmt.Sprintf("gzip level %d (%s, probe %s)", c.gzLevel, moduleVersion("github.com/klauspost/compress"), sum(c.gzip)),
		".br": fmt.Sprintf("brotli matchfinder level %d (%s, probe %s)", c.brLevel, moduleVersion("github.com/andybalholm/brotli"), sum(c.brotli)),
	}
})

// moduleVersion is path@version of a module the binary was built with.
func moduleVersion(path string) string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, m := range info.Deps {
			if m.Path == path {
				if m.Replace != nil {
					m = m.Replace
				}
				return m.Path + "@" + m.Version
			}
		}
	}
	return path + "@unknown"
}

func newCompressor() *compressor {
	return &compressor{gzLevel: gzipLevel, brLevel: brotliLevel}
}

// reset empties the buffer and makes room for n bytes, the most a copy
// worth keeping can take, so that it is not regrown while compressing.
func (c *compressor) reset(n int) {
	c.buf.Reset()
	c.buf.Grow(n)
}

// copy returns data compressed for ext (".gz" or ".br"), in a slice of
// its own.
func (c *compressor) copy(ext string, data []byte) ([]byte, error) {
	f := c.gzip
	if ext == ".br" {
		f = c.brotli
	}
	z, err := f(data)
	if err != nil {
		return nil, err
	}
	// The compressor reuses its buffer; the Output owns what it is given.
	return bytes.Clone(z), nil
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

// Precompressible reports whether a file at path p with n bytes gets .gz
// and .br siblings (each kept only when smaller than the file).
func Precompressible(p string, n int) bool {
	return Compressible(p) && n > compressMin
}

// Compressible reports whether files of p's type get compressed siblings
// when large enough.
func Compressible(p string) bool { return compressible[path.Ext(p)] }

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

// MinifyAssets replaces each CSS, JS and SVG asset with its minified form.
// Re-adding an asset recomputes its fingerprinted name and SRI hash, so
// the pages rendered afterwards reference the minified bytes.
func MinifyAssets(a *theme.Assets) error {
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

// minifyPage minifies the HTML page at name, reporting a failure there.
func minifyPage(m *minify.M, name string, data []byte) ([]byte, error) {
	min, err := m.Bytes("text/html", data)
	if err != nil {
		return nil, diag.Errorf(diag.Pos{File: name}, "cannot minify: %v", err)
	}
	return min, nil
}

// AbsURL joins the base URL and a site path; "" without a base URL.
func AbsURL(base, p string) string {
	if base == "" {
		return ""
	}
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	u.Path = path.Join("/", u.Path, p)
	if strings.HasSuffix(p, "/") || p == "" {
		u.Path = strings.TrimSuffix(u.Path, "/") + "/"
	}
	return u.String()
}

// BasePath is the path of the base URL, "/" without one.
func BasePath(baseURL string) string {
	if baseURL == "" {
		return "/"
	}
	u := AbsURL(baseURL, "")
	if i := strings.Index(u, "://"); i >= 0 {
		if j := strings.Index(u[i+3:], "/"); j >= 0 {
			return u[i+3+j:]
		}
	}
	return "/"
}
