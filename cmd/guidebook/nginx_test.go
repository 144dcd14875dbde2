package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"guidebook/internal/publish"
)

// nginxConf is the sample server block of README.md's nginx recipe.
const nginxConf = "../../deploy/nginx.conf"

// nginxTokens splits nginx configuration text into words, quoted strings
// (unquoted), "{", "}" and ";", dropping comments.
func nginxTokens(src string) []string {
	var toks []string
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '{' || c == '}' || c == ';':
			toks = append(toks, string(c))
			i++
		case c == '"' || c == '\'':
			j := strings.IndexByte(src[i+1:], c)
			if j < 0 {
				return append(toks, src[i+1:])
			}
			toks = append(toks, src[i+1:i+1+j])
			i += j + 2
		default:
			j := i
			for j < len(src) && !strings.ContainsRune(" \t\r\n{};", rune(src[j])) {
				j++
			}
			toks = append(toks, src[i:j])
			i = j
		}
	}
	return toks
}

// nginxHeaders returns the add_header lines of each block of conf, keyed by
// the block's directive and arguments ("server", "location /assets/").
func nginxHeaders(t *testing.T, conf string) map[string]http.Header {
	t.Helper()
	blocks := map[string]http.Header{}
	var stack, stmt []string
	for _, tok := range nginxTokens(conf) {
		switch tok {
		case "{":
			stack = append(stack, strings.Join(stmt, " "))
			stmt = nil
		case "}":
			stack = stack[:len(stack)-1]
		case ";":
			if len(stmt) >= 3 && stmt[0] == "add_header" {
				if len(stmt) != 4 || stmt[3] != "always" {
					t.Errorf("nginx.conf: %q: every add_header needs \"always\" (error pages need the headers too)", stmt)
				}
				key := stack[len(stack)-1]
				if blocks[key] == nil {
					blocks[key] = http.Header{}
				}
				blocks[key].Add(stmt[1], stmt[2])
			}
			stmt = nil
		default:
			stmt = append(stmt, tok)
		}
	}
	return blocks
}

// hostHeadersFor is what Netlify or Cloudflare Pages send for p given the
// build's _headers: every matching rule's headers, Cache-Control by the
// hosts' default where no rule sets it.
func hostHeadersFor(rules []hostRule, p string) http.Header {
	h := http.Header{}
	for _, r := range rules {
		if pre, ok := strings.CutSuffix(r.pattern, "*"); ok && strings.HasPrefix(p, pre) || r.pattern == p {
			for k, vs := range r.headers {
				h[k] = append(h[k], vs...)
			}
		}
	}
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", publish.PageCacheControl)
	}
	return h
}

func headersEqual(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if strings.Join(a[k], "\n") != strings.Join(b[k], "\n") {
			return false
		}
	}
	return true
}

// TestNginxConfigSendsTheHeadersFileHeaders: the sample config's headers
// are those the build's _headers gives on Netlify and Cloudflare Pages,
// for pages and for assets.
func TestNginxConfigSendsTheHeadersFileHeaders(t *testing.T) {
	conf, err := os.ReadFile(nginxConf)
	if err != nil {
		t.Fatal(err)
	}
	blocks := nginxHeaders(t, string(conf))
	files := buildPublished(t, newBook(t), "")
	rules := parseHostHeaders(t, string(files["_headers"]))
	for block, path := range map[string]string{"server": "/introduction/", "location /assets/": "/assets/css/x.css"} {
		if want := hostHeadersFor(rules, path); !headersEqual(blocks[block], want) {
			t.Errorf("nginx.conf %s sends\n%v\nthe hosts send for %s\n%v", block, blocks[block], path, want)
		}
	}
}

