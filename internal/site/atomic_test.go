package site

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"guidebook/internal/buildcache"
	"guidebook/internal/outdir"
	"guidebook/internal/testing/filetree"
)

// binDir holds the guidebook binary built once for this test binary.
var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// TestMain points the build cache of every guidebook command these tests
// run at a temporary folder: the default is under the user's cache
// folder, which a test must never touch.
func TestMain(m *testing.M) {
	cacheDir, err := os.MkdirTemp("", "guidebook-site-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv(buildcache.EnvDir, filepath.Join(cacheDir, "cache"))
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.RemoveAll(cacheDir)
	os.Exit(code)
}

// guidebookBinary builds cmd/guidebook once, so tests can run the command
// as a user does and kill it like a user's Ctrl-C or an OOM killer would.
func guidebookBinary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("!!!!!!!! SKIPPING: the go command is not on PATH, cannot build the guidebook binary !!!!!!!!")
	}
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "guidebook-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "guidebook")
		out, err := exec.Command(goTool, "build", "-o", binPath, "guidebook/cmd/guidebook").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// largeBook writes a book big enough that building and writing it takes a
// noticeable time, so that a kill can land in every stage. version changes
// a word in every chapter, so the two versions differ on every page.
func largeBook(t *testing.T, site string, chapters int, version string) {
	t.Helper()
	dir := filepath.Join(site, "content")
	must(t, os.MkdirAll(dir, 0o755))
	var gl strings.Builder
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&gl, "- term: Term%03d\n  definition: Definition number %d.\n", i, i)
	}
	must(t, os.WriteFile(filepath.Join(dir, "glossary.yaml"), []byte(gl.String()), 0o644))
	var bib strings.Builder
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&bib, "@article{key%03d,\n  author = {Author, A%d and Other, B},\n  title = {Work %d},\n  journal = {J},\n  year = {%d}\n}\n\n", i, i, i, 1990+i)
	}
	must(t, os.WriteFile(filepath.Join(dir, "references.bib"), []byte(bib.String()), 0o644))
	para := strings.Repeat("Insulin sensitivity describes how strongly the body's cells respond to insulin. ", 6)
	for c := 0; c < chapters; c++ {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: Chapter %d %s\norder: %d\n---\n\n", c, version, c)
		for s := 0; s < 8; s++ {
			fmt.Fprintf(&b, "## Section %d\n\n", s)
			for p := 0; p < 4; p++ {
				fmt.Fprintf(&b, "%s Version %s uses [[term:Term%03d]] [@key%03d] and [[c%03d#section-%d]].\n\n", para, version, (c+s+p)%40, (c*s+p)%40, (c+1)%chapters, p)
			}
			b.WriteString("```go\nfunc f(x int) int { return x * 2 }\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n")
		}
		must(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("c%03d.md", c)), []byte(b.String()), 0o644))
	}
}

