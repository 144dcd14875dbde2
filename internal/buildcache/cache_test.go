package buildcache

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"guidebook/internal/outdir"
)

// Every test works under t.TempDir(), with decoy files beside the cache
// folder that nothing may delete.

// open opens the cache at dir; warnings returns the warnings so far.
func open(t *testing.T, dir string, o Options) (c *Cache, warnings func() []string) {
	t.Helper()
	var warned []string
	var mu sync.Mutex
	o.Dir = dir
	if o.Version == "" {
		o.Version = "test-1"
	}
	o.Warn = func(msg string) {
		mu.Lock()
		warned = append(warned, msg)
		mu.Unlock()
	}
	c, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	return c, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), warned...)
	}
}

func decoy(t *testing.T, name string) func() {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte("decoy"), 0o644); err != nil {
		t.Fatal(err)
	}
	return func() {
		t.Helper()
		if data, err := os.ReadFile(name); err != nil || string(data) != "decoy" {
			t.Errorf("decoy %s touched: %q, %v", name, data, err)
		}
	}
}

func TestPutGet(t *testing.T) {
	root := t.TempDir()
	c, _ := open(t, filepath.Join(root, "cache"), Options{})
	if _, err := os.Stat(filepath.Join(root, "cache")); !os.IsNotExist(err) {
		t.Fatalf("Open made the folder before anything was written: %v", err)
	}
	if _, ok := c.Get("k"); ok {
		t.Fatal("hit in an empty cache")
	}
	c.Put("k", []byte("value"))
	if got, ok := c.Get("k"); !ok || string(got) != "value" {
		t.Fatalf("Get = %q, %v", got, ok)
	}
	c.Put("k", []byte("other")) // a second writer of the same key replaces it whole
	if got, _ := c.Get("k"); string(got) != "other" {
		t.Fatalf("after a second Put: %q", got)
	}
	if _, err := os.Stat(filepath.Join(root, "cache", Marker)); err != nil {
		t.Fatalf("no marker: %v", err)
	}
}

// TestVersionSeparates: a different guidebook binary never reads what
// another wrote.
func TestVersionSeparates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	a, _ := open(t, dir, Options{Version: "a"})
	a.Put("k", []byte("from a"))
	b, _ := open(t, dir, Options{Version: "b"})
	if got, ok := b.Get("k"); ok {
		t.Fatalf("version b read version a's entry %q", got)
	}
	if v := Version(); v == "" || v != binaryVersion(nil) {
		t.Fatal("Version is empty or unstable")
	}
}

func entryPath(t *testing.T, c *Cache, key string) string {
	t.Helper()
	dir, file := c.name(key)
	return filepath.Join(dir, file)
}

// TestDamagedEntryIsMiss: a corrupted or truncated entry is detected by
// its checksum, removed, never returned; a Put after it is served.
func TestDamagedEntryIsMiss(t *testing.T) {
	for name, damage := range map[string]func([]byte) []byte{
		"corrupted": func(b []byte) []byte { b[len(b)-3] ^= 0x20; return b },
		"truncated": func(b []byte) []byte { return b[:len(b)-4] },
		"header":    func(b []byte) []byte { return b[:5] },
		"empty":     func([]byte) []byte { return nil },
		"magic":     func(b []byte) []byte { b[0] = 'X'; return b },
	} {
		t.Run(name, func(t *testing.T) {
			c, _ := open(t, filepath.Join(t.TempDir(), "cache"), Options{})
			c.Put("k", []byte("a value long enough to damage"))
			p := entryPath(t, c, "k")
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, damage(data), 0o644); err != nil {
				t.Fatal(err)
			}
			if got, ok := c.Get("k"); ok {
				t.Fatalf("damaged entry served: %q", got)
			}
			if _, err := os.Stat(p); !os.IsNotExist(err) {
				t.Fatalf("damaged entry not removed: %v", err)
			}
			c.Put("k", []byte("rebuilt"))
			if got, ok := c.Get("k"); !ok || string(got) != "rebuilt" {
				t.Fatalf("after rebuild: %q, %v", got, ok)
			}
		})
	}
}

// TestMovedEntryIsMiss: an entry copied under another key's name fails
// its checksum, which covers the name.
func TestMovedEntryIsMiss(t *testing.T) {
	c, _ := open(t, filepath.Join(t.TempDir(), "cache"), Options{})
	c.Put("a", []byte("value of a"))
	data, err := os.ReadFile(entryPath(t, c, "a"))
	if err != nil {
		t.Fatal(err)
	}
	pb := entryPath(t, c, "b")
	os.MkdirAll(filepath.Dir(pb), 0o755)
	if err := os.WriteFile(pb, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, ok := c.Get("b"); ok {
		t.Fatalf("b served a's bytes %q", got)
	}
}

// readOnly makes dir unwritable, for root too (chattr +i), or skips.
func readOnly(t *testing.T, dir string) {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
		return
	}
	if err := exec.Command("chattr", "+i", dir).Run(); err != nil {
		t.Skipf("cannot make a folder read-only as root: %v", err)
	}
	t.Cleanup(func() { exec.Command("chattr", "-i", dir).Run() })
}

