//go:build unix

package content

import (
	"os"
	"syscall"
)

// inode tells a file replaced by another of the same size and time (an
// editor's save by rename) from the file it replaced.
func inode(info os.FileInfo) uint64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}
