package site

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"guidebook/internal/buildcache"
	"guidebook/internal/outdir"
	"guidebook/internal/output"
	"guidebook/internal/publish"
	"guidebook/internal/testing/filetree"
)

// The build cache's differential tests: a build reading the cache must
// write, byte for byte, what a cold build of the same sources writes,
// whatever the cache holds. Everything runs under t.TempDir().

// cacheRun builds the site once into the folder out as the build (Publish,
// with compression) or export command does, with the cache folder of
// copts (none when copts.Dir is ""), and returns the build's stats and
// the cache's warnings.
func cacheRun(t *testing.T, opts Options, copts buildcache.Options, out string) (Stats, []string, error) {
	t.Helper()
	var warnings []string
	var mu sync.Mutex
	var c *buildcache.Cache
	if copts.Dir != "" {
		if copts.Version == "" {
			copts.Version = "test"
		}
		copts.Warn = func(m string) { mu.Lock(); warnings = append(warnings, m); mu.Unlock() }
		var err error
		if c, err = buildcache.Open(copts); err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	opts.Cache = c
	d, err := output.NewDir(out, outdir.Rule{})
	if err != nil {
		t.Fatal(err)
	}
	var o output.Output = d
	if opts.Mode == Publish {
		pub := publish.Options{BaseURL: opts.BaseURL, HostFiles: true, Precompress: true}
		if c != nil {
			pub.Cache = c
		}
		o = publish.Wrap(d, pub)
	}
	res, err := Build(opts, o)
	if err != nil {
		return Stats{}, warnings, err
	}
	return res.Stats, warnings, nil
}

func copyGuide(t *testing.T, dir string) {
	t.Helper()
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
}

// cacheSite copies the guide into a new temporary folder, as site/, and
// returns the folder, build options for mode and the options of a cache
// in cache/ beside the site.
func cacheSite(t *testing.T, mode Mode, baseURL string) (string, Options, buildcache.Options) {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "site")
	copyGuide(t, dir)
	return root, Options{SiteDir: dir, Mode: mode, BaseURL: baseURL}, buildcache.Options{Dir: filepath.Join(root, "cache")}
}

// TestCachedBuildMatchesColdBuild runs watch mode's differential edits
// (guideEdits) as one-shot builds sharing a cache: after each edit, the
// build reading the cache the previous build filled (the warm-up), and a
// second one reading a cache holding everything, each equal a cold build.
func TestCachedBuildMatchesColdBuild(t *testing.T) {
	for _, mode := range []Mode{Publish, Export} {
		t.Run(modeName(mode), func(t *testing.T) {
			root, opts, copts := cacheSite(t, mode, "https://example.org/guide/")
			dir := opts.SiteDir
			cold, warm := filepath.Join(root, "cold"), filepath.Join(root, "warm")
			for _, e := range append(guideEdits(t, dir), badChapterEdits(t, dir)...) {
				e.do()
				_, _, coldErr := cacheRun(t, opts, buildcache.Options{}, cold)
				if e.broken {
					before := filetree.Read(t, warm)
					_, _, err := cacheRun(t, opts, copts, warm)
					if err == nil || coldErr == nil || err.Error() != coldErr.Error() {
						t.Fatalf("%s: cached build failed with\n%v\nthe cold build with\n%v", e.name, err, coldErr)
					}
					sameFiles(t, e.name+" (the previous output)", filetree.Read(t, warm), before)
					continue
				}
				if coldErr != nil {
					t.Fatalf("%s: cold build: %v", e.name, coldErr)
				}
				want := filetree.Read(t, cold)
				for _, pass := range []string{"after the edit", "fully warm"} {
					st, warnings, err := cacheRun(t, opts, copts, warm)
					if err != nil || len(warnings) > 0 {
						t.Fatalf("%s, %s: %v %q", e.name, pass, err, warnings)
					}
					sameFiles(t, e.name+", "+pass, filetree.Read(t, warm), want)
					if pass == "fully warm" && st.Parsed != 0 {
						t.Errorf("%s: a fully warm build parsed %d chapters", e.name, st.Parsed)
					}
					if e.name == "a paragraph" && pass == "after the edit" && st.Parsed != 1 {
						t.Errorf("one paragraph edited: %d chapters parsed, want 1", st.Parsed)
					}
				}
			}
		})
	}
}