// TestReadOnlyCache: a cache folder that cannot be written is no cache,
// with one warning, and no failure.
func TestReadOnlyCache(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	c, _ := open(t, dir, Options{})
	c.Put("k", []byte("v"))
	readOnly(t, dir)
	c, warnings := open(t, dir, Options{})
	for i := range 3 {
		c.Put(fmt.Sprint(i), []byte("v"))
		c.Get(fmt.Sprint(i))
	}
	c.Close()
	if w := warnings(); len(w) != 1 || !strings.Contains(w[0], dir) {
		t.Fatalf("warnings = %q, want one naming %s", w, dir)
	}
}

// TestUncreatableCache: a cache folder that cannot be created (its
// parent is a file) is no cache, with one warning.
func TestUncreatableCache(t *testing.T) {
	root := t.TempDir()
	check := decoy(t, filepath.Join(root, "file"))
	c, warnings := open(t, filepath.Join(root, "file", "cache"), Options{})
	c.Put("k", []byte("v"))
	if _, ok := c.Get("k"); ok {
		t.Fatal("an uncreatable cache served an entry")
	}
	c.Close()
	if w := warnings(); len(w) != 1 {
		t.Fatalf("warnings = %q, want one", w)
	}
	check()
}

// TestMissingCacheIsCreated: a missing folder (and its parents) is made.
func TestMissingCacheIsCreated(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b", "cache")
	c, warnings := open(t, dir, Options{})
	c.Put("k", []byte("v"))
	if _, ok := c.Get("k"); !ok || len(warnings()) > 0 {
		t.Fatalf("missing folder: hit %v, warnings %q", ok, warnings())
	}
}

