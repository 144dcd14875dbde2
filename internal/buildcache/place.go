package buildcache

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"guidebook/internal/outdir"
)

// EnvDir is the environment variable naming the cache folder when no
// --cache-dir is given: a CI sets it once for every job.
const EnvDir = "GUIDEBOOK_CACHE_DIR"

// DefaultDir is the cache folder of the site at siteDir:
// $GUIDEBOOK_CACHE_DIR when set, else a folder of the user's cache
// folder named after the site's absolute path, so two sites never
// share entries they would only evict from each other.
func DefaultDir(siteDir string) (string, error) {
	if d := os.Getenv(EnvDir); d != "" {
		return d, nil
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("build cache: %w", err)
	}
	abs, err := filepath.Abs(siteDir)
	if err != nil {
		return "", fmt.Errorf("build cache: %w", err)
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(base, "guidebook", hex.EncodeToString(sum[:8])), nil
}

func check(dir, site string, outputs []string) error {
	if dir == "" {
		return errors.New("build cache: no folder")
	}
	return outdir.CheckCache(dir, site, outputs)
}

// Clean deletes the cache folder dir and everything in it, only if it
// holds Marker (a regular file, not a link): any other folder is left
// alone with an error wrapping outdir.ErrRefused. A missing folder is
// clean already.
func Clean(dir, site string) error {
	if err := check(dir, site, nil); err != nil {
		return err
	}
	info, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cache folder %s: %w", dir, err)
	}
	if !info.IsDir() {
		return outdir.Refusef("refusing to delete %s: it is not a folder", dir)
	}
	m, err := os.Lstat(filepath.Join(dir, Marker))
	if err != nil || !m.Mode().IsRegular() {
		return outdir.Refusef("refusing to delete %s: it is not a guidebook build cache (it has no %s file)", dir, Marker)
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("deleting the build cache %s: %w", dir, err)
	}
	return nil
}

var version = sync.OnceValue(func() string { return binaryVersion(nil) })

// Version identifies this guidebook binary as it really is (site.Version
// stays the same between development builds): the module build info of a
// binary built from a clean checkout (revision, toolchain, settings,
// dependencies), else a hash of the executable itself.
func Version() string { return version() }

// executableVersion is Version, with the executable's hash remembered in
// the cache under the executable's identity on disk (path, inode, size,
// modification and change times): hashing a development build on every
// run cost a warm build more than anything but its output.
func (c *Cache) executableVersion() string { return binaryVersion(c) }

func binaryVersion(memo *Cache) string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.modified" && s.Value == "false" {
				return Key("buildinfo", bi.String())
			}
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return unknownVersion()
	}
	var id string
	if info, err := os.Stat(exe); err == nil && memo != nil {
		if id = fileID(info); id != "" {
			if sum, ok := memo.get(memo.rawName(Key("executable", exe, id))); ok && len(sum) == sha256.Size {
				return Key("exe", string(sum))
			}
		}
	}
	data, err := os.ReadFile(exe)
	if err != nil {
		return unknownVersion()
	}
	sum := sha256.Sum256(data)
	if id != "" {
		dir, file := memo.rawName(Key("executable", exe, id))
		memo.put(dir, file, sum[:], writeAtomic)
	}
	return Key("exe", string(sum[:]))
}

// unknownVersion is a key no other run shares: with no way to tell this
// binary from another, the cache is never read.
func unknownVersion() string {
	return Key("unknown", fmt.Sprint(os.Getpid()), time.Now().String())
}
