package site

import (
	"path/filepath"
	"strings"
	"testing"

	"guidebook/internal/buildcache"
	"guidebook/internal/diag"
	"guidebook/internal/output"
	"guidebook/internal/testing/filetree"
)

// lintFiles is a small book with one finding of each rule: Unused is never
// used, nobody2020 never cited, c.md linked from nowhere, and b.md's
// "Deep Part" heading linked from a.md without an id of its own, while
// "Kept" has one. keep2019 is uncited on purpose.
var lintFiles = map[string]string{
	"content/book.yaml": "title: T\ncitations: [keep2019]\n",
	"content/a.md": "---\ntitle: A\nglossary:\n  - term: Unused\n    definition: Never used.\n  - term: Insulin\n    definition: A hormone.\n---\n\n" +
		"# A\n\nInsulin, as [@lan2015] says. See [[b#deep-part]], [[b#kept]] and [[#a]].\n",
	"content/b.md":           "---\ntitle: B\n---\n\n## Deep Part\n\nBack to [A](a.md).\n\n## Kept {#kept}\n",
	"content/c.md":           "---\ntitle: C\n---\n\nAlone.\n",
	"content/references.bib": "@article{lan2015, title={L}, year={2015}}\n\n@article{nobody2020, title={N}, year={2020}}\n\n@article{keep2019, title={K}, year={2019}}\n",
}

func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	filetree.Write(t, dir, files)
	return dir
}

// TestLintFindings: a build returns author lint's findings, named the way
// the author reaches the files, in order, and builds.
func TestLintFindings(t *testing.T) {
	site := writeSite(t, lintFiles)
	res, err := Build(Options{SiteDir: site}, output.NewMemory())
	if err != nil {
		t.Fatal(err)
	}
	c := diag.DisplayDir(filepath.Join(site, "content"))
	want := []string{
		c + `/a.md:4:5: warning: glossary term "Unused" is used in no chapter: use it, or remove it from the glossary [unused-term]`,
		c + `/b.md:5:4: warning: heading id "deep-part" is derived from the heading's text, and ` + c + `/a.md:12:36 links to it: rewording the heading breaks the link; write {#deep-part} after the heading to keep the id [unstable-heading-id]`,
		c + `/c.md:1:1: info: no other chapter links to this one: readers reach it only from the table of contents [orphan-chapter]`,
		c + `/references.bib:3:1: warning: reference "nobody2020" is cited in no chapter: cite it ([@nobody2020]), or list it under citations: in book.yaml to keep it uncited [uncited-reference]`,
	}
	var got []string
	for _, w := range res.Warnings {
		got = append(got, w.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestLintStrict: with Strict, the warnings fail the build and the
// output is aborted, not committed; information alone does not.
func TestLintStrict(t *testing.T) {
	site := writeSite(t, lintFiles)
	out := &abortSpy{Memory: output.NewMemory()}
	_, err := Build(Options{SiteDir: site, Strict: true}, out)
	if err == nil || !out.aborted || out.committed {
		t.Fatalf("err = %v, aborted %v, committed %v", err, out.aborted, out.committed)
	}
	var l diag.List
	l.Add(err)
	if n := len(l.Errors()); n != 3 || !strings.Contains(err.Error(), "[unused-term]") || strings.Contains(err.Error(), "[orphan-chapter]") {
		t.Errorf("%d problems:\n%v", n, err)
	}

	// Fixed: the orphan chapter alone (info) builds under Strict.
	fixed := map[string]string{}
	for k, v := range lintFiles {
		fixed[k] = v
	}
	fixed["content/a.md"] = strings.Replace(fixed["content/a.md"], "  - term: Unused\n    definition: Never used.\n", "", 1)
	fixed["content/b.md"] = strings.Replace(fixed["content/b.md"], "## Deep Part\n", "## Deep Part {#deep-part}\n", 1)
	fixed["content/book.yaml"] = "title: T\ncitations: [keep2019, nobody2020]\n"
	res, err := Build(Options{SiteDir: writeSite(t, fixed), Strict: true}, output.NewMemory())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Rule != "orphan-chapter" {
		t.Errorf("warnings = %v", res.Warnings)
	}
}

// TestLintUnknownCitationsKey: a key in book.yaml's citations: that names
// no reference fails the build, as one in a chapter's does.
func TestLintUnknownCitationsKey(t *testing.T) {
	files := map[string]string{}
	for k, v := range lintFiles {
		files[k] = v
	}
	files["content/book.yaml"] = "title: T\ncitations:\n  - keep2019\n  - nosuch1999\n"
	site := writeSite(t, files)
	_, err := Build(Options{SiteDir: site}, output.NewMemory())
	want := diag.DisplayDir(filepath.Join(site, "content")) + `/book.yaml:4:5: citations: no reference has the key "nosuch1999"`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}

// TestLintCleanGlossary: terms with distinct names and aliases and see:
// entries that resolve build with no error and no finding (the negative
// of the glossary's own errors: a term defined twice, an alias that is
// another term's, a see: naming no term).
func TestLintCleanGlossary(t *testing.T) {
	site := writeSite(t, map[string]string{
		"content/a.md":          "---\ntitle: A\n---\n\nInsulin and glucagon are hormones.\n",
		"content/glossary.yaml": "- term: Insulin\n  aliases: [the insulin hormone]\n  definition: A hormone.\n  see: [Glucagon]\n- term: Glucagon\n  aliases: [the glucagon hormone]\n  definition: Another hormone.\n  see: [the insulin hormone]\n",
	})
	res, err := Build(Options{SiteDir: site, Strict: true}, output.NewMemory())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 0 {
		t.Errorf("findings: %v", res.Warnings)
	}
}

type abortSpy struct {
	*output.Memory
	aborted, committed bool
}

func (s *abortSpy) Abort()        { s.aborted = true; s.Memory.Abort() }
func (s *abortSpy) Commit() error { s.committed = true; return s.Memory.Commit() }

// TestLintFindingsFromCache: a build whose chapters all come from the
// build cache (no tree parsed) finds what a cold build finds: the entry
// keeps each heading's explicit flag and place, the uses, the citations
// and the links that lint reads.
func TestLintFindingsFromCache(t *testing.T) {
	site := writeSite(t, lintFiles)
	cacheDir := filepath.Join(t.TempDir(), "cache")
	findings := func() ([]string, int) {
		c, err := buildcache.Open(buildcache.Options{Dir: cacheDir, Version: "lint-test"})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		res, err := Build(Options{SiteDir: site, Cache: c}, output.NewMemory())
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, w := range res.Warnings {
			got = append(got, w.Error())
		}
		return got, res.Stats.Parsed
	}
	cold, parsed := findings()
	warm, reparsed := findings()
	if parsed != 3 || reparsed != 0 {
		t.Fatalf("parsed %d chapters cold and %d warm; want 3 and 0", parsed, reparsed)
	}
	if len(cold) != 4 || strings.Join(warm, "\n") != strings.Join(cold, "\n") {
		t.Errorf("findings from the cache:\n%s\nwant, as a cold build found them:\n%s", strings.Join(warm, "\n"), strings.Join(cold, "\n"))
	}
}