// badChapterEdits are bad input the cache keeps the parse problems of: an
// unknown citation (a parse problem, part of the chapter's entry) and a
// broken link (a resolve problem), then the fix.
func badChapterEdits(t *testing.T, dir string) []siteEdit {
	p := filepath.Join(dir, "content", "bad.md")
	return []siteEdit{
		{name: "a chapter with bad input", broken: true, do: func() {
			write(t, p, "---\ntitle: Bad\norder: 9\n---\n\nCiting [@nosuch1999] and [[no-such-chapter]].\n")
		}},
		{name: "bad input again, its entry cached", broken: true, do: func() {}},
		{name: "the bad chapter removed", do: func() {
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
		}},
	}
}

// warmCache builds the guide in dir once into root/warm with the cache
// copts, and returns the cold build's files.
func warmCache(t *testing.T, opts Options, copts buildcache.Options, root string) map[string][]byte {
	t.Helper()
	if _, _, err := cacheRun(t, opts, copts, filepath.Join(root, "warm")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cacheRun(t, opts, buildcache.Options{}, filepath.Join(root, "cold")); err != nil {
		t.Fatal(err)
	}
	return filetree.Read(t, filepath.Join(root, "cold"))
}

// chapters counts the guide's chapters, the number a build that reads
// nothing from the cache parses.
func chapters(t *testing.T, dir string) int {
	t.Helper()
	md, err := filepath.Glob(filepath.Join(dir, "content", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	return len(md)
}

// TestCacheDamagedEntries: every entry corrupted, or truncated, is found
// by its checksum, rebuilt, never served.
func TestCacheDamagedEntries(t *testing.T) {
	for name, damage := range map[string]func([]byte) []byte{
		"corrupted": func(b []byte) []byte { b[len(b)/2] ^= 0x55; return b },
		"truncated": func(b []byte) []byte { return b[:len(b)*2/3] },
		// Every other entry: a chapter's entry whose body or page entry
		// is gone, and the other way round.
		"every other truncated": func(b []byte) []byte { return b[:len(b)*2/3] },
	} {
		for _, mode := range []Mode{Publish, Export} {
			t.Run(name+"/"+modeName(mode), func(t *testing.T) {
				root := t.TempDir()
				dir := filepath.Join(root, "site")
				copyGuide(t, dir)
				opts := Options{SiteDir: dir, Mode: mode, BaseURL: "https://example.org/"}
				copts := buildcache.Options{Dir: filepath.Join(root, "cache")}
				want := warmCache(t, opts, copts, root)
				n, seen := 0, 0
				filepath.WalkDir(copts.Dir, func(p string, d os.DirEntry, err error) error {
					if err == nil && !d.IsDir() && d.Name() != buildcache.Marker {
						seen++
						if strings.HasPrefix(name, "every other") && seen%2 == 0 {
							return nil
						}
						data, err := os.ReadFile(p)
						if err != nil {
							t.Fatal(err)
						}
						write(t, p, string(damage(data)))
						n++
					}
					return nil
				})
				if n == 0 {
					t.Fatal("the warm-up build wrote no entries")
				}
				st, warnings, err := cacheRun(t, opts, copts, filepath.Join(root, "warm"))
				if err != nil || len(warnings) > 0 {
					t.Fatalf("%v %q", err, warnings)
				}
				sameFiles(t, name, filetree.Read(t, filepath.Join(root, "warm")), want)
				if st.Parsed != chapters(t, dir) && !strings.HasPrefix(name, "every other") {
					t.Errorf("%d of %d chapters parsed: a damaged entry was used", st.Parsed, chapters(t, dir))
				}
				st, _, _ = cacheRun(t, opts, copts, filepath.Join(root, "warm"))
				if st.Parsed != 0 {
					t.Errorf("the rebuilt entries were not stored: %d parsed", st.Parsed)
				}
			})
		}
	}
}

// TestCacheKeepsOnlyUntouchedPages: a warm build keeps the pages and
// search index parts its output holds by the hashes the cache recorded,
// without reading or making them; one changed in the output since, even
// with its size and times put back, or removed, is put again.
func TestCacheKeepsOnlyUntouchedPages(t *testing.T) {
	for _, mode := range []Mode{Publish, Export} {
		t.Run(modeName(mode), func(t *testing.T) {
			root, opts, copts := cacheSite(t, mode, "https://example.org/")
			want := warmCache(t, opts, copts, root)
			warm := filepath.Join(root, "warm")
			if _, _, err := cacheRun(t, opts, copts, warm); err != nil {
				t.Fatal(err)
			}
			pages, err := filepath.Glob(filepath.Join(warm, "*", "index.html"))
			if err != nil || len(pages) < 2 {
				t.Fatalf("pages %v, %v", pages, err)
			}
			parts, err := filepath.Glob(filepath.Join(warm, "assets", "search", "*.js"))
			if err != nil || len(parts) == 0 {
				t.Fatalf("search index parts %v, %v", parts, err)
			}
			tamperInPlace(t, pages[0])
			tamperInPlace(t, parts[0])
			if err := os.Remove(pages[1]); err != nil {
				t.Fatal(err)
			}
			st, warnings, err := cacheRun(t, opts, copts, warm)
			if err != nil || len(warnings) > 0 {
				t.Fatalf("%v %q", err, warnings)
			}
			sameFiles(t, "pages changed in the output", filetree.Read(t, warm), want)
			if st.Parsed != 0 {
				t.Errorf("%d chapters parsed: the pages come from the cache", st.Parsed)
			}
		})
	}
}

// tamperInPlace overwrites p's bytes with as many others, and puts its
// modification time back.
func tamperInPlace(t *testing.T, p string) {
	t.Helper()
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, bytes.Repeat([]byte("x"), int(info.Size())), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, info.ModTime(), info.ModTime()); err != nil {
		t.Fatal(err)
	}
}

// TestCacheVersion: entries another guidebook binary wrote are not read.
func TestCacheVersion(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "site")
	copyGuide(t, dir)
	opts := Options{SiteDir: dir, Mode: Export}
	want := warmCache(t, opts, buildcache.Options{Dir: filepath.Join(root, "cache"), Version: "v1"}, root)
	st, _, err := cacheRun(t, opts, buildcache.Options{Dir: filepath.Join(root, "cache"), Version: "v2"}, filepath.Join(root, "warm"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Parsed != chapters(t, dir) {
		t.Errorf("a new guidebook version parsed %d of %d chapters", st.Parsed, chapters(t, dir))
	}
	sameFiles(t, "new version", filetree.Read(t, filepath.Join(root, "warm")), want)
}

// TestCacheUnusable: a read-only cache folder, or one that cannot be
// created, gives one warning (when the build has something to write) and
// a correct build. A read-only cache still serves what it holds: every
// entry is checksummed.
func TestCacheUnusable(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "site")
	copyGuide(t, dir)
	write(t, filepath.Join(root, "file"), "decoy")
	opts := Options{SiteDir: dir, Mode: Publish}
	cacheDir := filepath.Join(root, "cache")
	warmCache(t, opts, buildcache.Options{Dir: cacheDir}, root)
	// An edit, so that the builds below have entries to write.
	p := filepath.Join(dir, "content", "reflection.md")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	write(t, p, string(data)+"\nA new paragraph.\n")
	if _, _, err := cacheRun(t, opts, buildcache.Options{}, filepath.Join(root, "cold")); err != nil {
		t.Fatal(err)
	}
	want := filetree.Read(t, filepath.Join(root, "cold"))
	cases := map[string]string{"missing": filepath.Join(root, "file", "cache")}
	if os.Geteuid() != 0 {
		filepath.WalkDir(cacheDir, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				os.Chmod(p, 0o555)
			}
			return nil
		})
		t.Cleanup(func() {
			filepath.WalkDir(cacheDir, func(p string, d os.DirEntry, err error) error {
				if err == nil && d.IsDir() {
					os.Chmod(p, 0o755)
				}
				return nil
			})
		})
		cases["read-only"] = cacheDir
	} else if exec.Command("chattr", "-R", "+i", cacheDir).Run() == nil {
		t.Cleanup(func() { exec.Command("chattr", "-R", "-i", cacheDir).Run() })
		cases["read-only"] = cacheDir
	}
	for name, cdir := range cases {
		_, warnings, err := cacheRun(t, opts, buildcache.Options{Dir: cdir}, filepath.Join(root, "warm"))
		if err != nil || len(warnings) != 1 {
			t.Fatalf("%s cache: %v, warnings %q", name, err, warnings)
		}
		sameFiles(t, name, filetree.Read(t, filepath.Join(root, "warm")), want)
	}
	if data, _ := os.ReadFile(filepath.Join(root, "file")); string(data) != "decoy" {
		t.Error("the decoy file changed")
	}
}

