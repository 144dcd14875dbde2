package publish

// Benchmarks of precompression and writing, over the published output of a
// 200-chapter synthetic book (internal/testing/benchbook) plus the shipped guide.
// BenchmarkPrecompress times each encoder on one core and reports its
// output size; the constants gzipLevel and brotliLevel were chosen from
// it. BenchmarkWritePublished times Precompress as `guidebook build` runs
// it against the old way (compress everything into memory, then write).
// The corpus is built by the guidebook command itself (package site
// imports this one, so the test cannot).
//
//	go test -run '^$' -bench 'Precompress|WritePublished' -benchtime 3x ./internal/publish/

import (
	"bytes"
	stdgzip "compress/gzip"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/andybalholm/brotli"

	"guidebook/internal/outdir"
	"guidebook/internal/output"
	"guidebook/internal/testing/benchbook"
	"guidebook/internal/testing/filetree"
	"guidebook/internal/workers"
)

var (
	corpusMu  sync.Mutex
	corpusOut = map[string]map[string][]byte{} // by corpusKey
)

// publishedCorpus builds, once per test binary, a 200-chapter book and the
// shipped guide as `guidebook build --minify` publishes them, with the
// guide's files under guide/, and reads them back without the compressed
// copies.
func publishedCorpus(b *testing.B) map[string][]byte { return corpus(b, 200, "--minify") }

// corpus is publishedCorpus for a book of n chapters, built with flags.
func corpus(b *testing.B, n int, flags ...string) map[string][]byte {
	b.Helper()
	corpusMu.Lock()
	defer corpusMu.Unlock()
	key := fmt.Sprint(n, flags)
	if out, ok := corpusOut[key]; ok {
		return out
	}
	dir := b.TempDir()
	book := filepath.Join(dir, "book")
	if err := benchbook.Generate(book, n, benchbook.Options{}); err != nil {
		b.Fatal(err)
	}
	out := map[string][]byte{}
	for _, site := range []struct{ dir, prefix string }{{book, ""}, {"../..", "guide/"}} {
		pub := filepath.Join(dir, "public-"+strings.TrimSuffix(site.prefix, "/"))
		args := append([]string{"run", "guidebook/cmd/guidebook", "build", "--base-url", "https://example.org/", "--src", site.dir, "--out", pub}, flags...)
		if msg, err := exec.Command("go", args...).CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, msg)
		}
		for p, d := range filetree.Read(b, pub) {
			if ext := path.Ext(p); ext != ".gz" && ext != ".br" {
				out[site.prefix+p] = d
			}
		}
	}
	corpusOut[key] = out
	return out
}

