package outdir

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"guidebook/internal/workers"
)

// ManifestName is the file beside the Marker that lists what the build
// wrote into the folder: the next build hard-links a file whose bytes it
// would write again instead of writing them (package output). It is
// rewritten by every build, holds file-system details (times, inode
// numbers) and is not part of the site.
const ManifestName = ".guidebook-manifest"

// manifestMagic begins the manifest's file form and names its format,
// changed whenever Manifest's meaning does; a manifest of another format
// is ignored (nothing is reused).
const manifestMagic = "guidebook output manifest 3\n"

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

// encode is the manifest's file form: manifestMagic, the makers (each
// Via once), then each file in name order as varints and raw hashes, and
// last a CRC-32C of all before it, so that a damaged manifest reads as
// none. A site has thousands of files, and a build after a small edit
// reads and writes the whole list: JSON made that a large part of such a
// build (bench/README.md, "Warm builds, second pass").
func (m *Manifest) encode() []byte {
	names := slices.Sorted(maps.Keys(m.Files))
	var makers []string
	maker := map[string]int{}
	for _, name := range names {
		if via := m.Files[name].Via; via != "" && maker[via] == 0 {
			makers = append(makers, via)
			maker[via] = len(makers)
		}
	}
	b := append(make([]byte, 0, 64+len(names)*128), manifestMagic...)
	b = binary.AppendUvarint(b, uint64(len(makers)))
	for _, via := range makers {
		b = appendString(b, via)
	}
	b = binary.AppendUvarint(b, uint64(len(names)))
	for _, name := range names {
		e := m.Files[name]
		b = appendString(b, name)
		b = binary.AppendUvarint(b, uint64(e.Size))
		b = append(b, e.SHA256[:]...)
		b = binary.AppendUvarint(b, uint64(e.Mode))
		b = binary.AppendVarint(b, e.MTime)
		b = binary.AppendVarint(b, e.CTime)
		b = binary.AppendUvarint(b, e.Inode)
		b = binary.AppendUvarint(b, uint64(maker[e.Via]))
		if e.Via != "" {
			b = append(b, e.From[:]...)
		}
	}
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, crcTable))
}

var crcTable = crc32.MakeTable(crc32.Castagnoli)

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// decodeManifest reads what encode wrote; anything else is an error.
func decodeManifest(data []byte) (*Manifest, error) {
	body, ok := bytes.CutPrefix(data, []byte(manifestMagic))
	if !ok || len(body) < 4 {
		return nil, errors.New("not an output manifest of this format")
	}
	sum := binary.LittleEndian.Uint32(body[len(body)-4:])
	if crc32.Checksum(data[:len(data)-4], crcTable) != sum {
		return nil, errors.New("output manifest damaged")
	}
	r := reader{b: body[:len(body)-4]}
	makers := make([]string, r.count())
	for i := range makers {
		makers[i] = r.string()
	}
	n := r.count()
	m := &Manifest{Files: make(map[string]Entry, n)}
	for range n {
		name := r.string()
		e := Entry{Size: int64(r.uvarint())}
		r.sum(&e.SHA256)
		e.Mode = fs.FileMode(r.uvarint())
		e.MTime, e.CTime, e.Inode = r.varint(), r.varint(), r.uvarint()
		if k := r.uvarint(); k > 0 {
			if k > uint64(len(makers)) {
				return nil, fmt.Errorf("output manifest: %s names maker %d of %d", name, k, len(makers))
			}
			e.Via = makers[k-1]
			r.sum(&e.From)
		}
		m.Files[name] = e
	}
	if r.bad || len(r.b) > 0 {
		return nil, errors.New("output manifest does not decode")
	}
	return m, nil
}

// reader reads encode's varints; a read past the end sets bad and
// returns zeros.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) uvarint() uint64 {
	v, k := binary.Uvarint(r.b)
	if !r.skip(k) {
		return 0
	}
	return v
}

func (r *reader) varint() int64 {
	v, k := binary.Varint(r.b)
	if !r.skip(k) {
		return 0
	}
	return v
}

// skip moves past the k bytes a varint took; k <= 0 is a bad varint.
func (r *reader) skip(k int) bool {
	if k <= 0 {
		r.bad, r.b = true, nil
		return false
	}
	r.b = r.b[k:]
	return true
}

// count reads a number of elements, each at least a byte long.
func (r *reader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.bad, r.b = true, nil
		return 0
	}
	return int(n)
}

func (r *reader) string() string {
	n := r.count()
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *reader) sum(s *Sum) {
	if len(r.b) < len(s) {
		r.bad, r.b = true, nil
		return
	}
	r.b = r.b[copy(s[:], r.b):]
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
	data := make([]byte, info.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil
	}
	m, err := decodeManifest(data)
	if err != nil {
		return nil
	}
	m.stamp = info.ModTime()
	return m
}

// Write stats every file the manifest lists in dir, the folder it
// describes, and writes the manifest there (atomically: a reader sees the
// whole manifest or the previous state). It must come last, after every
// change to the files, their links included: the manifest's time stamps
// the stat data (Untouched). A file that is missing or no longer the size
// put is left out, so it is written again next time.
func (m *Manifest) Write(dir string) error {
	for name, info := range m.Stat(dir) {
		e := m.Files[name]
		if info == nil || !info.Mode().IsRegular() || info.Size() != e.Size {
			delete(m.Files, name)
			continue
		}
		e.Mode, e.MTime = info.Mode(), info.ModTime().UnixNano()
		e.Inode, e.CTime = statExtra(info)
		m.Files[name] = e
	}
	data := m.encode()
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

// Stat lstats, in dir, every file the manifest lists, side by side (the
// calls wait on the file system), and returns each one's information by
// name, nil for a file it could not stat.
func (m *Manifest) Stat(dir string) map[string]fs.FileInfo {
	names := slices.Collect(maps.Keys(m.Files))
	infos := make([]fs.FileInfo, len(names))
	workers.For(len(names), runtime.GOMAXPROCS(0), func(i int) {
		infos[i], _ = os.Lstat(filepath.Join(dir, filepath.FromSlash(names[i])))
	})
	out := make(map[string]fs.FileInfo, len(names))
	for i, name := range names {
		out[name] = infos[i]
	}
	return out
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

// A Sum is a SHA-256.
type Sum [32]byte
