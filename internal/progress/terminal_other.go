//go:build !linux

package progress

import "os"

// IsTerminal reports whether f is a character device, the portable
// approximation: it takes /dev/null for a terminal too, where the line
// drawn is thrown away.
func IsTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
