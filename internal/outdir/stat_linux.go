package outdir

import (
	"io/fs"
	"syscall"
)

// statExtra is the file's inode number and change time (Unix
// nanoseconds). No program can set a change time: any write, chmod,
// touch or link of the file moves it.
func statExtra(info fs.FileInfo) (inode uint64, ctime int64) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0
	}
	return st.Ino, st.Ctim.Nano()
}
