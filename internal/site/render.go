package site

import (
	"cmp"
	"errors"
	"strings"
	"sync"

	"guidebook/internal/bib"
	"guidebook/internal/buildcache"
	"guidebook/internal/cite"
	"guidebook/internal/content"
	"guidebook/internal/glossary"
	"guidebook/internal/pages"
	"guidebook/internal/publish"
	"guidebook/internal/records"
	"guidebook/internal/search"
	"guidebook/internal/theme"
	"guidebook/internal/workers"
)

// The render stage: pages through templates. newPageRenderer prepares what
// every page needs (the shared sidebar script of a large book, the key of
// the page shell, the sidebar); chapter renders one chapter's page, which
// the chapter loop does where it can (see resolve), and renderPages the
// rest.
type pageRenderer struct {
	b            *Builder
	book         *content.Book
	states       []*chapterState
	out          *recorder
	bk           theme.Book
	pc           theme.PageContext
	large        bool
	chapterIndex map[string]int // by page directory, in a large book
	shellKey     string

	mu   sync.Mutex
	errs []error
	used map[string]bool // assets the pages use: the ones published
	// Once the assets are final (the search index is made), a page's
	// newly used asset is put at once, by the worker that rendered the
	// page, so assets are written while pages render.
	final    bool
	written  map[string]bool
	rendered *step
	// records are the pages' hashes the build cache keeps (package
	// records); nil without the cache.
	records *records.Set
}

// newPageRenderer needs the search manifest among the assets: every page's head
// names it.
func (b *Builder) newPageRenderer(book *content.Book, states []*chapterState, out *recorder) *pageRenderer {
	lk := b.linker()
	p := &pageRenderer{
		b: b, book: book, states: states, out: out,
		bk:           theme.Book{Title: book.Title, Description: book.Description, Language: book.Language, Author: book.Author},
		pc:           theme.PageContext{Assets: b.assets, Linker: lk, SRI: b.opts.Mode == Publish},
		large:        len(book.Chapters) > pages.LargeBook,
		chapterIndex: map[string]int{},
		used:         map[string]bool{},
		written:      map[string]bool{},
		rendered:     b.step(StageRendered, pageCount(book)),
	}
	if p.large {
		b.assets.Add(pages.TOCAsset, pages.TOCScript(b.tocCode, book, lk))
		for i, ch := range book.Chapters {
			p.chapterIndex[ch.ID+"/"] = i
		}
	}
	if b.opts.Cache != nil && !b.keep {
		p.records = records.Load(b.opts.Cache, b.recordsKey())
	}
	if b.keep || b.opts.Cache != nil {
		// shellKey covers what every page shows besides its own content:
		// the sidebar and the theme. A retitled chapter changes it; an
		// edited paragraph does not.
		var shell []string
		for _, ch := range book.Chapters {
			shell = append(shell, ch.ID, ch.Title, ch.Summary)
		}
		sidx, _ := b.assets.Get(search.ManifestAsset)
		p.shellKey = hashStrings(append(shell, b.siteKey, p.bk.Title, p.bk.Description, p.bk.Author, p.bk.Language, sidx.Path, string(b.opts.Head), b.opts.BaseURL)...)
	}
	return p
}

func (pg *pageRenderer) base(pc theme.PageContext, kind, dir, title, desc string) *theme.Page {
	b := pg.b
	p := pc.Bind(&theme.Page{Kind: kind, Dir: dir, Title: title, Description: desc, Book: pg.bk, Head: b.opts.Head, Generator: "guidebook " + Version})
	p.Canonical = publish.AbsURL(b.opts.BaseURL, dir)
	cur, ok := pg.chapterIndex[dir]
	if !ok {
		cur = -1
	}
	pages.Sidebar(p, pg.book.Chapters, cur)
	return p
}

