package srcfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReadLinks: a link is followed while its target stays inside the
// root, and refused, naming the target, once it leaves.
func TestReadLinks(t *testing.T) {
	site, other := t.TempDir(), t.TempDir()
	write(t, filepath.Join(site, "shared", "a.txt"), "inside")
	write(t, filepath.Join(other, "secret.txt"), "secret")
	c := filepath.Join(site, "content")
	os.MkdirAll(c, 0o755)
	for name, target := range map[string]string{
		"rel.txt":   "../shared/a.txt",
		"abs.txt":   filepath.Join(site, "shared", "a.txt"),
		"out.txt":   filepath.Join(other, "secret.txt"),
		"chain.txt": "out.txt", // inside, to a link that leaves
		"up.txt":    "../../" + filepath.Base(other) + "/secret.txt",
		"gone.txt":  "nowhere",
	} {
		if err := os.Symlink(target, filepath.Join(c, name)); err != nil {
			t.Fatal(err)
		}
	}
	r := NewRoot(site)
	for _, name := range []string{"rel.txt", "abs.txt"} {
		if data, err := r.Read(filepath.Join(c, name), MaxText); err != nil || string(data) != "inside" {
			t.Errorf("%s: %q, %v", name, data, err)
		}
	}
	for _, name := range []string{"out.txt", "chain.txt", "up.txt"} {
		_, err := r.Read(filepath.Join(c, name), MaxText)
		if !errors.Is(err, ErrOutside) || !strings.Contains(err.Error(), "secret.txt") {
			t.Errorf("%s: %v, want ErrOutside naming the target", name, err)
		}
		if err := r.Check(filepath.Join(c, name)); !errors.Is(err, ErrOutside) {
			t.Errorf("Check %s: %v", name, err)
		}
	}
	if _, err := r.Read(filepath.Join(c, "gone.txt"), MaxText); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("dangling link: %v", err)
	}
	// A folder on the way that is a link: followed inside, refused
	// outside, however often its files are read (Root resolves each
	// folder once).
	if err := os.Symlink("../shared", filepath.Join(c, "alias")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(other, filepath.Join(c, "private")); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if data, err := r.Read(filepath.Join(c, "alias", "a.txt"), MaxText); err != nil || string(data) != "inside" {
			t.Errorf("alias/a.txt: %q, %v", data, err)
		}
		if _, err := r.Read(filepath.Join(c, "private", "secret.txt"), MaxText); !errors.Is(err, ErrOutside) {
			t.Errorf("private/secret.txt: %v, want ErrOutside", err)
		}
	}
	// A relative path is resolved from the working folder.
	t.Chdir(site)
	r = NewRoot(site)
	if data, err := r.Read(filepath.Join("content", "alias", "a.txt"), MaxText); err != nil || string(data) != "inside" {
		t.Errorf("relative alias/a.txt: %q, %v", data, err)
	}
	if _, err := r.Read(filepath.Join("content", "out.txt"), MaxText); !errors.Is(err, ErrOutside) {
		t.Errorf("relative out.txt: %v", err)
	}
}

// TestReadContentElsewhere: a content folder that is itself a link out of
// the site is a root of its own.
func TestReadContentElsewhere(t *testing.T) {
	site, elsewhere := t.TempDir(), t.TempDir()
	write(t, filepath.Join(elsewhere, "a.md"), "text")
	if err := os.Symlink(elsewhere, filepath.Join(site, "content")); err != nil {
		t.Fatal(err)
	}
	r := NewRoot(site, filepath.Join(site, "content"))
	if _, err := r.Read(filepath.Join(site, "content", "a.md"), MaxText); err != nil {
		t.Error(err)
	}
}

func TestReadLimit(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "big.txt")
	write(t, p, strings.Repeat("x", 11))
	r := NewRoot(dir)
	var tl *TooLargeError
	if _, err := r.Read(p, 10); !errors.As(err, &tl) || tl.Size != 11 {
		t.Errorf("11 bytes, limit 10: %v", err)
	}
	if data, err := r.Read(p, 11); err != nil || len(data) != 11 {
		t.Errorf("11 bytes, limit 11: %d, %v", len(data), err)
	}
	if _, err := r.Read(dir, 10); err == nil || !strings.Contains(err.Error(), "not a regular file (a folder)") {
		t.Errorf("folder: %v", err)
	}
}

func TestCheckName(t *testing.T) {
	for _, name := range []string{"a.md", "über uns.md", "日本.png", "a b"} {
		if err := CheckName(name); err != nil {
			t.Errorf("%q: %v", name, err)
		}
	}
	for _, name := range []string{"a\nb", "a\rb", "a\x1b[31m", "a\x7f", "a\u0085", "tab\t", "bad\xff"} {
		if err := CheckName(name); err == nil {
			t.Errorf("%q accepted", name)
		}
	}
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"plain/ü.md":          "plain/ü.md",
		"a\nSet-Cookie: x":    `a\nSet-Cookie: x`,
		"red\x1b[31m":         `red\x1b[31m`,
		"bad\xff":             `bad\xff`,
		`back\slash "quoted"`: `back\slash "quoted"`,
		"nel\u0085":           `nel\u0085`,
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %q, want %q", in, got, want)
		}
	}
}
