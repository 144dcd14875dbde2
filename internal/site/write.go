package site

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"guidebook/internal/outdir"
)

// WriteOptions configure WriteWith.
type WriteOptions struct {
	// Precompress writes NAME.gz and NAME.br beside each text file (HTML,
	// CSS, JS, XML, TXT, JSON, SVG) over compressMin bytes, for servers
	// that serve precompressed files (nginx gzip_static, Caddy
	// precompressed). A copy that is not smaller than its original is left
	// out; servers then fall back to the original.
	Precompress bool
	// SiteDir and Force are the output-folder rule of outdir.CheckDir:
	// the folder is replaced only if it is missing, empty or was written
	// by guidebook (Force overrides that), and never if it is or holds
	// the home folder, the site folder or its sources. BuildTo sets
	// SiteDir from Options.SiteDir.
	SiteDir string
	Force   bool
}

// Write puts out into dir so that dir only ever holds a complete site: the
// files go to a temporary sibling directory, which then replaces dir in one
// rename. A failed or killed build leaves the previous dir as it was (at
// worst a stray .NAME.tmp-* sibling, removed by the next build).
func Write(out *Output, dir string) error {
	return WriteWith(out, dir, WriteOptions{})
}

// WriteWith is Write with options. Compressed copies are made by the write
// workers and go straight to disk, so they are never all in memory at once.
func WriteWith(out *Output, dir string, opts WriteOptions) error {
	st, err := NewStage(dir, opts)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(out.Files))
	for n := range out.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	// The files are written in parallel: an author's NAME.gz must win
	// over the sibling of NAME even when NAME is written first.
	for _, n := range names {
		st.claimed[n] = true
	}
	errs := make([]error, len(names))
	// One worker per CPU: with compression the work is CPU-bound, and
	// without it a page is a few kilobytes written to the page cache.
	parallel(len(names), runtime.GOMAXPROCS(0), func(i int) {
		errs[i] = st.Put(names[i], out.Files[names[i]])
	})
	if err := errors.Join(errs...); err != nil {
		st.Abort()
		return err
	}
	return st.Commit()
}

// A Stage is an output directory being written: files land in a temporary
// sibling of the directory as they are produced, and Commit swaps the
// sibling in. A one-shot build hands each page to Put as soon as it is
// rendered (Options.Emit), so writing overlaps rendering and no page is
// held in memory longer than it takes to write it.
//
// Put is safe for concurrent use; it writes in the caller's goroutine,
// which in a build is already one of the page workers.
type Stage struct {
	tmp, dst    string
	precompress bool
	unlock      func()           // releases the output's lock (outdir.Lock)
	comps       chan *compressor // one per CPU: compression is CPU-bound

	mu   sync.Mutex
	dirs map[string]bool // directories made so far
	put  map[string]bool // files written by Put
	// claimed are files that will be Put (WriteWith knows them all up
	// front): no compressed sibling is written in their place.
	claimed map[string]bool
}

// NewStage makes the temporary directory beside dir, after checking that
// dir is guidebook's to replace (outdir.CheckDir) and taking its lock, so
// a concurrent build fails at once instead of removing this one's stage.
// Nothing under dir changes until Commit; the stage holds outdir.Marker
// from the start, so the folder it becomes is guidebook's.
func NewStage(dir string, opts WriteOptions) (*Stage, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := outdir.CheckDir(dir, outdir.Rule{Site: opts.SiteDir, Force: opts.Force}); err != nil {
		return nil, err
	}
	parent, name := filepath.Dir(abs), filepath.Base(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("output directory: %w", err)
	}
	unlock, err := outdir.Lock(dir)
	if err != nil {
		return nil, err
	}
	removeStale(parent, name)
	tmp, err := os.MkdirTemp(parent, "."+name+".tmp-")
	if err == nil {
		err = os.Chmod(tmp, 0o755)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(tmp, outdir.Marker), []byte(outdir.MarkerText), 0o644)
	}
	if err != nil {
		if tmp != "" {
			os.RemoveAll(tmp)
		}
		unlock()
		return nil, fmt.Errorf("output directory: %w", err)
	}
	st := &Stage{tmp: tmp, dst: abs, precompress: opts.Precompress, unlock: unlock,
		dirs: map[string]bool{tmp: true}, put: map[string]bool{outdir.Marker: true}, claimed: map[string]bool{}}
	if opts.Precompress {
		n := runtime.GOMAXPROCS(0)
		st.comps = make(chan *compressor, n)
		for range n {
			st.comps <- newCompressor()
		}
	}
	return st, nil
}

