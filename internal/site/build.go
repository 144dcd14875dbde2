package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"html/template"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"

	"guidebook/internal/cite"
	"guidebook/internal/content"
	"guidebook/internal/diag"
	"guidebook/internal/glossary"
	"guidebook/internal/markup"
	"guidebook/internal/render"
	"guidebook/internal/srcfile"
	"guidebook/internal/widgets"
	"guidebook/internal/xref"
)

// Version is guidebook's version, shown by `guidebook version` and in the
// generator meta tag.
var Version = "0.1.0"

// Mode is what the output is for.
type Mode int

const (
	// Publish is for a web server or CDN: directory URLs, fingerprinted
	// assets with SRI, sitemap.
	Publish Mode = iota
	// Export is for reading from disk (file://): explicit index.html URLs,
	// no integrity attributes, no absolute URLs.
	Export
	// Serve is watch mode: directory URLs, stable asset names so a
	// stylesheet can be swapped in place.
	Serve
)

// Options configure a Builder.
type Options struct {
	SiteDir    string // holds content/, templates/, assets/
	ContentDir string // default SiteDir/content
	BaseURL    string // absolute URL the site is published at, for canonical links and the sitemap
	Mode       Mode
	Head       template.HTML // extra markup for every page's <head> (live reload)
	Workers    int           // default GOMAXPROCS
	Minify     bool          // minify CSS, JS and SVG assets before fingerprinting (PublishOutput minifies pages)

	// Emit, when set, receives every output file as soon as it is made,
	// from the page workers (so it must be safe for concurrent use),
	// instead of Output.Files; Output.Names lists them. A one-shot build
	// passes a Stage's Put: pages are written while others render, and
	// none is held in memory for long. Such a Builder builds once: it
	// keeps no parsed trees, bodies or pages for a next build. data is
	// only valid during the call.
	Emit func(name string, data []byte) error
}

// Output is a built site held in memory.
type Output struct {
	Files    map[string][]byte // slash-separated path relative to the site root
	Names    []string          // with Options.Emit: the files emitted, sorted
	Static   []string          // the files copied from content/ as they are, sorted
	External []string          // external link targets, sorted, deduplicated
	Stats    Stats
	Changed  []string // pages re-rendered by this build (watch mode reports them)

	mu sync.Mutex // guards what add writes: the page workers call it
}

// Stats summarise a build for the one-line report.
type Stats struct {
	Chapters, Pages, Terms, Citations, Parsed int
	Duration                                  time.Duration
}

func (s Stats) String() string {
	return fmt.Sprintf("%d pages (%d chapters), %d glossary terms, %d citations in %s",
		s.Pages, s.Chapters, s.Terms, s.Citations, s.Duration.Round(time.Millisecond))
}

// Builder builds a site and remembers enough to rebuild it quickly.
type Builder struct {
	opts Options

	loader   *content.Loader // re-reads only changed source files
	tmpl     *render.Templates
	assets   *render.Assets
	siteKey  string // hash of templates and assets: a change re-renders every page
	tmplKey  string // hash of templates alone: widgets render through them
	mdKey    string // glossary, bibliography, widget templates: a change re-parses every chapter
	md       goldmark.Markdown
	chapters map[string]*chapterState
	pages    map[string]pageCache

	// The glossary's matcher and the bibliography are built again only
	// when their sources change: building the Aho–Corasick automaton was
	// 80% of a one-chapter rebuild of the shipped guide.
	gl     *glossary.Glossary
	glKey  string
	bib    *cite.Bibliography
	bibSrc []cite.Entry
	search searchCache

	built bool // with Options.Emit, a second Build is refused
}

