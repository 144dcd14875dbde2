package site

import (
	"guidebook/internal/output"
	"sort"
)

// Output is a build held in memory, as the tests read it.
type Output struct {
	Files    map[string][]byte
	External []string
	Stats    Stats
}

// buildMem runs b into a fresh output.Memory, as watch mode does.
func (b *Builder) buildMem() (*Output, error) {
	mem := output.NewMemory()
	res, err := b.Build(mem)
	if err != nil {
		return nil, err
	}
	return &Output{Files: mem.Files(), External: res.External, Stats: res.Stats}, nil
}

// writeFiles writes files to dir through an output.Dir, in path order,
// committing only if every file was written.
func writeFiles(files map[string][]byte, dir string) error {
	d, err := output.NewDir(dir)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := d.Put(n, files[n]); err != nil {
			d.Abort()
			return err
		}
	}
	return d.Commit()
}
