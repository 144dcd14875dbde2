package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A --base-url that is not a plain absolute http(s) URL is refused before
// anything is written: the previous output stays byte-identical.
func TestBaseURLValidated(t *testing.T) {
	site := copySite(t)
	public := filepath.Join(site, "public")
	if code, _, e := runCLI("build", "--src", site); code != 0 {
		t.Fatal(e)
	}
	before := hashTree(t, public)
	for _, bad := range []string{"javascript:alert(1)//", "JavaScript://example.org/%0aalert(1)", "https://user:pw@example.org/", "https://example.org/?x=1", "example.org/guide/", "https://example.org/\x1b[2J"} {
		for _, cmd := range []string{"build", "check"} {
			code, _, errOut := runCLI(cmd, "--src", site, "--base-url", bad)
			if code != 2 || !strings.Contains(errOut, "--base-url") || strings.ContainsRune(errOut, '\x1b') {
				t.Errorf("%s --base-url %q: exit %d\n%s", cmd, bad, code, errOut)
			}
		}
	}
	if hashTree(t, public) != before {
		t.Error("a refused --base-url changed the previous output")
	}
	// A missing output folder is not created either.
	out := filepath.Join(t.TempDir(), "out")
	if code, _, _ := runCLI("build", "--src", site, "--out", out, "--base-url", "javascript:alert(1)//"); code != 2 {
		t.Errorf("exit %d", code)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("refused build created %s: %v", out, err)
	}

	// A good one is normalised: the sitemap names pages under its folder.
	if code, _, e := runCLI("build", "--src", site, "--base-url", "https://example.org/guide"); code != 0 {
		t.Fatal(e)
	}
	sm, err := os.ReadFile(filepath.Join(public, "sitemap.xml"))
	if err != nil || !strings.Contains(string(sm), "<loc>https://example.org/guide/academic/</loc>") {
		t.Errorf("sitemap: %v\n%s", err, sm)
	}
	if code, _, e := runCLI("check", "--dir", public, "--base-url", "https://example.org/guide"); code != 0 {
		t.Errorf("check: exit %d\n%s", code, e)
	}
}