// emit renders a page, in watch mode unless its inputs hash as they did
// last build. It is called from the worker pool, hence the lock around
// the maps. page builds the template's data only when the page must
// render: a watch-mode rebuild of a large book re-renders one page, and
// must not pay for assembling a thousand.
func (pg *pageRenderer) emit(file, tmpl, key string, page func() *theme.Page) {
	b := pg.b
	defer pg.rendered.done()
	if !b.keep {
		pg.emitOnce(file, tmpl, key, page)
		return
	}
	key = hashStrings(pg.shellKey, tmpl, key)
	pg.mu.Lock()
	c, ok := b.pages[file]
	pg.mu.Unlock()
	if !ok || c.key != key {
		data, uses, ok := pg.render(page) // tmpl names the page kind in the cache key
		if !ok {
			return
		}
		c = pageCache{key: key, data: data, uses: uses}
		pg.mu.Lock()
		b.pages[file] = c
		pg.mu.Unlock()
	}
	pg.fail(pg.out.Put(file, c.data))
	pg.use(c.uses)
}

// emitOnce renders a page of a one-shot build, or takes it from the
// build cache under watch mode's key.
func (pg *pageRenderer) emitOnce(file, tmpl, key string, page func() *theme.Page) {
	b := pg.b
	if pg.fromCache(file, tmpl, key) {
		return
	}
	p := page()
	put := func(data []byte) error {
		uses := p.Uses() // complete once the template has run
		if b.opts.Cache != nil {
			ck := pg.cacheKey(file, tmpl, key)
			storePage(b.opts.Cache, ck, data, uses)
			pg.record(ck, data, uses)
		}
		err := pg.out.Put(file, data)
		pg.use(uses)
		return err
	}
	if pg.out.CopiesOnPut() {
		// The page goes from the template's pooled buffer to the output,
		// which is done with it when Put returns: no copy of its own.
		pg.fail(b.tmpl.ExecuteFunc("page", p, put))
		return
	}
	data, err := b.tmpl.Execute("page", p)
	if err == nil {
		err = put(data)
	}
	pg.fail(err)
}

// render executes the page template on the data page builds, and returns
// the page and the assets it uses; a failure is recorded (fail).
func (pg *pageRenderer) render(page func() *theme.Page) (data []byte, uses []string, ok bool) {
	p := page()
	data, err := pg.b.tmpl.Execute("page", p)
	if err != nil {
		pg.fail(err)
		return nil, nil, false
	}
	return data, p.Uses(), true
}

func (pg *pageRenderer) cacheKey(file, tmpl, key string) string {
	return buildcache.Key("page", pg.b.cacheScope(), file, pg.shellKey, tmpl, key)
}

// fromCache puts the page from the build cache, if it has it, and
// reports whether it did.
func (pg *pageRenderer) fromCache(file, tmpl, key string) bool {
	if pg.b.opts.Cache == nil || pg.b.keep {
		return false
	}
	ck := pg.cacheKey(file, tmpl, key)
	if pg.keep(file, ck) {
		return true
	}
	data, uses, ok := cachedPage(pg.b.opts.Cache, ck)
	if ok {
		pg.record(ck, data, uses)
		pg.fail(pg.out.Put(file, data))
		pg.use(uses)
	}
	return ok
}

// keep keeps the page the output already holds, if the last build
// recorded what the page under ck hashes to (package records), and reports
// whether it did.
func (pg *pageRenderer) keep(file, ck string) bool {
	rec, ok := pg.records.Lookup(ck)
	if !ok {
		return false
	}
	kept, err := pg.out.Keep(file, rec.Sum, rec.Size)
	if err != nil || !kept {
		pg.fail(err)
		return false
	}
	pg.use(rec.Uses)
	return true
}

// record notes, for the next build, what the page put under ck hashes
// to.
func (pg *pageRenderer) record(ck string, data []byte, uses []string) {
	rec := records.Of(data)
	rec.Uses = uses
	pg.records.Add(ck, rec)
}

