package site

import (
	"crypto/sha256"
	"fmt"
	"html/template"
	"maps"
	"slices"
	"sync"

	"guidebook/internal/buildcache"
	"guidebook/internal/chapterdata"
	"guidebook/internal/content"
	"guidebook/internal/glossary"
	"guidebook/internal/outdir"
	"guidebook/internal/theme"
)

// The build cache's side of the pipeline (Options.Cache): a one-shot
// build keeps, between runs, what watch mode keeps between rebuilds, under
// the same keys (srcHash, mdKey, bodyKey, the pages' keys), mixed with the
// build options that change the output. The store is package buildcache.

// cacheScope keys what every product depends on besides its own inputs:
// the options that change the output. The guidebook binary is mixed in by
// the cache itself.
func (b *Builder) cacheScope() string {
	return buildcache.Key(fmt.Sprint(b.opts.Mode), b.opts.BaseURL, fmt.Sprint(b.opts.Minify), string(b.opts.Head))
}

// chapterKey keys a chapter's resolve products: its source and file,
// parsed with the glossary, bibliography, style and widget templates of
// mdKey. The front matter the parse and the search entries read (id,
// title, citations) comes from the source; it is keyed as loaded too, so
// that a default the loader fills in cannot go stale.
func (b *Builder) chapterKey(ch *content.Chapter, st *chapterState) string {
	return buildcache.Key("chapter", b.cacheScope(), b.mdKey, st.srcHash, ch.File, ch.ID, ch.Title, fmt.Sprintf("%#v", ch.Citations))
}

// storeChapter keeps a freshly parsed chapter's products: everything the
// later stages read of it, its tree aside. The body is kept in an entry
// of its own, with the bodyKey it was rendered with: a later build whose
// links resolve to the same destinations shows it as it is, and one whose
// page is cached too does not read it.
func (b *Builder) storeChapter(ch *content.Chapter, st *chapterState) {
	if b.opts.Cache == nil {
		return
	}
	key := st.cacheKey
	b.opts.Cache.Put(key, st.Chapter.Encode())
	if len(st.Errs) == 0 {
		var body buildcache.Enc
		body.String(st.BodyKey)
		body.String(string(st.body))
		b.opts.Cache.Put(key+"/body", body.Bytes())
	}
}

// loadBody reads the body of a chapter loadChapter filled, and reports
// whether it could: the entry must hold the body rendered with the
// bodyKey the chapter's entry names (two builds may have stored the
// chapter's entries with different link destinations).
func (b *Builder) loadBody(ch *content.Chapter, st *chapterState) bool {
	data, ok := b.opts.Cache.Get(st.cacheKey + "/body")
	if !ok {
		return false
	}
	d := buildcache.NewDec(data)
	key, body := d.String(), d.String()
	if d.Err() != nil || key != st.BodyKey {
		return false
	}
	st.body = template.HTML(body)
	return true
}

// reuseCached puts chapter i's page from the cache when the chapter came
// from it and its links resolve as they did (key): then neither body nor
// page is needed.
func (b *Builder) reuseCached(i int, st *chapterState, key string, pg *pageRenderer) bool {
	return key == st.BodyKey && pg.cachedChapter(i)
}

// loadChapter fills st from the cache and reports whether it could; st
// is untouched when not.
func (b *Builder) loadChapter(ch *content.Chapter, st *chapterState, env *env) bool {
	if b.opts.Cache == nil || b.keep {
		return false
	}
	data, ok := b.opts.Cache.Get(st.cacheKey)
	if !ok {
		return false
	}
	rc, ok := chapterdata.Decode(data, chapterdata.Lookup{Term: env.term, Work: env.bib.Lookup})
	if !ok {
		return false
	}
	c := chapterState{Chapter: *rc, src: st.src, srcHash: st.srcHash, cacheKey: st.cacheKey}
	c.target = chapterTarget(ch, &c)
	*st = c
	return true
}

// term returns the glossary term with id.
func (e *env) term(id string) (*glossary.Term, bool) {
	e.termsOnce.Do(func() {
		e.terms = map[string]*glossary.Term{}
		for _, t := range e.gl.Terms() {
			e.terms[t.ID] = t
		}
	})
	t, ok := e.terms[id]
	return t, ok
}

