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

// TestPrecompressCache: with a Cache, each compressed copy is made once
// per content and settings; a second build takes them from the cache and
// writes the same files, and a changed file is compressed anew.
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
	if len(cache.m) != 2 || cache.hits != 0 {
		t.Fatalf("after one build: %d entries, %d hits", len(cache.m), cache.hits)
	}
	second := build(map[string][]byte{"index.html": page})
	if cache.hits != 2 {
		t.Fatalf("the second build took %d copies from the cache, want 2", cache.hits)
	}
	for name, want := range plain.Files() {
		if !bytes.Equal(first[name], want) || !bytes.Equal(second[name], want) {
			t.Errorf("%s differs from a build without the cache", name)
		}
	}
	build(map[string][]byte{"index.html": append(page, "edited"...)})
	if len(cache.m) != 4 || cache.hits != 2 {
		t.Fatalf("an edited page: %d entries, %d hits", len(cache.m), cache.hits)
	}
}