// TestConcurrentWriters: two caches on one folder writing and reading
// the same keys at once see whole entries only.
func TestConcurrentWriters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	a, _ := open(t, dir, Options{})
	b, _ := open(t, dir, Options{})
	value := func(k, w int) []byte { return bytes.Repeat([]byte(fmt.Sprintf("%d-%d;", k, w)), 2000) }
	var wg sync.WaitGroup
	for w, c := range []*Cache{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 5 {
				for k := range 40 {
					c.Put(fmt.Sprint(k), value(k, w))
					if got, ok := c.Get(fmt.Sprint((k + round) % 40)); ok {
						kk := (k + round) % 40
						if !bytes.Equal(got, value(kk, 0)) && !bytes.Equal(got, value(kk, 1)) {
							t.Errorf("key %d: a torn entry", kk)
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	for k := range 40 {
		if _, ok := a.Get(fmt.Sprint(k)); !ok {
			t.Errorf("key %d missing", k)
		}
	}
	temps, _ := filepath.Glob(filepath.Join(dir, "*", ".tmp-*"))
	if len(temps) > 0 {
		t.Errorf("temporary files left: %q", temps)
	}
}

// TestEvictsLeastRecentlyUsed: Close keeps the cache under its cap,
// evicting the entries used longest ago.
func TestEvictsLeastRecentlyUsed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	c, _ := open(t, dir, Options{MaxSize: 6000})
	val := bytes.Repeat([]byte("x"), 1000)
	old := time.Now().Add(-10 * time.Hour)
	for i := range 4 {
		c.Put(fmt.Sprint(i), val)
	}
	c.Close()
	for i := range 4 {
		// Entry i was last used i hours after the first, by earlier runs.
		at := old.Add(time.Duration(i) * time.Hour)
		os.Chtimes(entryPath(t, c, fmt.Sprint(i)), at, at)
	}
	c, _ = open(t, dir, Options{MaxSize: 6000})
	c.Get("0") // used now: the most recent
	c.Put("4", val)
	c.Put("5", val) // six entries of 1,016 bytes, over the cap of 6,000: one goes (down to 9/10 of the cap)
	c.Close()
	for k, want := range map[string]bool{"0": true, "1": false, "2": true, "3": true, "4": true, "5": true} {
		if _, err := os.Stat(entryPath(t, c, k)); (err == nil) != want {
			t.Errorf("entry %s kept = %v, want %v", k, err == nil, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, Marker)); err != nil {
		t.Errorf("eviction removed the marker: %v", err)
	}
}

// TestOpenRefuses: the cache is never put in the site's sources, an
// output folder, a folder holding one, or a folder of someone's files.
func TestOpenRefuses(t *testing.T) {
	root := t.TempDir()
	t.Setenv("HOME", filepath.Join(root, "home"))
	site := filepath.Join(root, "site")
	checks := []func(){
		decoy(t, filepath.Join(site, "content", "a.md")),
		decoy(t, filepath.Join(site, "templates", "x.html")),
		decoy(t, filepath.Join(site, "assets", "x.css")),
		decoy(t, filepath.Join(root, "public", "index.html")),
		decoy(t, filepath.Join(root, "mine", "notes.txt")),
		decoy(t, filepath.Join(root, "home", "notes.txt")),
	}
	outputs := []string{filepath.Join(root, "public")}
	for _, dir := range []string{
		filepath.Join(site, "content", ".cache"),
		filepath.Join(site, "templates", "cache"),
		filepath.Join(site, "assets", "cache"),
		site,
		root,
		filepath.Join(root, "public", "cache"),
		filepath.Join(root, "mine"),
		filepath.Join(root, "home"),
		"/",
	} {
		_, err := Open(Options{Dir: dir, Version: "t", Site: site, Outputs: outputs})
		if !errors.Is(err, outdir.ErrRefused) {
			t.Errorf("Open(%s) = %v, want a refusal", dir, err)
		}
	}
	for _, dir := range []string{filepath.Join(site, ".cache"), filepath.Join(root, "elsewhere", "cache")} {
		if _, err := Open(Options{Dir: dir, Version: "t", Site: site, Outputs: outputs}); err != nil {
			t.Errorf("Open(%s) = %v", dir, err)
		}
	}
	for _, c := range checks {
		c()
	}
}

// TestClean deletes a cache folder and nothing else: not a folder without
// the marker, not one whose marker is a link, not the sources.
func TestClean(t *testing.T) {
	root := t.TempDir()
	site := filepath.Join(root, "site")
	checks := []func(){
		decoy(t, filepath.Join(site, "content", "a.md")),
		decoy(t, filepath.Join(root, "mine", "notes.txt")),
		decoy(t, filepath.Join(root, "beside.txt")),
		decoy(t, filepath.Join(root, "linked", "notes.txt")),
	}
	if err := os.Symlink(filepath.Join(root, "beside.txt"), filepath.Join(root, "linked", Marker)); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "cache")
	c, _ := open(t, dir, Options{})
	c.Put("k", []byte("v"))
	if err := Clean(dir, site); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("cache folder still there: %v", err)
	}
	if err := Clean(dir, site); err != nil {
		t.Fatalf("cleaning a missing cache: %v", err)
	}
	for _, d := range []string{filepath.Join(root, "mine"), filepath.Join(root, "linked"), filepath.Join(site, "content"), filepath.Join(root, "beside.txt")} {
		if err := Clean(d, site); !errors.Is(err, outdir.ErrRefused) {
			t.Errorf("Clean(%s) = %v, want a refusal", d, err)
		}
	}
	for _, c := range checks {
		c()
	}
}

func TestDefaultDir(t *testing.T) {
	root := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", filepath.Join(root, "xdg"))
	t.Setenv(EnvDir, "")
	a, err := DefaultDir(filepath.Join(root, "a"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := DefaultDir(filepath.Join(root, "b"))
	if a == b || !strings.HasPrefix(a, filepath.Join(root, "xdg", "guidebook")) {
		t.Fatalf("DefaultDir: %s, %s", a, b)
	}
	t.Setenv(EnvDir, filepath.Join(root, "ci"))
	if d, _ := DefaultDir(filepath.Join(root, "a")); d != filepath.Join(root, "ci") {
		t.Fatalf("with %s set: %s", EnvDir, d)
	}
}

func TestCodec(t *testing.T) {
	var e Enc
	e.Int(-5)
	e.Bool(true)
	e.String("héllo")
	e.Blob([]byte{0, 1, 2})
	e.Strings([]string{"a", "", "c"})
	d := NewDec(e.Bytes())
	if d.Int() != -5 || !d.Bool() || d.String() != "héllo" || !bytes.Equal(d.Blob(), []byte{0, 1, 2}) ||
		strings.Join(d.Strings(), ",") != "a,,c" || d.Err() != nil {
		t.Fatal("round trip differs")
	}
	for n := range len(e.Bytes()) {
		d := NewDec(e.Bytes()[:n])
		_, _, _, _, _ = d.Int(), d.Bool(), d.String(), d.Blob(), d.Strings()
		if d.Err() == nil {
			t.Errorf("a %d-byte prefix decoded without error", n)
		}
	}
}

// TestConcurrentOpen: builds starting at once on a new cache folder all
// get the cache.
func TestConcurrentOpen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := Open(Options{Dir: dir, Version: "t", Warn: func(m string) { t.Errorf("open %d: %s", i, m) }})
			if err != nil {
				t.Errorf("open %d: %v", i, err)
				return
			}
			c.Put(fmt.Sprint(i), []byte("v"))
		}()
	}
	wg.Wait()
}

// TestExecutableVersion: without Options.Version the cache keys entries
// by this binary; the executable's hash is remembered in the cache, and
// a damaged memo is recomputed, never trusted.
func TestExecutableVersion(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	c, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	v := c.binary()
	if v != Version() {
		t.Fatalf("the cache's version %s is not Version() %s", v, Version())
	}
	c.Put("k", []byte("v"))
	memos, _ := filepath.Glob(filepath.Join(dir, "*", "*"))
	for _, m := range memos {
		data, _ := os.ReadFile(m)
		os.WriteFile(m, append(data, 'x'), 0o644) // every entry damaged, the memo too
	}
	c2, _ := Open(Options{Dir: dir})
	if c2.binary() != v {
		t.Fatal("a damaged memo changed the version")
	}
	if _, ok := c2.Get("k"); ok {
		t.Fatal("a damaged entry served")
	}
	c2.Put("k", []byte("v"))
	c3, _ := Open(Options{Dir: dir})
	if got, ok := c3.Get("k"); !ok || string(got) != "v" || c3.binary() != v {
		t.Fatalf("a third run: %q %v", got, ok)
	}
}

// TestSizeCountedAcrossRuns: Close keeps a running count of the cache's
// size, so runs under the cap do not walk the entries, and the run that
// takes it over the cap evicts.
func TestSizeCountedAcrossRuns(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	val := bytes.Repeat([]byte("x"), 1000)
	size := func() int64 {
		var total int64
		files, _ := filepath.Glob(filepath.Join(dir, "??", "*"))
		for _, f := range files {
			if info, err := os.Stat(f); err == nil {
				total += info.Size()
			}
		}
		return total
	}
	for run := range 4 {
		c, _ := open(t, dir, Options{MaxSize: 5500})
		for k := range 2 {
			c.Put(fmt.Sprint(run, k), val)
		}
		c.Close()
		if got := size(); got > 5500 {
			t.Fatalf("run %d: the cache holds %d bytes, over its cap", run, got)
		}
		data, _ := os.ReadFile(filepath.Join(dir, sizeFile))
		if want := fmt.Sprint(size()); strings.TrimSpace(string(data)) != want {
			t.Errorf("run %d: the count says %q, the entries take %s", run, data, want)
		}
	}
}

// TestKeepsWhatTheRunUsed: a run whose entries alone take more than the
// cap keeps them all, and only them: older entries go, and the next run,
// which needs the same entries, finds every one.
func TestKeepsWhatTheRunUsed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	val := bytes.Repeat([]byte("x"), 1000)
	c, _ := open(t, dir, Options{MaxSize: 2500})
	c.Put("old", val)
	at := time.Now().Add(-2 * time.Hour)
	os.Chtimes(entryPath(t, c, "old"), at, at)
	c.Close()
	for run := range 2 {
		c, _ = open(t, dir, Options{MaxSize: 2500})
		for k := range 4 {
			if _, ok := c.Get(fmt.Sprint(k)); !ok {
				if run > 0 {
					t.Errorf("run %d: entry %d was evicted after the run that used it", run, k)
				}
				c.Put(fmt.Sprint(k), val)
			}
		}
		c.Close()
		if _, err := os.Stat(entryPath(t, c, "old")); err == nil {
			t.Errorf("run %d: the entry no run used is kept over the cap", run)
		}
	}
}

