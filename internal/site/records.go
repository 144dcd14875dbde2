package site

import (
	"guidebook/internal/buildcache"
	"guidebook/internal/records"
	"guidebook/internal/theme"
)

// The build cache's records of what the last build put (package
// records), under the keys the build cache's entries have.

// recordsKey keys the one entry holding a build's records.
func (b *Builder) recordsKey() string { return buildcache.Key("page records", b.cacheScope()) }

// partKey keys a search index part's record: search.Input.Keys names the
// part's chapters, the scope what the part's file name and integrity
// value depend on.
func (b *Builder) partKey(key string) string {
	return buildcache.Key("search part", b.cacheScope(), key)
}

// reusePart gives back the search index part recorded under key
// (search.Input.Reuse), its bytes described, not read.
func reusePart(s *records.Set, key string) (*theme.Asset, bool) {
	rec, ok := s.Lookup(key)
	if !ok || rec.Path == "" {
		return nil, false
	}
	return &theme.Asset{Path: rec.Path, Integrity: rec.Integrity, Sum: rec.Sum, Size: rec.Size}, true
}

// madePart records a search index part made under key (search.Input.Made).
func madePart(s *records.Set, key string, as *theme.Asset) {
	rec := records.Of(as.Data)
	rec.Path, rec.Integrity = as.Path, as.Integrity
	s.Add(key, rec)
}
