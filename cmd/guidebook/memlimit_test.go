package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestLimitMemory: build and export get the soft limit, watch mode and the
// other commands keep Go's default, and GOMEMLIMIT wins over it.
func TestLimitMemory(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(old) })
	for _, tc := range []struct {
		cmd  string
		env  string
		want int64
	}{
		{"build", "", oneShotMemoryLimit},
		{"export", "", oneShotMemoryLimit},
		{"serve", "", math.MaxInt64},
		{"check", "", math.MaxInt64},
		{"build", "1GiB", math.MaxInt64},
	} {
		debug.SetMemoryLimit(math.MaxInt64)
		t.Setenv("GOMEMLIMIT", tc.env)
		limitMemory([]string{tc.cmd, "--src", "x"})
		if got := debug.SetMemoryLimit(-1); got != tc.want {
			t.Errorf("%s (GOMEMLIMIT=%q): limit %d, want %d", tc.cmd, tc.env, got, tc.want)
		}
	}
}
