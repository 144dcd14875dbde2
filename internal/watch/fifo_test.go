//go:build unix

package watch

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestServeSurvivesNamedPipe: a named pipe appearing in content/ while
// serving used to block the rebuild for good (status still "ok", no more
// rebuilds, SIGTERM ignored). Now the rebuild fails at once naming the
// pipe, the overlay gets the problem, the last good build is served, an
// edit is still noticed, the site recovers when the pipe goes, and the
// server stops.
func TestServeSurvivesNamedPipe(t *testing.T) {
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	writeFile(t, filepath.Join(content, "a.md"), "---\ntitle: A\n---\n\nFirst text.\n")
	r := startServer(t, dir)
	es := openStream(t, r)
	has := func(s string) func(int, string) bool {
		return func(status int, body string) bool { return status == 200 && strings.Contains(body, s) }
	}
	r.waitPage(t, "/a/", "built", has("First text."))

	pipe := filepath.Join(content, "pipe.md")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Fatal(err)
	}
	problems := decode[[]Problem](t, es.next(t, "error").data)
	if len(problems) != 1 || !strings.HasSuffix(problems[0].File, "content/pipe.md") || !strings.Contains(problems[0].Message, "not a regular file (a named pipe)") {
		t.Fatalf("error event %+v, want content/pipe.md: not a regular file", problems)
	}
	if st := r.Status(); st.OK || len(st.Errors) != 1 {
		t.Errorf("status with the pipe = %+v", st)
	}
	r.waitPage(t, "/a/", "the last good build", has("First text."))

	// Rebuilds go on: an edit is built (and fails on the pipe again).
	writeFile(t, filepath.Join(content, "a.md"), "---\ntitle: A\n---\n\nSecond text.\n")
	if p := decode[[]Problem](t, es.next(t, "error").data); len(p) != 1 || !strings.HasSuffix(p[0].File, "content/pipe.md") {
		t.Errorf("error event after an edit %+v", p)
	}

	if err := os.Remove(pipe); err != nil {
		t.Fatal(err)
	}
	if d := decode[reloadData](t, es.next(t, "reload").data); !d.All {
		t.Errorf("reload after the pipe went %+v, want every tab", d)
	}
	r.waitPage(t, "/a/", "rebuilt with the edit", has("Second text."))
	if st := r.Status(); !st.OK || len(st.Errors) != 0 {
		t.Errorf("status after the pipe went = %+v", st)
	}
	if err := r.stop(); err != nil {
		t.Fatalf("Serve did not stop: %v", err)
	}
}
