package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"guidebook/internal/testing/filetree"
)

// lintSite is the shipped guide with one glossary term no chapter uses:
// one author lint warning.
func lintSite(t *testing.T) string {
	t.Helper()
	site := copySite(t)
	p := filepath.Join(site, "content", "glossary.yaml")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, "- term: Unobtainium\n  definition: A metal no chapter mentions.\n"...)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return site
}

var unusedLine = regexp.MustCompile(`(?m)^\S*content/glossary\.yaml:\d+:3: warning: glossary term "Unobtainium" is used in no chapter: use it, or remove it from the glossary \[unused-term\]$`)

// TestShippedGuideLintClean: the guide builds, exports and checks under
// --strict with no lint finding at all, information included.
func TestShippedGuideLintClean(t *testing.T) {
	site := copySite(t)
	out := t.TempDir()
	for _, args := range [][]string{
		{"build", "--src", site, "--strict"},
		{"export", "--src", site, "--strict", "--single-file", filepath.Join(out, "guide.html")},
		{"check", "--src", site, "--strict"},
	} {
		code, _, stderr := runCLI(args...)
		if code != 0 || stderr != "" {
			t.Errorf("%s: exit %d, stderr:\n%s", strings.Join(args[:1], " "), code, stderr)
		}
	}
}

// TestLintWarnings: build, export and check --src print a warning after
// the summary and exit 0.
func TestLintWarnings(t *testing.T) {
	site := lintSite(t)
	out := t.TempDir()
	for _, args := range [][]string{
		{"build", "--src", site, "--out", filepath.Join(out, "public")},
		{"export", "--src", site, "--out", filepath.Join(out, "offline")},
		{"export", "--src", site, "--epub", filepath.Join(out, "guide.epub")},
		{"check", "--src", site},
	} {
		code, stdout, stderr := runCLI(args...)
		if code != 0 {
			t.Errorf("%v: exit %d\n%s", args, code, stderr)
			continue
		}
		if !strings.HasPrefix(stdout, "guidebook") || !unusedLine.MatchString(stderr) || !strings.HasSuffix(stderr, "guidebook: 1 warning (--strict makes it an error)\n") {
			t.Errorf("%v: stdout:\n%s\nstderr:\n%s", args[0], stdout, stderr)
		}
	}
}

// TestStrictKeepsOutputs: under --strict a warning fails build and export
// (exit 1), and every output they would have replaced stays
// byte-identical: the folder (a decoy file in it included), and the zip,
// single file and EPUB are not written.
func TestStrictKeepsOutputs(t *testing.T) {
	site := lintSite(t)
	out := t.TempDir()
	public, offline := filepath.Join(out, "public"), filepath.Join(out, "offline")
	for _, args := range [][]string{{"build", "--src", site, "--out", public}, {"export", "--src", site, "--out", offline}} {
		if code, _, stderr := runCLI(args...); code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
	}
	for _, dir := range []string{public, offline} {
		if err := os.WriteFile(filepath.Join(dir, "decoy.txt"), []byte("keep me"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	before := hashTree(t, out)
	for _, args := range [][]string{
		{"build", "--src", site, "--out", public, "--strict"},
		{"export", "--src", site, "--out", offline, "--zip", filepath.Join(out, "g.zip"), "--single-file", filepath.Join(out, "g.html"), "--epub", filepath.Join(out, "g.epub"), "--strict"},
		{"export", "--src", site, "--epub", filepath.Join(out, "g.epub"), "--strict"},
	} {
		code, stdout, stderr := runCLI(args...)
		if code != 1 || stdout != "" || !unusedLine.MatchString(stderr) || !strings.Contains(stderr, "failed (--strict makes warnings errors); ") {
			t.Errorf("%v: exit %d\nstdout:\n%s\nstderr:\n%s", args, code, stdout, stderr)
		}
	}
	if hashTree(t, out) != before {
		t.Error("a --strict run that failed changed its outputs")
	}
}

// TestCheckStrict: check --src exits 1 on a warning with --strict.
func TestCheckStrict(t *testing.T) {
	code, _, stderr := runCLI("check", "--src", lintSite(t), "--strict")
	if code != 1 || !unusedLine.MatchString(stderr) {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}

// TestCheckDirStrict: a built tree has no sources to lint, so --strict
// with --dir is refused rather than silently passing a CI job.
func TestCheckDirStrict(t *testing.T) {
	code, _, stderr := runCLI("check", "--dir", t.TempDir(), "--strict")
	if code != 2 || !strings.Contains(stderr, "--strict lints the sources: use it with --src, not --dir") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}

// TestLintInfoCounted: build and export give the number of informational
// findings (a chapter no other links to) instead of a line each, which on
// a large book would bury the warnings; check --src lists them.
func TestLintInfoCounted(t *testing.T) {
	site := t.TempDir()
	filetree.Write(t, site, map[string]string{
		"content/a.md": "---\ntitle: A\n---\n\nSee [B](b.md).\n",
		"content/b.md": "---\ntitle: B\n---\n\nBack to [A](a.md).\n",
		"content/c.md": "---\ntitle: C\n---\n\nAlone.\n",
	})
	out := t.TempDir()
	const counted = "guidebook: 1 informational lint findings not listed (guidebook check --src lists them)\n"
	for _, args := range [][]string{
		{"build", "--src", site, "--out", filepath.Join(out, "public"), "--strict"},
		{"export", "--src", site, "--out", filepath.Join(out, "offline"), "--strict"},
	} {
		code, _, stderr := runCLI(args...)
		if code != 0 || stderr != counted {
			t.Errorf("%v: exit %d, stderr %q; want 0 and %q", args[0], code, stderr, counted)
		}
	}
	code, _, stderr := runCLI("check", "--src", site, "--strict")
	if code != 0 || !strings.Contains(stderr, "c.md:1:1: info: ") || strings.Contains(stderr, "not listed") {
		t.Errorf("check: exit %d, stderr %q; want 0 and c.md's finding listed", code, stderr)
	}
}
