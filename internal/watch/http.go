package watch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"mime"
	"net"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"guidebook"
)

// Handler serves the last good build from memory, the live-reload script,
// the event stream and the status. Serve uses it; tests call it directly.
// Bound to a loopback address (Options.Addr), it answers only requests
// whose Host names this machine (see loopbackHost).
func (s *Server) Handler() http.Handler { return s.handler(LoopbackAddr(s.opts.Addr)) }

// handler is Handler for a server listening on loopback or not.
func (s *Server) handler(loopback bool) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(Prefix+"livereload.js", s.serveScript)
	mux.HandleFunc(Prefix+"livereload.css", s.serveScript)
	mux.HandleFunc(Prefix+"events", s.serveEvents)
	mux.HandleFunc(Prefix+"status", s.serveStatus)
	mux.HandleFunc(Prefix, http.NotFound)
	mux.HandleFunc("/", s.serveFile)
	h := noStore(mux)
	if loopback {
		h = loopbackOnly(h)
	}
	return h
}

// loopbackOnly refuses requests whose Host is not a loopback name or
// address. A server on 127.0.0.1 is out of other machines' reach, but not
// out of a web page's: a page on evil.example can make its name resolve
// to 127.0.0.1 (DNS rebinding) and then read the drafts, the status and
// the event stream as same-origin. The browser still sends the name it
// looked up, so the Host header is what gives it away. Bound to another
// address, the author chose to expose the server, under whatever names
// reach it, and every Host is served.
func loopbackOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !loopbackHost(r.Host) {
			w.Header().Set("Cache-Control", "no-store")
			http.Error(w, "guidebook serve answers only requests for localhost, 127.0.0.1 or [::1] while it listens on loopback", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// loopbackHost reports whether a Host header ("localhost:1313",
// "127.0.0.1", "[::1]:1313") names this machine: localhost, an address of
// 127.0.0.0/8 or ::1, with or without a port. Other names, even ones whose
// DNS answer is 127.0.0.1, are not: that answer is the attacker's to give.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// LoopbackAddr reports whether a listen address ("127.0.0.1:1313",
// "localhost:0", "[::1]:1313") accepts connections from this machine
// only. An empty host (":1313") or 0.0.0.0 listens on every interface.
func LoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	return host != "" && loopbackHost(host)
}

// noStore keeps the browser from caching anything: every load must see
// the latest build, and asset names do not change in watch mode.
func noStore(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// serveScript serves the live-reload client, its script or its
// stylesheet (the lint panel's).
func (s *Server) serveScript(w http.ResponseWriter, r *http.Request) {
	// Read from the binary, not the site: the client must match this
	// server's protocol whatever theme the site overrides.
	name := path.Base(r.URL.Path)
	dir := "js"
	if path.Ext(name) == ".css" {
		dir = "css"
	}
	data, err := guidebook.Files.ReadFile("assets/" + dir + "/" + name)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	write(w, r, http.StatusOK, name, data)
}

func (s *Server) serveStatus(w http.ResponseWriter, r *http.Request) {
	data, _ := json.Marshal(s.Status())
	write(w, r, http.StatusOK, "status.json", data)
}

// serveFile maps a URL to an output file the way a static host does:
// directory URLs serve their index.html, a directory without its slash
// redirects (relative links depend on it), anything else missing gets
// 404.html with status 404.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	out, problems, build := s.good, s.problems, s.build
	s.mu.RUnlock()
	if out == nil {
		s.serveNoBuild(w, r, problems)
		return
	}
	clean := path.Clean("/" + r.URL.Path)
	rel := strings.TrimPrefix(clean, "/")
	if strings.HasSuffix(r.URL.Path, "/") {
		rel = path.Join(rel, "index.html")
	}
	if data, ok := out.Files[rel]; ok && rel != "" {
		if path.Ext(rel) == ".html" {
			data = s.stamp(data, build)
		}
		write(w, r, http.StatusOK, rel, data)
		return
	}
	if _, ok := out.Files[path.Join(rel, "index.html")]; ok && !strings.HasSuffix(r.URL.Path, "/") {
		to := clean + "/"
		if clean == "/" {
			to = "/"
		}
		if r.URL.RawQuery != "" {
			to += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, to, http.StatusMovedPermanently)
		return
	}
	if rel == "favicon.ico" {
		// Browsers ask for it unprompted; a 404 would put an error in
		// the author's console next to the ones that matter.
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if data, ok := out.Files["404.html"]; ok {
		write(w, r, http.StatusNotFound, "404.html", s.stamp(data, build))
		return
	}
	http.NotFound(w, r)
}

// stamp tells a page's live-reload script which build it is: a page that
// finishes loading after a newer build (a save during its reload) has
// missed that build's event, and its first status check says so.
func (s *Server) stamp(page []byte, build int) []byte {
	stamped := fmt.Sprintf(`<script src="%slivereload.js" data-instance="%s" data-build="%d"></script>`, Prefix, s.instance, build)
	return bytes.Replace(page, []byte(Script), []byte(stamped), 1)
}

var noBuild = template.Must(template.New("").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Build failed · guidebook</title>
{{.Script}}</head>
<body><h1>guidebook: the site has not built yet</h1>
<p>Fix the problems below and save: this page reloads by itself.</p>
<ul>{{range .Problems}}<li>{{if .File}}<code>{{.File}}{{if .Line}}:{{.Line}}{{end}}</code>: {{end}}{{.Message}}</li>{{end}}</ul>
</body></html>
`))

// serveNoBuild answers while no build has ever succeeded: there is no
// last good build to fall back on, so every URL shows the problems.
func (s *Server) serveNoBuild(w http.ResponseWriter, r *http.Request, problems []Problem) {
	var b strings.Builder
	noBuild.Execute(&b, map[string]any{"Script": Script, "Problems": problems})
	write(w, r, http.StatusServiceUnavailable, "index.html", []byte(b.String()))
}

func write(w http.ResponseWriter, r *http.Request, status int, name string, data []byte) {
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = http.DetectContentType(data)
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}

// serveEvents is the Server-Sent Events stream one open tab listens to.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Connection", "keep-alive")
	ch, unsubscribe := s.hub.subscribe()
	defer unsubscribe()
	if ch == nil {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
	// A short retry: after a restart of guidebook serve the tab
	// reconnects (and, seeing a new instance, reloads) at once.
	w.Write([]byte("retry: 500\n\n"))
	if rc.Flush() != nil {
		return
	}
	// A comment now and then lets a dead connection be noticed.
	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		var msg []byte
		select {
		case <-r.Context().Done():
			return
		case <-s.hub.done:
			return
		case <-ping.C:
			msg = []byte(": ping\n\n")
		case e, ok := <-ch:
			if !ok {
				return // too slow to keep up: its reconnect checks the status
			}
			msg = e.encode()
		}
		if _, err := w.Write(msg); err != nil {
			return
		}
		if rc.Flush() != nil {
			return
		}
	}
}

type event struct {
	name string
	data any
}

func (e event) encode() []byte {
	data, _ := json.Marshal(e.data)
	// json.Marshal escapes newlines inside strings, so data is one line.
	return []byte("event: " + e.name + "\ndata: " + string(data) + "\n\n")
}

// hub fans events out to the open event streams.
type hub struct {
	mu     sync.Mutex
	subs   map[chan event]bool
	done   chan struct{}
	closed bool
}

func newHub() *hub { return &hub{subs: map[chan event]bool{}, done: make(chan struct{})} }

// subscribe returns a stream's channel, or nil once the hub is closed.
func (h *hub) subscribe() (chan event, func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, func() {}
	}
	ch := make(chan event, 16)
	h.subs[ch] = true
	return ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.subs[ch] {
			delete(h.subs, ch)
			close(ch)
		}
	}
}

// publish never blocks a build: a stream whose buffer is full is cut off,
// and its browser reconnects and asks for the status.
func (h *hub) publish(e event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- e:
		default:
			delete(h.subs, ch)
			close(ch)
		}
	}
}

// close ends every stream and refuses new ones.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.done)
	}
}

// subscribers counts the open streams (tests wait for a tab to connect).
func (h *hub) subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}
