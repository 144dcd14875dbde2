//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package outdir

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// lockFile holds an exclusive flock on the file name, made if missing.
// The holder removes the file before it lets go, so a lock taken on a
// file that is no longer at name guards nothing: take it again.
func lockFile(name string) (func(), error) {
	for {
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, err
		}
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
			f.Close()
			switch {
			case errors.Is(err, unix.EWOULDBLOCK):
				return nil, ErrBusy
			case errors.Is(err, unix.ENOLCK), errors.Is(err, unix.EOPNOTSUPP):
				// A file system without locks: build unlocked, as before.
				return func() { os.Remove(name) }, nil
			}
			return nil, err
		}
		held, err1 := f.Stat()
		now, err2 := os.Stat(name)
		if err1 == nil && err2 == nil && os.SameFile(held, now) {
			return func() { os.Remove(name); f.Close() }, nil
		}
		f.Close()
		if err1 != nil {
			return nil, err1
		}
	}
}
