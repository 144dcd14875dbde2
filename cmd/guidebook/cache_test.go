package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"guidebook/internal/buildcache"
)

// TestMain points the build cache of every command run by these tests at
// a temporary folder: the default is under the user's cache folder, which
// a test must never touch.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "guidebook-cmd-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv(buildcache.EnvDir, filepath.Join(dir, "cache"))
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestCacheFlags: a build and an export with --cache-dir fill it and a
// second run writes the same files; --no-cache writes nothing to it;
// cache clean deletes it; a cache folder in the sources is refused.
func TestCacheFlags(t *testing.T) {
	site := copySite(t)
	root := t.TempDir()
	cache := filepath.Join(root, "cache")
	for _, cmd := range []string{"build", "export"} {
		cold := filepath.Join(root, cmd+"-cold")
		if code, _, e := runCLI(cmd, "--src", site, "--out", cold, "--no-cache", "--cache-dir", cache); code != 0 {
			t.Fatalf("%s --no-cache: exit %d\n%s", cmd, code, e)
		}
		if _, err := os.Stat(cache); !os.IsNotExist(err) {
			t.Fatalf("%s --no-cache made the cache folder: %v", cmd, err)
		}
	}
	for _, cmd := range []string{"build", "export"} {
		cold := filepath.Join(root, cmd+"-cold")
		warm := filepath.Join(root, cmd+"-warm")
		for range 2 {
			if code, _, e := runCLI(cmd, "--src", site, "--out", warm, "--cache-dir", cache); code != 0 || e != "" {
				t.Fatalf("%s: exit %d\n%s", cmd, code, e)
			}
		}
		if hashTree(t, warm) != hashTree(t, cold) {
			t.Errorf("%s: the cached run wrote other files than the cold one", cmd)
		}
	}
	if _, err := os.Stat(filepath.Join(cache, buildcache.Marker)); err != nil {
		t.Fatalf("no cache written: %v", err)
	}
	code, out, e := runCLI("cache", "clean", "--cache-dir", cache)
	if code != 0 || !strings.Contains(out, "deleted the build cache") {
		t.Fatalf("cache clean: exit %d\n%s%s", code, out, e)
	}
	if _, err := os.Stat(cache); !os.IsNotExist(err) {
		t.Fatalf("cache clean left %s: %v", cache, err)
	}
	decoy(t, filepath.Join(root, "mine"))
	before := hashTree(t, root)
	if code, _, e := runCLI("cache", "clean", "--cache-dir", filepath.Join(root, "mine")); code != 2 || !strings.Contains(e, "not a guidebook build cache") {
		t.Errorf("cache clean of a folder without the marker: exit %d\n%s", code, e)
	}
	for _, dir := range []string{filepath.Join(site, "content", ".cache"), filepath.Join(root, "out", "cache")} {
		if code, _, e := runCLI("build", "--src", site, "--out", filepath.Join(root, "out"), "--cache-dir", dir); code != 2 || !strings.Contains(e, "refusing") {
			t.Errorf("--cache-dir %s: exit %d\n%s", dir, code, e)
		}
	}
	if hashTree(t, root) != before {
		t.Error("a refused run changed files")
	}
}
