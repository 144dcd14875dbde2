package publish

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"guidebook/internal/output"
)

// mapCache is a Cache in memory that counts its hits.
type mapCache struct {
	mu   sync.Mutex
	m    map[string][]byte
	hits int
}

func (c *mapCache) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	if ok {
		c.hits++
	}
	return v, ok
}

func (c *mapCache) Add(key string, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[key] = bytes.Clone(data)
}

// TestPrecompressCache: with a Cache, a file's compressed copies are
// made once per content and settings and kept together in one entry; a
// second build takes them from the cache and writes the same files, and
// a changed file is compressed anew.
func TestPrecompressCache(t *testing.T) {
	cache := &mapCache{m: map[string][]byte{}}
	page := []byte("<!doctype html><p>" + strings.Repeat("a page worth compressing ", 40))
	build := func(files map[string][]byte) map[string][]byte {
		mem := output.NewMemory()
		putAll(t, Wrap(mem, Options{Precompress: true, Cache: cache}), files)
		return mem.Files()
	}
	plain := output.NewMemory()
	putAll(t, Wrap(plain, Options{Precompress: true}), map[string][]byte{"index.html": page})
	first := build(map[string][]byte{"index.html": page})
	if len(cache.m) != 1 || cache.hits != 0 {
		t.Fatalf("after one build: %d entries, %d hits", len(cache.m), cache.hits)
	}
	second := build(map[string][]byte{"index.html": page})
	if cache.hits != 1 {
		t.Fatalf("the second build read %d entries, want 1 (both copies)", cache.hits)
	}
	for name, want := range plain.Files() {
		if !bytes.Equal(first[name], want) || !bytes.Equal(second[name], want) {
			t.Errorf("%s differs from a build without the cache", name)
		}
	}
	build(map[string][]byte{"index.html": append(page, "edited"...)})
	if len(cache.m) != 2 || cache.hits != 1 {
		t.Fatalf("an edited page: %d entries, %d hits", len(cache.m), cache.hits)
	}
}

// A cache entry of copies reads back as written; one too short for the
// length it starts with is no entry, and the copies are made again.
func TestCopiesEntry(t *testing.T) {
	copies := map[string][]byte{".gz": []byte("gzip bytes"), ".br": []byte("brotli")}
	got, ok := splitCopies(joinCopies(copies))
	if !ok || string(got[".gz"]) != "gzip bytes" || string(got[".br"]) != "brotli" {
		t.Fatalf("read back %q, %v", got, ok)
	}
	for _, bad := range [][]byte{nil, {0x80}, {20, 'x'}} {
		if _, ok := splitCopies(bad); ok {
			t.Errorf("%q read as copies", bad)
		}
	}
	page := []byte("<!doctype html><p>" + strings.Repeat("a page worth compressing ", 40))
	cache := &mapCache{m: map[string][]byte{copiesKey(page): {20, 'x'}}}
	mem := output.NewMemory()
	putAll(t, Wrap(mem, Options{Precompress: true, Cache: cache}), map[string][]byte{"index.html": page})
	plain := output.NewMemory()
	putAll(t, Wrap(plain, Options{Precompress: true}), map[string][]byte{"index.html": page})
	for name, want := range plain.Files() {
		if !bytes.Equal(mem.Files()[name], want) {
			t.Errorf("%s differs after a damaged entry", name)
		}
	}
}
