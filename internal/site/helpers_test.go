package site

import (
	"sort"
	"testing"

	"guidebook/internal/outdir"
	"guidebook/internal/output"
	"guidebook/internal/publish"
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
	d, err := output.NewDir(dir, outdir.Rule{})
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

// buildDir builds the site once into a fresh output.Dir at dir, as the
// build and export commands do: behind pub's publishing steps when pub is
// set (build), straight into the folder when not (export).
func buildDir(t *testing.T, opts Options, dir string, pub *publish.Options) {
	t.Helper()
	d, err := output.NewDir(dir, outdir.Rule{})
	if err != nil {
		t.Fatal(err)
	}
	var out output.Output = d
	if pub != nil {
		out = publish.Wrap(d, *pub)
	}
	if _, err := Build(opts, out); err != nil {
		t.Fatal(err)
	}
}
