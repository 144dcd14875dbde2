package main

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"guidebook/internal/outdir"
	"guidebook/internal/testing/filetree"
)

// Every test here deletes or overwrites only inside t.TempDir(), and only
// folders it filled with decoys first.

// decoy makes dir a folder a user cares about: files guidebook did not
// write, and no output marker.
func decoy(t *testing.T, dir string) {
	t.Helper()
	filetree.Write(t, dir, map[string]string{"MARKER.txt": "x\n", "Documents/letter.txt": "dear\n"})
}

// A folder guidebook did not write is never replaced without --force,
// by build or export; with --force it is.
func TestOutRefusesForeignFolder(t *testing.T) {
	for _, cmd := range []string{"build", "export"} {
		t.Run(cmd, func(t *testing.T) {
			site := copySite(t)
			out := filepath.Join(t.TempDir(), "D")
			decoy(t, out)
			before := hashTree(t, out)
			code, _, e := runCLI(cmd, "--src", site, "--out", out)
			if code == 0 {
				t.Fatalf("%s --out over a foreign folder succeeded", cmd)
			}
			if !strings.Contains(e, out) || !strings.Contains(e, "--force") || !strings.Contains(e, ".guidebook-output") {
				t.Errorf("message does not name the folder, the marker and --force:\n%s", e)
			}
			if hashTree(t, out) != before {
				t.Fatal("the refused folder changed")
			}
			if code, _, e := runCLI(cmd, "--src", site, "--out", out, "--force"); code != 0 {
				t.Fatalf("--force: exit %d\n%s", code, e)
			}
			if _, err := os.Stat(filepath.Join(out, "MARKER.txt")); !os.IsNotExist(err) {
				t.Error("--force kept the old contents")
			}
			if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
				t.Error(err)
			}
			// Now it is guidebook's: the next run needs no --force.
			if code, _, e := runCLI(cmd, "--src", site, "--out", out); code != 0 {
				t.Fatalf("second run over its own output: exit %d\n%s", code, e)
			}
		})
	}
}

