// Package records keeps, between builds, what each file a build put
// hashes to, under the build-cache key of what made it (a page, a search
// index part), in one build-cache entry: a later build whose page has the
// same key keeps the file its output already holds (output.Keeper)
// without reading the page's entry or hashing the page. A file made under
// a key depends on nothing but the key, so a record never goes stale; a
// build writes back the records it used, which keeps the entry the size
// of the book.
package records

import (
	"crypto/sha256"
	"maps"
	"slices"
	"sync"

	"guidebook/internal/buildcache"
	"guidebook/internal/outdir"
)

// A Record is one file a build put.
type Record struct {
	Sum  outdir.Sum // SHA-256 of its bytes
	Size int64
	Uses []string // the assets a page links
	// Path and Integrity name a fingerprinted asset's file and its SRI
	// value (a search index part); empty for a page.
	Path, Integrity string
}

// Of is the record of data.
func Of(data []byte) Record { return Record{Sum: sha256.Sum256(data), Size: int64(len(data))} }

// A Set is the records of the last build, read by Load, and this build's,
// added as files are put. Lookup and Add are safe for concurrent use.
type Set struct {
	mu       sync.Mutex
	old, now map[string]Record
}

// Load reads the set the last build saved under entry; a missing or
// damaged entry is an empty set.
func Load(c *buildcache.Cache, entry string) *Set {
	s := &Set{old: map[string]Record{}, now: map[string]Record{}}
	data, ok := c.Get(entry)
	if !ok {
		return s
	}
	d := buildcache.NewDec(data)
	for n := d.Len(); n > 0; n-- {
		key, sum, size, uses := d.String(), d.Blob(), d.Int(), d.Strings()
		path, integrity := d.String(), d.String()
		if len(sum) == len(outdir.Sum{}) {
			s.old[key] = Record{Sum: outdir.Sum(sum), Size: int64(size), Uses: uses, Path: path, Integrity: integrity}
		}
	}
	if d.Err() != nil {
		s.old = map[string]Record{}
	}
	return s
}

// Lookup returns the last build's record under key, and counts it as
// used by this build. A nil Set has none.
func (s *Set) Lookup(key string) (Record, bool) {
	if s == nil {
		return Record{}, false
	}
	rec, ok := s.old[key] // old is only read once Load returns
	if ok {
		s.Add(key, rec)
	}
	return rec, ok
}

// Add records a file put under key in this build.
func (s *Set) Add(key string, rec Record) {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.now[key] = rec
	s.mu.Unlock()
}

// Save writes this build's records under entry, unless they are the last
// build's.
func (s *Set) Save(c *buildcache.Cache, entry string) {
	if s == nil || sameKeys(s.old, s.now) {
		return
	}
	var e buildcache.Enc
	e.Int(len(s.now))
	for _, k := range slices.Sorted(maps.Keys(s.now)) {
		rec := s.now[k]
		e.String(k)
		e.Blob(rec.Sum[:])
		e.Int(int(rec.Size))
		e.Strings(rec.Uses)
		e.String(rec.Path)
		e.String(rec.Integrity)
	}
	c.Put(entry, e.Bytes())
}

// sameKeys reports whether now holds the same keys as old: a record's
// contents follow from its key.
func sameKeys(old, now map[string]Record) bool {
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