// compressibleFiles lists the files of out that get compressed siblings.
func compressibleFiles(out map[string][]byte) (files [][]byte, total int64) {
	var names []string
	for p, d := range out {
		if Precompressible(p, len(d)) {
			names = append(names, p)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		files = append(files, out[n])
		total += int64(len(out[n]))
	}
	return files, total
}

// BenchmarkPrecompress compresses every compressible file of the corpus
// once per iteration on one goroutine. MB/s is input bytes per second on
// one core; out-% is the compressed total over the input total.
func BenchmarkPrecompress(b *testing.B) {
	files, total := compressibleFiles(publishedCorpus(b))
	b.Logf("%d files, %.2f MB", len(files), float64(total)/1e6)
	type encoder func([]byte) ([]byte, error)
	run := func(b *testing.B, enc encoder) {
		b.ReportAllocs()
		out := encodeFiles(b, files, total, enc)
		b.ReportMetric(float64(out)/1e3, "out-kB")
	}

	// The encoders before this change: a new writer per file.
	b.Run("gzip/stdlib-9/new", func(b *testing.B) {
		run(b, func(d []byte) ([]byte, error) {
			var buf bytes.Buffer
			w, _ := stdgzip.NewWriterLevel(&buf, stdgzip.BestCompression)
			w.Write(d)
			err := w.Close()
			return buf.Bytes(), err
		})
	})
	b.Run("brotli/q5/new-4MiB-window", func(b *testing.B) {
		run(b, func(d []byte) ([]byte, error) {
			var buf bytes.Buffer
			w := brotli.NewWriterLevel(&buf, 5)
			w.Write(d)
			err := w.Close()
			return buf.Bytes(), err
		})
	})
	b.Run("brotli/q5/reused-4MiB-window", func(b *testing.B) {
		var buf bytes.Buffer
		w := brotli.NewWriterLevel(&buf, 5)
		run(b, func(d []byte) ([]byte, error) {
			buf.Reset()
			w.Reset(&buf)
			w.Write(d)
			err := w.Close()
			return buf.Bytes(), err
		})
	})
	b.Run("brotli/q5/new-sized-window", func(b *testing.B) {
		run(b, func(d []byte) ([]byte, error) {
			return (&classicBrotli{quality: 5}).compress(d)
		})
	})

	// The compressor, reused, at the candidate levels.
	for _, level := range []int{1, 5, 6, 7, 9} {
		b.Run(fmt.Sprintf("gzip/klauspost-%d/reused", level), func(b *testing.B) {
			c := &compressor{gzLevel: level}
			run(b, c.gzip)
		})
	}
	// The encoder built on andybalholm/brotli's newer matchfinder package,
	// as the compressor runs it.
	for _, level := range []int{4, 5, 6} {
		b.Run(fmt.Sprintf("brotli-v2/level-%d/reused", level), func(b *testing.B) {
			c := &compressor{brLevel: level}
			run(b, c.brotli)
		})
	}
	for _, q := range []int{4, 5, 6} {
		b.Run(fmt.Sprintf("brotli/q%d/reused-sized-window", q), func(b *testing.B) {
			c := &classicBrotli{quality: q}
			run(b, c.compress)
		})
	}
}

// BenchmarkPrecompressLevels is BenchmarkPrecompress for the levels
// compared in bench/README.md ("Cold build and memory (#17)"): the
// compressor at the current and cheaper levels over the output of a
// plain `guidebook build` (not minified, as most books are built) of
// GUIDEBOOK_BENCH_CHAPTERS chapters (default 1,000) and the guide.
func BenchmarkPrecompressLevels(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("GUIDEBOOK_BENCH_CHAPTERS")); err == nil {
		n = v
	}
	files, total := compressibleFiles(corpus(b, n))
	b.Logf("%d files, %.2f MB", len(files), float64(total)/1e6)
	run := func(b *testing.B, enc func([]byte) ([]byte, error)) { encodeFiles(b, files, total, enc) }
	for _, level := range []int{1, 2, 3, 4, 5, 6} {
		b.Run(fmt.Sprintf("gzip/%d", level), func(b *testing.B) {
			run(b, (&compressor{gzLevel: level}).gzip)
		})
	}
	for _, level := range []int{2, 3, 4} {
		b.Run(fmt.Sprintf("brotli-v2/%d", level), func(b *testing.B) {
			run(b, (&compressor{brLevel: level}).brotli)
		})
	}
}

// BenchmarkWritePublished writes the corpus with its compressed siblings
// to a temporary directory, as `guidebook build` does: "stream" is
// Precompress over a Dir; "before" emulates the old pipeline (every .gz and .br
// compressed into the Output with new standard-library and brotli
// writers, 8 goroutines, then Write). "plain" writes no compressed copies.
// peak-heap-MB is the largest live heap seen (the corpus itself is about
// a fifth of it).
func BenchmarkWritePublished(b *testing.B) {
	corpus := publishedCorpus(b)
	var total int64
	for _, d := range corpus {
		total += int64(len(d))
	}
	dest := filepath.Join(b.TempDir(), "public")
	bench := func(b *testing.B, write func() error) {
		b.SetBytes(total)
		mem := filetree.StartPeakSampler()
		b.ReportAllocs()
		for b.Loop() {
			if err := write(); err != nil {
				b.Fatal(err)
			}
		}
		mem.Report(b)
	}
	b.Run("stream", func(b *testing.B) {
		bench(b, func() error { return writeAll(corpus, dest, true) })
	})
	b.Run("before", func(b *testing.B) {
		bench(b, func() error {
			out := make(map[string][]byte, 3*len(corpus))
			var names []string
			for p, d := range corpus {
				out[p] = d
				if Precompressible(p, len(d)) {
					names = append(names, p)
				}
			}
			gz := make([][]byte, len(names))
			br := make([][]byte, len(names))
			workers.For(len(names), 8, func(i int) {
				d := corpus[names[i]]
				var g, r bytes.Buffer
				w, _ := stdgzip.NewWriterLevel(&g, stdgzip.BestCompression)
				w.Write(d)
				w.Close()
				bw := brotli.NewWriterLevel(&r, 5)
				bw.Write(d)
				bw.Close()
				gz[i], br[i] = g.Bytes(), r.Bytes()
			})
			for i, n := range names {
				out[n+".gz"], out[n+".br"] = gz[i], br[i]
			}
			return writeAll(out, dest, false)
		})
	})
	b.Run("plain", func(b *testing.B) {
		bench(b, func() error { return writeAll(corpus, dest, false) })
	})
}

