package buildcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"guidebook/internal/outdir"
)

// Marker is the file every cache folder holds; Clean deletes only a
// folder that has it.
const Marker = ".guidebook-cache"

// MarkerText is the Marker's content, for a person who finds the file.
const MarkerText = "This folder is guidebook's build cache. It may be deleted at any time\n" +
	"(guidebook cache clean); builds then start cold.\n"

// DefaultMaxSize is the size cap when Options.MaxSize is 0.
const DefaultMaxSize = 512 << 20

// entryMagic starts every entry; a change of the entry format changes it.
var entryMagic = []byte("GBC2")

// touchAge is how stale an entry's time may be before a read refreshes
// it: eviction needs the order of use to the minute, not the exact time,
// and the reads of builds run one after another then cost no write.
const touchAge = time.Minute

// tempAge is the age after which Close removes a temporary file another
// writer left behind (it died before renaming it).
const tempAge = time.Hour

// Options configure Open.
type Options struct {
	Dir     string // the cache folder; created if missing
	MaxSize int64  // bytes kept after Close; 0 means DefaultMaxSize
	// Version identifies the guidebook binary; "" means Version().
	// Tests set it to stand for another build of guidebook.
	Version string
	// Warn receives the one line saying why the cache is off for the
	// run; nil drops it.
	Warn func(msg string)
	// Site and Outputs are the site folder and the output folders of the
	// run: the cache folder may be inside none of the site's sources
	// and none of the outputs, nor hold one of them.
	Site    string
	Outputs []string
}

// Cache is an open cache folder. A nil *Cache, or one turned off, misses
// every Get and drops every Put: the build runs cold.
type Cache struct {
	dir     string
	version string
	max     int64
	warn    func(string)

	mu  sync.Mutex
	off bool

	prepareOnce sync.Once
	prepareErr  error
	versionOnce sync.Once
	written     atomic.Int64 // bytes this run wrote, for Close

	// used holds the entries this run read or wrote, by path: Close
	// never evicts them, so a book whose one build needs more than the
	// cap still builds warm the next time (the cache then holds that
	// build's entries and nothing older).
	usedMu sync.Mutex
	used   map[string]bool
	dirs   sync.Map // the fan-out folders made this run
}

// Open opens the cache folder o.Dir, which is made, with its Marker, by
// the first Put: a run that fails before it writes anything (a refused
// output folder) leaves no cache folder behind. Open fails only when the
// folder is a place the cache must never be (the error wraps
// outdir.ErrRefused); a folder that cannot be created or written turns
// the cache off at the first Put, after one warning.
func Open(o Options) (*Cache, error) {
	if err := check(o.Dir, o.Site, o.Outputs); err != nil {
		return nil, err
	}
	if err := checkOwned(o.Dir); err != nil {
		return nil, err
	}
	c := &Cache{dir: o.Dir, version: o.Version, max: o.MaxSize, warn: o.Warn, used: map[string]bool{}}
	if c.max <= 0 {
		c.max = DefaultMaxSize
	}
	return c, nil
}

// checkOwned refuses an existing folder that is not a cache: one holding
// files without the Marker, or whose Marker is not a file.
func checkOwned(dir string) error {
	info, err := os.Lstat(filepath.Join(dir, Marker))
	switch {
	case err == nil && !info.Mode().IsRegular():
		return outdir.Refusef("refusing to use %s as the build cache: its %s is not a file", dir, Marker)
	case err == nil:
		return nil
	case !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR):
		return nil // unreadable: the first Put says why, once
	}
	empty, err := isEmpty(dir)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) || err != nil {
		return nil
	}
	// Another Open may have made the marker and its first entries between
	// the two looks: entries are only ever written after the marker.
	if _, err := os.Lstat(filepath.Join(dir, Marker)); !empty && err != nil {
		return outdir.Refusef("refusing to use %s as the build cache: it holds files guidebook did not write (it has no %s file); choose a new or empty folder with --cache-dir", dir, Marker)
	}
	return nil
}

// prepare makes the folder and its marker, once, before the first entry.
func (c *Cache) prepare() error {
	c.prepareOnce.Do(func() {
		if c.prepareErr = os.MkdirAll(c.dir, 0o755); c.prepareErr != nil {
			return
		}
		if _, err := os.Lstat(filepath.Join(c.dir, Marker)); err == nil {
			return
		}
		c.prepareErr = writeAtomic(c.dir, Marker, []byte(MarkerText))
	})
	return c.prepareErr
}

// isEmpty reports whether dir holds nothing but another Open's temporary
// files: two builds may open a new cache folder at once.
func isEmpty(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".tmp-") && !strings.HasPrefix(e.Name(), ".probe-") {
			return false, err
		}
	}
	return true, err
}

