package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// `export --epub FILE` alone writes only the EPUB; a broken chapter is
// reported at its line and column with a non-zero exit, and the previous
// EPUB stays as it was.
func TestExportEPUBCommand(t *testing.T) {
	site := copySite(t)
	book := filepath.Join(t.TempDir(), "guide.epub")
	code, out, errOut := runCLI("export", "--src", site, "--epub", book, "--base-url", "https://example.org/guide/")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if !regexp.MustCompile(`^guidebook: wrote .*guide\.epub \(\d+ bytes\)\n$`).MatchString(out) {
		t.Errorf("output = %q", out)
	}
	if _, err := os.Stat(filepath.Join(site, "guide-offline")); !os.IsNotExist(err) {
		t.Errorf("--epub alone wrote the folder too: %v", err)
	}
	before, _ := os.ReadFile(book)

	chapter := filepath.Join(site, "content", "academic.md")
	src, _ := os.ReadFile(chapter)
	os.WriteFile(chapter, append(src, "\nA citation [@no-such-key].\n"...), 0o644)
	code, _, errOut = runCLI("export", "--src", site, "--epub", book)
	if code == 0 || !regexp.MustCompile(`academic\.md:\d+:\d+: unknown citation key`).MatchString(errOut) || !strings.Contains(errOut, "left unchanged") {
		t.Errorf("exit %d\n%s", code, errOut)
	}
	if after, _ := os.ReadFile(book); string(after) != string(before) {
		t.Error("a failed export changed the EPUB")
	}
}
