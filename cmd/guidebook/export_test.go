package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestExportCommand(t *testing.T) {
	site := copySite(t)
	out := t.TempDir()
	zipFile, single := filepath.Join(out, "guide.zip"), filepath.Join(out, "guide.html")
	args := []string{"export", "--src", site, "--zip", zipFile, "--single-file", single}
	code, stdout, stderr := runCLI(args...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !regexp.MustCompile(`^guidebook: exported \d+ pages \(4 chapters\), .* into .*guide-offline \(\d+ files\)\nguidebook: wrote .*guide\.zip \(\d+ bytes\)\nguidebook: wrote .*guide\.html \(\d+ bytes\)\n$`).MatchString(stdout) {
		t.Errorf("summary = %q", stdout)
	}
	index, err := os.ReadFile(filepath.Join(site, "guide-offline", "intermediate", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(index), `href="../glossary/index.html#`) || strings.Contains(string(index), "integrity=") {
		t.Error("the folder is not an Export-mode build (explicit index.html links, no SRI)")
	}
	zip1, err := os.ReadFile(zipFile)
	if err != nil {
		t.Fatal(err)
	}
	html1, err := os.ReadFile(single)
	if err != nil {
		t.Fatal(err)
	}
	before := hashTree(t, filepath.Join(site, "guide-offline"))

	// Again: the same bytes everywhere.
	if code, _, stderr := runCLI(args...); code != 0 {
		t.Fatalf("second export: %s", stderr)
	}
	zip2, _ := os.ReadFile(zipFile)
	html2, _ := os.ReadFile(single)
	if string(zip1) != string(zip2) || string(html1) != string(html2) || hashTree(t, filepath.Join(site, "guide-offline")) != before {
		t.Error("a second export differs from the first")
	}

	if code, _, e := runCLI("export", "--src", site, "--out", filepath.Join(site, "content")); code != 2 || !strings.Contains(e, "inside the site's content/ folder") {
		t.Errorf("--out inside content/: %d %s", code, e)
	}
	if code, _, e := runCLI("export", "--help"); code != 0 || !strings.Contains(e, "--single-file") {
		t.Errorf("export --help: %d %s", code, e)
	}
}

func TestBuildMinifyWithBaseURL(t *testing.T) {
	site := copySite(t)
	public := filepath.Join(t.TempDir(), "public")
	code, _, stderr := runCLI("build", "--src", site, "--out", public, "--base-url", "https://example.org/guide/", "--minify")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, f := range []string{"sitemap.xml", "robots.txt", "_headers", "index.html.gz", "index.html.br", "sitemap.xml.gz"} {
		if _, err := os.Stat(filepath.Join(public, f)); err != nil {
			t.Error(err)
		}
	}
	page, _ := os.ReadFile(filepath.Join(public, "index.html"))
	if strings.Count(string(page), "\n") > 2 {
		t.Errorf("index.html is not minified: %d lines", strings.Count(string(page), "\n"))
	}
	if code, _, e := runCLI("build", "--help"); code != 0 || !strings.Contains(e, "--minify") {
		t.Errorf("build --help: %d %s", code, e)
	}
}
