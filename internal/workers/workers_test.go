package workers

import (
	"sync/atomic"
	"testing"
)

// Every index is handed out exactly once, whatever the number of workers
// (more workers than items, none asked for).
func TestForCallsEachIndexOnce(t *testing.T) {
	for _, count := range []int{-1, 0, 1, 3, 100} {
		const n = 50
		var calls [n]atomic.Int32
		For(n, count, func(i int) { calls[i].Add(1) })
		for i := range calls {
			if got := calls[i].Load(); got != 1 {
				t.Errorf("count %d: f(%d) called %d times, want 1", count, i, got)
			}
		}
	}
	For(0, 4, func(int) { t.Error("f called for n=0") })
}

// At most count calls run at once.
func TestForBoundsConcurrency(t *testing.T) {
	var running, most atomic.Int32
	For(40, 3, func(int) {
		r := running.Add(1)
		for {
			m := most.Load()
			if r <= m || most.CompareAndSwap(m, r) {
				break
			}
		}
		for range 1000 {
			_ = running.Load()
		}
		running.Add(-1)
	})
	if m := most.Load(); m > 3 {
		t.Errorf("%d calls ran at once, want at most 3", m)
	}
}
