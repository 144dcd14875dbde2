package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// noControl fails when out holds a control character other than the
// line breaks between report lines.
func noControl(t *testing.T, what, out string) {
	t.Helper()
	for _, r := range out {
		if r != '\n' && (r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0) {
			t.Errorf("%s: control character %U reached the terminal:\n%q", what, r, out)
			return
		}
	}
}

// Author text in a message (a link target with %0d%0a, an escape
// sequence, a file name) is escaped: each problem stays one line, and
// nothing reaches the terminal as a control sequence.
func TestMessagesEscapeControlCharacters(t *testing.T) {
	site := t.TempDir()
	os.MkdirAll(filepath.Join(site, "content"), 0o755)
	chapter := "---\ntitle: A\n---\n\n# A\n\n[x](nowhere%0d%0aFORGED.md%1b[2J) and [y](<gone\x1b[31m.md>) and [[nochap%0d%0a]] [[term:Bad\x1b]0;title\x07]]\n"
	os.WriteFile(filepath.Join(site, "content", "a.md"), []byte(chapter), 0o644)
	code, _, errOut := runCLI("build", "--src", site)
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	noControl(t, "build", errOut)
	lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
	for _, l := range lines[:len(lines)-1] {
		if !strings.HasPrefix(l, filepath.ToSlash(site)+"/content/a.md:7:") {
			t.Errorf("a line that is not a problem of content/a.md: %q", l)
		}
	}
	if len(lines) != 5 || !strings.Contains(errOut, `no file nowhere\r\nFORGED.md\x1b[2J`) || !strings.Contains(errOut, `no chapter gone\x1b[31m.md`) {
		t.Errorf("report:\n%s", errOut)
	}

	// check --dir: a page's link, decoded, and a file name.
	public := filepath.Join(site, "public")
	os.WriteFile(filepath.Join(site, "content", "a.md"), []byte("---\ntitle: A\n---\n\n# A\n"), 0o644)
	if code, _, e := runCLI("build", "--src", site); code != 0 {
		t.Fatal(e)
	}
	page := filepath.Join(public, "a", "index.html")
	data, _ := os.ReadFile(page)
	data = []byte(strings.Replace(string(data), "</main>", `<a href="x%0d%0aFORGED%1b[2J">x</a><a href="https://example.org/&#27;[2J">e</a></main>`, 1))
	os.WriteFile(page, data, 0o644)
	os.WriteFile(filepath.Join(public, "evil\r\nFORGED\x1b[2J.txt"), nil, 0o644)
	if err := os.Symlink("404.html", filepath.Join(public, "link\x1b[5m")); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI("check", "--dir", public, "-v")
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	noControl(t, "check", errOut)
	noControl(t, "check -v", out)
	want := filepath.ToSlash(public) + `/a/index.html: broken link "x%0d%0aFORGED%1b[2J": no file a/x\r\nFORGED\x1b[2J`
	if !strings.Contains(errOut, want+"\n") || !strings.Contains(errOut, `/link\x1b[5m: symbolic link`) {
		t.Errorf("report lacks %q:\n%s", want, errOut)
	}
	if !strings.Contains(out, `external https://example.org/\x1b[2J (in`) {
		t.Errorf("external list:\n%s", out)
	}
}