// storePage and cachedPage write and read a page's build-cache entry:
// the page and the assets it uses.
func storePage(c *buildcache.Cache, key string, data []byte, uses []string) {
	var e buildcache.Enc
	e.Blob(data)
	e.Strings(uses)
	c.Add(key, e.Bytes()) // a page's bytes follow from its key
}

func cachedPage(c *buildcache.Cache, key string) (data []byte, uses []string, ok bool) {
	entry, ok := c.Get(key)
	if !ok {
		return nil, nil, false
	}
	d := buildcache.NewDec(entry)
	data, uses = d.Blob(), d.Strings()
	return data, uses, d.Err() == nil
}

type pageCache struct {
	key  string
	data []byte
	uses []string // the assets the page links
}

// use records assets a page uses and, once they are final, puts those
// (and what they load) not put yet.
func (pg *pageRenderer) use(names []string) {
	fresh := map[string]bool{}
	pg.mu.Lock()
	for _, n := range names {
		if !pg.used[n] {
			pg.used[n], fresh[n] = true, true
		}
	}
	var todo []*theme.Asset
	if pg.final && len(fresh) > 0 {
		todo = pg.unwritten(fresh)
	}
	pg.mu.Unlock()
	for _, a := range todo {
		pg.fail(pg.putAsset(a))
	}
}

// putAsset puts an asset; one whose bytes the build cache described
// (theme.Asset's Load) is kept as the output holds it where it can be.
func (pg *pageRenderer) putAsset(a *theme.Asset) error {
	if a.Data == nil && a.Load != nil {
		if kept, err := pg.out.Keep(a.Path, a.Sum, a.Size); kept || err != nil {
			return err
		}
	}
	return pg.out.Put(a.Path, a.Bytes())
}

// putPart puts a search index part of a one-shot build as soon as it is
// made (search.Input.Done), if the pages rendered so far use the index,
// and lets go of its bytes: the parts of a large book hold all its text,
// and held together until the book's pages were rendered they were the
// largest part of its memory. A part not put here is put with the other
// assets.
func (pg *pageRenderer) putPart(a *theme.Asset) {
	pg.mu.Lock()
	now := pg.used[search.ManifestAsset] && !pg.written[a.Name]
	if now {
		pg.written[a.Name] = true
	}
	pg.mu.Unlock()
	if now {
		pg.fail(pg.putAsset(a))
		a.Data, a.Load = nil, nil
	}
}

// unwritten marks as written, and returns, the assets names publish that
// are not written yet. pg.mu is held.
func (pg *pageRenderer) unwritten(names map[string]bool) []*theme.Asset {
	var out []*theme.Asset
	for _, a := range pg.b.assets.Published(names) {
		if !pg.written[a.Name] {
			pg.written[a.Name] = true
			out = append(out, a)
		}
	}
	return out
}

func (pg *pageRenderer) fail(err error) {
	if err != nil {
		pg.mu.Lock()
		pg.errs = append(pg.errs, err)
		pg.mu.Unlock()
	}
}

// chapter renders chapter i's page. Template execution is the costly part
// of a rebuild, so pages render in parallel and only when their inputs
// changed.
func (pg *pageRenderer) chapter(i int) {
	file, key, page := pg.chapterPage(i)
	pg.emit(file, "chapter.html", key, page)
	if !pg.b.keep {
		pg.states[i].body = "" // written; a one-shot build builds once
	}
}

// cachedChapter puts chapter i's page from the build cache, if it has
// it, and reports whether it did.
func (pg *pageRenderer) cachedChapter(i int) bool {
	file, key, _ := pg.chapterPage(i)
	return pg.fromCache(file, "chapter.html", key)
}

