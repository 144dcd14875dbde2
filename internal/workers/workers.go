// Package workers runs a loop's iterations on a fixed number of
// goroutines. The pipeline's stages (site), the EPUB's chapters (ebook),
// the EPUB writer's compression (epub) and the output folder's stat calls
// (outdir) all hand out independent items this way; each
// iteration writes its own slot of a result slice, so the results keep
// the items' order whatever the scheduling.
package workers

import "sync"

// For calls f(0) … f(n-1) on at most count goroutines and returns when
// every call has. A count below one runs one goroutine.
func For(n, count int, f func(i int)) {
	if n == 0 {
		return
	}
	count = max(min(count, n), 1)
	var wg sync.WaitGroup
	next := make(chan int)
	for range count {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
