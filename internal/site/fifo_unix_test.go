//go:build unix

package site

import (
	"syscall"
	"testing"
)

// mkfifo makes a named pipe for the non-regular-file cases.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
}
