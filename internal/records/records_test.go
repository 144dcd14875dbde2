package records

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"guidebook/internal/buildcache"
)

func open(t *testing.T, dir string) *buildcache.Cache {
	t.Helper()
	c, err := buildcache.Open(buildcache.Options{Dir: dir, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A set saved reads back as saved; the next build writes back only the
// records it used or added, and nothing when they are the last build's.
func TestSaveLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	c := open(t, dir)
	page := Of([]byte("<p>page</p>"))
	page.Uses = []string{"css/guidebook.css"}
	part := Of([]byte("parts[0] = [];"))
	part.Path, part.Integrity = "assets/search/0.1234abcd.js", "sha384-x"
	s := Load(c, "records")
	s.Add("page", page)
	s.Add("part", part)
	s.Add("gone", Of([]byte("a page the next build no longer makes")))
	s.Save(c, "records")

	s = Load(c, "records")
	for key, want := range map[string]Record{"page": page, "part": part} {
		if got, ok := s.Lookup(key); !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %+v, %v; want %+v", key, got, ok, want)
		}
	}
	s.Save(c, "records")
	s = Load(c, "records")
	if _, ok := s.Lookup("gone"); ok {
		t.Error("a record the build did not use was written back")
	}
	if _, ok := s.Lookup("page"); !ok {
		t.Error("a record the build used was not written back")
	}

	// Nothing new: the entry is not written again.
	entries, _ := filepath.Glob(filepath.Join(dir, "??", "*"))
	if len(entries) != 1 {
		t.Fatalf("entries %v", entries)
	}
	if err := os.Remove(entries[0]); err != nil {
		t.Fatal(err)
	}
	s.Lookup("part")
	s.Save(c, "records")
	if _, err := os.Stat(entries[0]); err == nil {
		t.Error("the same records were written again")
	}
}

// A damaged entry, or none, is an empty set; a nil Set has no records
// and takes none.
func TestLoadDamaged(t *testing.T) {
	c := open(t, filepath.Join(t.TempDir(), "cache"))
	c.Put("records", []byte{3, 1, 2})
	if s := Load(c, "records"); len(s.old) != 0 {
		t.Errorf("a damaged entry gave %d records", len(s.old))
	}
	if s := Load(c, "none"); len(s.old) != 0 {
		t.Errorf("no entry gave %d records", len(s.old))
	}
	var s *Set
	s.Add("page", Of(nil))
	if _, ok := s.Lookup("page"); ok {
		t.Error("a nil Set has a record")
	}
	s.Save(c, "records")
}
