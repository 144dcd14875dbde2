package site

import (
	"crypto/sha256"
	"maps"
	"slices"
	"sync"

	"guidebook/internal/buildcache"
	"guidebook/internal/outdir"
	"guidebook/internal/theme"
)

// The build cache's records of what the last build put (pageRecords), in
// one entry per scope, so that an unchanged page costs a look-up rather
// than a read of its entry and a hash of its bytes.

// pageRecords remember, under each page's cache key (and each search
// index part's), what the page's bytes hash to: a later build whose page
// has the same key keeps the file its output already holds
// (output.Keeper) without reading the page's entry or hashing the page.
// A page's bytes depend on nothing but its key, so a record never goes
// stale; the build writes back those it used, which keeps the entry the
// size of the book.
type pageRecords struct {
	mu       sync.Mutex
	old, now map[string]pageRecord
}

type pageRecord struct {
	sum  outdir.Sum
	size int64
	uses []string // the assets the page links
	// A search index part's record names the part's file and integrity
	// value as well (reusePart).
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
