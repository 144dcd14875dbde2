package site

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"guidebook/internal/buildcache"
	"guidebook/internal/outdir"
	"guidebook/internal/output"
	"guidebook/internal/publish"
	"guidebook/internal/testing/benchbook"
)

// BenchmarkCachedBuild compares, in one run, the one-shot builds of the
// 1,000-chapter benchbook that the build and export commands run: cold
// (no cache) and warm (one chapter edited since the last build, which
// filled the cache). Output goes to a folder on disk; build compresses.
// The previous output is moved aside before each run. Besides wall time
// it reports cpu-ms/op, the process's user and system
// time, which a shared machine disturbs less. bench/README.md records the
// ratio warm/cold.
//
//	go test -run '^$' -bench CachedBuild -benchtime 5x ./internal/site/
func BenchmarkCachedBuild(b *testing.B) {
	dir := (&benchBooks{root: b.TempDir()}).dir(b, 1000)
	file := benchbook.ChapterPath(dir, 500)
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	for _, mode := range []Mode{Publish, Export} {
		for _, warm := range []bool{false, true} {
			name := fmt.Sprintf("%s/cold", modeName(mode))
			if warm {
				name = fmt.Sprintf("%s/warm-one-edit", modeName(mode))
			}
			b.Run(name, func(b *testing.B) {
				cacheDir := filepath.Join(b.TempDir(), "cache")
				dest := filepath.Join(b.TempDir(), "out")
				run := func(i int) Stats {
					edit := fmt.Appendf(append([]byte(nil), orig...), "\nAn edited paragraph, version %d.\n", i)
					if err := os.WriteFile(file, edit, 0o644); err != nil {
						b.Fatal(err)
					}
					// The previous output aside, as bench/compare.sh does:
					// deleting it is the same for both and not the cache's.
					if err := os.Rename(dest, fmt.Sprintf("%s.%d", dest, i)); err != nil && !os.IsNotExist(err) {
						b.Fatal(err)
					}
					st, err := benchCachedRun(Options{SiteDir: dir, Mode: mode}, cacheDir, warm, dest)
					if err != nil {
						b.Fatal(err)
					}
					return st
				}
				run(-1) // the warm-up: fills the cache
				b.ResetTimer()
				cpu := cpuTime()
				for i := 0; i < b.N; i++ {
					if st := run(i); warm && st.Parsed != 1 {
						b.Fatalf("parsed %d chapters, want 1", st.Parsed)
					}
				}
				b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/op")
			})
		}
	}
}

// benchCachedRun is the command's run: open the cache (when warm), build
// into dest, close the cache (its eviction pass included).
func benchCachedRun(opts Options, cacheDir string, warm bool, dest string) (Stats, error) {
	var c *buildcache.Cache
	if warm {
		var err error
		if c, err = buildcache.Open(buildcache.Options{Dir: cacheDir, Version: "bench"}); err != nil {
			return Stats{}, err
		}
		defer c.Close()
	}
	opts.Cache = c
	d, err := output.NewDir(dest, outdir.Rule{})
	if err != nil {
		return Stats{}, err
	}
	var o output.Output = d
	if opts.Mode == Publish {
		pub := publish.Options{HostFiles: true, Precompress: true}
		if c != nil {
			pub.Cache = c
		}
		o = publish.Wrap(d, pub)
	}
	res, err := Build(opts, o)
	if err != nil {
		return Stats{}, err
	}
	return res.Stats, nil
}
