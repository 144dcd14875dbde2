package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"guidebook/internal/outdir"
)

// copySite copies the shipped guide's content/ into a fresh site folder.
func copySite(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(filepath.Join(dst, "content"), os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	return dst
}

// hashTree fingerprints every file (path and bytes) under dir.
func hashTree(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == outdir.ManifestName { // file times and inodes, not the site
			return nil
		}
		h.Write([]byte(rel + "\x00"))
		if !d.IsDir() {
			data, _ := os.ReadFile(p)
			h.Write(data)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))
}

func runCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func TestBuildShippedGuide(t *testing.T) {
	site := copySite(t)
	code, out, errOut := runCLI("build", "--src", site)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if !regexp.MustCompile(`^guidebook: built \d+ pages \(4 chapters\), \d+ glossary terms, \d+ citations in \d+m?s into .*public\n$`).MatchString(out) {
		t.Errorf("summary line = %q", out)
	}
	if _, err := os.Stat(filepath.Join(site, "public", "academic", "index.html")); err != nil {
		t.Error(err)
	}
}

func TestBuildFailuresKeepPublic(t *testing.T) {
	cases := []struct {
		name, file, find, replace string
		want                      string
	}{
		{"unknown term", "content/reflection.md", "This knowledge is a powerful tool.", "This knowledge is a [[term:Unobtainium]] tool.",
			`content/reflection.md:\d+:\d+: unknown glossary term "Unobtainium"`},
		{"unknown citation", "content/reflection.md", "This knowledge is a powerful tool.", "This knowledge is a powerful tool [@nosuch2020].",
			`reflection.md:\d+:\d+: unknown citation key "nosuch2020"`},
		{"broken cross-link", "content/reflection.md", "This knowledge is a powerful tool.", "See [[academic#no-such-heading]].",
			`reflection.md:\d+:\d+: broken link: academic.md has no heading or anchor #no-such-heading`},
		{"broken chapter link", "content/reflection.md", "This knowledge is a powerful tool.", "See [there](missing.md).",
			`reflection.md:\d+:\d+: broken link "missing.md": no chapter missing.md`},
		{"malformed front matter", "content/academic.md", "order: 3", "order: [3",
			`academic.md:\d+: invalid YAML`},
		{"duplicate chapter id", "content/reflection.md", "title: Reflection", "title: Reflection\nid: academic",
			`reflection.md:1: duplicate chapter id "academic" \(also academic.md\)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			site := copySite(t)
			if code, _, e := runCLI("build", "--src", site); code != 0 {
				t.Fatalf("first build: %s", e)
			}
			before := hashTree(t, filepath.Join(site, "public"))
			p := filepath.Join(site, c.file)
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(data), c.find) {
				t.Fatalf("%s does not contain %q; update the test", c.file, c.find)
			}
			os.WriteFile(p, []byte(strings.Replace(string(data), c.find, c.replace, 1)), 0o644)
			code, _, errOut := runCLI("build", "--src", site)
			if code == 0 {
				t.Fatal("build succeeded; want failure")
			}
			if !regexp.MustCompile(c.want).MatchString(errOut) {
				t.Errorf("stderr:\n%s\nwant match for %s", errOut, c.want)
			}
			if after := hashTree(t, filepath.Join(site, "public")); after != before {
				t.Error("failed build changed public/")
			}
		})
	}
}

func TestUsage(t *testing.T) {
	if code, _, e := runCLI(); code != 2 || !strings.Contains(e, "guidebook build") {
		t.Errorf("no args: %d %s", code, e)
	}
	if code, _, e := runCLI("frobnicate"); code != 2 || !strings.Contains(e, `unknown command "frobnicate"`) {
		t.Errorf("unknown: %d %s", code, e)
	}
	if code, _, e := runCLI("build", "--help"); code != 0 || !strings.Contains(e, "--base-url") {
		t.Errorf("build --help: %d %s", code, e)
	}
	if code, out, _ := runCLI("version"); code != 0 || !strings.HasPrefix(out, "guidebook ") {
		t.Errorf("version: %d %s", code, out)
	}
	site := copySite(t)
	if code, _, e := runCLI("build", "--src", site, "--out", site); code != 2 || !strings.Contains(e, "is or holds the site folder") {
		t.Errorf("--out = src: %d %s", code, e)
	}
}