type chapterState struct {
	src     []byte // the chapter's source, compared to decide whether to re-parse
	srcHash string
	parsed  *markup.Parsed
	target  *xref.Target  // the chapter's anchors, for resolving links to it
	errs    []*diag.Error // parse problems: same source, same problems
	cites   int           // citation occurrences, for the build summary
	body    template.HTML // rendered once; a string, so pages share it without copying
	bodyKey string        // the link destinations the body was rendered with
	// bodyHash identifies the rendered body: a page must render again when
	// its body changed without its source (a glossary definition or a
	// reference shown in a tooltip, a link target that moved).
	bodyHash string
	search   []byte // the chapter's search index entries, JSON, each followed by a comma

	// What the pages need of the parse, kept apart from the parser
	// context, which (through the blocks it last had open) holds the
	// whole tree.
	widgets []string       // widgets used, for their scripts and styles
	uses    []glossary.Use // first uses of terms, for the glossary's back-links
	cited   []*cite.Entry  // works cited, for the references' back-links
}

// release drops what only a next build would reuse: the parsed tree
// (kept alive by the headings' and links' nodes and the parser context
// too) is most of a chapter's memory once its body is rendered.
func (st *chapterState) release() {
	st.parsed.Doc, st.parsed.Context = nil, nil
	for i := range st.parsed.Links.Headings {
		st.parsed.Links.Headings[i].Node = nil
	}
	st.parsed.Links.Refs = nil
	st.src = nil
}

// paths maps every generated file, and every directory holding one, to
// that file: a static file may take neither place.
func (o *Output) paths() map[string]string {
	m := map[string]string{}
	add := func(name string) {
		m[name] = name
		for d := path.Dir(name); d != "."; d = path.Dir(d) {
			if _, ok := m[d]; ok {
				break
			}
			m[d] = name
		}
	}
	for name := range o.Files {
		add(name)
	}
	for _, name := range o.Names {
		add(name)
	}
	return m
}

// staticClash names the generated file a static file at rel would
// replace, stand in the directory of, or hold in its own directory.
func staticClash(generated map[string]string, rel string) string {
	if g, ok := generated[rel]; ok {
		return g
	}
	for d := path.Dir(rel); d != "."; d = path.Dir(d) {
		if g, ok := generated[d]; ok && g == d {
			return g
		}
	}
	return ""
}

// add puts a file in the output: through emit when there is one, else in
// Files. It is called from the page workers.
func (o *Output) add(emit func(string, []byte) error, name string, data []byte) error {
	if emit == nil {
		o.mu.Lock()
		o.Files[name] = data
		o.mu.Unlock()
		return nil
	}
	o.mu.Lock()
	o.Names = append(o.Names, name)
	o.mu.Unlock()
	if err := emit(name, data); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}

type pageCache struct {
	key  string
	data []byte
	uses []string // the assets the page links
}

