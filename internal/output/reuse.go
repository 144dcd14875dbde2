package output

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"guidebook/internal/outdir"
)

// Reuse links the previous folder's name into the stage if it was made
// by via from the same bytes as src, put in this build (Reuser). Where
// the folder cannot be linked from (another device, a file system
// without hard links), the previous file is copied, its bytes checked.
func (s *Dir) Reuse(name, src, via string) (bool, error) {
	from, ok := s.entry(src)
	e, had := s.previous(name)
	if !ok || !had || e.Via != via || e.From != from.SHA256 {
		return false, nil
	}
	p, err := s.stagePath(name)
	if err != nil {
		return false, err
	}
	linked, err := s.link(p, name, e)
	if linked {
		s.note(name, e)
		return true, nil
	}
	if err == nil {
		return false, nil // changed since the previous build, or gone
	}
	data, err := os.ReadFile(filepath.Join(s.dst, filepath.FromSlash(name)))
	if err != nil || outdir.Sum(sha256.Sum256(data)) != e.SHA256 {
		return false, nil
	}
	return true, s.put(name, data, outdir.Entry{From: e.From, Via: e.Via})
}

// Keep links the previous folder's name into the stage if it holds the
// size bytes hashing to sum, untouched (Keeper).
func (s *Dir) Keep(name string, sum outdir.Sum, size int64) (bool, error) {
	e, had := s.previous(name)
	if !had || e.SHA256 != sum || e.Size != size || e.Via != "" {
		return false, nil
	}
	p, err := s.stagePath(name)
	if err != nil {
		return false, err
	}
	if linked, _ := s.link(p, name, e); !linked {
		return false, nil
	}
	s.note(name, outdir.Entry{Size: size, SHA256: sum})
	return true, nil
}

// seen is a previous file as NewDir found it (outdir.Manifest.Untouched).
type seen struct {
	info       fs.FileInfo
	same, sure bool
}

// look stats the previous folder's files.
func (s *Dir) look() map[string]seen {
	if s.prev == nil {
		return nil
	}
	found := map[string]seen{}
	for name, info := range s.prev.Stat(s.dst) {
		if info != nil {
			same, sure := s.prev.Untouched(s.prev.Files[name], info)
			found[name] = seen{info, same, sure}
		}
	}
	return found
}

// linkFile is os.Link; tests make it fail as across devices.
var linkFile = os.Link

// previous is the previous folder's entry for name.
func (s *Dir) previous(name string) (outdir.Entry, bool) {
	if s.prev == nil {
		return outdir.Entry{}, false
	}
	e, ok := s.prev.Files[name]
	return e, ok
}

// entry is the stage's entry for name.
func (s *Dir) entry(name string) (outdir.Entry, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.next.Files[name]
	return e, ok
}

func (s *Dir) note(name string, e outdir.Entry) {
	s.mu.Lock()
	s.next.Files[name] = e
	s.mu.Unlock()
}

// link hard-links the previous folder's name to p if that file is the
// one e describes, as the previous build left it: the same inode, size,
// mode and times (or, where the stat cannot be sure, the same bytes), so
// a file changed since never reaches the new folder. It reports the
// error when linking itself failed (the caller then writes or copies).
func (s *Dir) link(p, name string, e outdir.Entry) (bool, error) {
	old := filepath.Join(s.dst, filepath.FromSlash(name))
	before, ok := s.seen[name]
	if !ok || !before.same {
		return false, nil
	}
	same := true
	if !before.sure || s.readAll {
		sum, err := fileSum(old)
		same = err == nil && sum == e.SHA256
	}
	if !same {
		return false, nil
	}
	if cur, err := os.Lstat(p); err == nil && os.SameFile(cur, before.info) {
		return true, nil // a recycled stage's file, already this one
	}
	err := linkFile(old, p)
	if errors.Is(err, fs.ErrExist) { // put before: the last put wins
		if err = os.Remove(p); err == nil {
			err = linkFile(old, p)
		}
	}
	if err != nil {
		return false, err
	}
	// The name may have been replaced between the check and the link.
	after, err := os.Lstat(p)
	if err != nil || !os.SameFile(before.info, after) || after.Size() != before.info.Size() || !after.ModTime().Equal(before.info.ModTime()) {
		os.Remove(p)
		return false, nil
	}
	return true, nil
}

func fileSum(p string) (outdir.Sum, error) {
	f, err := os.Open(p)
	if err != nil {
		return outdir.Sum{}, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return outdir.Sum{}, err
	}
	return outdir.Sum(h.Sum(nil)), nil
}

// writeNew writes data to a new file at p, replacing a file put there
// before by removing it rather than writing into it: that file may be a
// link to the previous folder's, which must stay as it was until the
// swap (a failed build leaves the previous folder byte-identical).
func writeNew(p string, data []byte) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		// A recycled stage may hold a folder where this file goes.
		if err = os.RemoveAll(p); err == nil {
			f, err = os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		}
	}
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", p, err)
	}
	return nil
}
