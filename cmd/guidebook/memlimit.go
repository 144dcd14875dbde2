package main

import (
	"os"
	"runtime/debug"
)

// oneShotMemoryLimit is the soft memory limit of `build` and `export`
// unless GOMEMLIMIT sets one. A large book's search index is held until
// the end, and with the collector's default pacing alone the process grew
// to nearly twice or three times its live heap: the limit makes it collect
// and return memory sooner as it nears the limit (bench/README.md, "Cold
// build and memory (#17)"). It is soft: a book whose live heap is larger
// still builds, with more collector work. Watch mode, which keeps every
// page for the next save, is left to the default.
const oneShotMemoryLimit = 320 << 20

// limitMemory applies oneShotMemoryLimit to build and export.
func limitMemory(args []string) {
	if len(args) == 0 || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	switch args[0] {
	case "build", "export":
		debug.SetMemoryLimit(oneShotMemoryLimit)
	}
}