// NewBuilder returns a Builder; nothing is read until Build.
func NewBuilder(opts Options) *Builder {
	if opts.ContentDir == "" {
		opts.ContentDir = filepath.Join(opts.SiteDir, "content")
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	return &Builder{opts: opts, loader: &content.Loader{Site: opts.SiteDir}, chapters: map[string]*chapterState{}, pages: map[string]pageCache{}}
}

// InvalidateTheme makes the next Build re-read templates and assets (watch
// mode calls it when a file under templates/ or assets/ changes).
func (b *Builder) InvalidateTheme() { b.tmpl, b.assets = nil, nil }

func (b *Builder) linker() xref.Linker { return xref.Linker{Pretty: b.opts.Mode != Export} }

// Build runs the whole pipeline. On any problem it returns a *diag.List and
// no output. Positions name files as the author reaches them from the
// working directory ("content/academic.md:12:3").
func (b *Builder) Build() (*Output, error) {
	if b.opts.Emit != nil {
		if b.built {
			return nil, errors.New("site: a Builder with Emit builds once")
		}
		b.built = true
	}
	if err := contentDirMissing(b.opts.ContentDir); err != nil {
		return nil, err
	}
	out, err := b.build()
	if err != nil {
		return nil, b.relocate(err)
	}
	return out, nil
}

// relocate names the files of a build's problems as the author reaches
// them: problems in chapters are found in the book's terms; templates and
// assets are named relative to the site directory.
func (b *Builder) relocate(err error) error {
	var content, theme diag.List
	var all diag.List
	all.Add(err)
	for _, e := range all.Errors() {
		if strings.HasPrefix(e.Pos.File, "templates/") || strings.HasPrefix(e.Pos.File, "assets/") {
			theme.Add(e)
		} else {
			content.Add(e)
		}
	}
	var res diag.List
	res.Add(diag.Relocate(content.Err(), diag.DisplayDir(b.opts.ContentDir)))
	res.Add(diag.Relocate(theme.Err(), diag.DisplayDir(b.opts.SiteDir)))
	return res.Err()
}

// contentDirMissing names a missing content folder the way the author
// reaches it, with the usual cause: running guidebook in the wrong folder.
func contentDirMissing(dir string) error {
	info, err := os.Stat(dir)
	switch {
	case err == nil && info.IsDir():
		return nil
	case err == nil:
		return diag.Errorf(diag.Pos{File: diag.DisplayDir(dir)}, "not a folder: the chapters go in a content/ folder")
	case !errors.Is(err, os.ErrNotExist):
		return nil // the loader reports what it cannot read
	}
	where := "here"
	if site := diag.DisplayDir(filepath.Dir(dir)); site != "." {
		where = "in " + site
	}
	return diag.Errorf(diag.Pos{File: diag.DisplayDir(dir)}, "no such folder: no content/ folder %s; pass --src DIR naming the folder that holds content/", where)
}

func (b *Builder) build() (*Output, error) {
	start := time.Now()
	// The theme does not depend on the book: it loads while the chapters
	// do, and a broken template is reported in the same run as broken
	// chapters.
	themeErr := make(chan error, 1)
	go func() { themeErr <- b.loadTheme() }()
	book, err := b.loader.Load(b.opts.ContentDir)
	var errs diag.List
	errs.Add(err)
	errs.Add(<-themeErr)
	if errs.Len() > 0 {
		return nil, errs.Err()
	}
	// Building the glossary's automaton is the longest of the two.
	var bib *cite.Bibliography
	bibErr := make(chan error, 1)
	go func() {
		var err error
		bib, err = b.bibliography(book.References)
		bibErr <- err
	}()
	gl, err := b.glossary(book.Terms)
	errs.Add(err)
	errs.Add(<-bibErr)
	style, err := cite.ParseStyle(book.CitationStyle)
	errs.Add(err)
	if errs.Len() > 0 {
		return nil, errs.Err()
	}

	lk := b.linker()
	mdKey := hashStrings(gl.Version(), bib.Version(), book.CitationStyle, fmt.Sprint(book.Unsafe, b.opts.Mode), b.tmplKey)
	if mdKey != b.mdKey || b.md == nil {
		b.mdKey = mdKey
		b.chapters = map[string]*chapterState{}
		b.md = markup.New(markup.Options{
			Glossary: gl,
			GlossaryHref: func(t *glossary.Term) string {
				// Every chapter page sits one directory below the root.
				return lk.Rel("x/", "glossary/") + "#" + t.ID
			},
			Bibliography: bib,
			CiteStyle:    style,
			Widgets:      &widgets.Extender{Registry: widgets.NewRegistry(b.tmpl.Set), CiteStyle: style},
			Unsafe:       book.Unsafe,
		})
	}

	// Parse: only chapters whose source changed.
	states := make([]*chapterState, len(book.Chapters))
	var todo []int
	seen := map[string]bool{}
	for i, ch := range book.Chapters {
		seen[ch.File] = true
		// An unchanged chapter from the Loader shares its bytes with the
		// last build, so this is a pointer comparison.
		if st, ok := b.chapters[ch.File]; ok && bytes.Equal(st.src, ch.Source) {
			states[i] = st
			continue
		}
		states[i] = &chapterState{src: ch.Source}
		if b.opts.Emit == nil { // the hashes key caches a one-shot build does not keep
			states[i].srcHash = hashBytes(ch.Source)
		}
		b.chapters[ch.File] = states[i]
		todo = append(todo, i)
	}
	for f := range b.chapters {
		if !seen[f] {
			delete(b.chapters, f)
		}
	}
	parse := func(i int) {
		ch, st := book.Chapters[i], states[i]
		var l diag.List
		st.parsed = markup.Parse(b.md, &diag.Source{File: ch.File, Src: ch.Source, List: &l}, ch.Citations)
		st.errs = l.Errors()
		st.cites = countKind(st.parsed.Doc, cite.KindCitation)
		pc := st.parsed.Context
		st.widgets, st.uses, st.cited = widgets.Used(pc), glossary.Uses(pc), cite.Cited(pc)
		st.target = chapterTarget(ch, st)
		st.search = nil
		st.body, st.bodyKey, st.bodyHash = "", "", ""
	}

	// Cross-links resolve against every chapter's anchors.
	targets := make([]*xref.Target, len(book.Chapters))
	glossaryTarget := &xref.Target{ID: "glossary", Dir: "glossary/", Title: "Glossary", Anchors: map[string]bool{}}
	for _, t := range gl.Terms() {
		glossaryTarget.Anchors[t.ID] = true
	}
	refsTarget := &xref.Target{ID: "references", Dir: "references/", Title: "References", Anchors: map[string]bool{}}
	for _, e := range bib.Entries() {
		refsTarget.Anchors[cite.RefID(e.Key)] = true
	}
	homeTarget := &xref.Target{ID: "index", Dir: "", Title: book.Title, Anchors: map[string]bool{}}
	index := func() *xref.Index {
		all := append(append([]*xref.Target{}, targets...), glossaryTarget, refsTarget, homeTarget)
		return xref.NewIndex(all, book.Static, lk)
	}
	var external []string
	var extMu sync.Mutex
	resolve := func(ix *xref.Index, i int) {
		ch := book.Chapters[i]
		src := &diag.Source{File: ch.File, Src: ch.Source, List: &errs}
		ext := ix.Resolve(targets[i], states[i].parsed.Links, src)
		extMu.Lock()
		external = append(external, ext...)
		extMu.Unlock()
	}

	// Render chapter bodies whose source or link targets changed.
	out := &Output{Files: map[string][]byte{}}
	var pg *pager // set when chapter pages render in the chapter loop
	var renderErrs diag.List
	// renderBody reports whether the chapter has a body to show.
	renderBody := func(i int) bool {
		st := states[i]
		var key string
		if b.opts.Emit == nil {
			key = linkKey(st.parsed, book.Chapters[i].Source)
			if st.bodyKey == key {
				return true
			}
		}
		buf := bodyBuffers.Get().(*bytes.Buffer)
		defer bodyBuffers.Put(buf)
		buf.Reset()
		if err := b.md.Renderer().Render(buf, book.Chapters[i].Source, st.parsed.Doc); err != nil {
			renderErrs.Addf(diag.Pos{File: book.Chapters[i].File}, "render: %v", err)
			return false
		}
		st.body, st.bodyKey = template.HTML(buf.String()), key
		if b.opts.Emit == nil {
			st.bodyHash = hashBytes(buf.Bytes())
		}
		st.search = searchJSON(searchDocs(book.Chapters[i], st.parsed, lk))
		return true
	}

	if b.opts.Emit != nil {
		// A one-shot build parses, resolves and renders each chapter in
		// one go and releases its tree at once, checking link fragments
		// when every chapter is parsed: holding every tree until the
		// last chapter was parsed made the heap (and the page faults of
		// growing it) half as large again.
		for i, ch := range book.Chapters {
			targets[i] = &xref.Target{ID: ch.ID, File: ch.File, Dir: ch.ID + "/", Title: ch.Title}
		}
		ix := index()
		ix.DeferFragments()
		if b.opts.Mode == Export {
			// An export's pages name the search manifest by a fixed
			// path, so each chapter's page is written from the loop too
			// and its body is never kept. (A published page names the
			// manifest by its hash, known once every chapter is done.)
			b.assets.Add(searchManifest, nil)
			pg = b.newPager(book, states, out)
		}
		parallel(len(book.Chapters), b.opts.Workers, func(i int) {
			parse(i)
			targets[i].Anchors = states[i].target.Anchors
			resolve(ix, i)
			if len(states[i].errs) == 0 && renderBody(i) && pg != nil {
				pg.chapter(i)
			}
			states[i].release()
		})
		ix.CheckFragments()
	} else {
		parallel(len(todo), b.opts.Workers, func(k int) { parse(todo[k]) })
		for i := range book.Chapters {
			targets[i] = states[i].target
		}
		ix := index()
		parallel(len(book.Chapters), b.opts.Workers, func(i int) { resolve(ix, i) })
	}
	for _, st := range states {
		for _, e := range st.errs {
			errs.Add(e)
		}
	}
	if errs.Len() > 0 {
		return nil, errs.Err()
	}
	if b.opts.Emit == nil {
		parallel(len(book.Chapters), b.opts.Workers, func(i int) { renderBody(i) })
	}
	if err := renderErrs.Err(); err != nil {
		return nil, err
	}

	pages, err := b.renderPages(book, gl, bib, states, out, pg)
	if err != nil {
		return nil, err
	}
	// Static files come after every page: Stage lets an author's own
	// NAME.gz replace the compressed sibling of NAME written earlier.
	var generated map[string]string
	if len(book.Static) > 0 {
		generated = out.paths()
	}
	for _, rel := range book.Static {
		data, err := book.ReadStatic(rel)
		if err != nil {
			errs.Add(err)
			continue
		}
		if clash := staticClash(generated, rel); clash != "" {
			errs.Addf(diag.Pos{File: rel}, "file clashes with the generated %s", clash)
			continue
		}
		if err := out.add(b.opts.Emit, rel, data); err != nil {
			errs.Addf(diag.Pos{File: rel}, "%v", err)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	out.Static = book.Static
	sort.Strings(external)
	out.External = dedup(external)
	sort.Strings(out.Names)
	out.Stats = Stats{
		Chapters: len(book.Chapters), Pages: pages, Terms: len(gl.Terms()),
		Citations: citationCount(states), Parsed: len(todo), Duration: time.Since(start),
	}
	return out, nil
}

// glossary returns the book's glossary, reusing the last one when the
// terms are the same.
func (b *Builder) glossary(terms []glossary.Term) (*glossary.Glossary, error) {
	key := hashStrings(fmt.Sprintf("%#v", terms))
	if b.gl != nil && key == b.glKey {
		return b.gl, nil
	}
	gl, err := glossary.New(terms)
	if err == nil {
		b.gl, b.glKey = gl, key
	}
	return gl, err
}

// bibliography returns the book's bibliography, reusing the last one when
// the Loader handed back the same entries (it does when the references
// file did not change).
func (b *Builder) bibliography(entries []cite.Entry) (*cite.Bibliography, error) {
	if b.bib != nil && len(entries) == len(b.bibSrc) && (len(entries) == 0 || &entries[0] == &b.bibSrc[0]) {
		return b.bib, nil
	}
	bib, err := cite.NewBibliography(entries)
	if err == nil {
		b.bib, b.bibSrc = bib, entries
	}
	return bib, err
}

func (b *Builder) loadTheme() error {
	if b.tmpl != nil && b.assets != nil {
		return nil
	}
	// Both are read before either problem is returned, so that one run
	// reports them all.
	tmpl, err := render.LoadTemplates(b.opts.SiteDir)
	assets, assetsErr := render.LoadAssets(b.opts.SiteDir, b.opts.Mode == Publish)
	if err != nil || assetsErr != nil {
		var errs diag.List
		errs.Add(err)
		errs.Add(assetsErr)
		return errs.Err()
	}
	css, err := render.ChromaCSS()
	if err != nil {
		return err
	}
	assets.Add("css/chroma.css", css)
	if b.opts.Minify {
		if err := minifyAssets(assets); err != nil {
			return err
		}
	}
	h := sha256.New()
	for _, n := range tmplNames(tmpl) {
		fmt.Fprintln(h, n, tmpl.Sources[n])
	}
	siteDirTemplates(h, b.opts.SiteDir)
	b.tmplKey = hex.EncodeToString(h.Sum(nil))
	for _, a := range assets.All() {
		fmt.Fprintln(h, a.Path, len(a.Data))
		h.Write(a.Data)
	}
	b.tmpl, b.assets, b.siteKey = tmpl, assets, hex.EncodeToString(h.Sum(nil))
	b.pages = map[string]pageCache{}
	return nil
}

func chapterTarget(ch *content.Chapter, st *chapterState) *xref.Target {
	t := &xref.Target{ID: ch.ID, File: ch.File, Dir: ch.ID + "/", Title: ch.Title, Anchors: map[string]bool{}}
	for _, h := range st.parsed.Links.Headings {
		t.Anchors[h.ID] = true
	}
	for _, e := range st.cited {
		t.Anchors[cite.RefID(e.Key)] = true
	}
	for _, u := range st.uses {
		t.Anchors["gb-use-"+u.Term.ID] = true
	}
	return t
}

// linkKey summarises what resolution wrote into a chapter's tree, so a
// body is re-rendered when a link target moved even if its source did not.
func linkKey(p *markup.Parsed, src []byte) string {
	h := sha256.New()
	for _, r := range p.Links.Refs {
		switch n := r.Node.(type) {
		case *xref.Wikilink:
			h.Write(n.Dest)
			h.Write([]byte(xref.PlainText(n, src)))
		default:
			fmt.Fprint(h, linkDest(n))
		}
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// bodyBuffers hold chapter bodies while they render; the body is copied
// out as a string, so the buffers' memory is reused instead of grown and
// zeroed anew for every chapter.
var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func citationCount(states []*chapterState) int {
	n := 0
	for _, st := range states {
		n += st.cites
	}
	return n
}

func countKind(doc ast.Node, kind ast.NodeKind) int {
	n := 0
	ast.Walk(doc, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && c.Kind() == kind {
			n++
		}
		return ast.WalkContinue, nil
	})
	return n
}

func parallel(n, workers int, f func(i int)) {
	if n == 0 {
		return
	}
	if workers > n {
		workers = n
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

func hashBytes(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// hasher is hashStrings fed piece by piece, for keys made of tens of
// thousands of strings (a large glossary's back-links) that need not be
// collected first.
type hasher struct {
	h   hash.Hash
	buf []byte
}

func newHasher(ss ...string) *hasher {
	h := &hasher{h: sha256.New()}
	h.add(ss...)
	return h
}

func (h *hasher) add(ss ...string) {
	for _, s := range ss {
		h.buf = append(append(h.buf[:0], s...), 0)
		h.h.Write(h.buf)
	}
}

func (h *hasher) sum() string { return hex.EncodeToString(h.h.Sum(nil)) }

func hashStrings(ss ...string) string { return newHasher(ss...).sum() }

func dedup(ss []string) []string {
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}

func tmplNames(t *render.Templates) []string {
	names := make([]string, 0, len(t.Sources))
	for n := range t.Sources {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// siteDirTemplates folds the site's own template contents into the theme
// hash (Sources only names them).
func siteDirTemplates(h interface{ Write([]byte) (int, error) }, siteDir string) {
	if siteDir == "" {
		return
	}
	root := filepath.Join(siteDir, "templates")
	files := srcfile.NewRoot(siteDir)
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if data, err := files.Read(p, srcfile.MaxText); err == nil {
				h.Write(data)
			}
		}
		return nil
	})
}

// absURL joins the base URL and a site path.
func absURL(base, p string) string {
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
