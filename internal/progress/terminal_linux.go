package progress

import (
	"os"

	"golang.org/x/sys/unix"
)

// IsTerminal reports whether f is a terminal: one that answers a terminal
// ioctl, as golang.org/x/term does (x/sys is a dependency already; x/term
// would be a module for these two lines).
func IsTerminal(f *os.File) bool {
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}
