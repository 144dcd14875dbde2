package buildcache

import (
	"fmt"
	"io/fs"
	"syscall"
)

// fileID names a file's content as the file system knows it: a rewrite,
// a replacement or a copy changes the inode or the change time, which no
// program can set back.
func fileID(info fs.FileInfo) string {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	return fmt.Sprint(st.Dev, st.Ino, st.Size, info.ModTime().UnixNano(), st.Ctim.Nano())
}
