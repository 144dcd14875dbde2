// Command benchbook writes a synthetic book for benchmarks (see package
// guidebook/internal/testing/benchbook):
//
//	go run ./internal/testing/benchbook/cmd/benchbook -n 1000 -out DIR [-hugo]
//
// Without -hugo DIR becomes a guidebook site (build it with
// `guidebook build --src DIR`); with -hugo, a Hugo site (`hugo -s DIR`).
package main

import (
	"flag"
	"fmt"
	"os"

	"guidebook/internal/testing/benchbook"
)

func main() {
	n := flag.Int("n", 100, "number of chapters (1 to 10000)")
	out := flag.String("out", "", "directory to write the site into (required)")
	hugo := flag.Bool("hugo", false, "write a minimal Hugo site with the same chapters as plain Markdown")
	seed := flag.Uint64("seed", 1, "random seed; the same seed writes the same book")
	noWidgets := flag.Bool("no-widgets", false, "leave out the HOMA-IR calculators")
	dense := flag.Bool("dense", false, "a term every ninth word and a citation every fourth sentence (a stress test, 4.5x the guide's density)")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: benchbook -n N -out DIR [-hugo] [-seed S] [-no-widgets] [-dense]")
		os.Exit(2)
	}
	if err := benchbook.Generate(*out, *n, benchbook.Options{Seed: *seed, Hugo: *hugo, NoWidgets: *noWidgets, Dense: *dense}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