// Put writes the file at slash-separated path name, with its compressed
// siblings when the stage precompresses. Paths come from the generator,
// but a chapter id or static file name is still the author's text, so
// each is checked to stay inside the stage. Writing one name twice is an
// error: two sources claimed the same output file.
func (s *Stage) Put(name string, data []byte) error {
	if !filepath.IsLocal(filepath.FromSlash(name)) {
		return fmt.Errorf("refusing to write %q: it would land outside the output directory", name)
	}
	s.mu.Lock()
	dup := s.put[name]
	s.put[name] = true
	s.mu.Unlock()
	if dup {
		return fmt.Errorf("two files would be written to %s", name)
	}
	p := filepath.Join(s.tmp, filepath.FromSlash(name))
	if err := s.mkdir(filepath.Dir(p)); err != nil {
		return err
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return err
	}
	if !s.precompress || !precompressible(name, len(data)) {
		return nil
	}
	c := <-s.comps
	defer func() { s.comps <- c }()
	return s.writeCompressed(c, p, name, data)
}

// mkdir makes dir and its parents once per stage: a thousand pages in
// one folder cost one mkdir, not a thousand stat calls.
func (s *Stage) mkdir(dir string) error {
	s.mu.Lock()
	done := s.dirs[dir]
	s.mu.Unlock()
	if done {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	s.mu.Lock()
	s.dirs[dir] = true
	s.mu.Unlock()
	return nil
}

// writeCompressed writes the compressed siblings of file n at path p. An
// author's own NAME.gz wins, as their robots.txt does: a sibling is never
// written over a file Put wrote, and the Builder puts static files after
// the pages, so one arriving later replaces the sibling.
func (s *Stage) writeCompressed(c *compressor, p, n string, data []byte) error {
	for _, enc := range []struct {
		ext string
		f   func([]byte) ([]byte, error)
	}{{".gz", c.gzip}, {".br", c.brotli}} {
		s.mu.Lock()
		own := s.put[n+enc.ext] || s.claimed[n+enc.ext]
		s.mu.Unlock()
		if own {
			continue
		}
		z, err := enc.f(data)
		if err != nil {
			return fmt.Errorf("compressing %s: %w", n, err)
		}
		if len(z) >= len(data) {
			continue
		}
		if err := os.WriteFile(p+enc.ext, z, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Commit replaces the output directory with the stage.
func (s *Stage) Commit() error {
	defer s.unlock()
	if err := swapDir(s.tmp, s.dst); err != nil {
		os.RemoveAll(s.tmp)
		return fmt.Errorf("replacing %s: %w", s.dst, err)
	}
	return nil
}

// Abort removes the stage, leaving the output directory as it was.
func (s *Stage) Abort() {
	os.RemoveAll(s.tmp)
	s.unlock()
}

// swapDir makes tmp become dst. Where the OS can exchange two paths
// atomically (Linux), dst never disappears, even for an instant.
func swapDir(tmp, dst string) error {
	info, err := os.Lstat(dst)
	if errors.Is(err, os.ErrNotExist) {
		return os.Rename(tmp, dst)
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%s exists and is not a directory", dst)
	}
	if err := exchange(tmp, dst); err == nil {
		return os.RemoveAll(tmp) // tmp now holds the previous site
	}
	old := tmp + ".old"
	if err := os.Rename(dst, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Rename(old, dst)
		return err
	}
	return os.RemoveAll(old)
}

func removeStale(parent, name string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "."+name+".tmp-") {
			os.RemoveAll(filepath.Join(parent, e.Name()))
		}
	}
}
