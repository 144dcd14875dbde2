package site

import (
	"errors"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/yuin/goldmark/ast"

	"guidebook/internal/cite"
	"guidebook/internal/content"
	"guidebook/internal/glossary"
	"guidebook/internal/render"
	"guidebook/internal/xref"
)

// pager renders a build's pages. newPager prepares what every page needs
// (the shared sidebar script of a large book, the key of the page shell,
// the sidebar); chapter renders one chapter's page, which a one-shot
// export does from the chapter loop, and renderPages the rest.
type pager struct {
	b            *Builder
	book         *content.Book
	states       []*chapterState
	out          *Output
	bk           render.Book
	pc           render.PageContext
	large        bool
	chapterIndex map[string]int // by page directory, in a large book
	shellKey     string

	mu   sync.Mutex
	errs []error
	used map[string]bool // assets the pages use: the ones published
	// With Emit, once the assets are final (the search index is made),
	// a page's newly used asset is written at once, by the worker that
	// rendered the page, so assets are written while pages render.
	final   bool
	written map[string]bool
}

// newPager needs the search manifest among the assets: every page's head
// names it.
func (b *Builder) newPager(book *content.Book, states []*chapterState, out *Output) *pager {
	lk := b.linker()
	p := &pager{
		b: b, book: book, states: states, out: out,
		bk:           render.Book{Title: book.Title, Description: book.Description, Language: book.Language, Author: book.Author},
		pc:           render.PageContext{Assets: b.assets, Linker: lk, SRI: b.opts.Mode == Publish},
		large:        len(book.Chapters) > sidebarScriptMin,
		chapterIndex: map[string]int{},
		used:         map[string]bool{},
		written:      map[string]bool{},
	}
	if p.large {
		b.assets.Add(tocAsset, tocScript(book, lk))
		for i, ch := range book.Chapters {
			p.chapterIndex[ch.ID+"/"] = i
		}
	}
	if b.opts.Emit == nil {
		// shellKey covers what every page shows besides its own content:
		// the sidebar and the theme. A retitled chapter changes it; an
		// edited paragraph does not.
		var shell []string
		for _, ch := range book.Chapters {
			shell = append(shell, ch.ID, ch.Title, ch.Summary)
		}
		sidx, _ := b.assets.Get(searchManifest)
		p.shellKey = hashStrings(append(shell, b.siteKey, p.bk.Title, p.bk.Description, p.bk.Author, p.bk.Language, sidx.Path, string(b.opts.Head), b.opts.BaseURL)...)
	}
	return p
}

func (pg *pager) base(pc render.PageContext, kind, dir, title, desc string) *render.Page {
	b, book := pg.b, pg.book
	p := pc.Bind(&render.Page{Kind: kind, Dir: dir, Title: title, Description: desc, Book: pg.bk, Head: b.opts.Head, Generator: "guidebook " + Version})
	p.Canonical = absURL(b.opts.BaseURL, dir)
	trim := pg.large && kind != "home" // see sidebarScriptMin
	cur, ok := pg.chapterIndex[dir]
	if !ok {
		cur = -1
	}
	// A large book's page lists its own chapter and its neighbours (the
	// home page lists them all in its main column, toc.js the rest). Only
	// those: a list of every chapter on every page would make the build
	// quadratic again.
	from, to := 0, len(book.Chapters)
	if trim {
		from, to = max(cur-1, 0), min(cur+2, len(book.Chapters))
		if cur < 0 {
			to = 0
		}
	}
	for i := from; i < to; i++ {
		ch := book.Chapters[i]
		p.Chapters = append(p.Chapters, &render.Link{Title: ch.Title, URL: p.URL(ch.ID + "/"), Summary: ch.Summary, Number: i + 1, Current: dir == ch.ID+"/"})
	}
	p.Extras = []*render.Link{
		{Title: "Glossary", URL: p.URL("glossary/"), Current: kind == "glossary"},
		{Title: "References", URL: p.URL("references/"), Current: kind == "references"},
	}
	if trim {
		p.Scripts = append(p.Scripts, tocAsset)
		p.Extras = append(p.Extras, &render.Link{Title: "All chapters", URL: p.URL("")})
	}
	return p
}

