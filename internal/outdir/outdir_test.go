package outdir

import (
	"archive/zip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The rule is only ever tried on folders under t.TempDir() and on "/",
// which CheckDir refuses before looking at what it holds.

func mkfile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCheckDirRefusesRootAlways(t *testing.T) {
	for _, r := range []Rule{{}, {Force: true}, {Site: t.TempDir(), Force: true}} {
		err := CheckDir("/", r)
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "root of the file system") {
			t.Errorf("CheckDir(/, %+v) = %v", r, err)
		}
	}
}

func TestCheckDir(t *testing.T) {
	root := t.TempDir()
	home := filepath.Join(root, "home", "me")
	t.Setenv("HOME", home)
	site := filepath.Join(home, "R", "site")
	mkfile(t, filepath.Join(site, "content", "a.md"), "# A\n")
	mkfile(t, filepath.Join(site, "assets", "x.css"), "p{}")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink(filepath.Join(home, "R"), filepath.Join(root, "A")))
	must(os.Mkdir(filepath.Join(root, "empty"), 0o755))
	mkfile(t, filepath.Join(root, "decoy", "MARKER.txt"), "x")
	mkfile(t, filepath.Join(root, "previous", Marker), MarkerText)
	mkfile(t, filepath.Join(root, "previous", "index.html"), "old")
	mkfile(t, filepath.Join(root, "file"), "x")
	must(os.Symlink(filepath.Join(root, "previous"), filepath.Join(root, "linked")))

	const ok = ""
	for _, c := range []struct {
		dir          string
		want, forced string // "" allowed, else a part of the refusal
	}{
		{filepath.Join(root, "new", "out"), ok, ok},
		{filepath.Join(root, "empty"), ok, ok},
		{filepath.Join(root, "previous"), ok, ok},
		{filepath.Join(site, "public"), ok, ok},
		{filepath.Join(root, "decoy"), "--force", ok},
		{filepath.Join(root, "file"), "not a folder", "not a folder"},
		{filepath.Join(root, "linked"), "symbolic link", "symbolic link"},
		{home, "home folder", "home folder"},
		{filepath.Join(root, "home"), "home folder", "home folder"},
		{filepath.Join(home, "..", "me", "."), "home folder", "home folder"},
		{site, "site folder", "site folder"},
		{filepath.Join(root, "A", "site"), "site folder", "site folder"},
		{filepath.Join(root, "A"), "site folder", "site folder"},
		{filepath.Join(site, "content"), "content/", "content/"},
		{filepath.Join(root, "A", "site", "content", "new"), "content/", "content/"},
		{filepath.Join(site, "templates", "x"), "templates/", "templates/"},
		{filepath.Join(site, "assets"), "assets/", "assets/"},
	} {
		for _, force := range []bool{false, true} {
			want := c.want
			if force {
				want = c.forced
			}
			err := CheckDir(c.dir, Rule{Site: site, Force: force})
			switch {
			case want == ok && err != nil:
				t.Errorf("CheckDir(%s, force=%v) = %v, want nil", c.dir, force, err)
			case want != ok && (!errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), want)):
				t.Errorf("CheckDir(%s, force=%v) = %v, want a refusal with %q", c.dir, force, err, want)
			}
		}
	}
}

func TestCheckFile(t *testing.T) {
	root := t.TempDir()
	site := filepath.Join(root, "site")
	mkfile(t, filepath.Join(site, "content", "academic.md"), "# A\n")
	mkfile(t, filepath.Join(site, "content", "book.yaml"), "title: x\n")
	mkfile(t, filepath.Join(root, "mine.zip"), "PK")
	mkfile(t, filepath.Join(root, "mine.html"), "<html><head><meta name=generator content=\"guidebook 1 (single-file export)\">")
	mkfile(t, filepath.Join(root, "page.html"), "<html><head><meta name=generator content=\"guidebook 1\">")
	mkfile(t, filepath.Join(root, "late.html"), "<html><body><meta name=generator content=\"guidebook 1 (single-file export)\">")
	f, err := os.Create(filepath.Join(root, "own.zip"))
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	zw.SetComment(ZipComment)
	zw.Close()
	f.Close()
	if err := os.Symlink(site, filepath.Join(root, "S")); err != nil {
		t.Fatal(err)
	}

	rule := Rule{Site: site}
	const ok = ""
	for _, c := range []struct {
		file         string
		own          func(string) bool
		want, forced string
	}{
		{filepath.Join(root, "new.zip"), OwnZip, ok, ok},
		{filepath.Join(site, "guide.zip"), OwnZip, ok, ok},
		{filepath.Join(root, "own.zip"), OwnZip, ok, ok},
		{filepath.Join(root, "mine.html"), OwnSingleFile, ok, ok},
		{filepath.Join(root, "mine.zip"), OwnZip, "did not write", ok},
		{filepath.Join(root, "page.html"), OwnSingleFile, "did not write", ok},
		{filepath.Join(root, "late.html"), OwnSingleFile, "did not write", ok},
		{filepath.Join(root, "own.zip"), OwnSingleFile, "did not write", ok},
		{filepath.Join(site, "content", "academic.md"), OwnSingleFile, "content/", "content/"},
		{filepath.Join(root, "S", "content", "book.yaml"), OwnZip, "content/", "content/"},
		{filepath.Join(site, "content", "new.zip"), OwnZip, "content/", "content/"},
		{filepath.Join(site, "templates", "x", "g.html"), OwnSingleFile, "templates/", "templates/"},
		{site, OwnZip, "folder", "folder"},
	} {
		for _, force := range []bool{false, true} {
			want := c.want
			if force {
				want = c.forced
			}
			rule.Force = force
			err := CheckFile(c.file, rule, c.own)
			switch {
			case want == ok && err != nil:
				t.Errorf("CheckFile(%s, force=%v) = %v, want nil", c.file, force, err)
			case want != ok && (!errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), want)):
				t.Errorf("CheckFile(%s, force=%v) = %v, want a refusal with %q", c.file, force, err, want)
			}
		}
	}
}

// A second lock on one output fails at once, names the folder, and works
// again once the first is released; nothing is left beside the output.
func TestLock(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	release, err := Lock(out)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Lock(out)
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "another guidebook build is writing "+out) {
		t.Fatalf("second Lock = %v", err)
	}
	if other, err := Lock(filepath.Join(dir, "other")); err != nil {
		t.Fatalf("a lock on another output: %v", err)
	} else {
		other()
	}
	release()
	release2, err := Lock(out)
	if err != nil {
		t.Fatalf("Lock after release: %v", err)
	}
	release2()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left beside the output: %v", entries)
	}
}
