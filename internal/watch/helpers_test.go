package watch

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// copySite copies the shipped guide's content/ into a fresh site folder.
func copySite(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS(filepath.Join("..", "..", "content"))); err != nil {
		t.Fatal(err)
	}
	return dir
}

// syncBuffer is the server's log, read by the test while it writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// running is a Server started with Serve on a random loopback port.
type running struct {
	*Server
	url    string
	log    *syncBuffer
	client *http.Client
	stop   func() error // cancels Serve and returns its error
}

func startServer(t testing.TB, dir string) *running {
	t.Helper()
	log := &syncBuffer{}
	ready := make(chan string, 1)
	s, err := New(Options{SiteDir: dir, Addr: "127.0.0.1:0", Log: log, Ready: func(u string) { ready <- u }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	var u string
	select {
	case u = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("Serve returned before ready: %v", err)
	case <-time.After(20 * time.Second):
		cancel()
		t.Fatal("server not ready after 20s")
	}
	r := &running{Server: s, url: u, log: log, client: &http.Client{
		Transport:     &http.Transport{},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	var once sync.Once
	var serveErr error
	r.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case serveErr = <-done:
			case <-time.After(10 * time.Second):
				serveErr = context.DeadlineExceeded
			}
			r.client.CloseIdleConnections()
		})
		return serveErr
	}
	t.Cleanup(func() { r.stop() })
	return r
}

func (r *running) get(t testing.TB, p string) (int, string, http.Header) {
	t.Helper()
	resp, err := r.client.Get(strings.TrimSuffix(r.url, "/") + p)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body), resp.Header
}

// waitPage polls p until ok accepts the status and body.
func (r *running) waitPage(t testing.TB, p string, what string, ok func(status int, body string) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		status, body, _ := r.get(t, p)
		if ok(status, body) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s: still not %s after 10s (status %d)\nlog:\n%s", p, what, status, r.log.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type sseEvent struct {
	name, data string
}

// stream is an open /__guidebook/events connection read line by line.
type stream struct {
	events chan sseEvent
	close  func()
}

func openStream(t testing.TB, r *running) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", r.url+"__guidebook/events", nil)
	resp, err := r.client.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events Content-Type %q", ct)
	}
	s := &stream{events: make(chan sseEvent, 64)}
	connected := make(chan struct{})
	go func() {
		defer close(s.events)
		defer resp.Body.Close()
		br := bufio.NewReader(resp.Body)
		var ev sseEvent
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\n")
			switch {
			case strings.HasPrefix(line, "retry:"):
				close(connected) // sent after the stream subscribed
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.data = strings.TrimPrefix(line, "data: ")
			case line == "" && ev.name != "":
				s.events <- ev
				ev = sseEvent{}
			}
		}
	}()
	select {
	case <-connected:
	case <-time.After(5 * time.Second):
		cancel()
		t.Fatal("event stream sent no retry line")
	}
	s.close = cancel
	t.Cleanup(cancel)
	return s
}

// next waits for the next event of the given name. Others before it are
// skipped: on a loaded machine one save (vim's rename, then write) can
// straddle two batches, and the first may build without the file.
func (s *stream) next(t testing.TB, name string) sseEvent {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				t.Fatalf("event stream closed while waiting for %q", name)
			}
			if ev.name == name {
				return ev
			}
			t.Logf("skipped event %q (%s) while waiting for %q", ev.name, ev.data, name)
		case <-timeout:
			t.Fatalf("no %q event after 10s", name)
		}
	}
}

func decode[T any](t testing.TB, data string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(data), &v); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
	return v
}

func writeFile(t testing.TB, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
