package site

import (
	"fmt"
	"path"
	"sort"
	"sync"

	"guidebook/internal/content"
	"guidebook/internal/diag"
	"guidebook/internal/output"
)

// recorder is the write stage's side of the Output: it passes every file
// on, refuses a second file at one path (two sources claimed it) and
// remembers the paths for the static-file clash check.
type recorder struct {
	out output.Output

	mu      sync.Mutex
	names   map[string]bool
	written *step
}

func newRecorder(out output.Output) *recorder {
	return &recorder{out: out, names: map[string]bool{}}
}

// Put passes the file on; it is called from the page workers.
func (r *recorder) Put(name string, data []byte) error {
	r.mu.Lock()
	dup := r.names[name]
	r.names[name] = true
	r.mu.Unlock()
	if dup {
		return fmt.Errorf("writing %s: two files would be written to %s", name, name)
	}
	if err := r.out.Put(name, data); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	r.written.done()
	return nil
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.names)
}

// paths maps every generated file, and every directory holding one, to
// that file: a static file may take neither place.
func (r *recorder) paths() map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := make([]string, 0, len(r.names))
	for name := range r.names {
		names = append(names, name)
	}
	sort.Strings(names) // a directory is named after its first file
	m := map[string]string{}
	for _, name := range names {
		m[name] = name
		for d := path.Dir(name); d != "."; d = path.Dir(d) {
			if _, ok := m[d]; ok {
				break
			}
			m[d] = name
		}
	}
	return m
}

// staticClash names the generated file a static file at rel would
// replace, stand in the directory of, or hold in its own directory.
func staticClash(generated map[string]string, rel string) string {
	if g, ok := generated[rel]; ok {
		return g
	}
	for d := path.Dir(rel); d != "."; d = path.Dir(d) {
		if g, ok := generated[d]; ok && g == d {
			return g
		}
	}
	return ""
}

// putStatic copies the author's static files (images, downloads) into
// the output. They come after every page: a precompressing Output lets an
// author's own NAME.gz replace the compressed sibling of NAME put earlier.
func (b *Builder) putStatic(book *content.Book, out *recorder) error {
	if len(book.Static) == 0 {
		return nil
	}
	if n, ok := out.out.(output.StaticNoter); ok {
		n.NoteStatic(book.Static)
	}
	generated := out.paths()
	var errs diag.List
	for _, rel := range book.Static {
		data, err := book.ReadStatic(rel)
		if err != nil {
			errs.Add(err)
			continue
		}
		if clash := staticClash(generated, rel); clash != "" {
			errs.Addf(diag.Pos{File: rel}, "file clashes with the generated %s", clash)
			continue
		}
		if err := out.Put(rel, data); err != nil {
			errs.Addf(diag.Pos{File: rel}, "%v", err)
		}
	}
	return errs.Err()
}
