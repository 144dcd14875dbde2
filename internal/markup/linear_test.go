//go:build unix

package markup

import (
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// pathological are the shapes of issue #14 item 9, each generated with n
// repetitions. Before the fixes each took minutes at the sizes of the
// issue (see bench/README.md, "Pathological inputs").
var pathological = []struct {
	name string
	gen  func(n int) string
}{
	{"identical headings", func(n int) string { return strings.Repeat("## Same\n\n", n) }},
	{"unclosed [[ on one line", func(n int) string { return strings.Repeat("[[", n) + "\n" }},
	{"unclosed [[ then ]]", func(n int) string { return strings.Repeat("[[ ", n) + "]]\n" }},
	{"unclosed [[term: on one line", func(n int) string { return strings.Repeat("[[term:", n) + "\n" }},
	{"unclosed [[term: then ]]", func(n int) string { return strings.Repeat("[[term:x ", n) + "]]\n" }},
	{"nested block quotes", func(n int) string { return strings.Repeat(">", n) + " deep\n" }},
	{"nested mixed lists", func(n int) string { return strings.Repeat("- 1. > * ", n/4) + "deep\n" }},
	{"chained footnotes", func(n int) string {
		var b strings.Builder
		b.WriteString("Start[^0]\n\n")
		for i := range n {
			b.WriteString("[^" + strconv.Itoa(i) + "]: see [^" + strconv.Itoa(i+1) + "]\n")
		}
		return b.String()
	}},
	{"unclosed [", func(n int) string { return strings.Repeat("[", n) + "\n" }},
	{"unclosed [a](", func(n int) string { return strings.Repeat("[a](", n) + "\n" }},
	{"unclosed [a](< with spaces", func(n int) string { return strings.Repeat("[a](< ", n) + "\n" }},
	{"chained links", func(n int) string { return strings.Repeat("[a](b.md)", n) + "\n" }},
}

// cpuTime is the process's CPU time: unlike the wall clock it does not
// grow when other processes load the machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestPathologicalInputsAreLinear runs each shape at n and 8n through the
// whole chapter pipeline and checks that the time grows about linearly:
// the ratio must stay under 3x the size ratio (a quadratic shape gives 8x
// the size ratio). It compares the fastest of a few runs, in CPU time, and
// never asserts an absolute time.
func TestPathologicalInputsAreLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	run := chapterPipeline(t)
	const n, factor, runs = 4000, 8, 2
	for _, p := range pathological {
		small, large := []byte(p.gen(n)), []byte(p.gen(n*factor))
		measure := func(src []byte) time.Duration {
			best := time.Duration(1<<63 - 1)
			for range runs {
				start := cpuTime()
				run(src)
				best = min(best, cpuTime()-start)
			}
			// Below the clock's resolution a ratio means nothing.
			return max(best, time.Millisecond)
		}
		// A loaded machine (other test binaries on both cores) can skew
		// one measurement; a linear shape passes within a few attempts,
		// while a quadratic one (a ratio near factor², 64) never does.
		var ratio float64
		for attempt := 0; attempt < 3; attempt++ {
			ts, tl := measure(small), measure(large)
			ratio = float64(tl) / float64(ts)
			t.Logf("%-30s n=%d: %v, n=%d: %v (ratio %.1f)", p.name, n, ts, n*factor, tl, ratio)
			if ratio <= 3*factor {
				break
			}
		}
		if ratio > 3*factor {
			t.Errorf("%s: %d times the input took %.1f times as long, in each of 3 attempts: not linear", p.name, factor, ratio)
		}
	}
}
