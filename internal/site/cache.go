package site

import (
	"fmt"
	"html/template"

	"guidebook/internal/buildcache"
	"guidebook/internal/chapterdata"
	"guidebook/internal/content"
	"guidebook/internal/glossary"
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
