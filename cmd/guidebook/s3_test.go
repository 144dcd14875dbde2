package main

import (
	"bytes"
	"io/fs"
	"mime"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"guidebook/internal/publish"
)

// s3Script is README.md's S3 recipe.
const s3Script = "../../deploy/s3-sync.sh"

// fakeAWS puts an "aws" on PATH that records each call's arguments, one
// file per call, and returns the folder of the records.
func fakeAWS(t *testing.T) (env []string, calls func() [][]string) {
	t.Helper()
	bin, log := t.TempDir(), t.TempDir()
	script := "#!/bin/sh\nf=$(mktemp \"$FAKE_AWS_LOG/call.XXXXXX\")\nprintf '%s\\0' \"$@\" > \"$f\"\n"
	if err := os.WriteFile(filepath.Join(bin, "aws"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "FAKE_AWS_LOG="+log)
	return env, func() [][]string {
		entries, _ := os.ReadDir(log)
		var out [][]string
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(log, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, strings.Split(strings.TrimSuffix(string(data), "\x00"), "\x00"))
		}
		return out
	}
}

// awsCall is one recorded "aws s3 sync SRC DST [options]".
type awsCall struct {
	src, dst string
	filters  [][2]string // ("--exclude" or "--include", pattern), in order
	opts     map[string]string
}

func parseAWSCall(t *testing.T, args []string) awsCall {
	t.Helper()
	if len(args) < 4 || args[0] != "s3" || args[1] != "sync" {
		t.Fatalf("aws %q: want aws s3 sync SRC DST ...", args)
	}
	c := awsCall{src: args[2], dst: args[3], opts: map[string]string{}}
	for i := 4; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--exclude" || a == "--include":
			i++
			c.filters = append(c.filters, [2]string{a, args[i]})
		case a == "--delete" || a == "--no-guess-mime-type" || a == "--dryrun":
			c.opts[a] = ""
		case strings.HasPrefix(a, "--") && i+1 < len(args):
			i++
			c.opts[a] = args[i]
		default:
			t.Fatalf("aws %q: unexpected argument %q", args, a)
		}
	}
	return c
}

