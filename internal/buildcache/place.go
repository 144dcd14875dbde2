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

var version = sync.OnceValue(binaryVersion)

// Version identifies this guidebook binary as it really is (site.Version
// stays the same between development builds): the module build info of a
// binary built from a clean checkout (revision, toolchain, settings,
// dependencies), else a hash of the executable itself.
func Version() string { return version() }

func binaryVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		clean := false
		for _, s := range bi.Settings {
			if s.Key == "vcs.modified" && s.Value == "false" {
				clean = true
			}
		}
		if clean {
			return Key("buildinfo", bi.String())
		}
	}
	exe, err := os.Executable()
	if err == nil {
		var data []byte
		if data, err = os.ReadFile(exe); err == nil {
			sum := sha256.Sum256(data)
			return Key("exe", string(sum[:]))
		}
	}
	// No way to tell this binary from another: a key no other run shares,
	// so the cache is never read.
	return Key("unknown", fmt.Sprint(os.Getpid()), fmt.Sprint(os.Getppid()), exe)
}
