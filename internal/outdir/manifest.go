package outdir

import (
	"encoding/hex"
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
const manifestFormat = 1

// A Manifest lists the files of an output folder as its build wrote them.
// An entry is only evidence about a file while the file still looks as
// the build left it (Entry.Untouched); anything else is written again.
type Manifest struct {
	Format int
	Files  map[string]Entry // by slash-separated path

	// stamp is the manifest file's modification time as read: a file
	// changed after the manifest was written has a time at or after it.
	stamp time.Time
}

// An Entry is one file: its size and SHA-256, the stat data that tells
// an untouched file from a changed one, and for a file the build derived
// from another one (a compressed sibling), what it was made from and how.
type Entry struct {
	Size   int64
	SHA256 Sum
	MTime  int64  // modification time, Unix nanoseconds
	Inode  uint64 // 0 where the system has none
	Mode   fs.FileMode

	From Sum    `json:",omitzero"`  // SHA-256 of the file this one was made from
	Via  string `json:",omitempty"` // how it was made; "" for a file put as it is
}

// NewManifest returns an empty Manifest.
func NewManifest() *Manifest { return &Manifest{Format: manifestFormat, Files: map[string]Entry{}} }

// NewEntry describes a file with the given hash and stat data.
func NewEntry(sum Sum, info fs.FileInfo) Entry {
	return Entry{Size: info.Size(), SHA256: sum, MTime: info.ModTime().UnixNano(), Inode: inode(info), Mode: info.Mode()}
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
	if err := json.NewDecoder(f).Decode(&m); err != nil || m.Format != manifestFormat || m.Files == nil {
		return nil
	}
	m.stamp = info.ModTime()
	return &m
}

// Write writes the manifest into dir. It is written last, after every
// file it lists, so its time stamps the entries (Untouched).
func (m *Manifest) Write(dir string) error {
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, ManifestName), data, 0o644); err != nil {
		return fmt.Errorf("writing the output manifest: %w", err)
	}
	return nil
}

// Untouched reports whether info, the stat of the file the entry names,
// shows the file as the build left it, and whether that is certain. A
// file changed in place keeps its inode but gets a new time; one
// replaced gets a new inode. Times are coarse (the kernel's clock tick),
// so a file written in the same tick as the manifest could be changed
// afterwards without its time moving: such an entry is racy, as in git's
// index, and only its bytes can tell (sure is false).
func (m *Manifest) Untouched(e Entry, info fs.FileInfo) (same, sure bool) {
	if !info.Mode().IsRegular() || info.Size() != e.Size || info.Mode() != e.Mode ||
		info.ModTime().UnixNano() != e.MTime || inode(info) != e.Inode {
		return false, true
	}
	return true, time.Unix(0, e.MTime).Before(m.stamp)
}

// A Sum is a SHA-256, written in hex.
type Sum [32]byte

// MarshalText writes the sum in hex.
func (s Sum) MarshalText() ([]byte, error) { return []byte(hex.EncodeToString(s[:])), nil }

// UnmarshalText reads a sum written by MarshalText.
func (s *Sum) UnmarshalText(b []byte) error {
	if hex.DecodedLen(len(b)) != len(s) {
		return fmt.Errorf("sha256 %q: wrong length", b)
	}
	_, err := hex.Decode(s[:], b)
	return err
}
