package outdir

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// ManifestName is the file beside the Marker that lists what the build
// wrote into the folder: the next build hard-links a file whose bytes it
// would write again instead of writing them (package output). It is
// rewritten by every build, holds file-system details (times, inode
// numbers) and is not part of the site.
const ManifestName = ".guidebook-manifest"

// manifestFormat changes whenever Manifest's meaning does; a manifest of
// another format is ignored (nothing is reused).
const manifestFormat = 2

// A Manifest lists the files of an output folder as its build wrote them.
// An entry is only evidence about a file while the file still looks as
// the build left it (Entry.Untouched); anything else is written again.
type Manifest struct {
	Files map[string]Entry // by slash-separated path

	// stamp is the manifest file's modification time as read: a file
	// changed after the manifest was written has a time at or after it.
	stamp time.Time
}

// An Entry is one file: its size and SHA-256, the stat data that tells
// an untouched file from a changed one, and for a file the build made
// from another one (a compressed sibling), what it was made from and how.
type Entry struct {
	Size   int64
	SHA256 Sum
	Mode   fs.FileMode
	MTime  int64  // modification time, Unix nanoseconds
	CTime  int64  // change time, Unix nanoseconds; 0 where not read
	Inode  uint64 // 0 where not read

	From Sum    // SHA-256 of the file this one was made from
	Via  string // how it was made; "" for a file put as it is
}

// NewManifest returns an empty Manifest.
func NewManifest() *Manifest { return &Manifest{Files: map[string]Entry{}} }

// manifestJSON is a Manifest as written: a site has thousands of files,
// so the keys are short and each maker (Via) is written once.
type manifestJSON struct {
	Format int                  `json:"format"`
	Makers []string             `json:"makers,omitempty"`
	Files  map[string]entryJSON `json:"files"`
}

type entryJSON struct {
	Size  int64       `json:"s"`
	Hash  Sum         `json:"h"`
	Mode  fs.FileMode `json:"m"`
	MTime int64       `json:"t"`
	CTime int64       `json:"c,omitempty"`
	Inode uint64      `json:"i,omitempty"`
	From  Sum         `json:"f,omitzero"`
	Maker int         `json:"v,omitempty"` // 1 + index in Makers; 0: put as it is
}

// MarshalJSON writes the manifest in its file form.
func (m *Manifest) MarshalJSON() ([]byte, error) {
	f := manifestJSON{Format: manifestFormat, Files: make(map[string]entryJSON, len(m.Files))}
	maker := map[string]int{}
	for name, e := range m.Files {
		j := entryJSON{e.Size, e.SHA256, e.Mode, e.MTime, e.CTime, e.Inode, e.From, 0}
		if e.Via != "" {
			if maker[e.Via] == 0 {
				f.Makers = append(f.Makers, e.Via)
				maker[e.Via] = len(f.Makers)
			}
			j.Maker = maker[e.Via]
		}
		f.Files[name] = j
	}
	return json.Marshal(f)
}

// UnmarshalJSON reads a manifest MarshalJSON wrote; one of another format
// is an error.
func (m *Manifest) UnmarshalJSON(data []byte) error {
	var f manifestJSON
	if err := json.Unmarshal(data, &f); err != nil {
		return err
	}
	if f.Format != manifestFormat || f.Files == nil {
		return fmt.Errorf("output manifest of format %d, not %d", f.Format, manifestFormat)
	}
	m.Files = make(map[string]Entry, len(f.Files))
	for name, j := range f.Files {
		e := Entry{j.Size, j.Hash, j.Mode, j.MTime, j.CTime, j.Inode, j.From, ""}
		if j.Maker > 0 {
			if j.Maker > len(f.Makers) {
				return fmt.Errorf("output manifest: %s names maker %d of %d", name, j.Maker, len(f.Makers))
			}
			e.Via = f.Makers[j.Maker-1]
		}
		m.Files[name] = e
	}
	return nil
}

// ReadManifest reads the manifest of the output folder dir, if dir is a
// folder guidebook wrote (it holds the Marker). A missing, unreadable or
// foreign manifest gives nil: the next build then writes every file.
func ReadManifest(dir string) *Manifest {
	if m, err := os.Lstat(filepath.Join(dir, Marker)); err != nil || !m.Mode().IsRegular() {
		return nil
	}
	f, err := os.Open(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		return nil
	}
	var m Manifest
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		return nil
	}
	m.stamp = info.ModTime()
	return &m
}

// Write stats every file the manifest lists in dir, the folder it
// describes, and writes the manifest there (atomically: a reader sees the
// whole manifest or the previous state). It must come last, after every
// change to the files, their links included: the manifest's time stamps
// the stat data (Untouched). A file that is missing or no longer the size
// put is left out, so it is written again next time.
func (m *Manifest) Write(dir string) error {
	for name, e := range m.Files {
		info, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil || !info.Mode().IsRegular() || info.Size() != e.Size {
			delete(m.Files, name)
			continue
		}
		e.Mode, e.MTime = info.Mode(), info.ModTime().UnixNano()
		e.Inode, e.CTime = statExtra(info)
		m.Files[name] = e
	}
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ManifestName+".tmp-")
	if err != nil {
		return fmt.Errorf("writing the output manifest: %w", err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, ManifestName))
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("writing the output manifest: %w", err)
	}
	return nil
}

// Untouched reports whether info, the stat of the file the entry names,
// shows the file as the build left it, and whether that is sure. A file
// changed in place keeps its inode but gets a new change time (which no
// program can set back, unlike the modification time); one replaced gets
// a new inode. Times are coarse (the kernel's clock tick), so a file
// changed in the tick the manifest was written in could keep its times:
// such an entry is racy, as in git's index, and only its bytes can tell
// (sure is false).
func (m *Manifest) Untouched(e Entry, info fs.FileInfo) (same, sure bool) {
	ino, ctime := statExtra(info)
	if !info.Mode().IsRegular() || info.Size() != e.Size || info.Mode() != e.Mode ||
		info.ModTime().UnixNano() != e.MTime || ino != e.Inode || ctime != e.CTime {
		return false, true
	}
	last := max(e.MTime, e.CTime)
	return true, time.Unix(0, last).Before(m.stamp)
}

// A Sum is a SHA-256, written in unpadded base64.
type Sum [32]byte

// MarshalText writes the sum in base64.
func (s Sum) MarshalText() ([]byte, error) {
	return []byte(base64.RawStdEncoding.EncodeToString(s[:])), nil
}

// UnmarshalText reads a sum written by MarshalText.
func (s *Sum) UnmarshalText(b []byte) error {
	if base64.RawStdEncoding.DecodedLen(len(b)) != len(s) {
		return fmt.Errorf("sha256 %q: wrong length", b)
	}
	_, err := base64.RawStdEncoding.Decode(s[:], b)
	return err
}