// chapterPage is chapter i's page: its file, its key (in watch mode or
// with the build cache) and the function making its template data.
func (pg *pageRenderer) chapterPage(i int) (file, key string, page func() *theme.Page) {
	b, ch, st := pg.b, pg.book.Chapters[i], pg.states[i]
	var styles, scripts []string
	for _, w := range st.Widgets {
		if _, ok := b.assets.Get("widgets/" + w + ".css"); ok {
			styles = append(styles, "widgets/"+w+".css")
		}
		if _, ok := b.assets.Get("widgets/" + w + ".js"); ok {
			scripts = append(scripts, "widgets/"+w+".js")
		}
	}
	if b.keep || b.opts.Cache != nil {
		key = hashStrings(ch.ID, st.srcHash, st.BodyHash, strings.Join(styles, ","), strings.Join(scripts, ","))
	}
	return ch.ID + "/index.html", key, func() *theme.Page {
		p := pg.base(pg.pc, "chapter", ch.ID+"/", ch.Title, firstNonEmpty(ch.Summary, pg.book.Description))
		toc := theme.BuildTOC(tocHeadings(st.Headings))
		c := &theme.Chapter{ID: ch.ID, Title: ch.Title, Summary: ch.Summary, Number: i + 1, Content: st.body, TOC: toc}
		// p.Chapters holds at least this chapter and its neighbours, in
		// reading order.
		for k, l := range p.Chapters {
			if l.Number != i+1 {
				continue
			}
			l.TOC = toc
			if k > 0 {
				c.Prev = p.Chapters[k-1]
			}
			if k+1 < len(p.Chapters) {
				c.Next = p.Chapters[k+1]
			}
		}
		p.Chapter = c
		p.Styles = append(p.Styles, styles...)
		p.Scripts = append(p.Scripts, scripts...)
		return p
	}
}

// renderPages executes the templates for the pages besides the chapters'
// (which the chapter loop rendered) and puts them and the theme's assets into out. It
// returns how many HTML pages there are. A page whose inputs hash the
// same as last build is reused as it was.
func (b *Builder) renderPages(book *content.Book, e *env, r *resolved, out *recorder) (int, error) {
	bl := backLinks(book, r.states)
	refKey := referencesKey(e.bib, bl)
	b.updateSearch(e, bl, refKey, r.states, r.pages)
	pg := r.pages
	// The book's own pages join the chapters in one pool, first: the
	// glossary of a large book (every term with every chapter using it) is
	// its largest page, and rendering it after the chapters left a core
	// idle.
	//
	// Only the assets the pages use are published: a file under assets/
	// no page links (watch mode's livereload.js, a widget's script in a
	// book without the widget) stays out. From here on the assets are
	// final: each is put (and compressed) as soon as a page first uses
	// it; those the pages rendered already use are put in the pool, first
	// (the search index parts are the largest files of a large book).
	var tasks []func()
	pg.mu.Lock()
	pg.final = true
	for _, a := range pg.unwritten(pg.used) {
		tasks = append(tasks, func() { pg.fail(pg.putAsset(a)) })
	}
	pg.mu.Unlock()
	tasks = append(tasks, pg.backLinkPages(e, bl, refKey)...)
	tasks = append(tasks, pg.plainPages()...)
	parallel(len(tasks), b.opts.Workers, func(i int) { tasks[i]() })
	if len(pg.errs) > 0 {
		// Every failing page, not the first to fail (pages render in
		// parallel, so "first" would change between runs); the caller's
		// diag.List sorts them and folds repeats of one template error.
		return 0, errors.Join(pg.errs...)
	}
	return pageCount(book), nil
}

// backLinks are the back-links of the glossary and the references
// (pages.BackLinks), from what each chapter's parse marked.
func backLinks(book *content.Book, states []*chapterState) pages.BackLinks {
	uses, cited := make([][]glossary.Use, len(states)), make([][]*cite.Entry, len(states))
	for i, st := range states {
		uses[i], cited[i] = st.Uses, st.Cited
	}
	return pages.NewBackLinks(book.Chapters, uses, cited)
}

