package site

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"guidebook/internal/testing/benchbook"
)

// TestIncrementalMatchesFullBuild is a differential test of every cache
// the Builder keeps between builds (sources, parsed chapters, glossary,
// bibliography, bodies, pages, search index parts): after each edit, the
// output of the long-lived Builder must equal, file for file, that of a
// fresh Builder building the same sources from scratch.
func TestIncrementalMatchesFullBuild(t *testing.T) {
	for _, mode := range []Mode{Serve, Publish, Export} {
		t.Run(modeName(mode), func(t *testing.T) {
			dir := t.TempDir()
			if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS("../../content")); err != nil {
				t.Fatal(err)
			}
			opts := Options{SiteDir: dir, Mode: mode, BaseURL: "https://example.org/guide/"}
			live := NewBuilder(opts)
			for _, e := range guideEdits(t, dir) {
				e.do()
				if e.broken {
					// A broken build in between must not leave stale state behind.
					if _, err := live.buildMem(); err == nil {
						t.Fatalf("%s: built", e.name)
					}
					continue
				}
				if strings.HasPrefix(e.name, "theme:") {
					live.InvalidateTheme() // what watch mode does for templates/ and assets/
				}
				sameAsFullBuild(t, e.name, live, opts)
			}
		})
	}
}

// siteEdit is one step of the differential tests: an edit of the copy of
// the shipped guide, after which a build must equal a cold build of the
// same sources (or, broken, fail).
type siteEdit struct {
	name   string
	do     func()
	broken bool
}