// emit renders a page unless its inputs hash as they did last build. It
// is called from the worker pool, hence the lock around the maps. page
// builds the template's data only when the page must render: a watch-mode
// rebuild of a large book re-renders one page, and must not pay for
// assembling a thousand.
func (pg *pager) emit(file, tmpl, key string, page func() *render.Page) {
	b, out := pg.b, pg.out
	if b.opts.Emit != nil {
		// A Builder that emits builds once: no page is cached, and the
		// page goes out from the template's buffer.
		p := page()
		pg.fail(b.tmpl.ExecuteFunc("page", p, func(data []byte) error { return out.add(b.opts.Emit, file, data) }))
		pg.use(p.Uses())
		return
	}
	key = hashStrings(pg.shellKey, tmpl, key)
	pg.mu.Lock()
	c, ok := b.pages[file]
	pg.mu.Unlock()
	data, uses := c.data, c.uses
	if !ok || c.key != key {
		p := page()
		var err error
		if data, err = b.tmpl.Execute("page", p); err != nil { // tmpl names the page kind in the cache key
			pg.fail(err)
			return
		}
		uses = p.Uses()
	}
	pg.use(uses)
	pg.mu.Lock()
	defer pg.mu.Unlock()
	out.Files[file] = data
	if !ok || c.key != key {
		b.pages[file] = pageCache{key: key, data: data, uses: uses}
		out.Changed = append(out.Changed, file)
	}
}

// use records assets a page uses and, once they are final, writes
// through Emit those (and what they load) not written yet.
func (pg *pager) use(names []string) {
	fresh := map[string]bool{}
	pg.mu.Lock()
	for _, n := range names {
		if !pg.used[n] {
			pg.used[n], fresh[n] = true, true
		}
	}
	var todo []*render.Asset
	if pg.final && len(fresh) > 0 {
		todo = pg.unwritten(fresh)
	}
	pg.mu.Unlock()
	for _, a := range todo {
		pg.fail(pg.out.add(pg.b.opts.Emit, a.Path, a.Data))
	}
}

// unwritten marks as written, and returns, the assets names publish that
// are not written yet. pg.mu is held.
func (pg *pager) unwritten(names map[string]bool) []*render.Asset {
	var out []*render.Asset
	for _, a := range pg.b.assets.Published(names) {
		if !pg.written[a.Name] {
			pg.written[a.Name] = true
			out = append(out, a)
		}
	}
	return out
}

func (pg *pager) fail(err error) {
	if err != nil {
		pg.mu.Lock()
		pg.errs = append(pg.errs, err)
		pg.mu.Unlock()
	}
}

// chapter renders chapter i's page. Template execution is the costly part
// of a rebuild, so pages render in parallel and only when their inputs
// changed.
func (pg *pager) chapter(i int) {
	b, ch, st := pg.b, pg.book.Chapters[i], pg.states[i]
	var styles, scripts []string
	for _, w := range st.widgets {
		if _, ok := b.assets.Get("widgets/" + w + ".css"); ok {
			styles = append(styles, "widgets/"+w+".css")
		}
		if _, ok := b.assets.Get("widgets/" + w + ".js"); ok {
			scripts = append(scripts, "widgets/"+w+".js")
		}
	}
	var key string
	if b.opts.Emit == nil {
		key = hashStrings(ch.ID, st.srcHash, st.bodyHash, strings.Join(styles, ","), strings.Join(scripts, ","))
	}
	pg.emit(ch.ID+"/index.html", "chapter.html", key, func() *render.Page {
		p := pg.base(pg.pc, "chapter", ch.ID+"/", ch.Title, firstNonEmpty(ch.Summary, pg.book.Description))
		toc := render.BuildTOC(tocHeadings(st.parsed.Links.Headings))
		c := &render.Chapter{ID: ch.ID, Title: ch.Title, Summary: ch.Summary, Number: i + 1, Content: st.body, TOC: toc}
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
	})
	if b.opts.Emit != nil {
		st.body = "" // written; the Builder builds once
	}
}

