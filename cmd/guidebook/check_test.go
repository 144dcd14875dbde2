package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestCheckCommand(t *testing.T) {
	site := copySite(t)

	// In memory: the shipped guide has no broken link.
	code, out, errOut := runCLI("check", "--src", site)
	if code != 0 {
		t.Fatalf("check: exit %d\n%s", code, errOut)
	}
	if !regexp.MustCompile(`^guidebook check: no broken links: checked \d{3,} links in 9 pages of the site built from .*; 7 external links listed, not fetched\n$`).MatchString(out) {
		t.Errorf("summary = %q", out)
	}

	// -v lists the external links, and only lists them.
	code, out, _ = runCLI("check", "--src", site, "-v")
	if code != 0 || strings.Count(out, "\nexternal https://") != 6 || !strings.HasPrefix(out, "external https://doi.org/") {
		t.Errorf("-v: exit %d\n%s", code, out)
	}

	// On disk, after damage: each broken link named with its page, exit 1.
	if code, _, e := runCLI("build", "--src", site); code != 0 {
		t.Fatal(e)
	}
	public := filepath.Join(site, "public")
	if code, _, e := runCLI("check", "--dir", public); code != 0 {
		t.Fatalf("fresh build: exit %d\n%s", code, e)
	}
	os.RemoveAll(filepath.Join(public, "glossary"))
	page := filepath.Join(public, "academic", "index.html")
	data, _ := os.ReadFile(page)
	data = []byte(strings.Replace(string(data), `</main>`, `<a href="../fundamentals/#no-such-id">x</a><img src="../assets/gone.png"></main>`, 1))
	os.WriteFile(page, data, 0o644)
	code, _, errOut = runCLI("check", "--dir", public)
	if code != 1 {
		t.Fatalf("damaged tree: exit %d\n%s", code, errOut)
	}
	for _, want := range []string{
		filepath.ToSlash(public) + `/academic/index.html: broken link "../assets/gone.png": no file assets/gone.png`,
		filepath.ToSlash(public) + `/academic/index.html: broken link "../fundamentals/#no-such-id": fundamentals/index.html has no id "no-such-id"`,
		filepath.ToSlash(public) + `/academic/index.html: broken link "../glossary/#`,
		"broken links (checked ",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("report lacks %q:\n%s", want, errOut)
		}
	}

	// A site that does not build is reported as such.
	os.WriteFile(filepath.Join(site, "content", "bad.md"), []byte("---\ntitle: Bad\n---\n\n[[nowhere]]\n"), 0o644)
	code, _, errOut = runCLI("check", "--src", site)
	if code != 1 || !strings.Contains(errOut, `bad.md:5:3: broken link: no chapter "nowhere"`) || !strings.Contains(errOut, "does not build") {
		t.Errorf("unbuildable site: exit %d\n%s", code, errOut)
	}
	if code, _, e := runCLI("check", "--dir", filepath.Join(site, "nope")); code != 2 || !strings.Contains(e, "not a built site directory") {
		t.Errorf("missing --dir: exit %d %s", code, e)
	}
}