// classicBrotli is the encoder guidebook used before brotliLevel: the
// library's classic brotli writer, reused, with a window sized to each
// file. It stays here as the baseline the table at gzipLevel compares to.
type classicBrotli struct {
	quality int
	buf     bytes.Buffer
	w       map[int]*brotli.Writer // by window size (lgwin)
}

func (c *classicBrotli) compress(data []byte) ([]byte, error) {
	c.buf.Reset()
	lg := brotliWindow(len(data))
	w := c.w[lg]
	if w == nil {
		if c.w == nil {
			c.w = map[int]*brotli.Writer{}
		}
		w = brotli.NewWriterOptions(&c.buf, brotli.WriterOptions{Quality: c.quality, LGWin: lg})
		c.w[lg] = w
	} else {
		w.Reset(&c.buf)
	}
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	err := w.Close()
	return c.buf.Bytes(), err
}

// brotliWindow is the brotli window (log2 of its size) for an n-byte
// file: the smallest that holds it (brotli's window is 2^lgwin - 16
// bytes), but at least 128 KiB and at most 1 MiB. A small file does not
// pay for a window it does not fill (the ring buffer of a file under one
// 64 KB block is allocated to its size, and is kept across Resets), and
// below
// lgwin 17 the encoder switches to another hash chain, which was 11%
// slower on the ~50 KB pages of BenchmarkPrecompress for 0.02% smaller
// output. Above 1 MiB, a wider window costs memory and time on big files
// and gains nothing: the encoder buffers the commands of a whole
// metablock, sized to twice the window, and on a 1,000-chapter book's
// 10.8 MB search index lgwin 20, 22 and 24 gave 25.14%, 25.14% and 25.11%
// of the input in 0.45, 1.2 and 1.9 s, allocating 47, 325 and 524 MB (its
// 8.7 MB glossary page: 5.72% at every width).
func brotliWindow(n int) int {
	const minLGWin, maxLGWin = 17, 20
	lg := minLGWin
	for lg < maxLGWin && 1<<lg-16 < n {
		lg++
	}
	return lg
}

// writeAll writes files to dir as the build's page workers do: one
// worker per CPU, through Precompress when precompress is set.
func writeAll(files map[string][]byte, dir string, precompress bool) error {
	// Without the previous run's manifest nothing is linked from it:
	// every run writes and compresses every file.
	os.Remove(filepath.Join(dir, outdir.ManifestName))
	d, err := output.NewDir(dir, outdir.Rule{})
	if err != nil {
		return err
	}
	var out output.Output = d
	if precompress {
		out = Precompress(d)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	errs := make([]error, len(names))
	workers.For(len(names), runtime.GOMAXPROCS(0), func(i int) { errs[i] = out.Put(names[i], files[names[i]]) })
	if err := errors.Join(errs...); err != nil {
		out.Abort()
		return err
	}
	return out.Commit()
}

// encodeFiles runs enc over every file each iteration, reports the share
// of the input its output takes (a file that does not shrink counts at
// its own size, as the build keeps no larger copy), and returns the
// output's size.
func encodeFiles(b *testing.B, files [][]byte, total int64, enc func([]byte) ([]byte, error)) int64 {
	b.SetBytes(total)
	var out int64
	for b.Loop() {
		out = 0
		for _, f := range files {
			z, err := enc(f)
			if err != nil {
				b.Fatal(err)
			}
			out += int64(min(len(z), len(f)))
		}
	}
	b.ReportMetric(100*float64(out)/float64(total), "out-%")
	return out
}
