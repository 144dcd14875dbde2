//go:build unix

package srcfile

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReadFIFO: a named pipe with no writer, which would block a plain
// open forever, is refused at once, directly and through a link.
func TestReadFIFO(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "pipe.md")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("pipe.md", filepath.Join(dir, "link.md")); err != nil {
		t.Fatal(err)
	}
	r := NewRoot(dir)
	for _, name := range []string{"pipe.md", "link.md"} {
		done := make(chan error, 1)
		go func() { _, err := r.Read(filepath.Join(dir, name), MaxText); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "not a regular file (a named pipe)") {
				t.Errorf("%s: %v", name, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: Read blocks on a named pipe", name)
		}
		if err := r.Check(filepath.Join(dir, name)); err == nil {
			t.Errorf("Check %s accepted a named pipe", name)
		}
	}
}

// TestReadDevice links to /dev/zero (never writing to it) from a root:
// refused before it is opened.
func TestReadDevice(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "zero.md")
	if err := os.Symlink("/dev/zero", p); err != nil {
		t.Fatal(err)
	}
	if _, err := NewRoot(dir).Read(p, MaxText); err == nil || !strings.Contains(err.Error(), "outside the site folder (to /dev/zero)") {
		t.Errorf("link to /dev/zero: %v", err)
	}
}

// TestReadSocket: a socket in the site is not a file to read either.
func TestReadSocket(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "s.md")
	ln, err := net.Listen("unix", p)
	if err != nil {
		t.Skip("no unix sockets here:", err)
	}
	defer ln.Close()
	if _, err := NewRoot(dir).Read(p, MaxText); err == nil || !strings.Contains(err.Error(), "not a regular file (a socket)") {
		t.Errorf("socket: %v", err)
	}
}
