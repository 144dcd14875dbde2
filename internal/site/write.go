package site

import (
	"fmt"
	"sync"

	"guidebook/internal/content"
	"guidebook/internal/diag"
	"guidebook/internal/outdir"
	"guidebook/internal/output"
	"guidebook/internal/paths"
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
	if err := r.claim(name); err != nil {
		return err
	}
	if err := r.out.Put(name, data); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	r.written.done()
	return nil
}

// Keep keeps the file the output already holds (output.Keeper); a file
// not kept is left for Put.
func (r *recorder) Keep(name string, sum outdir.Sum, size int64) (bool, error) {
	if err := r.claim(name); err != nil {
		return false, err
	}
	kept, err := output.Keep(r.out, name, sum, size)
	if err != nil || !kept {
		r.mu.Lock()
		delete(r.names, name) // left for Put
		r.mu.Unlock()
		if err != nil {
			return false, fmt.Errorf("writing %s: %w", name, err)
		}
		return false, nil
	}
	r.written.done()
	return true, nil
}

// claim notes that name is written, and refuses a second file at it.
func (r *recorder) claim(name string) error {
	r.mu.Lock()
	dup := r.names[name]
	r.names[name] = true
	r.mu.Unlock()
	if dup {
		return fmt.Errorf("writing %s: two files would be written to %s", name, name)
	}
	return nil
}

// CopiesOnPut passes the question on (output.Copier).
func (r *recorder) CopiesOnPut() bool { return output.CopiesOnPut(r.out) }

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.names)
}

// claims are the generated files, which a static file may not clash
// with (paths.Claims).
func (r *recorder) claims() paths.Claims {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := make([]string, 0, len(r.names))
	for name := range r.names {
		names = append(names, name)
	}
	return paths.NewClaims(names)
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
	generated := out.claims()
	var errs diag.List
	for _, rel := range book.Static {
		data, err := book.ReadStatic(rel)
		if err != nil {
			errs.Add(err)
			continue
		}
		if clash := generated.Clash(rel); clash != "" {
			errs.Addf(diag.Pos{File: rel}, "file clashes with the generated %s", clash)
			continue
		}
		if err := out.Put(rel, data); err != nil {
			errs.Addf(diag.Pos{File: rel}, "%v", err)
		}
	}
	return errs.Err()
}