// TestKilledBuildLeavesOldOrNewTree kills `guidebook build` at random
// moments and checks that public/ is, byte for byte, either the previous
// site or the new one: never a mixture, never missing.
func TestKilledBuildLeavesOldOrNewTree(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a large book several times")
	}
	bin := guidebookBinary(t)
	site := t.TempDir()
	public := filepath.Join(site, "public")
	build := func(out string) time.Duration {
		t.Helper()
		start := time.Now()
		cmd := exec.Command(bin, "build", "--src", site, "--out", out)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("build: %v\n%s", err, out)
		}
		return time.Since(start)
	}

	// The two trees a kill may leave: A (before) and B (after). Both are
	// built once to completion to learn their hashes.
	const chapters = 80
	largeBook(t, site, chapters, "A")
	build(public)
	hashA := siteHash(t, public)
	largeBook(t, site, chapters, "B")
	ref := filepath.Join(t.TempDir(), "public")
	took := build(ref)
	hashB := siteHash(t, ref)
	if hashA == hashB {
		t.Fatal("the two versions build to the same tree; the test would prove nothing")
	}
	t.Logf("a full build of %d chapters takes %s", chapters, took)

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 6))
	sawA, sawB := false, false
	for i := 0; i < 5; i++ {
		// Alternate the sources so that each kill interrupts a build that
		// would change the tree, whichever tree is there now.
		version := "AB"[i%2 : i%2+1]
		largeBook(t, site, chapters, version)
		delay := time.Duration(rng.Int64N(int64(took + took/4)))
		cmd := exec.Command(bin, "build", "--src", site, "--out", public)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		must(t, cmd.Start())
		time.Sleep(delay)
		cmd.Process.Kill() // SIGKILL: no deferred cleanup runs
		cmd.Wait()
		switch h := siteHash(t, public); h {
		case hashA:
			sawA = true
		case hashB:
			sawB = true
		default:
			t.Fatalf("kill after %s (building %s) left public/ as neither the old nor the new tree (hash %s)\n%s", delay, version, h, stderr.String())
		}
	}
	t.Logf("kills left the old/new tree: A %v, B %v", sawA, sawB)

	// A complete build afterwards clears every stray temporary directory.
	largeBook(t, site, chapters, "B")
	build(public)
	if h := siteHash(t, public); h != hashB {
		t.Error("a complete build after the kills did not give the B tree")
	}
	entries, _ := os.ReadDir(site)
	for _, e := range entries {
		if e.Name() != "public" && e.Name() != "content" && !strings.HasPrefix(e.Name(), outdir.OldPrefix("public")) {
			t.Errorf("leftover %s beside public/", e.Name())
		}
	}
}

// siteHash hashes the site in dir: its files, not the output manifest,
// which holds file times and inodes and so differs between two builds of
// one site (filetree.Read leaves it out).
func siteHash(t *testing.T, dir string) string {
	t.Helper()
	files := filetree.Read(t, dir)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		s := sha256.Sum256(files[n])
		fmt.Fprintf(h, "%s\x00%x\n", n, s)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// A template that fails while executing (only on one page, after others
// have rendered) fails the build and leaves public/ as it was.
func TestFailingTemplateLeavesPublic(t *testing.T) {
	bin := guidebookBinary(t)
	site := t.TempDir()
	largeBook(t, site, 12, "A")
	public := filepath.Join(site, "public")
	if out, err := exec.Command(bin, "build", "--src", site).CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	before := treeHash(t, public)

	largeBook(t, site, 12, "B")
	must(t, os.MkdirAll(filepath.Join(site, "templates"), 0o755))
	tmpl := "{{define \"main-chapter\"}}<h1>{{.Chapter.Title}}</h1>\n{{if eq .Chapter.ID \"c007\"}}{{.Chapter.Missing}}{{end}}{{end}}\n"
	must(t, os.WriteFile(filepath.Join(site, "templates", "chapter.html"), []byte(tmpl), 0o644))
	cmd := exec.Command(bin, "build")
	cmd.Dir = site
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("build with a failing template: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "templates/chapter.html:2:") || !strings.Contains(string(out), "Missing") {
		t.Errorf("report does not name the template line and field:\n%s", out)
	}
	if after := treeHash(t, public); after != before {
		t.Error("a build that failed in a template changed public/")
	}
}

// Writing itself failing part-way (a file where a directory must go) leaves
// the previous tree and no temporary directory behind.
func TestFailingWriteLeavesPublic(t *testing.T) {
	public := filepath.Join(t.TempDir(), "public")
	seedPublic(t, public)
	before := treeHash(t, public)
	files := map[string][]byte{"index.html": []byte("new")}
	for i := 0; i < 50; i++ {
		files[fmt.Sprintf("p%02d/index.html", i)] = []byte("new")
	}
	files["p10"] = []byte("a file where a directory must be")
	if err := writeFiles(files, public); err == nil {
		t.Fatal("writing succeeded; want an error")
	}
	if after := treeHash(t, public); after != before {
		t.Error("failed write changed public/")
	}
	entries, _ := os.ReadDir(filepath.Dir(public))
	for _, e := range entries {
		if e.Name() != "public" {
			t.Errorf("leftover %s beside public/", e.Name())
		}
	}
}
