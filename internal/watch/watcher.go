package watch

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Watcher turns file-system events below a site's source folders into
// debounced batches of changed paths. It knows nothing of building or
// HTTP, so it is tested on its own.
//
// inotify watches directories, not trees, so every directory is watched
// and a directory created later (mkdir, git checkout, an unzipped folder)
// is added when its Create event arrives. Watching directories rather than
// files is also what makes editors that save by replacing the file work
// (vim's backup-rename, JetBrains' safe write: the old file is renamed
// or removed and a new one takes its name): the directory's watch sees
// the new file's Create, and no per-file watch goes stale.
type Watcher struct {
	root     string
	dirs     map[string]bool // top-level folders watched as trees
	debounce time.Duration
	maxWait  time.Duration
	fw       *fsnotify.Watcher
	watched  map[string]bool
}

// NewWatcher watches root itself (so that a top-level folder created later
// is noticed) and the trees root/DIR for each of dirs that exists. Watches
// are in place when it returns: an edit made afterwards is seen.
func NewWatcher(root string, dirs []string, debounce time.Duration) (*Watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &Watcher{root: root, dirs: map[string]bool{}, debounce: debounce, fw: fw, watched: map[string]bool{}}
	// A long burst (a git checkout of many files) still builds now and
	// then rather than waiting for silence.
	w.maxWait = 10 * debounce
	for _, d := range dirs {
		w.dirs[d] = true
	}
	if err := w.add(root); err != nil {
		fw.Close()
		return nil, err
	}
	for _, d := range dirs {
		if _, err := w.addTree(filepath.Join(root, d)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			fw.Close()
			return nil, err
		}
	}
	return w, nil
}

func (w *Watcher) add(dir string) error {
	if w.watched[dir] {
		return nil
	}
	if err := w.fw.Add(dir); err != nil {
		return err
	}
	w.watched[dir] = true
	return nil
}

// addTree watches dir and every directory below it, and returns the files
// found: a folder that appears with files already in it (moved in, or
// filled before its watch was added) reports them as changed.
func (w *Watcher) addTree(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			return nil // vanished while walking: its Remove event follows
		}
		if d.IsDir() {
			if p != dir && ignored(d.Name()) {
				return filepath.SkipDir
			}
			return w.add(p)
		}
		if !ignored(d.Name()) {
			files = append(files, p)
		}
		return nil
	})
	return files, err
}

// Run delivers batches to onChange until ctx is cancelled, then closes the
// watcher. A batch lists paths relative to root, slash-separated and
// sorted; nil means "anything may have changed" (the kernel's event queue
// overflowed). onChange runs on Run's goroutine: events arriving during a
// build queue up and form the next batch.
func (w *Watcher) Run(ctx context.Context, onChange func(changed []string)) error {
	defer w.fw.Close()
	pending := map[string]bool{}
	overflow := false
	var timer *time.Timer
	var fire <-chan time.Time
	var first time.Time
	arm := func() {
		now := time.Now()
		if fire == nil {
			first = now
		}
		wait := w.debounce
		if rest := first.Add(w.maxWait).Sub(now); rest < wait {
			wait = max(rest, 0)
		}
		if timer == nil {
			timer = time.NewTimer(wait)
		} else {
			timer.Reset(wait)
		}
		fire = timer.C
	}
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.fw.Events:
			if !ok {
				return nil
			}
			if w.handle(ev, pending) {
				arm()
			}
		case err, ok := <-w.fw.Errors:
			if !ok {
				return nil
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				overflow = true
				arm()
			}
		case <-fire:
			fire = nil
			var batch []string
			if !overflow {
				for p := range pending {
					batch = append(batch, p)
				}
				sort.Strings(batch)
			}
			overflow = false
			clear(pending)
			onChange(batch)
		}
	}
}

// handle records ev in pending and reports whether it matters.
func (w *Watcher) handle(ev fsnotify.Event, pending map[string]bool) bool {
	// A bare Chmod is touch(1) or an editor fiddling with attributes; a
	// deletion is reported again as Remove.
	if ev.Op == fsnotify.Chmod || ignored(filepath.Base(ev.Name)) {
		return false
	}
	rel, ok := w.rel(ev.Name)
	if !ok {
		return false
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		// The kernel drops the watch of a deleted directory; forget it
		// and everything below so that a folder of the same name
		// created later is watched again.
		for d := range w.watched {
			if d == ev.Name || strings.HasPrefix(d, ev.Name+string(filepath.Separator)) {
				w.fw.Remove(d)
				delete(w.watched, d)
			}
		}
	}
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
			files, _ := w.addTree(ev.Name)
			for _, f := range files {
				if r, ok := w.rel(f); ok {
					pending[r] = true
				}
			}
			return true
		}
	}
	pending[rel] = true
	return true
}

// rel names p relative to root, and reports whether it lies inside one of
// the watched trees (events for root's other entries, such as public/ or
// .git, are not the site's sources).
func (w *Watcher) rel(p string) (string, bool) {
	r, err := filepath.Rel(w.root, p)
	if err != nil || !filepath.IsLocal(r) {
		return "", false
	}
	r = filepath.ToSlash(r)
	top, _, _ := strings.Cut(r, "/")
	return r, w.dirs[top]
}

// ignored reports editor and system scratch files, whose churn during a
// save must not trigger a build of its own (the real file's event does).
func ignored(name string) bool {
	switch {
	case name == "" || name == "4913": // vim probes a directory's writability with this name
		return true
	case strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#"): // hidden, vim swap, emacs autosave/lock
		return true
	case strings.HasSuffix(name, "~"): // backups
		return true
	case strings.HasSuffix(name, "___jb_tmp___") || strings.HasSuffix(name, "___jb_old___"): // JetBrains safe write
		return true
	}
	switch filepath.Ext(name) {
	case ".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload":
		return true
	}
	return false
}