// disable turns the cache off for the run, saying why once.
func (c *Cache) disable(err error) {
	c.mu.Lock()
	already := c.off
	c.off = true
	c.mu.Unlock()
	if !already && c.warn != nil {
		c.warn(fmt.Sprintf("guidebook: warning: build cache %s not used: %v", c.dir, err))
	}
}

func (c *Cache) isOff() bool {
	if c == nil {
		return true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.off
}

// Dir is the cache folder.
func (c *Cache) Dir() string { return c.dir }

// Key hashes parts, each unambiguously delimited, into a key.
func Key(parts ...string) string {
	h := sha256.New()
	var n [8]byte
	for _, p := range parts {
		for i := range n {
			n[i] = byte(len(p) >> (8 * i))
		}
		h.Write(n[:])
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// name is where the entry of key lives: the key mixed with the binary's
// identity, fanned out over 256 folders.
func (c *Cache) name(key string) (dir, file string) {
	return c.rawName(Key(c.binary(), key))
}

func (c *Cache) rawName(k string) (dir, file string) {
	return filepath.Join(c.dir, k[:2]), k
}

// binary is the guidebook binary's identity, Options.Version or
// Version: worked out at the first entry read or written, so that a run
// that reads none does not pay for it.
func (c *Cache) binary() string {
	c.versionOnce.Do(func() {
		if c.version == "" {
			c.version = c.executableVersion()
		}
	})
	return c.version
}

// Get returns the bytes stored under key, or false. An entry whose
// checksum does not match is removed and missed.
func (c *Cache) Get(key string) ([]byte, bool) {
	if c.isOff() {
		return nil, false
	}
	return c.get(c.name(key))
}

func (c *Cache) get(dir, file string) ([]byte, bool) {
	p := filepath.Join(dir, file)
	f, err := os.Open(p)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		return nil, false
	}
	data := make([]byte, info.Size())
	if _, err := readFull(f, data); err != nil {
		return nil, false
	}
	payload, ok := unwrap(file, data)
	if !ok {
		os.Remove(p) // never served; the caller rebuilds and Puts it again
		return nil, false
	}
	if time.Since(info.ModTime()) > touchAge {
		now := time.Now()
		os.Chtimes(p, now, now)
	}
	c.use(p)
	return payload, true
}

// use notes that this run needs the entry at p (used).
func (c *Cache) use(p string) {
	c.usedMu.Lock()
	c.used[p] = true
	c.usedMu.Unlock()
}

func readFull(f *os.File, data []byte) (int, error) {
	n := 0
	for n < len(data) {
		m, err := f.Read(data[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Put stores data under key, replacing what the key held: the entry is
// written beside its place and renamed into it, so a reader sees the old
// entry or the new one. A failure to write turns the cache off with one
// warning: the build does not need it.
func (c *Cache) Put(key string, data []byte) {
	if c.isOff() {
		return
	}
	dir, file := c.name(key)
	c.put(dir, file, data, writeAtomic)
}

// Add stores data under key unless the key holds an entry already: for
// entries whose bytes follow from their key alone (a page under its
// page key, a compressed copy under the hash of what it compresses),
// which two builds can only write alike. The entry is written in place,
// without Put's rename (a first build writes thousands); a reader that
// meets it half written finds its checksum wrong and removes it, which
// costs that entry, nothing else.
func (c *Cache) Add(key string, data []byte) {
	if c.isOff() {
		return
	}
	dir, file := c.name(key)
	c.put(dir, file, data, writeNew)
}

func (c *Cache) put(dir, file string, data []byte, write func(dir, name string, data ...[]byte) error) {
	err := c.prepare()
	if _, made := c.dirs.Load(dir); err == nil && !made {
		// A cold build writes thousands of entries into 256 folders:
		// each is made (or found) once per run, not once per entry.
		if err = os.MkdirAll(dir, 0o755); err == nil {
			c.dirs.Store(dir, true)
		}
	}
	if err == nil {
		head := header(file, data)
		err = write(dir, file, head, data)
		if errors.Is(err, fs.ErrExist) {
			err = nil // Add: the entry is there
		} else if err == nil {
			c.written.Add(int64(len(head) + len(data)))
		}
		c.use(filepath.Join(dir, file))
	}
	if err != nil {
		c.disable(err)
	}
}

// writeNew writes a new file name in dir, or fails with fs.ErrExist.
func writeNew(dir, name string, data ...[]byte) error {
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if err := writeClose(f, data); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

// writeClose writes data to f in turn and closes it.
func writeClose(f *os.File, data [][]byte) error {
	var err error
	for _, d := range data {
		if err == nil {
			_, err = f.Write(d)
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// header is what an entry's file holds before its payload: magic,
// payload length, checksum of the entry's name and payload. CRC-32C
// (hardware-accelerated) finds the damage a cache meets (truncation, torn
// or flipped bytes, a file under another entry's name) at a fraction of
// SHA-256's cost, which a warm build pays on every byte it reads. The
// payload is written after it as it is, not copied behind it: a cold
// build writes tens of megabytes of entries.
func header(name string, payload []byte) []byte {
	out := make([]byte, 0, headLen)
	out = append(out, entryMagic...)
	out = binary.LittleEndian.AppendUint64(out, uint64(len(payload)))
	return binary.LittleEndian.AppendUint32(out, checksum(name, payload))
}

const headLen = 4 + 8 + 4

func unwrap(name string, data []byte) ([]byte, bool) {
	if len(data) < headLen || !bytes.Equal(data[:len(entryMagic)], entryMagic) {
		return nil, false
	}
	payload := data[headLen:]
	if binary.LittleEndian.Uint64(data[4:12]) != uint64(len(payload)) {
		return nil, false
	}
	return payload, binary.LittleEndian.Uint32(data[12:16]) == checksum(name, payload)
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func checksum(name string, payload []byte) uint32 {
	c := crc32.Update(0, castagnoli, []byte(name))
	return crc32.Update(c, castagnoli, payload)
}

// writeAtomic writes dir/name through a temporary file in dir renamed
// over it: a reader sees the old file or the whole new one.
func writeAtomic(dir, name string, data ...[]byte) error {
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	err = writeClose(f, data)
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// sizeFile holds the cache's size as last counted plus what runs wrote
// since: walking tens of thousands of entries to count them cost a warm
// build more than reading the entries it used.
const sizeFile = ".size"

// sweepAge is how long the running count is trusted: two builds closing
// at once may each miss the other's writes, so the entries are counted
// again at least this often.
const sweepAge = 24 * time.Hour

// Close ends the run's use of the cache: when the cache may be over its
// cap, the least recently used entries go until it fits, never one this
// run read or wrote (a run that alone needs more than the cap leaves
// exactly its own entries). Nothing in it can fail the build.
func (c *Cache) Close() {
	if c.isOff() {
		return
	}
	written := c.written.Load()
	size, fresh := c.countedSize()
	switch {
	case !fresh || size+written > c.max:
		c.sweep()
	case written > 0:
		c.putSize(size + written)
	}
}

// countedSize returns the size sizeFile holds, and whether it is recent.
func (c *Cache) countedSize() (int64, bool) {
	p := filepath.Join(c.dir, sizeFile)
	info, err := os.Stat(p)
	if err != nil || time.Since(info.ModTime()) > sweepAge {
		return 0, false
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
	return n, err == nil && n >= 0
}

func (c *Cache) putSize(n int64) {
	if c.prepare() == nil {
		writeAtomic(c.dir, sizeFile, []byte(strconv.FormatInt(n, 10)+"\n"))
	}
}

// sweep counts the entries, evicts the least recently used ones beyond
// the cap, and records the size left.
func (c *Cache) sweep() {
	if _, err := os.Stat(c.dir); err != nil {
		return // nothing written, nothing to count
	}
	c.putSize(c.evict())
}

type entry struct {
	path string
	size int64
	used time.Time
}

// evict removes the oldest-used entries beyond the cap, and temporary
// files a dead writer left behind, and returns the size left.
func (c *Cache) evict() int64 {
	var entries []entry
	var total int64
	fans, _ := os.ReadDir(c.dir)
	for _, fan := range fans {
		if !fan.IsDir() || len(fan.Name()) != 2 {
			continue
		}
		dir := filepath.Join(c.dir, fan.Name())
		files, _ := os.ReadDir(dir)
		for _, f := range files {
			info, err := f.Info()
			if err != nil || !info.Mode().IsRegular() {
				continue
			}
			p := filepath.Join(dir, f.Name())
			if f.Name()[0] == '.' {
				if time.Since(info.ModTime()) > tempAge {
					os.Remove(p)
				}
				continue
			}
			entries = append(entries, entry{p, info.Size(), info.ModTime()})
			total += info.Size()
		}
	}
	if total <= c.max {
		return total
	}
	// Down to nine tenths of the cap, so that the next builds, which add
	// a little each, do not pass it and walk the entries again at once.
	low := c.max / 10 * 9
	sort.Slice(entries, func(i, j int) bool { return entries[i].used.Before(entries[j].used) })
	c.usedMu.Lock()
	defer c.usedMu.Unlock()
	for _, e := range entries {
		if total <= low {
			break
		}
		if !c.used[e.path] && os.Remove(e.path) == nil {
			total -= e.size
		}
	}
	return total
}