// renderPages executes the templates for every page into out (or Emit)
// and returns how many HTML pages there are; pg is nil unless the chapter
// pages were rendered already, from the chapter loop. A page whose inputs
// hash the same as last build is reused as it was.
func (b *Builder) renderPages(book *content.Book, gl *glossary.Glossary, bib *cite.Bibliography, states []*chapterState, out *Output, pg *pager) (int, error) {
	usesByTerm := map[string][]*content.Chapter{}
	citedBy := map[string][]*content.Chapter{}
	for i, ch := range book.Chapters {
		for _, u := range states[i].uses {
			usesByTerm[u.Term.ID] = append(usesByTerm[u.Term.ID], ch)
		}
		for _, e := range states[i].cited {
			citedBy[e.Key] = append(citedBy[e.Key], ch)
		}
	}
	// The index lists the works the references page does.
	refs := referenceDocs(bib, func(e *cite.Entry) bool { return len(citedBy[e.Key]) > 0 }, b.linker())
	b.searchAssets(gl, refs, states, b.linker())
	chaptersDone := pg != nil
	if pg == nil {
		pg = b.newPager(book, states, out)
	}
	pc := pg.pc

	// The book's own pages join the chapters in one pool, first: the
	// glossary of a large book (every term with every chapter using it) is
	// its largest page, and rendering it after the chapters left a core
	// idle.
	var tasks []func()

	// Only the assets the pages use are published: a file under assets/
	// no page links (watch mode's livereload.js, a widget's script in a
	// book without the widget) stays out. From here on the assets are
	// final: with Emit, each is written (and compressed) as soon as a
	// page uses it; those the chapter pages an export rendered already
	// use are written in the pool, first (the search index parts are the
	// largest files of a large book).
	if b.opts.Emit != nil {
		pg.mu.Lock()
		pg.final = true
		for _, a := range pg.unwritten(pg.used) {
			tasks = append(tasks, func() { pg.fail(out.add(b.opts.Emit, a.Path, a.Data)) })
		}
		pg.mu.Unlock()
	}

	// Glossary with back-links.
	glKey := newHasher(gl.Version())
	for _, t := range gl.Terms() {
		for _, ch := range usesByTerm[t.ID] {
			glKey.add(t.ID, ch.ID)
		}
	}
	tasks = append(tasks, func() {
		pg.emit("glossary/index.html", "glossary.html", glKey.sum(), func() *render.Page {
			return glossaryPage(pg.base(pc, "glossary", "glossary/", "Glossary", "Definitions of the terms used in "+book.Title+"."), gl, usesByTerm)
		})
	})

	// Book-wide references with back-links.
	refKey := newHasher(bib.Version())
	for _, e := range bib.Entries() {
		for _, ch := range citedBy[e.Key] {
			refKey.add(e.Key, ch.ID)
		}
	}
	tasks = append(tasks, func() {
		pg.emit("references/index.html", "references.html", refKey.sum(), func() *render.Page {
			return referencesPage(pg.base(pc, "references", "references/", "References", "Works cited in "+book.Title+"."), bib, citedBy)
		})
	})

	tasks = append(tasks, func() {
		pg.emit("index.html", "home.html", "", func() *render.Page { return pg.base(pc, "home", "", book.Title, book.Description) })
	}, func() {
		pg.emit("search/index.html", "search.html", "", func() *render.Page { return pg.base(pc, "search", "search/", "Search", "") })
	})
	nfCtx := pc
	if b.opts.Mode != Export {
		// A CDN serves 404.html for a missing URL at any depth, so its
		// links must start from the site's root path, not be relative.
		nfCtx.Linker.Base = basePath(b.opts.BaseURL)
	}
	tasks = append(tasks, func() {
		pg.emit("404.html", "404.html", "", func() *render.Page { return pg.base(nfCtx, "404", "", "Page not found", "") })
	})
	if !chaptersDone {
		for i := range book.Chapters {
			tasks = append(tasks, func() { pg.chapter(i) })
		}
	}
	parallel(len(tasks), b.opts.Workers, func(i int) { tasks[i]() })
	if len(pg.errs) > 0 {
		// Every failing page, not the first to fail (pages render in
		// parallel, so "first" would change between runs); the caller's
		// diag.List sorts them and folds repeats of one template error.
		return 0, errors.Join(pg.errs...)
	}
	if b.opts.Emit == nil {
		for _, a := range b.assets.Published(pg.used) {
			out.Files[a.Path] = a.Data
		}
	}
	return len(book.Chapters) + 5, nil
}

