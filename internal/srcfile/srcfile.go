// Package srcfile reads an author's source files under the rules that
// keep a build from publishing what is not the author's or from hanging
// on what is not a file:
//
//   - the file's real path (symbolic links resolved) lies inside the site
//     folder, so a link to /etc/passwd or /proc/self/environ is refused
//     rather than published;
//   - it is a regular file, checked on the opened file (no stat-then-open
//     race), opened without blocking so a named pipe cannot wedge the
//     build, and never a device;
//   - it is read through a reader capped at a size limit, so a file that
//     grows while read cannot exhaust memory either;
//   - names hold no control characters (a newline in a static file's name
//     would write its own lines into _headers).
//
// Errors are plain: callers put them at the file's position in the book.
package srcfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Limits on one source file. Text (chapters, book.yaml, glossary,
// references, templates) is read whole and parsed, and a text file this
// large is a mistake (a pasted log); static files and assets are copied
// into the output, which a build holds in memory.
const (
	MaxText   = 4 << 20
	MaxStatic = 64 << 20
)

// The errors of what Read refuses (besides *TooLargeError).
var (
	ErrOutside    = errors.New("symbolic link points outside the site folder")
	ErrNotRegular = errors.New("not a regular file")
)

// Root is the set of folders whose files may be read: the site folder,
// and a folder under it that is itself a link elsewhere (content/).
type Root struct {
	dirs []string // real, absolute paths
	cwd  string   // the working folder, for relative paths

	mu sync.Mutex
	// realDirs holds each folder's real path by its absolute path: a
	// book's files share a few folders, and resolving every file's whole
	// path stat-ed each folder above it again, for every file.
	realDirs map[string]string
}

// NewRoot makes a Root of dirs, each resolved to its real path; a folder
// that does not exist adds nothing.
func NewRoot(dirs ...string) *Root {
	r := &Root{realDirs: map[string]string{}}
	r.cwd, _ = os.Getwd()
	for _, d := range dirs {
		if real, err := realPath(d); err == nil {
			r.dirs = append(r.dirs, real)
		}
	}
	return r
}

func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// realPath is p's real path: its folder's, resolved once per folder,
// joined with its name, unless p itself is a symbolic link.
func (r *Root) realPath(p string) (string, error) {
	if !filepath.IsAbs(p) {
		if r.cwd == "" {
			return realPath(p)
		}
		p = filepath.Join(r.cwd, p)
	}
	dir, name := filepath.Split(filepath.Clean(p))
	if name == "" {
		return realPath(p)
	}
	realDir, err := r.realDir(dir)
	if err != nil {
		return "", err
	}
	real := filepath.Join(realDir, name)
	info, err := os.Lstat(real)
	if err != nil {
		return "", err
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		return filepath.EvalSymlinks(real)
	}
	return real, nil
}

// realDir is the real path of the absolute folder dir.
func (r *Root) realDir(dir string) (string, error) {
	r.mu.Lock()
	real, ok := r.realDirs[dir]
	r.mu.Unlock()
	if ok {
		return real, nil
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", err
	}
	r.mu.Lock()
	if r.realDirs == nil {
		r.realDirs = map[string]string{}
	}
	r.realDirs[dir] = real
	r.mu.Unlock()
	return real, nil
}

// contains reports whether the real path p is one of the root's folders
// or inside one.
func (r *Root) contains(p string) bool {
	for _, d := range r.dirs {
		if rel, err := filepath.Rel(d, p); err == nil && filepath.IsLocal(rel) || p == d {
			return true
		}
	}
	return false
}

// Resolve returns p's real path after checking that it stays inside the
// root. A missing file gives an error wrapping fs.ErrNotExist.
func (r *Root) Resolve(p string) (string, error) {
	real, err := r.realPath(p)
	if err != nil {
		return "", err
	}
	if !r.contains(real) {
		return "", fmt.Errorf("%w (to %s); copy the file into the site instead", ErrOutside, Quote(real))
	}
	return real, nil
}

// Check reports what Read would refuse about p without reading it: a link
// leaving the root, or a file that is not regular (checked by stat, so
// Read checks again on the file it opens).
func (r *Root) Check(p string) error {
	real, err := r.Resolve(p)
	if err != nil {
		return err
	}
	info, err := os.Stat(real)
	if err != nil {
		return err
	}
	return regular(info)
}

// Read reads the file at p, refusing a link that leaves the root, anything
// but a regular file, and more than limit bytes.
func (r *Root) Read(p string, limit int64) ([]byte, error) {
	real, err := r.Resolve(p)
	if err != nil {
		return nil, err
	}
	f, err := open(real)
	if err != nil {
		// A socket cannot be opened at all: say what it is rather than
		// the system's "no such device or address".
		if info, serr := os.Stat(real); serr == nil && regular(info) != nil {
			return nil, regular(info)
		}
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := regular(info); err != nil {
		return nil, err
	}
	if info.Size() > limit {
		return nil, &TooLargeError{Size: info.Size(), Limit: limit}
	}
	data, err := readCapped(f, info.Size(), limit)
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{Limit: limit} // it grew while read
	}
	return data, nil
}

// readCapped reads f to its end or to one byte past limit, whichever comes
// first, into a buffer sized by the file's size (io.ReadAll would grow one
// from 512 bytes, copying as it goes).
func readCapped(f io.Reader, size, limit int64) ([]byte, error) {
	buf := make([]byte, 0, min(size, limit)+1)
	r := io.LimitReader(f, limit+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// TooLargeError is a file over its limit.
type TooLargeError struct {
	Size  int64 // 0 if the file grew past the limit while read
	Limit int64
}

func (e *TooLargeError) Error() string {
	if e.Size == 0 {
		return fmt.Sprintf("file is too large (more than the limit of %d MB)", e.Limit>>20)
	}
	return fmt.Sprintf("file is too large (%.1f MB; the limit is %d MB)", float64(e.Size)/(1<<20), e.Limit>>20)
}

// regular refuses what is not a regular file, by the kind an author can
// recognise.
func regular(info fs.FileInfo) error {
	m := info.Mode()
	if m.IsRegular() {
		return nil
	}
	kind := "a special file"
	switch {
	case m.IsDir():
		kind = "a folder"
	case m&fs.ModeNamedPipe != 0:
		kind = "a named pipe"
	case m&fs.ModeSocket != 0:
		kind = "a socket"
	case m&fs.ModeCharDevice != 0:
		kind = "a character device"
	case m&fs.ModeDevice != 0:
		kind = "a device"
	}
	return fmt.Errorf("%w (%s): only regular files are read", ErrNotRegular, kind)
}

// CheckName refuses a file or folder name that holds a control character
// or is not UTF-8: such a name would be written into _headers and
// messages as it is.
func CheckName(name string) error {
	if !utf8.ValidString(name) {
		return errors.New("file name is not valid UTF-8; rename it")
	}
	if strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return errors.New("file name contains a control character; rename it")
	}
	return nil
}

// Quote escapes the control characters and invalid bytes of a path, and
// nothing else, so that it can be shown on a terminal and in a one-line
// report as the author would type it.
func Quote(p string) string {
	if utf8.ValidString(p) && strings.IndexFunc(p, unicode.IsControl) < 0 {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRuneInString(p[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, p[i])
		case unicode.IsControl(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(p[i : i+n])
		}
		i += n
	}
	return b.String()
}
