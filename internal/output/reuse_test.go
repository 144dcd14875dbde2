package output

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"guidebook/internal/outdir"
	"guidebook/internal/testing/filetree"
)

// put is one file a test build puts: made names the file it is made
// from (PutMade), reuse asks for it from the previous folder (Reuse) and
// puts data only when that fails.
type put struct {
	name, data string
	made       string
	reuse      bool
	keep       bool // Keep it by its hash first (Keeper)
}

const testVia = "test compressor 1"

// build writes files into dir through a Dir and commits; it reports which
// Reuse calls succeeded.
func build(t *testing.T, dir string, files ...put) map[string]bool {
	t.Helper()
	d, err := NewDir(dir, outdir.Rule{})
	if err != nil {
		t.Fatal(err)
	}
	reused := map[string]bool{}
	for _, f := range files {
		if f.keep {
			ok, err := d.Keep(f.name, sha256.Sum256([]byte(f.data)), int64(len(f.data)))
			if err != nil {
				t.Fatal(err)
			}
			if reused[f.name] = ok; ok {
				continue
			}
		}
		if f.reuse {
			ok, err := d.Reuse(f.name, f.made, testVia)
			if err != nil {
				t.Fatal(err)
			}
			if reused[f.name] = ok; ok {
				continue
			}
		}
		if f.made != "" {
			err = d.PutMade(f.name, f.made, testVia, []byte(f.data))
		} else {
			err = d.Put(f.name, []byte(f.data))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	return reused
}

func stat(t *testing.T, p string) os.FileInfo {
	t.Helper()
	info, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

// wantTree checks that dir holds exactly files (and the marker).
func wantTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	got := filetree.Read(t, dir)
	if string(got[outdir.Marker]) != outdir.MarkerText {
		t.Errorf("marker = %q", got[outdir.Marker])
	}
	delete(got, outdir.Marker)
	if len(got) != len(files) {
		t.Errorf("got %d files, want %d: %v", len(got), len(files), got)
	}
	for n, want := range files {
		if string(got[n]) != want {
			t.Errorf("%s = %q, want %q", n, got[n], want)
		}
	}
}

// A file put with the bytes the previous folder holds is that file, linked;
// a changed one is written anew, and the previous tree is gone.
func TestDirLinksUnchangedFiles(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "site")
	build(t, dir, put{name: "a/index.html", data: "same"}, put{name: "b.html", data: "old"})
	a, b := stat(t, filepath.Join(dir, "a/index.html")), stat(t, filepath.Join(dir, "b.html"))
	build(t, dir, put{name: "a/index.html", data: "same"}, put{name: "b.html", data: "new"}, put{name: "c.html", data: "c"})
	wantTree(t, dir, map[string]string{"a/index.html": "same", "b.html": "new", "c.html": "c"})
	if !os.SameFile(a, stat(t, filepath.Join(dir, "a/index.html"))) {
		t.Error("the unchanged file was written again, not linked")
	}
	if os.SameFile(b, stat(t, filepath.Join(dir, "b.html"))) {
		t.Error("the changed file is the previous one")
	}
	if m := outdir.ReadManifest(dir); m == nil || len(m.Files) != 3 {
		t.Errorf("manifest = %+v", m)
	}
	// The previous folder is moved aside, hidden, for the next build to
	// delete; nothing else is left beside the output.
	aside := besides(t, root)
	if len(aside) != 1 || !strings.HasPrefix(aside[0], outdir.OldPrefix("site")) {
		t.Errorf("beside the output: %v", aside)
	}
	build(t, dir, put{name: "a/index.html", data: "same"})
	if again := besides(t, root); len(again) != 1 || again[0] == aside[0] {
		t.Errorf("the folder moved aside before was not deleted: %v, then %v", aside, again)
	}
}

// besides lists the names in root other than the output folder "site".
func besides(t *testing.T, root string) []string {
	t.Helper()
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.Name() != "site" {
			names = append(names, e.Name())
		}
	}
	return names
}