// backLinkPages are the tasks rendering the glossary and the references,
// each entry with links back to the chapters that use it.
func (pg *pageRenderer) backLinkPages(e *env, bl pages.BackLinks, refKey string) []func() {
	book, gl, bib := pg.book, e.gl, e.bib
	glKey := newHasher(gl.Version())
	for _, t := range gl.Terms() {
		for _, ch := range bl.UsesByTerm[t.ID] {
			glKey.add(t.ID, ch.ID)
		}
	}
	return []func(){func() {
		pg.emit("glossary/index.html", "glossary.html", glKey.sum(), func() *theme.Page {
			return pages.Glossary(pg.base(pg.pc, "glossary", "glossary/", "Glossary", "Definitions of the terms used in "+book.Title+"."), gl, bl)
		})
	}, func() {
		pg.emit("references/index.html", "references.html", refKey, func() *theme.Page {
			return pages.References(pg.base(pg.pc, "references", "references/", "References", "Works cited in "+book.Title+"."), bib, bl)
		})
	}}
}

// plainPages are the tasks rendering the pages with no content of their
// own: home, search and 404.
func (pg *pageRenderer) plainPages() []func() {
	b, book, pc := pg.b, pg.book, pg.pc
	nfCtx := pc
	if b.opts.Mode != Export {
		// A CDN serves 404.html for a missing URL at any depth, so its
		// links must start from the site's root path, not be relative.
		nfCtx.Linker.Base = publish.BasePath(b.opts.BaseURL)
	}
	return []func(){func() {
		pg.emit("index.html", "home.html", "", func() *theme.Page { return pg.base(pc, "home", "", book.Title, book.Description) })
	}, func() {
		pg.emit("search/index.html", "search.html", "", func() *theme.Page { return pg.base(pc, "search", "search/", "Search", "") })
	}, func() {
		pg.emit("404.html", "404.html", "", func() *theme.Page { return pg.base(nfCtx, "404", "", "Page not found", "") })
	}}
}

// chapter's page model comes from package pages; these are the names
// chapter calls it by.
var (
	tocHeadings   = pages.TOCHeadings
	firstNonEmpty = cmp.Or[string]
)

// referencesKey names what the references page and the references'
// search entries (pages.ReferenceDocs) show: the bibliography, and the
// chapters citing each work.
func referencesKey(refs *bib.Bibliography, bl pages.BackLinks) string {
	h := newHasher(refs.Version())
	for _, e := range refs.Entries() {
		for _, ch := range bl.CitedBy[e.Key] {
			h.add(e.Key, ch.ID)
		}
	}
	return h.sum()
}

// updateSearch brings the search index's assets up to date: parts of
// search.PartChapters chapters in reading order, then one of glossary
// terms, one of the references, and the manifest naming them.
func (b *Builder) updateSearch(e *env, bl pages.BackLinks, refKey string, states []*chapterState, pg *pageRenderer) {
	gl, lk := e.gl, e.lk
	chapters := make([][]byte, len(states))
	for i, st := range states {
		chapters[i] = st.Search
		if !b.keep {
			st.Search = nil // search.Update drops its copy part by part
		}
	}
	in := search.Input{
		Chapters:          chapters,
		Terms:             func() []search.Doc { return pages.TermDocs(gl, lk) },
		TermsVersion:      gl.Version(),
		References:        func() []search.Doc { return pages.ReferenceDocs(e.bib, bl, lk) },
		ReferencesVersion: refKey,
		Integrity:         b.opts.Mode == Publish,
		Parallel:          func(n int, f func(int)) { workers.For(n, b.opts.Workers, f) },
		Discard:           !b.keep,
	}
	if !b.keep {
		in.Done = pg.putPart
	}
	if rec := pg.records; rec != nil {
		// A chapter's entries follow from its parse (cacheKey) and the
		// link destinations its body was rendered with.
		for _, st := range states {
			in.Keys = append(in.Keys, st.cacheKey+"\x00"+st.BodyKey)
		}
		in.Reuse = func(key string) (*theme.Asset, bool) { return reusePart(rec, b.partKey(key)) }
		in.Made = func(key string, as *theme.Asset) { madePart(rec, b.partKey(key), as) }
	}
	b.search.Update(b.assets, in)
}