// TestCacheConcurrentBuilds: two builds at once on one cache both write
// the cold build's files, and leave entries a third build reads whole.
func TestCacheConcurrentBuilds(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "site")
	copyGuide(t, dir)
	opts := Options{SiteDir: dir, Mode: Publish, BaseURL: "https://example.org/"}
	copts := buildcache.Options{Dir: filepath.Join(root, "cache")}
	if _, _, err := cacheRun(t, opts, buildcache.Options{}, filepath.Join(root, "cold")); err != nil {
		t.Fatal(err)
	}
	want := filetree.Read(t, filepath.Join(root, "cold"))
	var wg sync.WaitGroup
	for _, out := range []string{"a", "b"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, w, err := cacheRun(t, opts, copts, filepath.Join(root, out)); err != nil || len(w) > 0 {
				t.Errorf("build %s: %v %q", out, err, w)
			}
		}()
	}
	wg.Wait()
	sameFiles(t, "build a", filetree.Read(t, filepath.Join(root, "a")), want)
	sameFiles(t, "build b", filetree.Read(t, filepath.Join(root, "b")), want)
	st, _, err := cacheRun(t, opts, copts, filepath.Join(root, "c"))
	if err != nil || st.Parsed != 0 {
		t.Fatalf("after two builds at once: %v, %d parsed", err, st.Parsed)
	}
	sameFiles(t, "build c", filetree.Read(t, filepath.Join(root, "c")), want)
	temps, _ := filepath.Glob(filepath.Join(copts.Dir, "*", ".tmp-*"))
	if len(temps) > 0 {
		t.Errorf("temporary files left: %q", temps)
	}
}