func glossaryPage(gp *render.Page, gl *glossary.Glossary, usesByTerm map[string][]*content.Chapter) *render.Page {
	letters := map[string]bool{}
	for _, t := range gl.Terms() {
		e := &render.TermEntry{ID: t.ID, Name: t.Name, Definition: t.Definition, Aliases: t.Aliases}
		for _, s := range t.See {
			if st, ok := gl.Lookup(s); ok {
				e.See = append(e.See, render.Link{Title: st.Name, URL: "#" + st.ID})
			}
		}
		for _, ch := range usesByTerm[t.ID] {
			e.UsedIn = append(e.UsedIn, render.Link{Title: ch.Title, URL: gp.URL(ch.ID+"/") + "#gb-use-" + t.ID})
		}
		gp.Terms = append(gp.Terms, e)
		l := firstLetter(t.Name)
		if !letters[l] {
			gp.TermGroups = append(gp.TermGroups, &render.TermGroup{Letter: l})
		}
		letters[l] = true
		g := gp.TermGroups[len(gp.TermGroups)-1]
		g.Terms = append(g.Terms, e)
	}
	gp.Letters = sortedKeys(letters)
	return gp
}

func referencesPage(rp *render.Page, bib *cite.Bibliography, citedBy map[string][]*content.Chapter) *render.Page {
	for _, e := range bib.Entries() {
		if len(citedBy[e.Key]) == 0 {
			continue
		}
		r := &render.RefEntry{ID: cite.RefID(e.Key), Label: e.Label(), HTML: e.HTML()}
		for _, ch := range citedBy[e.Key] {
			r.CitedIn = append(r.CitedIn, render.Link{Title: ch.Title, URL: rp.URL(ch.ID+"/") + "#" + cite.RefID(e.Key)})
		}
		rp.References = append(rp.References, r)
	}
	return rp
}

func basePath(baseURL string) string {
	if baseURL == "" {
		return "/"
	}
	u := absURL(baseURL, "")
	if i := strings.Index(u, "://"); i >= 0 {
		if j := strings.Index(u[i+3:], "/"); j >= 0 {
			return u[i+3+j:]
		}
	}
	return "/"
}

func tocHeadings(hs []xref.Heading) []xref.Heading {
	var out []xref.Heading
	for _, h := range hs {
		if h.Level >= 2 && h.Level <= 3 {
			out = append(out, h)
		}
	}
	return out
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func firstLetter(s string) string {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return string(unicode.ToUpper(r))
		}
		if unicode.IsDigit(r) {
			return "#"
		}
	}
	return "#"
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func linkDest(n ast.Node) string {
	switch n := n.(type) {
	case *ast.Link:
		return string(n.Destination)
	case *ast.Image:
		return string(n.Destination)
	}
	return ""
}
