package main

// The output guard: every output guidebook writes (build, build --minify,
// export, export --zip, export --single-file, and serve's in-memory tree),
// for the shipped guide and for a generated benchbook, must stay
// byte-identical to the manifests under testdata/outputs/ (one
// "sha256  path" line per file). They were written by the code before the
// pipeline was split into stages; a refactoring that changes one byte of
// any output fails here.
//
// A change that is meant to alter the output regenerates them, in one
// command:
//
//	go test ./cmd/guidebook -run TestOutputsUnchanged -update
//
// and the diff of testdata/outputs/ is part of the review. With -short
// the 1,000-chapter book is skipped.

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"guidebook/internal/testing/filetree"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"guidebook/internal/output"
	"guidebook/internal/site"
	"guidebook/internal/testing/benchbook"
	"guidebook/internal/watch"
)

var updateOutputs = flag.Bool("update", false, "rewrite testdata/outputs/ from the current code")

// guardBaseURL is the base URL of the minified build, so that the
// sitemap, canonical links and _headers paths are covered too.
const guardBaseURL = "https://example.org/guide/"

func TestOutputsUnchanged(t *testing.T) {
	books := []struct {
		name string
		n    int // chapters of a benchbook; 0 is the shipped guide
	}{{"guide", 0}, {"bench1000", 1000}}
	for _, b := range books {
		t.Run(b.name, func(t *testing.T) {
			if b.n > 0 && testing.Short() {
				t.Skip("the 1,000-chapter book is left out with -short")
			}
			src := copySite(t)
			if b.n > 0 {
				src = t.TempDir()
				if err := benchbook.Generate(src, b.n, benchbook.Options{}); err != nil {
					t.Fatal(err)
				}
			}
			for kind, files := range guardOutputs(t, src) {
				checkManifest(t, b.name+"-"+kind, files)
			}
		})
	}
}

// guardOutputs runs every command over the site at src and returns each
// output as path -> bytes.
func guardOutputs(t *testing.T, src string) map[string]map[string][]byte {
	t.Helper()
	out := t.TempDir()
	cli := func(args ...string) {
		t.Helper()
		if code, _, stderr := runCLI(args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, stderr)
		}
	}
	res := map[string]map[string][]byte{}
	cli("build", "--src", src, "--out", filepath.Join(out, "build"))
	res["build"] = filetree.Read(t, filepath.Join(out, "build"))
	cli("build", "--src", src, "--out", filepath.Join(out, "minify"), "--minify", "--base-url", guardBaseURL)
	res["build-minify"] = filetree.Read(t, filepath.Join(out, "minify"))
	cli("export", "--src", src, "--out", filepath.Join(out, "export"))
	res["export"] = filetree.Read(t, filepath.Join(out, "export"))
	zipFile, single := filepath.Join(out, "guide.zip"), filepath.Join(out, "guide.html")
	cli("export", "--src", src, "--out", filepath.Join(out, "export2"), "--zip", zipFile, "--single-file", single)
	if a, b := filetree.Read(t, filepath.Join(out, "export2")), res["export"]; !sameTree(a, b) {
		t.Error("export with --zip and --single-file wrote a different folder than export alone")
	}
	res["export-zip"] = readZip(t, zipFile)
	data, err := os.ReadFile(single)
	if err != nil {
		t.Fatal(err)
	}
	res["export-single"] = map[string][]byte{"guide.html": data}
	res["serve"] = serveTree(t, src)
	return res
}

// serveTree is the tree `guidebook serve` holds in memory after its first
// build.
func serveTree(t *testing.T, src string) map[string][]byte {
	t.Helper()
	mem := output.NewMemory()
	if _, err := site.NewBuilder(site.Options{SiteDir: src, Mode: site.Serve, Head: watch.Script}).Build(mem); err != nil {
		t.Fatal(err)
	}
	return mem.Files()
}

// readZip lists the archive's entries (directories as empty files named
// with their slash) and, as "(archive)", the archive's own bytes: the
// order, times and modes of the entries are part of the output too.
func readZip(t *testing.T, name string) map[string][]byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"(archive)": data}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = b
	}
	return files
}

func sameTree(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || !bytes.Equal(v, w) {
			return false
		}
	}
	return true
}

// manifest is "sha256  path\n" per file, sorted by path.
func manifest(files map[string][]byte) string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		s := sha256.Sum256(files[n])
		fmt.Fprintf(&b, "%s  %s\n", hex.EncodeToString(s[:]), n)
	}
	return b.String()
}

func checkManifest(t *testing.T, name string, files map[string][]byte) {
	t.Helper()
	file := filepath.Join("testdata", "outputs", name+".txt")
	got := manifest(files)
	if *updateOutputs {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (regenerate with -update)", err)
	}
	if got == string(want) {
		return
	}
	// Name the files that differ rather than dump two manifests.
	parse := func(s string) map[string]string {
		m := map[string]string{}
		for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
			if h, p, ok := strings.Cut(l, "  "); ok {
				m[p] = h
			}
		}
		return m
	}
	g, w := parse(got), parse(string(want))
	var diffs []string
	for p, h := range w {
		switch gh, ok := g[p]; {
		case !ok:
			diffs = append(diffs, "missing "+p)
		case gh != h:
			diffs = append(diffs, "changed "+p)
		}
	}
	for p := range g {
		if _, ok := w[p]; !ok {
			diffs = append(diffs, "new "+p)
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 20 {
		diffs = append(diffs[:20], fmt.Sprintf("and %d more", len(diffs)-20))
	}
	t.Errorf("%s differs from %s:\n  %s", name, file, strings.Join(diffs, "\n  "))
}