// Folders that hold the user's home or the sources are refused even with
// --force, however they are spelled.
func TestOutRefusesProtectedFolders(t *testing.T) {
	root := t.TempDir()
	home := filepath.Join(root, "home", "user")
	decoy(t, home)
	t.Setenv("HOME", home)
	site := filepath.Join(home, "R", "site")
	if err := os.CopyFS(filepath.Join(site, "content"), os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"templates", "assets"} {
		if err := os.MkdirAll(filepath.Join(site, d, "sub"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(home, "A")
	if err := os.Symlink(filepath.Join(home, "R"), link); err != nil {
		t.Fatal(err)
	}
	before := hashTree(t, root)
	for _, c := range []struct{ name, out, want string }{
		{"home", home, "home folder"},
		{"parent of home", filepath.Join(root, "home"), "home folder"},
		{"home with a trailing slash", home + "/", "home folder"},
		{"site", site, "site folder"},
		{"parent of site", filepath.Join(home, "R"), "site folder"},
		{"site through a symlink", filepath.Join(link, "site"), "site folder"},
		{"content", filepath.Join(site, "content"), "content/"},
		{"inside content", filepath.Join(site, "content", "out"), "content/"},
		{"inside content through a symlink", filepath.Join(link, "site", "content", "x"), "content/"},
		{"templates", filepath.Join(site, "templates"), "templates/"},
		{"inside templates", filepath.Join(site, "templates", "sub"), "templates/"},
		{"assets", filepath.Join(site, "assets"), "assets/"},
	} {
		for _, cmd := range []string{"build", "export"} {
			t.Run(cmd+"/"+c.name, func(t *testing.T) {
				code, _, e := runCLI(cmd, "--src", site, "--out", c.out, "--force")
				if code != 2 {
					t.Errorf("exit %d, want 2\n%s", code, e)
				}
				if !strings.Contains(e, c.want) || !strings.Contains(e, "refusing") {
					t.Errorf("message lacks %q:\n%s", c.want, e)
				}
				if hashTree(t, root) != before {
					t.Fatal("a refused run changed files")
				}
			})
		}
	}
}

// A missing folder is made, an empty one used, and guidebook's previous
// output replaced: the marker says whose it is.
func TestOutMissingEmptyAndOwn(t *testing.T) {
	site := copySite(t)
	parent := t.TempDir()
	missing := filepath.Join(parent, "a", "b", "out")
	empty := filepath.Join(parent, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{missing, empty, missing} {
		if code, _, e := runCLI("build", "--src", site, "--out", out); code != 0 {
			t.Fatalf("build --out %s: exit %d\n%s", out, code, e)
		}
		if data, err := os.ReadFile(filepath.Join(out, ".guidebook-output")); err != nil || !strings.Contains(string(data), "guidebook") {
			t.Errorf("%s: no marker: %v", out, err)
		}
	}
	// Nothing is left beside the output: no staging folder, no lock file;
	// only the previous output, hidden, moved aside for the next build to
	// delete (output.Dir).
	entries, _ := os.ReadDir(filepath.Dir(missing))
	for _, e := range entries {
		if e.Name() != "out" && !strings.HasPrefix(e.Name(), outdir.OldPrefix("out")) {
			t.Errorf("beside the output: %s", e.Name())
		}
	}
}

// export's files are never written over the sources, nor over a file
// guidebook did not write; over its own previous files they are.
func TestExportFileTargets(t *testing.T) {
	site := copySite(t)
	other := filepath.Join(t.TempDir(), "notes.html")
	if err := os.WriteFile(other, []byte("<p>my own decoy notes</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	otherZip := filepath.Join(filepath.Dir(other), "photos.zip")
	if err := os.WriteFile(otherZip, []byte("PK not really"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "offline")
	before := hashTree(t, site)
	beforeOther := hashTree(t, filepath.Dir(other))
	for _, c := range []struct {
		name  string
		args  []string
		want  string
		force bool // still refused with --force
	}{
		{"single over a chapter", []string{"--single-file", filepath.Join(site, "content", "academic.md")}, "content/", true},
		{"zip over book.yaml", []string{"--zip", filepath.Join(site, "content", "book.yaml")}, "content/", true},
		{"both", []string{"--single-file", filepath.Join(site, "content", "academic.md"), "--zip", filepath.Join(site, "content", "book.yaml")}, "content/", true},
		{"new file in content", []string{"--zip", filepath.Join(site, "content", "guide.zip")}, "content/", true},
		{"single over a foreign file", []string{"--single-file", other}, other, false},
		{"zip over a foreign file", []string{"--zip", otherZip}, otherZip, false},
		{"zip over a folder", []string{"--zip", filepath.Join(site, "content")}, "folder", true},
		{"zip and single the same file", []string{"--zip", filepath.Join(out, "g"), "--single-file", filepath.Join(out, "g")}, "same path", true},
		{"zip at the output folder", []string{"--zip", out}, "same path", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"export", "--src", site, "--out", out}, c.args...)
			code, _, e := runCLI(args...)
			if code == 0 || !strings.Contains(e, c.want) {
				t.Errorf("exit %d, want a refusal naming %q:\n%s", code, c.want, e)
			}
			if c.force {
				if code, _, e := runCLI(append(args, "--force")...); code == 0 || !strings.Contains(e, c.want) {
					t.Errorf("--force: exit %d, want a refusal naming %q:\n%s", code, c.want, e)
				}
			}
			if hashTree(t, site) != before || hashTree(t, filepath.Dir(other)) != beforeOther {
				t.Fatal("a refused export changed files")
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Error("a refused export wrote its folder")
			}
		})
	}

	// Its own previous files are replaced without --force.
	zipFile, single := filepath.Join(site, "guide.zip"), filepath.Join(site, "guide.html")
	for i := 0; i < 2; i++ {
		if code, _, e := runCLI("export", "--src", site, "--zip", zipFile, "--single-file", single); code != 0 {
			t.Fatalf("export %d: exit %d\n%s", i, code, e)
		}
	}
	// A foreign file is replaced with --force, and is then guidebook's.
	if code, _, e := runCLI("export", "--src", site, "--out", out, "--single-file", other, "--force"); code != 0 {
		t.Fatalf("--force over a foreign file: exit %d\n%s", code, e)
	}
	if data, _ := os.ReadFile(other); strings.Contains(string(data), "my own decoy notes") {
		t.Error("--force did not replace the file")
	}
	if code, _, e := runCLI("export", "--src", site, "--out", out, "--single-file", other); code != 0 {
		t.Fatalf("export over its own single file: exit %d\n%s", code, e)
	}
}

// Two builds into one output at once: one writes it, the other stops at
// once with a message saying why, and the output is the complete site.
func TestConcurrentBuildsLock(t *testing.T) {
	site := copySite(t)
	out := filepath.Join(t.TempDir(), "public")
	var wg sync.WaitGroup
	codes, errs := make([]int, 4), make([]string, 4)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _, errs[i] = runCLI("build", "--src", site, "--out", out)
		}()
	}
	wg.Wait()
	ok, busy := 0, 0
	for i, code := range codes {
		switch {
		case code == 0:
			ok++
		case strings.Contains(errs[i], "another guidebook build is writing "+out):
			busy++
		default:
			t.Errorf("build %d: exit %d\n%s", i, code, errs[i])
		}
	}
	if ok == 0 {
		t.Fatal("no build succeeded")
	}
	t.Logf("%d builds succeeded, %d found the output locked", ok, busy)
	want := filepath.Join(t.TempDir(), "public")
	if code, _, e := runCLI("build", "--src", site, "--out", want); code != 0 {
		t.Fatal(e)
	}
	if hashTree(t, out) != hashTree(t, want) {
		t.Error("the output of concurrent builds is not the complete site")
	}
}

// Messages name the real folder: export does not write public/, and a
// folder without content/ says so.
func TestMessagesNameRealPaths(t *testing.T) {
	site := copySite(t)
	p := filepath.Join(site, "content", "reflection.md")
	data, _ := os.ReadFile(p)
	os.WriteFile(p, append(data, []byte("\n[[term:Unobtainium]]\n")...), 0o644)
	out := filepath.Join(t.TempDir(), "offline")
	code, _, e := runCLI("export", "--src", site, "--out", out)
	if code != 1 || strings.Contains(e, "public") || !strings.Contains(e, "export failed; "+out+" left unchanged") {
		t.Errorf("failed export: exit %d\n%s", code, e)
	}

	empty := t.TempDir()
	code, _, e = runCLI("build", "--src", empty)
	if code == 0 || strings.Contains(e, "content/content") || !strings.Contains(e, filepath.Join(empty, "content")) ||
		!strings.Contains(e, "no content/ folder") || !strings.Contains(e, "--src") {
		t.Errorf("build without content/: exit %d\n%s", code, e)
	}
	if _, err := os.Stat(filepath.Join(empty, "public")); !os.IsNotExist(err) {
		t.Error("a build without content/ made public/")
	}
}