// A previous file changed after its build is never linked into the new
// folder, whatever the change kept of its stat data: changed in place with
// its size and modification time put back, replaced, made a symbolic link,
// removed. Each is checked both in the tick of the previous build (racy:
// the bytes are read) and well after it (the stat data decides).
func TestDirNeverLinksChangedFile(t *testing.T) {
	tampers := map[string]func(t *testing.T, p string){
		"in place, times put back": func(t *testing.T, p string) {
			info := stat(t, p)
			if err := os.WriteFile(p, []byte("EVIL"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chtimes(p, info.ModTime(), info.ModTime()); err != nil {
				t.Fatal(err)
			}
		},
		"replaced": func(t *testing.T, p string) {
			if err := os.WriteFile(p+".x", []byte("EVIL"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(p+".x", p); err != nil {
				t.Fatal(err)
			}
		},
		"symbolic link": func(t *testing.T, p string) {
			evil := filepath.Join(filepath.Dir(filepath.Dir(p)), "evil")
			if err := os.WriteFile(evil, []byte("same"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(evil, p); err != nil {
				t.Fatal(err)
			}
		},
		"removed": func(t *testing.T, p string) {
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, tamper := range tampers {
		for _, wait := range []time.Duration{0, 30 * time.Millisecond} {
			t.Run(name+"/"+wait.String(), func(t *testing.T) {
				dir := filepath.Join(t.TempDir(), "site")
				build(t, dir, put{name: "page.html", data: "same"}, put{name: "page.html.gz", data: "zzzz", made: "page.html"})
				if wait > 0 {
					ageManifest(t, dir, wait)
				}
				tamper(t, filepath.Join(dir, "page.html"))
				tamper(t, filepath.Join(dir, "page.html.gz"))
				reused := build(t, dir, put{name: "page.html", data: "same", keep: true}, put{name: "page.html.gz", data: "zzzz", made: "page.html", reuse: true})
				wantTree(t, dir, map[string]string{"page.html": "same", "page.html.gz": "zzzz"})
				if reused["page.html.gz"] {
					t.Error("the changed sibling was reused")
				}
				if reused["page.html"] {
					t.Error("the changed page was kept")
				}
			})
		}
	}
}

// A file is kept by its hash (Keeper) only when the previous folder
// holds those bytes, put as they are, untouched; otherwise the caller puts
// it. A kept file is the previous one, linked, and is noted so that the
// build after keeps it too.
func TestDirKeep(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	build(t, dir, put{name: "a/index.html", data: "page"}, put{name: "a/index.html.gz", data: "gz", made: "a/index.html"})
	before := stat(t, filepath.Join(dir, "a/index.html"))
	for i := range 2 {
		kept := build(t, dir, put{name: "a/index.html", data: "page", keep: true}, put{name: "a/index.html.gz", data: "gz", made: "a/index.html", reuse: true})
		if !kept["a/index.html"] || !kept["a/index.html.gz"] {
			t.Fatalf("build %d: kept %v", i, kept)
		}
		if !os.SameFile(before, stat(t, filepath.Join(dir, "a/index.html"))) {
			t.Errorf("build %d: the kept file is not the previous one", i)
		}
	}
	wantTree(t, dir, map[string]string{"a/index.html": "page", "a/index.html.gz": "gz"})

	d, err := NewDir(dir, outdir.Rule{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	refuse := map[string]struct {
		name string
		sum  outdir.Sum
		size int64
	}{
		"other bytes":    {"a/index.html", sha256.Sum256([]byte("PAGE")), 4},
		"another size":   {"a/index.html", sha256.Sum256([]byte("page")), 5},
		"a file made":    {"a/index.html.gz", sha256.Sum256([]byte("gz")), 2},
		"a file not had": {"b.html", sha256.Sum256([]byte("page")), 4},
	}
	for why, r := range refuse {
		if ok, err := d.Keep(r.name, r.sum, r.size); ok || err != nil {
			t.Errorf("%s: kept %v, %v", why, ok, err)
		}
	}
}

// ageManifest writes dir's manifest again after wait, as a longer build
// would have: its files are then older than the manifest, and their stat
// data decides (no longer racy).
func ageManifest(t *testing.T, dir string, wait time.Duration) {
	t.Helper()
	time.Sleep(wait)
	m := outdir.ReadManifest(dir)
	if m == nil {
		t.Fatal("no manifest")
	}
	if err := m.Write(dir); err != nil {
		t.Fatal(err)
	}
	m = outdir.ReadManifest(dir)
	for name, e := range m.Files {
		if same, sure := m.Untouched(e, stat(t, filepath.Join(dir, name))); !same || !sure {
			t.Fatalf("%s: untouched %v, sure %v after the manifest aged", name, same, sure)
		}
	}
}

// Where the stat data cannot be sure (or the Dir is told to read every
// file), the bytes decide: a manifest that names other bytes than the
// file holds links nothing.
func TestDirChecksBytesWhenUnsure(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	build(t, dir, put{name: "page.html", data: "same"})
	m := outdir.ReadManifest(dir)
	e := m.Files["page.html"]
	e.SHA256 = sha256.Sum256([]byte("EVIL"))
	m.Files["page.html"] = e
	if err := m.Write(dir); err != nil {
		t.Fatal(err)
	}
	d, err := NewDir(dir, outdir.Rule{})
	if err != nil {
		t.Fatal(err)
	}
	d.readAll = true
	if err := d.Put("page.html", []byte("EVIL")); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	wantTree(t, dir, map[string]string{"page.html": "EVIL"})
}

// A sibling is reused only when made the same way from the same bytes;
// one the output cannot link is copied, its bytes checked.
func TestDirReuse(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	first := []put{{name: "p.html", data: "page"}, {name: "p.html.gz", data: "gz", made: "p.html", reuse: true}, {name: "q.html", data: "q"}, {name: "own.gz", data: "own"}}
	build(t, dir, first...)
	gz := stat(t, filepath.Join(dir, "p.html.gz"))
	reused := build(t, dir, first...)
	if !reused["p.html.gz"] || !os.SameFile(gz, stat(t, filepath.Join(dir, "p.html.gz"))) {
		t.Error("an unchanged sibling was not reused")
	}

	// Made from other bytes, or another way, or a file put as it is.
	reused = build(t, dir, put{name: "p.html", data: "page 2"}, put{name: "p.html.gz", data: "gz 2", made: "p.html", reuse: true},
		put{name: "q.html", data: "q"}, put{name: "own.gz", data: "gz", made: "q.html", reuse: true})
	wantTree(t, dir, map[string]string{"p.html": "page 2", "p.html.gz": "gz 2", "q.html": "q", "own.gz": "gz"})
	if reused["p.html.gz"] || reused["own.gz"] {
		t.Errorf("reused %v", reused)
	}
	d, err := NewDir(dir, outdir.Rule{})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Put("p.html", []byte("page 2")); err != nil {
		t.Fatal(err)
	}
	if ok, _ := d.Reuse("p.html.gz", "p.html", "another compressor"); ok {
		t.Error("a sibling made another way was reused")
	}
	d.Abort()

	// Across devices: copied.
	linkFile = func(string, string) error { return &os.LinkError{Op: "link", Err: syscall.EXDEV} }
	defer func() { linkFile = os.Link }()
	next := []put{{name: "p.html", data: "page 2"}, {name: "p.html.gz", data: "gz 2", made: "p.html", reuse: true}}
	if reused := build(t, dir, next...); !reused["p.html.gz"] {
		t.Error("a sibling that cannot be linked was not copied")
	}
	wantTree(t, dir, map[string]string{"p.html": "page 2", "p.html.gz": "gz 2"})
	if err := os.WriteFile(filepath.Join(dir, "p.html.gz"), []byte("EVIL"), 0o644); err != nil {
		t.Fatal(err)
	}
	if reused := build(t, dir, next...); reused["p.html.gz"] {
		t.Error("a changed sibling was copied")
	}
	wantTree(t, dir, map[string]string{"p.html": "page 2", "p.html.gz": "gz 2"})
}

// A build that fails leaves the previous folder byte-identical, even where
// it replaced a file it had linked from there (an author's NAME.gz put
// after the compressed sibling): the link is removed, never written into.
func TestDirAbortLeavesLinkedFilesAlone(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	build(t, dir, put{name: "a.html", data: "old"})
	d, err := NewDir(dir, outdir.Rule{})
	if err != nil {
		t.Fatal(err)
	}
	for _, data := range []string{"old", "replaced"} {
		if err := d.Put("a.html", []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	d.Abort()
	wantTree(t, dir, map[string]string{"a.html": "old"})
	build(t, dir, put{name: "a.html", data: "old"}, put{name: "a.html", data: "replaced"})
	wantTree(t, dir, map[string]string{"a.html": "replaced"})
}

// A manifest is only believed in a folder guidebook wrote: one planted in
// a foreign folder replaced with Force describes nothing.
func TestDirIgnoresForeignManifest(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	build(t, dir, put{name: "a.html", data: "same"})
	if err := os.Remove(filepath.Join(dir, outdir.Marker)); err != nil {
		t.Fatal(err)
	}
	a := stat(t, filepath.Join(dir, "a.html"))
	d, err := NewDir(dir, outdir.Rule{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Put("a.html", []byte("same")); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if os.SameFile(a, stat(t, filepath.Join(dir, "a.html"))) {
		t.Error("a file of a folder without the marker was linked")
	}
}

// TestDirRecyclesFolderBeforeLast: the third build into a folder stages
// in the folder the second moved aside. Whatever that folder holds, even
// tampered with (a stale file, a file where a folder goes, a folder
// where a file goes, a link to a folder elsewhere), the output is exactly
// what the build put, and nothing is written outside it.
func TestDirRecyclesFolderBeforeLast(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "public")
	outside := filepath.Join(root, "outside")
	if err := os.Mkdir(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	decoy := filepath.Join(outside, "decoy.txt")
	os.WriteFile(decoy, []byte("keep"), 0o644)
	build(t, dir, put{name: "a/x.html", data: "x1"}, put{name: "b/y.html", data: "y1"}, put{name: "c.html", data: "c1"})
	build(t, dir, put{name: "a/x.html", data: "x1"}, put{name: "b/y.html", data: "y2"}, put{name: "d.html", data: "d2"})
	olds, _ := filepath.Glob(filepath.Join(root, outdir.OldPrefix("public")+"*"))
	if len(olds) != 1 {
		t.Fatalf("folders moved aside: %v, want 1", olds)
	}
	old := olds[0]
	os.WriteFile(filepath.Join(old, "stale.html"), []byte("stale"), 0o644)
	os.WriteFile(filepath.Join(old, "f"), []byte("a file where a folder goes"), 0o644)
	os.MkdirAll(filepath.Join(old, "g.html", "deep"), 0o755)
	if err := os.Symlink(outside, filepath.Join(old, "e")); err != nil {
		t.Fatal(err)
	}

	want := map[string]string{"a/x.html": "x1", "b/y.html": "y3", "f/z.html": "z3", "g.html": "g3", "e/w.html": "w3"}
	var files []put
	for n, d := range want {
		files = append(files, put{name: n, data: d})
	}
	build(t, dir, files...)
	wantTree(t, dir, want)
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() && !e.Type().IsRegular() {
			t.Errorf("%s is not a regular file: %v", p, e.Type())
		}
		return err
	})
	entries, _ := os.ReadDir(outside)
	if len(entries) != 1 || string(must(os.ReadFile(decoy))) != "keep" {
		t.Errorf("the folder a stale link named was written into: %v", entries)
	}
	// The folder before last was the stage: it is not there any more,
	// and the second build's folder is the one moved aside now.
	if _, err := os.Lstat(old); !os.IsNotExist(err) {
		t.Errorf("%s still there: %v", old, err)
	}
	if olds, _ := filepath.Glob(filepath.Join(root, outdir.OldPrefix("public")+"*")); len(olds) != 1 {
		t.Errorf("folders moved aside after the third build: %v", olds)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