// TestCacheSizeCap: with a cap smaller than one build's entries, the
// cache stays under it after the build, and builds stay correct.
func TestCacheSizeCap(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "site")
	copyGuide(t, dir)
	opts := Options{SiteDir: dir, Mode: Publish}
	const limit = 200 << 10
	copts := buildcache.Options{Dir: filepath.Join(root, "cache"), MaxSize: limit}
	want := warmCache(t, opts, copts, root)
	for range 2 {
		if _, _, err := cacheRun(t, opts, copts, filepath.Join(root, "warm")); err != nil {
			t.Fatal(err)
		}
		sameFiles(t, "capped", filetree.Read(t, filepath.Join(root, "warm")), want)
		var total int64
		filepath.WalkDir(copts.Dir, func(p string, d os.DirEntry, err error) error {
			if info, err := d.Info(); err == nil && !d.IsDir() && d.Name() != buildcache.Marker {
				total += info.Size()
			}
			return nil
		})
		if total > limit || total == 0 {
			t.Fatalf("cache holds %d bytes, cap %d", total, limit)
		}
	}
}

// TestCacheOptionsSeparate: a build with other options (base URL, minify)
// reads none of another's pages.
func TestCacheOptionsSeparate(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "site")
	copyGuide(t, dir)
	copts := buildcache.Options{Dir: filepath.Join(root, "cache")}
	warmCache(t, Options{SiteDir: dir, Mode: Publish, BaseURL: "https://a.example/"}, copts, root)
	for name, opts := range map[string]Options{
		"base URL": {SiteDir: dir, Mode: Publish, BaseURL: "https://b.example/docs/"},
		"minify":   {SiteDir: dir, Mode: Publish, BaseURL: "https://a.example/", Minify: true},
		"export":   {SiteDir: dir, Mode: Export},
	} {
		if _, _, err := cacheRun(t, opts, buildcache.Options{}, filepath.Join(root, "cold")); err != nil {
			t.Fatal(err)
		}
		if _, _, err := cacheRun(t, opts, copts, filepath.Join(root, "warm")); err != nil {
			t.Fatal(err)
		}
		sameFiles(t, name, filetree.Read(t, filepath.Join(root, "warm")), filetree.Read(t, filepath.Join(root, "cold")))
	}
}

// TestCachedBadInputNamesPositions: a parse problem kept in a chapter's
// entry is reported at its file:line:col again.
func TestCachedBadInputNamesPositions(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "site")
	copyGuide(t, dir)
	write(t, filepath.Join(dir, "content", "bad.md"), "---\ntitle: Bad\norder: 9\n---\n\nCiting [@nosuch1999].\n")
	copts := buildcache.Options{Dir: filepath.Join(root, "cache")}
	for range 2 {
		_, _, err := cacheRun(t, Options{SiteDir: dir, Mode: Export}, copts, filepath.Join(root, "warm"))
		if err == nil || !strings.Contains(err.Error(), `bad.md:6:9: unknown citation key "nosuch1999"`) {
			t.Fatalf("got %v", err)
		}
	}
}
