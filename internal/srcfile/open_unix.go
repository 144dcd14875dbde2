//go:build unix

package srcfile

import (
	"os"
	"syscall"
)

// open opens without blocking, so a named pipe with no writer returns at
// once (and is then refused as not regular), and without following a
// link, since p is already the resolved path: a link put there since
// makes the open fail rather than be followed.
func open(p string) (*os.File, error) {
	return os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOFOLLOW, 0)
}
