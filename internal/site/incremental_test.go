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
			step := func(name string, edit func()) {
				t.Helper()
				edit()
				if strings.HasPrefix(name, "theme:") {
					live.InvalidateTheme() // what watch mode does for templates/ and assets/
				}
				sameAsFullBuild(t, name, live, opts)
			}
			path := func(rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) }
			edit := func(rel, old, new string) func() {
				return func() {
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

			step("first build", func() {})
			step("a paragraph", edit("content/reflection.md", "This knowledge is a powerful tool.", "This knowledge is a powerful tool, and a new sentence."))
			step("a title (every sidebar)", edit("content/reflection.md", "title: Reflection", "title: Looking Back"))
			step("a heading another chapter links to", edit("content/fundamentals.md", "## Why Lifestyle Is the Foundation", "## Why Lifestyle Is the Foundation {#why-lifestyle-is-the-foundation}\n\nA new paragraph."))
			step("a glossary definition", edit("content/glossary.yaml", "an estimate of insulin resistance from one fasting blood sample", "an estimate of insulin resistance from a single fasting blood sample"))
			step("a reference", edit("content/references.bib", "@article{lan2015,", "@article{lan2015,\n  note = {Open access},"))
			step("a new chapter", func() {
				write(t, path("content/extra.md"), "---\ntitle: Extra\norder: 5\n---\n\nInsulin resistance and [[reflection]], citing [@lan2015].\n")
			})
			step("the new chapter removed", func() {
				if err := os.Remove(path("content/extra.md")); err != nil {
					t.Fatal(err)
				}
			})
			step("theme: a stylesheet", func() {
				css, err := os.ReadFile("../../assets/css/guidebook.css")
				if err != nil {
					t.Fatal(err)
				}
				write(t, path("assets/css/guidebook.css"), string(css)+"\n.gb-test { color: red }\n")
			})
			step("theme: a template override", func() {
				tpl, err := os.ReadFile("../../templates/chapter.html")
				if err != nil {
					t.Fatal(err)
				}
				write(t, path("templates/chapter.html"), strings.Replace(string(tpl), "{{", "<!-- site override -->{{", 1))
			})
			step("theme: a widget template override", func() {
				tpl, err := os.ReadFile("../../templates/widgets/homa-ir.html")
				if err != nil {
					t.Fatal(err)
				}
				write(t, path("templates/widgets/homa-ir.html"), "<!-- site widget -->"+string(tpl))
			})
			step("the book's title", edit("content/book.yaml", `title: "Supplements and Insulin Sensitivity"`, `title: "Insulin Sensitivity: A Guide"`))
			step("citation style", edit("content/book.yaml", "citation-style: numbered", "citation-style: author-year"))
			step("a new glossary term found in the text", func() {
				data, err := os.ReadFile(path("content/glossary.yaml"))
				if err != nil {
					t.Fatal(err)
				}
				write(t, path("content/glossary.yaml"), string(data)+"- term: Rusty locks\n  definition: The guide's image for cells that respond weakly to insulin.\n")
			})
			step("a static file", func() { write(t, path("content/img/note.txt"), "static\n") })
			step("a chapter's file renamed, its id kept", func() {
				if err := os.Rename(path("content/reflection.md"), path("content/looking-back.md")); err != nil {
					t.Fatal(err)
				}
				edit("content/looking-back.md", "order: 4", "order: 4\nid: reflection")()
			})
			// A broken build in between must not leave stale state behind.
			edit("content/academic.md", "order: 3", "order: three")()
			if _, err := live.buildMem(); err == nil {
				t.Fatal("broken front matter built")
			}
			step("fixed after a failed build", edit("content/academic.md", "order: three", "order: 3"))
			step("same-size edit within the clock tick", func() {
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
			})
		})
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
