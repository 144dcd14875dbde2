package output

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"guidebook/internal/outdir"
	"guidebook/internal/workers"
)

// A Dir is an output directory being written: files land in a temporary
// sibling of the directory as they are produced, and Commit swaps the
// sibling in, so the directory only ever holds a complete site. A failed
// or killed build leaves the previous directory as it was (at worst a
// stray .NAME.tmp-* sibling, removed by the next build). The directory
// replaced is moved aside (.NAME.old-*), and the next build stages in it
// (recycles it) rather than in a new folder: making a thousand page
// folders and deleting the tree before last were most of a build's time
// after a small edit, on ext4 because freeing and allocating many inodes
// within a minute slows both (bench/README.md, "Issue #17 after the
// merge"). Commit prunes from it what the build did not put.
//
// Put is safe for concurrent use; it writes in the caller's goroutine,
// which in a build is already one of the page workers, so writing
// overlaps rendering and no page is held in memory longer than it takes
// to write it.
//
// A file whose bytes the previous folder already holds, untouched, is
// hard-linked from there instead of written (reuse.go), and the stage
// gets a manifest of what it holds (outdir.Manifest) for the next build.
type Dir struct {
	tmp, dst string
	unlock   func()           // releases the output's lock (outdir.Lock)
	prev     *outdir.Manifest // the previous folder's; nil: nothing is reused
	seen     map[string]seen  // the previous folder's files, as found at the start
	readAll  bool             // check every reused file's bytes, not only racy ones
	oldGone  chan struct{}    // closed once older folders moved aside are deleted
	recycled bool             // the stage is the folder before last, to be pruned

	mu   sync.Mutex
	dirs map[string]bool  // directories made so far
	next *outdir.Manifest // what the stage holds
}

// NewDir makes the temporary directory beside dir, after checking that
// dir is guidebook's to replace (outdir.CheckDir with rule) and taking its
// lock, so a concurrent build fails at once instead of removing this
// one's stage. Nothing under dir changes until Commit; the stage holds
// outdir.Marker from the start, so the folder it becomes is guidebook's.
func NewDir(dir string, rule outdir.Rule) (*Dir, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := outdir.CheckDir(dir, rule); err != nil {
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
	removeStale(parent, outdir.StagePrefix(name))
	d := &Dir{dst: abs, unlock: unlock, prev: outdir.ReadManifest(abs), next: outdir.NewManifest()}
	// Deleting or recycling an older folder moved aside changes the change
	// time of the files it shares with the previous one: look at those
	// first.
	d.seen = d.look()
	old := oldFolders(parent, outdir.OldPrefix(name))
	tmp, err := os.MkdirTemp(parent, outdir.StagePrefix(name))
	if err == nil && len(old) > 0 && os.Remove(tmp) == nil {
		// The folder before last becomes the stage: its folders exist and
		// most of its files are already the ones this build links, so
		// staging makes no folders and the old one needs no deleting
		// (bench/README.md, "Issue #17 after the merge"). Commit prunes
		// what this build did not put.
		if d.recycled = os.Rename(old[0], tmp) == nil; d.recycled {
			old = old[1:]
		} else {
			err = os.Mkdir(tmp, 0o700)
		}
	}
	if err == nil {
		err = os.Chmod(tmp, 0o755)
	}
	if err == nil {
		err = writeNew(filepath.Join(tmp, outdir.Marker), []byte(outdir.MarkerText))
	}
	if err != nil {
		if tmp != "" {
			os.RemoveAll(tmp)
		}
		unlock()
		return nil, fmt.Errorf("output directory: %w", err)
	}
	d.tmp, d.dirs = tmp, map[string]bool{tmp: true}
	d.oldGone = removeOld(old)
	return d, nil
}

// Put writes the file at slash-separated path name, replacing one put
// before (an author's NAME.gz replaces a compressed sibling).
func (s *Dir) Put(name string, data []byte) error { return s.put(name, data, outdir.Entry{}) }

// CopiesOnPut is true: Put writes the bytes before it returns (Copier).
func (s *Dir) CopiesOnPut() bool { return true }

// PutMade is Put for a file made by via from the file src (Reuser).
func (s *Dir) PutMade(name, src, via string, data []byte) error {
	from, ok := s.entry(src)
	if !ok {
		return fmt.Errorf("writing %s: %s, which it is made from, was not written", name, src)
	}
	return s.put(name, data, outdir.Entry{From: from.SHA256, Via: via})
}

// put writes data at name, or links the previous folder's copy of it,
// and notes it in the manifest with made's From and Via.
func (s *Dir) put(name string, data []byte, made outdir.Entry) error {
	p, err := s.stagePath(name)
	if err != nil {
		return err
	}
	sum := outdir.Sum(sha256.Sum256(data))
	e := outdir.Entry{Size: int64(len(data)), SHA256: sum, From: made.From, Via: made.Via}
	if prev, ok := s.previous(name); ok && prev.SHA256 == sum {
		if linked, _ := s.link(p, name, prev); linked {
			s.note(name, e)
			return nil
		}
	}
	if err := writeNew(p, data); err != nil {
		return err
	}
	s.note(name, e)
	return nil
}

// stagePath is where name goes in the stage, its folder made. Paths come
// from the generator, but a chapter id or static file name is still the
// author's text, so each is checked to stay inside the directory.
func (s *Dir) stagePath(name string) (string, error) {
	if !filepath.IsLocal(filepath.FromSlash(name)) {
		return "", fmt.Errorf("refusing to write %q: it would land outside the output directory", name)
	}
	p := filepath.Join(s.tmp, filepath.FromSlash(name))
	return p, s.mkdir(filepath.Dir(p))
}

// mkdir makes dir and its parents once per stage: a thousand pages in
// one folder cost one mkdir, not a thousand stat calls.
func (s *Dir) mkdir(dir string) error {
	s.mu.Lock()
	done := s.dirs[dir]
	s.mu.Unlock()
	if done {
		return nil
	}
	// A recycled stage may hold a file, or a link to a folder elsewhere
	// that MkdirAll would follow, where a folder goes; where it holds
	// the folder, there is nothing to make.
	exists := false
	if s.recycled {
		var err error
		if exists, err = clearPath(s.tmp, dir); err != nil {
			return err
		}
	}
	if !exists {
		if err := s.makeDir(dir); err != nil {
			return err
		}
	}
	s.mu.Lock()
	s.dirs[dir] = true
	s.mu.Unlock()
	return nil
}

// makeDir makes dir: in a folder made before, with one call (a page's
// folder in the stage's root, a thousand times in a build), else with
// its parents.
func (s *Dir) makeDir(dir string) error {
	s.mu.Lock()
	parentMade := s.dirs[filepath.Dir(dir)]
	s.mu.Unlock()
	if parentMade {
		if err := os.Mkdir(dir, 0o755); err == nil || errors.Is(err, fs.ErrExist) {
			return nil
		}
	}
	return os.MkdirAll(dir, 0o755)
}

// Commit replaces the output directory with the stage and moves the
// previous one aside. It writes the manifest last (outdir.Manifest.Write),
// once the older folders are deleted: their deletion changes the link
// counts, and so the change times, of the files they share with the new
// one. A manifest that cannot be written costs the next build its reuse,
// nothing else, so it does not fail a committed build.
func (s *Dir) Commit() error {
	defer s.unlock()
	var err error
	if s.recycled {
		err = s.prune()
	}
	if err == nil {
		err = swapDir(s.tmp, s.dst)
	}
	<-s.oldGone
	if err != nil {
		os.RemoveAll(s.tmp)
		return fmt.Errorf("replacing %s: %w", s.dst, err)
	}
	s.next.Write(s.dst)
	return nil
}

// clearPath removes whatever is not a folder (a file, a symbolic link)
// on the way from root down to dir, so that dir is made and written in
// as a folder of the stage. It reports whether dir is a folder already.
func clearPath(root, dir string) (bool, error) {
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		return false, err
	}
	p, exists := root, true
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		p = filepath.Join(p, part)
		info, err := os.Lstat(p)
		switch {
		case err != nil:
			exists = false
		case !info.IsDir():
			exists = false
			if err := os.Remove(p); err != nil {
				return false, err
			}
		}
	}
	return exists, nil
}