// nginxSite runs nginx with the sample config on a free port over a
// starter book built into a temp folder, and returns its URL and the
// built folder. nginx runs in the foreground, as a child of the test, and
// is killed by its PID at the end.
func nginxSite(t *testing.T) (string, string) {
	bin, err := exec.LookPath("nginx")
	if err != nil {
		t.Skip("SKIPPED: nginx is not installed, so deploy/nginx.conf was not run " +
			"(apt-get install nginx-light libnginx-mod-http-brotli-static)")
	}
	site := newBook(t)
	if code, _, errOut := runCLI("build", "--src", site); code != 0 {
		t.Fatalf("build: %s", errOut)
	}
	public := filepath.Join(site, "public")
	conf, err := os.ReadFile(nginxConf)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	server := string(conf)
	for old, new := range map[string]string{"listen 80;": "listen " + addr + ";", "root /var/www/guide;": "root " + public + ";"} {
		if !strings.Contains(server, old) {
			t.Fatalf("nginx.conf has no %q line", old)
		}
		server = strings.Replace(server, old, new, 1)
	}
	tmp := t.TempDir()
	var main strings.Builder
	const brotli = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"
	if _, err := os.Stat(brotli); err == nil {
		fmt.Fprintf(&main, "load_module %s;\n", brotli)
	} else {
		t.Log("LOUD: no ngx_brotli static module; testing without brotli_static, as README.md says")
		server = strings.Replace(server, "brotli_static on;", "", 1)
	}
	if err := os.WriteFile(filepath.Join(tmp, "site.conf"), []byte(server), 0o644); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&main, "daemon off;\nmaster_process off;\npid %[1]s/nginx.pid;\nerror_log %[1]s/error.log;\nevents {}\nhttp {\n"+
		"  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n  access_log off;\n"+
		"  client_body_temp_path %[1]s/body;\n  proxy_temp_path %[1]s/proxy;\n  fastcgi_temp_path %[1]s/fastcgi;\n"+
		"  uwsgi_temp_path %[1]s/uwsgi;\n  scgi_temp_path %[1]s/scgi;\n  include %[1]s/site.conf;\n}\n", tmp)
	mainConf := filepath.Join(tmp, "nginx.conf")
	if err := os.WriteFile(mainConf, []byte(main.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-c", mainConf, "-p", tmp + "/", "-e", filepath.Join(tmp, "error.log")}
	if out, err := exec.Command(bin, append([]string{"-t"}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t rejects deploy/nginx.conf: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	for deadline := time.Now().Add(10 * time.Second); ; {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(tmp, "error.log"))
			t.Fatalf("nginx did not listen on %s: %v\n%s%s", addr, err, stderr.String(), log)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return "http://" + addr, public
}

// TestNginxServesTheBuild runs the sample config: nginx accepts it, serves
// each page and asset's .br or .gz copy to a browser that takes it, the
// file itself to one that takes neither, with the _headers headers, and
// the 404 page for what is missing.
func TestNginxServesTheBuild(t *testing.T) {
	base, public := nginxSite(t)
	rules := parseHostHeaders(t, mustRead(t, filepath.Join(public, "_headers")))
	assets, _ := filepath.Glob(filepath.Join(public, "assets", "css", "guidebook.*.css"))
	if len(assets) != 1 {
		t.Fatalf("no stylesheet in %s", public)
	}
	css := "/assets/css/" + filepath.Base(assets[0])
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	for _, tc := range []struct{ path, file, accept, encoding, sibling string }{
		{"/introduction/", "introduction/index.html", "br, gzip", "br", ".br"},
		{"/introduction/", "introduction/index.html", "gzip", "gzip", ".gz"},
		{"/introduction/", "introduction/index.html", "", "", ""},
		{"/", "index.html", "gzip, deflate, br", "br", ".br"},
		{css, "assets/css/" + filepath.Base(assets[0]), "br", "br", ".br"},
		{css, "assets/css/" + filepath.Base(assets[0]), "", "", ""},
	} {
		req, _ := http.NewRequest("GET", base+tc.path, nil)
		if tc.accept != "" {
			req.Header.Set("Accept-Encoding", tc.accept)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		what := fmt.Sprintf("GET %s (Accept-Encoding %q)", tc.path, tc.accept)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != tc.encoding {
			t.Errorf("%s: %s, Content-Encoding %q; want 200, %q", what, resp.Status, resp.Header.Get("Content-Encoding"), tc.encoding)
			continue
		}
		if want := mustRead(t, filepath.Join(public, tc.file+tc.sibling)); string(body) != want {
			t.Errorf("%s: the body is not %s%s", what, tc.file, tc.sibling)
		}
		if tc.encoding != "" && !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s: no Vary: Accept-Encoding, so a cache could give the %s copy to anyone", what, tc.encoding)
		}
		want := hostHeadersFor(rules, tc.path)
		for k := range want {
			if got := strings.Join(resp.Header.Values(k), ", "); got != strings.Join(want.Values(k), ", ") {
				t.Errorf("%s: %s is %q; _headers gives %q", what, k, got, strings.Join(want.Values(k), ", "))
			}
		}
	}
	for _, p := range []string{"/no-such-page/", "/_headers", "/.guidebook-output"} {
		resp, err := client.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("GET %s: %s, want 404", p, resp.Status)
		}
		if p == "/no-such-page/" && string(body) != mustRead(t, filepath.Join(public, "404.html")) {
			t.Errorf("GET %s: the body is not the book's 404 page", p)
		}
	}
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
