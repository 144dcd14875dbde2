package site

import (
	"sync"
	"testing"

	"guidebook/internal/output"
	"guidebook/internal/publish"
)

// TestProgressCountsEveryStage: each stage reports every unit once, up to
// its total, in publish mode (pages rendered after the chapter loop) and
// export mode (chapter pages rendered inside it).
func TestProgressCountsEveryStage(t *testing.T) {
	for _, mode := range []Mode{Publish, Export} {
		var mu sync.Mutex
		last := map[string][2]int{}
		calls := map[string]int{}
		opts := Options{SiteDir: "../..", Mode: mode, Progress: func(stage string, done, total int) {
			mu.Lock()
			defer mu.Unlock()
			calls[stage]++
			if done > last[stage][0] {
				last[stage] = [2]int{done, total}
			}
		}}
		mem := output.NewMemory()
		var out output.Output = mem
		if mode == Publish {
			out = publish.Wrap(mem, publish.Options{HostFiles: true})
		}
		res, err := Build(opts, out)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][2]int{
			StageParsed:   {res.Stats.Chapters, res.Stats.Chapters},
			StageRendered: {res.Stats.Pages, res.Stats.Pages},
			StageWritten:  {res.Files, 0},
		}
		for stage, w := range want {
			if last[stage] != w || calls[stage] != w[0] {
				t.Errorf("mode %v, stage %s: last (done, total) %v after %d calls, want %v after %d", mode, stage, last[stage], calls[stage], w, w[0])
			}
		}
	}
}