// prune removes from a recycled stage every file and folder this build
// did not put: the stage then holds exactly what a new one would. The
// stage's top-level folders (a page each) are walked side by side.
func (s *Dir) prune() error {
	keep := map[string]bool{outdir.Marker: true}
	for name := range s.next.Files {
		keep[name] = true
		for d := path.Dir(name); d != "."; d = path.Dir(d) {
			keep[d+"/"] = true
		}
	}
	top, err := os.ReadDir(s.tmp)
	if err != nil {
		return err
	}
	errs := make([]error, len(top))
	workers.For(len(top), runtime.GOMAXPROCS(0), func(i int) {
		errs[i] = s.pruneEntry(top[i], keep)
	})
	return errors.Join(errs...)
}

// pruneEntry removes e, an entry of the stage's top folder, or what is
// under it, unless this build put it (keep).
func (s *Dir) pruneEntry(e fs.DirEntry, keep map[string]bool) error {
	root := filepath.Join(s.tmp, e.Name())
	if !e.IsDir() {
		if keep[e.Name()] {
			return nil
		}
		return os.Remove(root)
	}
	var gone []string
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(s.tmp, p)
		rel = filepath.ToSlash(rel)
		if e.IsDir() {
			if !keep[rel+"/"] {
				gone = append(gone, p)
				return filepath.SkipDir
			}
			return nil
		}
		if !keep[rel] {
			gone = append(gone, p)
		}
		return nil
	})
	for _, p := range gone {
		if err == nil {
			err = os.RemoveAll(p)
		}
	}
	return err
}

// Abort removes the stage, leaving the output directory as it was.
func (s *Dir) Abort() {
	os.RemoveAll(s.tmp)
	<-s.oldGone
	s.unlock()
}

// swapDir makes tmp become dst and moves the previous dst aside (see
// outdir.OldPrefix). Where the OS can exchange two paths atomically
// (Linux), dst never disappears, even for an instant.
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
	name := filepath.Base(dst)
	old := filepath.Join(filepath.Dir(dst), outdir.OldPrefix(name)+strings.TrimPrefix(filepath.Base(tmp), outdir.StagePrefix(name)))
	if err := exchange(tmp, dst); err == nil {
		// tmp now holds the previous site; the new one is in place.
		if os.Rename(tmp, old) != nil {
			os.RemoveAll(tmp)
		}
		return nil
	}
	if err := os.Rename(dst, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Rename(old, dst)
		return err
	}
	return nil
}

// oldFolders lists the folders in parent whose names begin with prefix:
// the outputs earlier builds moved aside.
func oldFolders(parent, prefix string) []string {
	entries, _ := os.ReadDir(parent)
	var old []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) && e.IsDir() {
			old = append(old, filepath.Join(parent, e.Name()))
		}
	}
	return old
}

// removeOld deletes the folders old in the background; the channel is
// closed when it is done.
func removeOld(old []string) chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, p := range old {
			os.RemoveAll(p)
		}
	}()
	return done
}

// removeStale deletes the stages in parent (names beginning with prefix)
// that a killed build left.
func removeStale(parent, prefix string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			os.RemoveAll(filepath.Join(parent, e.Name()))
		}
	}
}
