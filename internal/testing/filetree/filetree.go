// Package filetree holds test helpers that write a small tree of files
// (a book, a decoy folder) and read a written output tree back: the
// site, export and command tests compare what a build put on disk. It is a test helper, not part of the pipeline.
package filetree

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"guidebook/internal/outdir"
)

// Read reads every file under dir, keyed by slash-separated relative
// path. The output manifest (outdir.ManifestName) is left out: it holds
// file times and inode numbers, which differ from build to build, and is
// not part of the site.
func Read(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == outdir.ManifestName {
			return nil
		}
		data, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// Write writes files (slash-separated relative path to content) under
// dir, making the folders they need.
func Write(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// PeakSampler polls the live heap while a benchmark runs. runtime/metrics
// reads are cheap (no stop-the-world, unlike runtime.ReadMemStats), so a
// 2 ms period barely disturbs the timing.
type PeakSampler struct {
	stop chan struct{}
	done chan uint64
}

// StartPeakSampler collects garbage and starts sampling.
func StartPeakSampler() *PeakSampler {
	runtime.GC()
	p := &PeakSampler{stop: make(chan struct{}), done: make(chan uint64)}
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-p.stop:
				p.done <- peak
				return
			case <-t.C:
			}
		}
	}()
	return p
}

// Report adds peak-heap-MB (largest live heap seen) and sys-MB (memory
// obtained from the OS by the end, an upper bound of the heap's peak).
func (p *PeakSampler) Report(b *testing.B) {
	close(p.stop)
	peak := <-p.done
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(ms.Sys)/(1<<20), "sys-MB")
}