// TestAdd: Add writes an entry in place unless the key holds one; an
// entry left half written (a writer killed, or read while being
// written) is a miss that Get removes, and the next Add writes it whole.
func TestAdd(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	c, _ := open(t, dir, Options{})
	c.Add("page", []byte("the page"))
	if got, ok := c.Get("page"); !ok || string(got) != "the page" {
		t.Fatalf("Get after Add: %q, %v", got, ok)
	}
	p := entryPath(t, c, "page")
	before, _ := os.Stat(p)
	c.Add("page", []byte("the page"))
	if after, _ := os.Stat(p); !os.SameFile(before, after) {
		t.Error("Add wrote over an entry the key held")
	}
	whole, _ := os.ReadFile(p)
	if err := os.WriteFile(p, whole[:len(whole)-3], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get("page"); ok {
		t.Fatal("a half-written entry was served")
	}
	if _, err := os.Stat(p); err == nil {
		t.Error("the half-written entry was not removed")
	}
	c.Add("page", []byte("the page"))
	if got, ok := c.Get("page"); !ok || string(got) != "the page" {
		t.Errorf("Get after Add again: %q, %v", got, ok)
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, "??", ".tmp-*")); len(tmp) > 0 {
		t.Errorf("Add left temporary files: %v", tmp)
	}
}
