package watch

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestHandler(t *testing.T) {
	dir := copySite(t)
	s, err := New(Options{SiteDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Rebuild(nil); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	client := ts.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	tests := []struct {
		method, path string
		status       int
		ctype        string
		contains     string
		location     string
	}{
		// Pages name the build they are (livereload.js compares it with
		// the status to notice a build it missed while loading).
		{"GET", "/", 200, "text/html; charset=utf-8", `<script src="/__guidebook/livereload.js" data-instance="` + s.instance + `" data-build="1"></script>`, ""},
		{"GET", "/nope/", 404, "text/html; charset=utf-8", `data-build="1"`, ""},
		{"GET", "/index.html", 200, "text/html; charset=utf-8", "<html", ""},
		{"GET", "/academic/", 200, "text/html; charset=utf-8", "<h1", ""},
		{"GET", "/academic/index.html", 200, "text/html; charset=utf-8", "<h1", ""},
		{"GET", "/academic", 301, "", "", "/academic/"},
		{"GET", "/academic?x=1", 301, "", "", "/academic/?x=1"},
		{"GET", "/nope/", 404, "text/html; charset=utf-8", "gb-kind-404", ""},
		{"GET", "/nope.png", 404, "text/html; charset=utf-8", "gb-kind-404", ""},
		{"GET", "/../../etc/passwd", 307, "", "", "/etc/passwd"}, // ServeMux cleans the path first
		{"GET", "/etc/passwd", 404, "text/html; charset=utf-8", "gb-kind-404", ""},
		{"GET", "/assets/css/guidebook.css", 200, "text/css; charset=utf-8", "#gb-error-overlay", ""},
		{"GET", "/assets/js/guidebook.js", 200, "text/javascript; charset=utf-8", "", ""},
		{"GET", "/__guidebook/livereload.js", 200, "text/javascript; charset=utf-8", "EventSource", ""},
		{"GET", "/__guidebook/status", 200, "application/json", `"ok":true`, ""},
		{"GET", "/__guidebook/other", 404, "text/plain; charset=utf-8", "", ""},
		{"HEAD", "/academic/", 200, "text/html; charset=utf-8", "", ""},
		{"POST", "/academic/", 405, "text/plain; charset=utf-8", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, ts.URL+tc.path, nil)
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.status)
			}
			if got := resp.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control %q", got)
			}
			if tc.ctype != "" && resp.Header.Get("Content-Type") != tc.ctype {
				t.Errorf("Content-Type %q, want %q", resp.Header.Get("Content-Type"), tc.ctype)
			}
			if !strings.Contains(string(body), tc.contains) {
				t.Errorf("body does not contain %q", tc.contains)
			}
			if tc.location != "" && resp.Header.Get("Location") != tc.location {
				t.Errorf("Location %q, want %q", resp.Header.Get("Location"), tc.location)
			}
			if tc.method == "HEAD" && len(body) != 0 {
				t.Errorf("HEAD answered with a body")
			}
		})
	}
}

