package main

import (
	"os"
	"runtime/debug"
)

// oneShotMemoryLimit is the soft memory limit of `export` unless
// GOMEMLIMIT sets one. Export holds a large book's search index until the
// end, and with the collector's default pacing alone the process grew to
// nearly three times its live heap: the limit makes it collect and return
// memory sooner as it nears the limit (bench/README.md, "Cold build and
// memory (#17)"). It is soft: a book whose live heap is larger still
// builds, with more collector work, which is why `build` (whose live heap
// at 10,000 chapters is near the limit) and watch mode (which keeps every
// page for the next save) are left to the default.
const oneShotMemoryLimit = 320 << 20

// limitMemory applies oneShotMemoryLimit to export.
func limitMemory(args []string) {
	if len(args) == 0 || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	switch args[0] {
	case "export":
		debug.SetMemoryLimit(oneShotMemoryLimit)
	}
}
