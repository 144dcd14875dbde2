package output

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"guidebook/internal/outdir"
)

// BenchmarkDirReuse writes 3,000 files of 10 KB (about a 1,000-chapter
// book with its compressed copies) into a folder holding the same files
// from a previous build: written afresh (no previous folder), linked after
// checking the stat data, or linked after reading every file's bytes
// (readAll). Each op includes the commit, and so the deletion of the older
// folder moved aside, in the background, by the next op.
func BenchmarkDirReuse(b *testing.B) {
	files := make([][]byte, 3000)
	for i := range files {
		files[i] = []byte(fmt.Sprintf("%05d %s", i, strings.Repeat("x", 10_000)))
	}
	for _, mode := range []string{"fresh", "stat", "read"} {
		b.Run(mode, func(b *testing.B) {
			dir := filepath.Join(b.TempDir(), "site")
			write := func(fresh bool) {
				d, err := NewDir(dir, outdir.Rule{})
				if err != nil {
					b.Fatal(err)
				}
				if fresh {
					d.prev, d.seen = nil, nil
				}
				d.readAll = mode == "read"
				for i, data := range files {
					if err := d.Put(fmt.Sprintf("d%02d/f%04d.html", i%30, i), data); err != nil {
						b.Fatal(err)
					}
				}
				if err := d.Commit(); err != nil {
					b.Fatal(err)
				}
			}
			write(true)
			b.ResetTimer()
			for b.Loop() {
				write(mode == "fresh")
			}
		})
	}
}