// pageRecords remember, under each page's cache key (and each search
// index part's), what the page's bytes hash to: a later build whose page has the same key keeps the
// file its output already holds (output.Keeper) without reading the
// page's entry or hashing the page. A page's bytes depend on nothing but
// its key, so a record never goes stale; the build writes back those it
// used, which keeps the entry the size of the book.
type pageRecords struct {
	mu       sync.Mutex
	old, now map[string]pageRecord
}

type pageRecord struct {
	sum  outdir.Sum
	size int64
	uses []string // the assets the page links
	// A search index part's record names the part's file and integrity
	// value as well (partRecord).
	path, integrity string
}

// recordsKey keys the one entry holding a build's page records.
func (b *Builder) recordsKey() string { return buildcache.Key("page records", b.cacheScope()) }

// loadRecords reads the records the last build with this scope left.
func (b *Builder) loadRecords() *pageRecords {
	r := &pageRecords{old: map[string]pageRecord{}, now: map[string]pageRecord{}}
	data, ok := b.opts.Cache.Get(b.recordsKey())
	if !ok {
		return r
	}
	d := buildcache.NewDec(data)
	for n := d.Len(); n > 0; n-- {
		key, sum, size, uses := d.String(), d.Blob(), d.Int(), d.Strings()
		path, integrity := d.String(), d.String()
		if len(sum) == len(outdir.Sum{}) {
			r.old[key] = pageRecord{sum: outdir.Sum(sum), size: int64(size), uses: uses, path: path, integrity: integrity}
		}
	}
	if d.Err() != nil {
		r.old = map[string]pageRecord{}
	}
	return r
}

// lookup returns the record of key from the last build.
func (r *pageRecords) lookup(key string) (pageRecord, bool) {
	if r == nil {
		return pageRecord{}, false
	}
	rec, ok := r.old[key] // old is only read once the build runs
	return rec, ok
}

// add records the page put under key in this build.
func (r *pageRecords) add(key string, rec pageRecord) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.now[key] = rec
	r.mu.Unlock()
}

// save writes this build's records back, unless they are the last
// build's.
func (b *Builder) saveRecords(r *pageRecords) {
	if r == nil || b.opts.Cache == nil || sameRecords(r.old, r.now) {
		return
	}
	keys := slices.Sorted(maps.Keys(r.now))
	var e buildcache.Enc
	e.Int(len(keys))
	for _, k := range keys {
		rec := r.now[k]
		e.String(k)
		e.Blob(rec.sum[:])
		e.Int(int(rec.size))
		e.Strings(rec.uses)
		e.String(rec.path)
		e.String(rec.integrity)
	}
	b.opts.Cache.Put(b.recordsKey(), e.Bytes())
}

// sameRecords reports whether now holds the same keys as old: a record's
// contents follow from its key.
func sameRecords(old, now map[string]pageRecord) bool {
	if len(old) != len(now) {
		return false
	}
	for k := range now {
		if _, ok := old[k]; !ok {
			return false
		}
	}
	return true
}

// partKey keys a search index part's record: search.Input.Keys names the
// part's chapters, the scope what the part's file name and integrity
// value depend on.
func (b *Builder) partKey(key string) string {
	return buildcache.Key("search part", b.cacheScope(), key)
}

// reusePart gives back the search index part recorded under key
// (search.Input.Reuse), its bytes described, not read.
func (r *pageRecords) reusePart(key string) (*theme.Asset, bool) {
	rec, ok := r.lookup(key)
	if !ok || rec.path == "" {
		return nil, false
	}
	r.add(key, rec)
	return &theme.Asset{Path: rec.path, Integrity: rec.integrity, Sum: rec.sum, Size: rec.size}, true
}

// madePart records a search index part made under key (search.Input.Made).
func (r *pageRecords) madePart(key string, as *theme.Asset) {
	r.add(key, pageRecord{sum: sha256.Sum256(as.Data), size: int64(len(as.Data)), path: as.Path, integrity: as.Integrity})
}