// guideEdits are the kinds of edit an author makes, in order, to a copy
// of the shipped guide in dir; "theme:" edits change templates/ or
// assets/.
func guideEdits(t *testing.T, dir string) []siteEdit {
	path := func(rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) }
	edit := func(rel, old, new string) func() {
		return func() {
			t.Helper()
			data, err := os.ReadFile(path(rel))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(data), old) {
				t.Fatalf("%s does not contain %q", rel, old)
			}
			write(t, path(rel), strings.Replace(string(data), old, new, 1))
		}
	}
	themeFile := func(rel string, change func(string) string) func() {
		return func() {
			data, err := os.ReadFile(filepath.Join("../..", rel))
			if err != nil {
				t.Fatal(err)
			}
			write(t, path(rel), change(string(data)))
		}
	}
	return []siteEdit{
		{name: "first build", do: func() {}},
		{name: "a paragraph", do: edit("content/reflection.md", "This knowledge is a powerful tool.", "This knowledge is a powerful tool, and a new sentence.")},
		{name: "a title (every sidebar)", do: edit("content/reflection.md", "title: Reflection", "title: Looking Back")},
		{name: "a heading another chapter links to", do: edit("content/fundamentals.md", "## Why Lifestyle Is the Foundation", "## Why Lifestyle Is the Foundation {#why-lifestyle-is-the-foundation}\n\nA new paragraph.")},
		{name: "a glossary definition", do: edit("content/glossary.yaml", "an estimate of insulin resistance from one fasting blood sample", "an estimate of insulin resistance from a single fasting blood sample")},
		{name: "a reference", do: edit("content/references.bib", "@article{lan2015,", "@article{lan2015,\n  note = {Open access},")},
		{name: "a new chapter", do: func() {
			write(t, path("content/extra.md"), "---\ntitle: Extra\norder: 5\n---\n\nInsulin resistance and [[reflection]], citing [@lan2015].\n")
		}},
		{name: "the new chapter removed", do: func() {
			if err := os.Remove(path("content/extra.md")); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "theme: a stylesheet", do: themeFile("assets/css/guidebook.css", func(css string) string { return css + "\n.gb-test { color: red }\n" })},
		{name: "theme: a template override", do: themeFile("templates/chapter.html", func(tpl string) string { return strings.Replace(tpl, "{{", "<!-- site override -->{{", 1) })},
		{name: "theme: a widget template override", do: themeFile("templates/widgets/homa-ir.html", func(tpl string) string { return "<!-- site widget -->" + tpl })},
		{name: "the book's title", do: edit("content/book.yaml", `title: "Supplements and Insulin Sensitivity"`, `title: "Insulin Sensitivity: A Guide"`)},
		{name: "citation style", do: edit("content/book.yaml", "citation-style: numbered", "citation-style: author-year")},
		{name: "a new glossary term found in the text", do: func() {
			data, err := os.ReadFile(path("content/glossary.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			write(t, path("content/glossary.yaml"), string(data)+"- term: Rusty locks\n  definition: The guide's image for cells that respond weakly to insulin.\n")
		}},
		{name: "a static file", do: func() { write(t, path("content/img/note.txt"), "static\n") }},
		{name: "a chapter's file renamed, its id kept", do: func() {
			if err := os.Rename(path("content/reflection.md"), path("content/looking-back.md")); err != nil {
				t.Fatal(err)
			}
			edit("content/looking-back.md", "order: 4", "order: 4\nid: reflection")()
		}},
		{name: "broken front matter", do: edit("content/academic.md", "order: 3", "order: three"), broken: true},
		{name: "fixed after a failed build", do: edit("content/academic.md", "order: three", "order: 3")},
		{name: "same-size edit within the clock tick", do: func() {
			p := path("content/looking-back.md")
			info, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			edit("content/looking-back.md", "powerful tool", "POWERFUL TOOL")()
			// The same size and time as before: only the bytes say it changed.
			if err := os.Chtimes(p, info.ModTime(), info.ModTime()); err != nil {
				t.Fatal(err)
			}
		}},
	}
}

func modeName(m Mode) string {
	return [...]string{Publish: "publish", Export: "export", Serve: "serve"}[m]
}

func write(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sameAsFullBuild builds with live and with a fresh Builder and compares
// the outputs file by file.
func sameAsFullBuild(t *testing.T, step string, live *Builder, opts Options) {
	t.Helper()
	got, err := live.buildMem()
	if err != nil {
		t.Fatalf("%s: incremental build: %v", step, err)
	}
	want, err := NewBuilder(opts).buildMem()
	if err != nil {
		t.Fatalf("%s: full build: %v", step, err)
	}
	sameFiles(t, step, got.Files, want.Files)
}

func sameFiles(t *testing.T, step string, got, want map[string][]byte) {
	t.Helper()
	var diff []string
	for p, w := range want {
		g, ok := got[p]
		switch {
		case !ok:
			diff = append(diff, "missing "+p)
		case string(g) != string(w):
			diff = append(diff, "differs "+p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			diff = append(diff, "extra "+p)
		}
	}
	sort.Strings(diff)
	if len(diff) > 0 {
		t.Errorf("%s: the incremental build differs from a full build:\n  %s", step, strings.Join(diff, "\n  "))
	}
}

// TestIncrementalLargeBook is the same check on a book above
// pages.LargeBook, where the sidebar ships as toc.js and the search index
// has several parts.
func TestIncrementalLargeBook(t *testing.T) {
	dir := t.TempDir()
	if err := benchbook.Generate(dir, 250, benchbook.Options{}); err != nil {
		t.Fatal(err)
	}
	opts := Options{SiteDir: dir, Mode: Publish}
	live := NewBuilder(opts)
	check := func(name string) {
		t.Helper()
		sameAsFullBuild(t, name, live, opts)
	}
	replace := func(i int, old, new string) {
		t.Helper()
		p := benchbook.ChapterPath(dir, i)
		data, err := os.ReadFile(p)
		if err != nil || !strings.Contains(string(data), old) {
			t.Fatalf("chapter %d: %v, or no %q", i, err, old)
		}
		write(t, p, strings.Replace(string(data), old, new, 1))
	}
	check("first build")
	replace(120, "\n\n", "\n\nAn inserted paragraph.\n\n")
	check("a paragraph in chapter 120")
	replace(60, `title: "Chapter 60:`, `title: "Chapter Sixty:`)
	check("chapter 60's title (toc.js, its neighbours)")
	write(t, filepath.Join(dir, "content", "chapter-0251.md"), "---\ntitle: Chapter 251\norder: 251\n---\n\nA new last chapter.\n")
	check("a chapter added at the end (a new search part)")
	if err := os.Remove(filepath.Join(dir, "content", "chapter-0251.md")); err != nil {
		t.Fatal(err)
	}
	check("and removed")
}
