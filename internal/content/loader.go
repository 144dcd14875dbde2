package content

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"guidebook/internal/srcfile"
	"guidebook/internal/workers"
)

// A Loader loads the same book again and again, as watch mode does after
// every save. It keeps each source file's bytes and what was decoded from
// them, and re-reads a file only when its size, modification time or
// inode changed, so a rebuild after a one-chapter edit reads and decodes
// one chapter rather than the whole book.
//
// File times are coarse (the kernel stamps them from a clock that ticks
// every few milliseconds), so a file written twice within one tick can
// keep its time and size. As git does for its index ("racy git"), a file
// whose time was within racyWindow of the moment it was read is not
// trusted by its stat alone: the next load reads it again and compares
// the bytes. That costs one small read for the file being edited, and
// nothing for the rest of the book.
//
// A Loader is safe for use by one Load at a time; the zero value is ready.
type Loader struct {
	// Site is the site folder: a source file may be a symbolic link to a
	// file anywhere inside it, or inside the book folder, and nowhere
	// else. Empty means the book folder alone.
	Site string

	root  *srcfile.Root // of the Load under way
	mu    sync.Mutex
	dir   string
	files map[string]*cachedFile // by path relative to dir
}

const racyWindow = time.Second

type cachedFile struct {
	size    int64
	mtime   time.Time
	ino     uint64
	settled bool // stat equality proves the bytes are the same
	src     []byte
	val     any // what the file decoded to: *Chapter, []terms.Term or []bib.Entry
	err     error
}

// NewLoader returns an empty Loader.
func NewLoader() *Loader { return &Loader{} }

// source returns rel's bytes and the cache entry describing them. same
// reports that the bytes equal those of the previous load (the entry's val
// and err then still describe them). Errors are readSource's.
func (l *Loader) source(dir, rel string) (c *cachedFile, same bool, err error) {
	p := filepath.Join(dir, filepath.FromSlash(rel))
	l.mu.Lock()
	old := l.files[rel]
	l.mu.Unlock()
	// Stat before reading: a write that lands after the stat makes the
	// entry look older than its bytes, never newer, so the next load
	// re-reads it.
	info, statErr := os.Stat(p)
	if statErr == nil && old != nil && old.settled && old.matches(info) {
		return old, true, nil
	}
	now := time.Now()
	src, err := readSource(l.root, dir, rel)
	if err != nil {
		l.forget(rel)
		return nil, false, err
	}
	c = &cachedFile{src: src}
	if statErr == nil {
		c.size, c.mtime, c.ino = info.Size(), info.ModTime(), inode(info)
		c.settled = now.Sub(c.mtime) > racyWindow
	}
	if old != nil && bytes.Equal(old.src, src) {
		c.src, c.val, c.err = old.src, old.val, old.err
		same = true
	}
	l.mu.Lock()
	l.files[rel] = c
	l.mu.Unlock()
	return c, same, nil
}

func (c *cachedFile) matches(info os.FileInfo) bool {
	return info.Size() == c.size && info.ModTime().Equal(c.mtime) && inode(info) == c.ino
}

func (l *Loader) forget(rel string) {
	l.mu.Lock()
	delete(l.files, rel)
	l.mu.Unlock()
}

// decoded returns what decode makes of the file rel, from the cache when
// the file's bytes did not change since the last Load (problems included:
// a broken file is reported on every Load). The value of an unchanged
// file is the one returned before: callers must treat it as read-only,
// and may compare it by identity.
func decoded[T any](l *Loader, dir, rel string, decode func(rel string, src []byte) (T, error)) (T, error) {
	c, same, err := l.source(dir, rel)
	if err != nil {
		var zero T
		return zero, err
	}
	if same {
		if v, ok := c.val.(T); ok || c.err != nil {
			return v, c.err
		}
	}
	v, err := decode(rel, c.src)
	c.val, c.err = v, err
	return v, err
}

// chapters loads the chapter files in parallel; results keep the order of
// rels.
func (l *Loader) chapters(dir string, rels []string) ([]*Chapter, []error) {
	chs := make([]*Chapter, len(rels))
	errs := make([]error, len(rels))
	workers.For(len(rels), runtime.GOMAXPROCS(0), func(i int) {
		chs[i], errs[i] = decoded(l, dir, rels[i], ParseChapter)
	})
	return chs, errs
}

// reset empties the cache when the book directory changes, and drops
// entries of files no longer in the book.
func (l *Loader) reset(dir string, keep map[string]bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.files == nil || l.dir != dir {
		l.dir, l.files = dir, map[string]*cachedFile{}
		return
	}
	for rel := range l.files {
		if !keep[rel] {
			delete(l.files, rel)
		}
	}
}
