// Package output is the last stage of the pipeline (load → resolve →
// render → write): where a built site's files go. Every destination is an
// Output: the staging folder swapped in atomically (Dir, for build and
// export), memory (Memory, for serve and check), a zip archive (Zip), and
// whatever a renderer joins the files into (export's single file). The
// pipeline hands each file to Put as soon as it is made and never asks
// which destination it has; publishing steps (minify, precompression,
// host files) wrap an Output in package publish.
//
// A new destination (an EPUB writer, a cache that hard-links unchanged
// files) is one more implementation of Output; no stage changes.
package output

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"guidebook/internal/outdir"
)

// An Output receives a build's files. Put is called from the page
// workers, so it must be safe for concurrent use; name is a
// slash-separated path relative to the site root. The Output owns data
// once Put returns: the caller neither changes nor reuses it. After the
// last Put the pipeline calls Commit, which makes every file visible at
// once, or Abort, which leaves the destination as it was.
type Output interface {
	Put(name string, data []byte) error
	Commit() error
	Abort()
}

// A Finisher does, in Finish, the part of its Commit that can fail for
// reasons of its own (joining pages, building an archive): Tee finishes
// every Output before committing any, so that a failure leaves every
// destination as it was.
type Finisher interface {
	Finish() error
}

// A StaticNoter is told which of the files put are the author's static
// files, copied from content/ as they are rather than made by the build
// (the write stage tells it after putting them). A File hands them to its
// join: a single file joins the pages and keeps static files as files.
type StaticNoter interface {
	NoteStatic(names []string)
}

// A Reuser is an Output that can take a file made from another one (a
// compressed copy) from what it held before instead of having it made
// again: Dir, whose previous folder's manifest says how each file was
// made. via names the making (method, level, library version), so that a
// file made another way, or by another version, is made again.
type Reuser interface {
	// Reuse puts name as the previous output holds it, if there it was
	// made by via from the same bytes as the file src put in this
	// build, and is untouched since; it reports whether it did.
	Reuse(name, src, via string) (bool, error)
	// PutMade is Put for a file made by via from the file src put in
	// this build, noted so that a later build can reuse it.
	PutMade(name, src, via string, data []byte) error
}

// A Keeper is an Output that can keep a file its previous contents hold
// without being handed the bytes: a caller that knows, from an earlier
// build, what the file it would put hashes to (the build cache remembers
// each page's hash under the page's key) then neither reads nor hashes
// the file. A step that changes or adds to a file on its way (minifying,
// compressing) keeps it only when it can keep what it would have made.
type Keeper interface {
	// Keep puts name as the previous output holds it, if those bytes are
	// the size bytes hashing to sum and are untouched since, and reports
	// whether it did. When it did not, the caller puts the file; a file
	// kept may still be put again, which replaces it.
	Keep(name string, sum outdir.Sum, size int64) (bool, error)
}

// Keep keeps name in out if out is a Keeper (see Keeper); it reports
// false for any other Output.
func Keep(out Output, name string, sum outdir.Sum, size int64) (bool, error) {
	if k, ok := out.(Keeper); ok {
		return k.Keep(name, sum, size)
	}
	return false, nil
}

// A Copier is an Output that is done with the bytes Put hands it when Put
// returns (it wrote or copied them), whatever the Output contract lets it
// keep: a caller may then hand it bytes it reuses afterwards, such as a
// page rendered into a pooled buffer, without copying them out first.
// The publishing steps pass the question on to the Output they wrap.
type Copier interface {
	CopiesOnPut() bool
}

// CopiesOnPut reports whether out is a Copier that is done with Put's
// bytes when Put returns.
func CopiesOnPut(out Output) bool {
	c, ok := out.(Copier)
	return ok && c.CopiesOnPut()
}

// Tee sends every file to each of outs.
func Tee(outs ...Output) Output { return tee(outs) }

type tee []Output

func (t tee) Put(name string, data []byte) error {
	for _, o := range t {
		if err := o.Put(name, data); err != nil {
			return err
		}
	}
	return nil
}

func (t tee) NoteStatic(names []string) {
	for _, o := range t {
		if n, ok := o.(StaticNoter); ok {
			n.NoteStatic(names)
		}
	}
}

