package main

import (
	"flag"
	"fmt"
	"io"

	"guidebook/internal/buildcache"
)

func init() {
	register(&command{name: "cache", synopsis: "cache clean [--src DIR] [--cache-dir DIR]",
		summary: "delete the build cache of build and export", run: cmdCache})
}

// cacheFlags are the build cache flags of build and export.
type cacheFlags struct {
	dir *string
	off *bool
}

func addCacheFlags(fs *flag.FlagSet) cacheFlags {
	return cacheFlags{
		dir: fs.String("cache-dir", "", "build cache `folder` (default $"+buildcache.EnvDir+", else one per site under the user cache folder); kept between runs so a build after an edit redoes only what changed"),
		off: fs.Bool("no-cache", false, "build without reading or writing the build cache"),
	}
}

// open opens the cache of the site at src for a run writing outputs, or
// returns nil for --no-cache. A cache that cannot be written is no cache,
// with one warning line on stderr; only a cache folder in a forbidden
// place (the sources, an output) is an error.
func (f cacheFlags) open(src string, outputs []string, stderr io.Writer) (*buildcache.Cache, error) {
	if *f.off {
		return nil, nil
	}
	dir := *f.dir
	if dir == "" {
		var err error
		if dir, err = buildcache.DefaultDir(src); err != nil {
			fmt.Fprintf(stderr, "guidebook: warning: %v; building without it\n", err)
			return nil, nil
		}
	}
	return buildcache.Open(buildcache.Options{
		Dir: dir, Site: src, Outputs: outputs,
		Warn: func(msg string) { fmt.Fprintln(stderr, msg) },
	})
}

func cmdCache(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "clean" {
		fmt.Fprintf(stderr, "Usage: guidebook %s\n", commands["cache"].synopsis)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return 0
		}
		return 2
	}
	fs := newFlags("cache", stderr)
	src := fs.String("src", ".", "site directory whose default cache folder is cleaned")
	dir := fs.String("cache-dir", "", "the cache `folder` to delete (default as for build); only a folder holding guidebook's "+buildcache.Marker+" file is deleted")
	if code, done := parseFlags(fs, args[1:]); done {
		return code
	}
	if *dir == "" {
		var err error
		if *dir, err = buildcache.DefaultDir(*src); err != nil {
			fmt.Fprintln(stderr, "guidebook cache clean:", err)
			return 1
		}
	}
	if err := buildcache.Clean(*dir, *src); err != nil {
		return report(stderr, err, "cache clean", *dir)
	}
	fmt.Fprintf(stdout, "guidebook: deleted the build cache %s\n", *dir)
	return 0
}