// awsPattern is the AWS CLI's filter match: fnmatch on the path below the
// source folder, where "*" matches "/" too.
func awsPattern(p string) *regexp.Regexp {
	var b strings.Builder
	for _, r := range p {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	return regexp.MustCompile("^" + b.String() + "$")
}

// selects reports whether the call uploads rel: the last filter matching
// it decides (the AWS CLI's rule), and a file no filter matches is in.
func (c awsCall) selects(rel string) bool {
	in := true
	for _, f := range c.filters {
		if awsPattern(f[1]).MatchString(rel) {
			in = f[0] == "--include"
		}
	}
	return in
}

// s3Site builds a starter book with a base URL (so sitemap.xml exists)
// and large .json and .txt files of its own (so every compressible type
// has copies), and returns its public folder.
func s3Site(t *testing.T) string {
	site := newBook(t)
	big := strings.Repeat("a line of text for the compressor ", 40)
	for name, data := range map[string]string{"data.json": `{"text": "` + big + `"}`, "notes.txt": big, "archive.tar.gz": "not a copy"} {
		if err := os.WriteFile(filepath.Join(site, "content", name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if code, _, errOut := runCLI("build", "--src", site, "--base-url", "https://example.org/guide/"); code != 0 {
		t.Fatalf("build: %s", errOut)
	}
	return filepath.Join(site, "public")
}

// TestS3ScriptUploadsEveryFileOnce runs deploy/s3-sync.sh against a fake
// aws: every file of the build is uploaded once, under its own name, with
// the Cache-Control of _headers, and each .gz/.br copy with the type of
// the file it compresses and its Content-Encoding.
func TestS3ScriptUploadsEveryFileOnce(t *testing.T) {
	public := s3Site(t)
	env, calls := fakeAWS(t)
	script, err := filepath.Abs(s3Script)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", script, public, "s3://bucket/guide/", "--endpoint-url", "https://s3.example.org")
	cmd.Env = env
	cmd.Dir = public // a shell glob would match the copies here
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("s3-sync.sh: %v\n%s", err, out)
	}
	var files []string
	filepath.WalkDir(public, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(public, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	})
	uploads := map[string][]awsCall{}
	for _, args := range calls() {
		c := parseAWSCall(t, args)
		if c.src != public || c.dst != "s3://bucket/guide" || c.opts["--endpoint-url"] != "https://s3.example.org" {
			t.Errorf("aws %q: want %s to s3://bucket/guide with the caller's --endpoint-url", args, public)
		}
		if _, ok := c.opts["--no-guess-mime-type"]; ok {
			t.Errorf("aws %q: the files need their guessed type", args)
		}
		for _, f := range files {
			if c.selects(f) {
				uploads[f] = append(uploads[f], c)
			}
		}
	}
	sawCopy := map[string]bool{}
	for _, f := range files {
		got := uploads[f]
		if f == ".guidebook-output" || f == "_headers" {
			if len(got) != 0 {
				t.Errorf("%s is uploaded; it is the build's own file", f)
			}
			continue
		}
		if len(got) != 1 {
			t.Errorf("%s is uploaded %d times, want once", f, len(got))
			continue
		}
		c := got[0]
		cache := publish.PageCacheControl
		if strings.HasPrefix(f, "assets/") {
			cache = publish.AssetCacheControl
		}
		if c.opts["--cache-control"] != cache {
			t.Errorf("%s: Cache-Control %q, want %q", f, c.opts["--cache-control"], cache)
		}
		checkS3Encoding(t, f, c, sawCopy)
	}
	for _, ext := range []string{".html", ".css", ".js", ".json", ".svg", ".txt", ".xml"} {
		if !sawCopy[ext] {
			t.Errorf("the test book has no compressed %s copy to upload", ext)
		}
	}
}

// checkS3Encoding: a .gz/.br copy of a compressible file is uploaded with
// its Content-Encoding and the original's type; any other file with
// neither, for aws to guess the type.
func checkS3Encoding(t *testing.T, f string, c awsCall, sawCopy map[string]bool) {
	t.Helper()
	enc := map[string]string{".gz": "gzip", ".br": "br"}[path.Ext(f)]
	orig := strings.TrimSuffix(f, path.Ext(f))
	if enc == "" || !publish.Compressible(orig) {
		if c.opts["--content-encoding"] != "" || c.opts["--content-type"] != "" {
			t.Errorf("%s: uploaded with %v; want its guessed type and no encoding", f, c.opts)
		}
		return
	}
	sawCopy[path.Ext(orig)] = true
	if c.opts["--content-encoding"] != enc {
		t.Errorf("%s: Content-Encoding %q, want %q", f, c.opts["--content-encoding"], enc)
	}
	want := mime.TypeByExtension(path.Ext(orig))
	if path.Ext(orig) == ".txt" {
		want = "text/plain"
	}
	got, _, err := mime.ParseMediaType(c.opts["--content-type"])
	if wantType, _, _ := mime.ParseMediaType(want); err != nil || got != wantType {
		t.Errorf("%s: Content-Type %q, want %s", f, c.opts["--content-type"], want)
	}
}

// TestS3ScriptRefusesOtherFolders: the script uploads only a folder a
// build wrote.
func TestS3ScriptRefusesOtherFolders(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	env, calls := fakeAWS(t)
	cmd := exec.Command("sh", s3Script, dir, "s3://bucket")
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 2 || !strings.Contains(stderr.String(), ".guidebook-output") {
		t.Errorf("exit %v, %q; want 2 and the reason", err, stderr.String())
	}
	if n := len(calls()); n != 0 {
		t.Errorf("aws was called %d times", n)
	}
}
