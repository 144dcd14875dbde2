package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"guidebook/internal/watch"
)

// lockedBuffer is a command's output read while the command runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor polls cond until it holds or 10 seconds pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still not %s after 10s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestServeCommand runs `guidebook serve` as a user does, stops it with
// SIGTERM as Ctrl-C or a service manager would, and checks that nothing
// is left running and public/ was never written.
func TestServeCommand(t *testing.T) {
	site := copySite(t)
	before := runtime.NumGoroutine()
	var stdout, stderr lockedBuffer
	done := make(chan int, 1)
	go func() { done <- cmdServe([]string{"--src", site, "--addr", "127.0.0.1:0"}, &stdout, &stderr) }()

	serving := regexp.MustCompile(`guidebook: serving .* at (http://127\.0\.0\.1:\d+/) \(Ctrl-C to stop\)`)
	var url string
	waitFor(t, "serving", func() bool {
		select {
		case code := <-done:
			t.Fatalf("serve exited %d early:\n%s", code, stderr.String())
		default:
		}
		m := serving.FindStringSubmatch(stdout.String())
		if m != nil {
			url = m[1]
		}
		return m != nil
	})
	if strings.Contains(stderr.String(), "warning") {
		t.Errorf("loopback address warned:\n%s", stderr.String())
	}
	client := &http.Client{Transport: &http.Transport{}}
	get := func(p string) (int, string, http.Header) {
		resp, err := client.Get(url + p)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body), resp.Header
	}
	status, body, h := get("fundamentals/")
	if status != 200 || !strings.Contains(body, `<script src="/__guidebook/livereload.js" data-instance=`) || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("GET fundamentals/: %d %v", status, h)
	}
	if status, body, _ := get("no-such-page/"); status != 404 || !strings.Contains(body, "gb-kind-404") {
		t.Errorf("missing page: %d", status)
	}

	file := filepath.Join(site, "content", "fundamentals.md")
	orig, _ := os.ReadFile(file)
	os.WriteFile(file, append(orig, "\nEdited while serving.\n"...), 0o644)
	waitFor(t, "serving the edit", func() bool {
		_, body, _ := get("fundamentals/")
		return strings.Contains(body, "Edited while serving.")
	})
	waitFor(t, "logging the rebuild", func() bool {
		return regexp.MustCompile(`rebuilt in \S+: content/fundamentals\.md \(1 page\)`).MatchString(stderr.String())
	})
	client.CloseIdleConnections()

	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d after SIGTERM:\n%s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop on SIGTERM")
	}
	if !strings.HasSuffix(stdout.String(), "guidebook: stopped\n") {
		t.Errorf("stdout:\n%s", stdout.String())
	}
	// os/signal starts one goroutine on first use that lives as long as
	// the process; anything beyond it is a leak.
	for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > before+1; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines after stop, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
	}
	if _, err := os.Stat(filepath.Join(site, "public")); !os.IsNotExist(err) {
		t.Errorf("serve wrote public/: %v", err)
	}
}

func TestServeFlags(t *testing.T) {
	if code, _, e := runCLI("serve", "--help"); code != 0 || !strings.Contains(e, "--addr") || !strings.Contains(e, "--open") {
		t.Errorf("--help: %d %s", code, e)
	}
	if code, _, e := runCLI("serve", "extra"); code != 2 || !strings.Contains(e, `unexpected argument "extra"`) {
		t.Errorf("extra argument: %d %s", code, e)
	}
	if code, _, e := runCLI("serve", "--src", t.TempDir()); code != 2 || !strings.Contains(e, "no content/ folder") {
		t.Errorf("no content: %d %s", code, e)
	}
	// A documentation address (RFC 5737) is not on this machine, so the
	// listen fails after the warning; nothing is bound or sent.
	site := copySite(t)
	code, _, e := runCLI("serve", "--src", site, "--addr", "192.0.2.1:0")
	if code != 1 || !strings.Contains(e, "warning: 192.0.2.1:0 is not a loopback address") {
		t.Errorf("non-loopback: %d %s", code, e)
	}
}

func TestLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:1313": true, "127.8.9.10:80": true, "localhost:1313": true, "[::1]:1313": true,
		":1313": false, "0.0.0.0:1313": false, "192.168.1.2:1313": false, "[::]:1313": false, "example.org:80": false, "nonsense": false,
	} {
		if got := watch.LoopbackAddr(addr); got != want {
			t.Errorf("LoopbackAddr(%q) = %v", addr, got)
		}
	}
}