func (t tee) Finish() error {
	for _, o := range t {
		if f, ok := o.(Finisher); ok {
			if err := f.Finish(); err != nil {
				return err
			}
		}
	}
	return nil
}

// Commit finishes every output, then commits them in order; if one fails
// to finish, all are aborted.
func (t tee) Commit() error {
	if err := t.Finish(); err != nil {
		t.Abort()
		return err
	}
	var errs []error
	for _, o := range t {
		errs = append(errs, o.Commit())
	}
	return errors.Join(errs...)
}

func (t tee) Abort() {
	for _, o := range t {
		o.Abort()
	}
}

// Memory holds a site in memory: `guidebook serve` answers from it, and
// `guidebook check` reads it.
type Memory struct {
	mu    sync.Mutex
	files map[string][]byte
}

// NewMemory returns an empty Memory.
func NewMemory() *Memory { return &Memory{files: map[string][]byte{}} }

// Put keeps data as it is (the Output owns it): watch mode compares two
// builds' files by identity first.
func (m *Memory) Put(name string, data []byte) error {
	m.mu.Lock()
	m.files[name] = data
	m.mu.Unlock()
	return nil
}

// Commit does nothing: the files are visible as they are put.
func (m *Memory) Commit() error { return nil }

// Abort forgets every file.
func (m *Memory) Abort() {
	m.mu.Lock()
	m.files = map[string][]byte{}
	m.mu.Unlock()
}

// Files returns the files by path. The map is the Memory's own.
func (m *Memory) Files() map[string][]byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.files
}

// Names returns the files' paths, sorted.
func (m *Memory) Names() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return sortedNames(m.files)
}

func sortedNames(files map[string][]byte) []string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// WriteFileAtomic writes data next to name and renames it into place, so
// a reader never sees half a file.
func WriteFileAtomic(name string, data []byte) error {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp-")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}

// File is an Output that joins a whole site into one file: its join
// function makes the file's bytes from every file put (Finish), and
// Commit writes them to its path atomically. Zip and export's single file
// are Files.
type File struct {
	path   string
	rule   outdir.Rule
	own    func(path string) bool // recognises guidebook's previous file at path
	join   JoinFunc
	mem    *Memory
	static []string // the author's static files among those put
	data   []byte
	done   bool
}

// A JoinFunc makes one file of a site: its files by path, and which of
// them are the author's static files (see StaticNoter).
type JoinFunc func(files map[string][]byte, static []string) ([]byte, error)

// NewFile returns a File writing join's result to path, which it replaces
// only as rule allows (outdir.CheckFile, with own recognising the file a
// previous export wrote there).
func NewFile(path string, rule outdir.Rule, own func(string) bool, join JoinFunc) *File {
	return &File{path: path, rule: rule, own: own, join: join, mem: NewMemory()}
}

// Put keeps the file for join.
func (f *File) Put(name string, data []byte) error { return f.mem.Put(name, data) }

// NoteStatic keeps the static files' names for join.
func (f *File) NoteStatic(names []string) { f.static = names }

// Finish joins the files.
func (f *File) Finish() error {
	if f.done {
		return nil
	}
	data, err := f.join(f.mem.Files(), f.static)
	if err != nil {
		return err
	}
	f.data, f.done = data, true
	return nil
}

// Size is the joined file's size once finished.
func (f *File) Size() int64 { return int64(len(f.data)) }

// Commit joins the files (unless Finish did) and writes the result. The
// target is checked again, as the file may have appeared during the build.
func (f *File) Commit() error {
	if err := f.Finish(); err != nil {
		return err
	}
	return WriteOwnedFile(f.path, f.rule, f.own, f.data)
}

// WriteOwnedFile writes data to path atomically (WriteFileAtomic) if rule
// allows replacing path (outdir.CheckFile, with own recognising the file
// a previous export wrote there), checked at the moment of writing.
func WriteOwnedFile(path string, rule outdir.Rule, own func(string) bool, data []byte) error {
	if err := outdir.CheckFile(path, rule, own); err != nil {
		return err
	}
	abs, err := filepath.Abs(path) // the path CheckFile looked at
	if err != nil {
		return err
	}
	return WriteFileAtomic(abs, data)
}

// Abort forgets the files; nothing was written.
func (f *File) Abort() { f.mem.Abort() }