// TestFirstBuildFails: with no good build to fall back on, every URL
// shows the problems (and the client script, which reloads on the fix).
func TestFirstBuildFails(t *testing.T) {
	dir := copySite(t)
	file := filepath.Join(dir, "content", "fundamentals.md")
	orig := readFile(t, file)
	writeFile(t, file, strings.Replace(orig, "order: 1", "order: [1", 1))
	log := &syncBuffer{}
	s, err := New(Options{SiteDir: dir, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Rebuild(nil); err == nil {
		t.Fatal("broken front matter built")
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	resp, err := ts.Client().Get(ts.URL + "/fundamentals/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "fundamentals.md") || !strings.Contains(string(body), string(Script)) {
		t.Errorf("status %d, body:\n%s", resp.StatusCode, body)
	}
	if !strings.HasPrefix(log.String(), "build failed in ") {
		t.Errorf("log: %s", log.String())
	}
	if st := s.Status(); st.OK || st.Build != 0 || len(st.Errors) == 0 {
		t.Errorf("status %+v", st)
	}

	ch, unsubscribe := s.hub.subscribe()
	defer unsubscribe()
	writeFile(t, file, orig)
	if err := s.Rebuild([]string{"content/fundamentals.md"}); err != nil {
		t.Fatal(err)
	}
	if e := <-ch; e.name != "reload" || !e.data.(reloadData).All {
		t.Errorf("event after the first good build: %+v", e)
	}
	if st := s.Status(); !st.OK || st.Build != 1 {
		t.Errorf("status %+v", st)
	}
}

func TestDiffOutputs(t *testing.T) {
	same := []byte("same")
	prev := &tree{Files: map[string][]byte{
		"index.html": same, "a/index.html": []byte("a"), "gone/index.html": same, "404.html": same,
		"assets/css/guidebook.css": []byte("x"), "assets/js/guidebook.js": same, "search-index.js": []byte("1"),
	}}
	with := func(change map[string][]byte, drop ...string) *tree {
		o := &tree{Files: map[string][]byte{}}
		for k, v := range prev.Files {
			o.Files[k] = v
		}
		for k, v := range change {
			o.Files[k] = v
		}
		for _, k := range drop {
			delete(o.Files, k)
		}
		return o
	}
	tests := []struct {
		name string
		next *tree
		want delta
	}{
		{"nothing", with(nil), delta{}},
		{"one page and the index", with(map[string][]byte{"a/index.html": []byte("a2"), "search-index.js": []byte("2")}), delta{pages: []string{"/a/"}}},
		{"added and removed", with(map[string][]byte{"b/index.html": same}, "gone/index.html"), delta{pages: []string{"/b/", "/gone/"}}},
		{"404 page", with(map[string][]byte{"404.html": []byte("new")}), delta{pages: []string{"/404.html"}}},
		{"css only", with(map[string][]byte{"assets/css/guidebook.css": []byte("y")}), delta{assets: []string{"css/guidebook.css"}}},
		{"css and a page", with(map[string][]byte{"assets/css/guidebook.css": []byte("y"), "index.html": []byte("i")}), delta{pages: []string{"/"}, assets: []string{"css/guidebook.css"}, all: true}},
		{"script", with(map[string][]byte{"assets/js/guidebook.js": []byte("js")}), delta{all: true}},
		{"static file", with(map[string][]byte{"img/x.png": same}), delta{all: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := diffOutputs(prev, tc.next); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestEventEncoding(t *testing.T) {
	got := string(event{name: "error", data: []Problem{{File: "content/a.md", Line: 3, Message: "two\nlines"}}}.encode())
	want := "event: error\ndata: [{\"file\":\"content/a.md\",\"line\":3,\"message\":\"two\\nlines\"}]\n\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestNewRejectsSiteWithoutContent(t *testing.T) {
	if _, err := New(Options{SiteDir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "content/") {
		t.Errorf("err = %v", err)
	}
}

// TestHostCheck: bound to loopback, the server answers only requests
// naming a loopback host, so a page on another site whose name was
// rebound to 127.0.0.1 (DNS rebinding) cannot read the drafts, the
// status or the event stream. Bound elsewhere, the author chose to expose
// it and any Host is served.
func TestHostCheck(t *testing.T) {
	dir := copySite(t)
	for _, tc := range []struct {
		addr    string
		host    string
		allowed bool
	}{
		{"", "127.0.0.1:1313", true},
		{"", "localhost:1313", true},
		{"", "LocalHost", true},
		{"", "localhost.:8080", true},
		{"", "127.9.8.7", true},
		{"", "[::1]:1313", true},
		{"", "[::1]", true},
		{"", "evil.example:1313", false},
		{"", "evil.example", false},
		{"", "localhost.evil.example", false},
		{"", "127.0.0.1.nip.io", false},
		{"", "192.168.1.5:1313", false},
		{"", "", false},
		{"localhost:0", "evil.example", false},
		{"[::1]:0", "evil.example", false},
		{"127.0.0.1:0", "[::1]:1", true},
		{"0.0.0.0:1313", "evil.example", true},
		{":1313", "192.168.1.5:1313", true},
		{"192.168.1.5:1313", "anything", true},
	} {
		s, err := New(Options{SiteDir: dir, Addr: tc.addr})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Rebuild(nil); err != nil {
			t.Fatal(err)
		}
		h := s.Handler()
		paths := []string{"/", "/academic/", "/nope/", "/assets/css/guidebook.css", "/__guidebook/status", "/__guidebook/livereload.js"}
		if !tc.allowed {
			paths = append(paths, "/__guidebook/events") // allowed, it would stream forever
		}
		for _, p := range paths {
			for _, method := range []string{"GET", "POST"} {
				// Served, the event stream would run until the
				// request's context ends.
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				req := httptest.NewRequestWithContext(ctx, method, p, nil)
				req.Host = tc.host
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				cancel()
				forbidden := rec.Code == http.StatusForbidden
				if forbidden == tc.allowed {
					t.Errorf("bound to %q, %s %s with Host %q: status %d", tc.addr, method, p, tc.host, rec.Code)
				}
				if forbidden && strings.Contains(rec.Body.String(), "<h1") {
					t.Errorf("forbidden answer carries a page: %q", rec.Body.String())
				}
			}
		}
	}
}

// TestServeChecksHost: Serve decides by the address it bound, here
// "localhost:0", which became 127.0.0.1.
func TestServeChecksHost(t *testing.T) {
	log := &syncBuffer{}
	ready := make(chan string, 1)
	s, err := New(Options{SiteDir: copySite(t), Addr: "localhost:0", Log: log, Ready: func(u string) { ready <- u }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	defer func() { cancel(); <-done }()
	var u string
	select {
	case u = <-ready:
	case err := <-done:
		t.Fatalf("Serve: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("server not ready after 20s")
	}
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	for host, want := range map[string]int{"": 200, "localhost:1313": 200, "rebound.example:1313": 403} {
		req, _ := http.NewRequest("GET", u+"__guidebook/status", nil)
		if host != "" {
			req.Host = host
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %q: status %d, want %d", host, resp.StatusCode, want)
		}
	}
}

// The rebuild line names the changed files as they appeared: escaped, so
// a name with a line break or an escape sequence stays on its line.
func TestDescribeEscapes(t *testing.T) {
	got := describe([]string{"content/a\r\nrebuilt in 1ms: fake.md", "content/\x1b[2Jb.md"})
	want := `content/a\r\nrebuilt in 1ms: fake.md, content/\x1b[2Jb.md `
	if got != want {
		t.Errorf("describe = %q, want %q", got, want)
	}
}
