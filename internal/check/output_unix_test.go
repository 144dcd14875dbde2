//go:build unix

package check

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A FIFO (or device) in the tree is reported, never opened: reading one
// would block the check.
func TestDirNonRegular(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "404.html"), page(""), 0o644)
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.html"), 0o644); err != nil {
		t.Skip(err)
	}
	r, err := Dir(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Problems) != 1 || !strings.HasPrefix(r.Problems[0].String(), "pipe.html: not a regular file") {
		t.Errorf("problems: %v", r.Problems)
	}
}
