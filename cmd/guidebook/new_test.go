package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"guidebook/internal/content"
)

// newBook runs "guidebook new" into a fresh temp folder and returns it.
func newBook(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "my-guide")
	code, out, errOut := runCLI("new", dir)
	if code != 0 {
		t.Fatalf("new: exit %d\n%s", code, errOut)
	}
	for _, want := range []string{"guidebook serve --src " + dir, "guidebook build --src " + dir, filepath.Join(dir, "content", "book.yaml")} {
		if !strings.Contains(out, want) {
			t.Errorf("new's report lacks %q:\n%s", want, out)
		}
	}
	return dir
}

// buildAndCheck builds dir into public/ and checks it from source, both
// with --strict, each with nothing on stderr but, where allowInfo, author
// lint's informational findings (a chapter just added is linked from no
// other yet).
func buildAndCheck(t *testing.T, dir string, allowInfo bool) {
	t.Helper()
	for _, args := range [][]string{{"build", "--src", dir, "--strict"}, {"check", "--src", dir, "--strict"}} {
		code, _, errOut := runCLI(args...)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s", args[0], code, errOut)
		}
		for _, line := range strings.Split(strings.TrimSpace(errOut), "\n") {
			isInfo := strings.Contains(line, ": info: ") || strings.Contains(line, "informational lint findings not listed")
			if line != "" && !(allowInfo && isInfo) {
				t.Fatalf("%s: unexpected report line %q", args[0], line)
			}
		}
	}
}

func htmlParseFile(t *testing.T, file string) *html.Node {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := html.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func htmlAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// find returns the first element under n for which match holds.
func htmlFind(n *html.Node, match func(*html.Node) bool) *html.Node {
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && match(d) {
			return d
		}
	}
	return nil
}

func htmlByID(id string) func(*html.Node) bool {
	return func(n *html.Node) bool { return htmlAttr(n, "id") == id }
}

func htmlHasClass(class string) func(*html.Node) bool {
	return func(n *html.Node) bool { return strings.Contains(" "+htmlAttr(n, "class")+" ", " "+class+" ") }
}

func htmlText(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

func TestNewBookBuildsAndChecks(t *testing.T) {
	dir := newBook(t)
	if data, err := os.ReadFile(filepath.Join(dir, ".gitignore")); err != nil || !strings.Contains(string(data), "/public/") {
		t.Errorf(".gitignore = %q, %v; want it to ignore public/", data, err)
	}
	buildAndCheck(t, dir, false)
	pub := filepath.Join(dir, "public")
	intro := htmlParseFile(t, filepath.Join(pub, "introduction", "index.html"))
	measuring := htmlParseFile(t, filepath.Join(pub, "measuring", "index.html"))

	// The cross-links resolve both ways, to a heading that exists.
	link := htmlFind(intro, func(n *html.Node) bool { return n.Data == "a" && htmlAttr(n, "href") == "../measuring/#the-calculator" })
	if link == nil || htmlFind(measuring, htmlByID("the-calculator")) == nil {
		t.Error("introduction's link to measuring#the-calculator is missing or its heading is")
	}
	if htmlFind(measuring, func(n *html.Node) bool { return htmlAttr(n, "href") == "../introduction/#what-a-chapter-can-hold" }) == nil ||
		htmlFind(intro, htmlByID("what-a-chapter-can-hold")) == nil {
		t.Error("measuring's link back to the introduction's heading is missing")
	}

	// Both terms (front matter and glossary.yaml) carry their tooltip.
	for _, tc := range []struct{ term, def string }{
		{"insulin-resistance", "cells respond poorly to insulin"},
		{"homa-ir", "fasting glucose (mg/dL)"},
	} {
		use := htmlFind(intro, htmlByID("gb-use-"+tc.term))
		if use == nil {
			t.Errorf("term %s is not marked in the introduction", tc.term)
			continue
		}
		tip := htmlFind(intro, htmlByID(htmlAttr(use, "aria-describedby")))
		if tip == nil || htmlAttr(tip, "role") != "tooltip" || !strings.Contains(htmlText(tip), tc.def) {
			t.Errorf("term %s: tooltip %v does not hold its definition", tc.term, tip)
		}
	}

	// The citation links to its entry in the chapter's bibliography.
	cite := htmlFind(intro, htmlHasClass("gb-cite"))
	if cite == nil {
		t.Fatal("no citation in the introduction")
	}
	entry := htmlFind(intro, htmlByID(strings.TrimPrefix(htmlAttr(cite, "href"), "#")))
	if entry == nil || !strings.Contains(htmlText(entry), "Homeostasis model assessment") {
		t.Errorf("citation %q does not reach the Matthews entry", htmlAttr(cite, "href"))
	}

	// The calculator is there, with its inputs.
	calc := htmlFind(measuring, htmlHasClass("gb-widget-homa-ir"))
	if calc == nil || htmlFind(calc, func(n *html.Node) bool { return n.Data == "input" }) == nil {
		t.Error("the measuring chapter has no HOMA-IR calculator with inputs")
	}
}

func TestNewRefusesNonEmptyFolder(t *testing.T) {
	dir := t.TempDir()
	decoy := filepath.Join(dir, ".decoy")
	if err := os.WriteFile(decoy, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI("new", dir)
	if code != 2 || out != "" || !strings.Contains(errOut, "not empty") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2 and a refusal", code, out, errOut)
	}
	entries, _ := os.ReadDir(dir)
	if data, _ := os.ReadFile(decoy); len(entries) != 1 || string(data) != "keep me" {
		t.Errorf("the folder was touched: %v", entries)
	}
}

func TestNewRefusesFileAndSymlink(t *testing.T) {
	tmp := t.TempDir()
	file := filepath.Join(tmp, "file")
	elsewhere := filepath.Join(tmp, "elsewhere")
	link := filepath.Join(tmp, "link")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(elsewhere, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	for _, dir := range []string{file, link} {
		if code, _, errOut := runCLI("new", dir); code != 2 || !strings.Contains(errOut, "refusing") {
			t.Errorf("new %s: exit %d, %q; want a refusal", dir, code, errOut)
		}
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
		t.Errorf("new followed the link: %s holds %v", elsewhere, entries)
	}
}

func TestNewCreatesMissingParents(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	if code, _, errOut := runCLI("new", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "content", "book.yaml")); err != nil {
		t.Error(err)
	}
}

func TestNewChapter(t *testing.T) {
	dir := newBook(t)
	// The flag goes before or after the name.
	if code, out, errOut := runCLI("new", "chapter", "--src", dir, "getting-started"); code != 0 || !strings.Contains(out, "getting-started.md") {
		t.Fatalf("exit %d, %q, %q", code, out, errOut)
	}
	if code, _, errOut := runCLI("new", "chapter", "next_steps", "--src", dir); code != 0 {
		t.Fatalf("exit %d, %q", code, errOut)
	}
	book, err := content.Load(filepath.Join(dir, "content"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ch := range book.Chapters {
		got = append(got, ch.ID+":"+ch.Title)
	}
	want := "introduction:Introduction measuring:Measuring getting-started:Getting Started next_steps:Next Steps"
	if strings.Join(got, " ") != want {
		t.Errorf("chapters in reading order = %v, want %s", got, want)
	}
	if o := book.Chapters[2].Order; o != 3 || book.Chapters[3].Order != 4 {
		t.Errorf("orders %d, %d; want 3, 4 after the starter's 1, 2", o, book.Chapters[3].Order)
	}
	buildAndCheck(t, dir, true)
}

func TestNewChapterRefusals(t *testing.T) {
	dir := newBook(t)
	file := filepath.Join(dir, "content", "introduction.md")
	before, _ := os.ReadFile(file)
	for _, name := range []string{"introduction", "Bad.Name", "../escape", "a b", "glossary", "", "-x"} {
		code, _, errOut := runCLI("new", "chapter", "--src", dir, name)
		if code != 2 {
			t.Errorf("new chapter %q: exit %d, %q; want 2", name, code, errOut)
		}
	}
	if after, _ := os.ReadFile(file); string(after) != string(before) {
		t.Error("an existing chapter was changed")
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "content"))
	if len(entries) != 5 {
		t.Errorf("content/ holds %d files, want the starter's 5", len(entries))
	}
	if _, err := os.Stat(filepath.Join(dir, "escape.md")); err == nil {
		t.Error("a chapter was written outside content/")
	}
}

// TestNewChapterNeedsABook: outside a book, or in one that does not load,
// "new chapter" writes nothing and says why, naming files as the author
// reaches them.
func TestNewChapterNeedsABook(t *testing.T) {
	empty := t.TempDir()
	code, _, errOut := runCLI("new", "chapter", "--src", empty, "intro")
	if code != 1 || !strings.Contains(errOut, "content") {
		t.Errorf("outside a book: exit %d, %q", code, errOut)
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("wrote %v", entries)
	}
	dir := newBook(t)
	broken := filepath.Join(dir, "content", "measuring.md")
	if err := os.WriteFile(broken, []byte("---\ntitle: [x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCLI("new", "chapter", "--src", dir, "intro")
	if want := filepath.Join(dir, "content", "measuring.md") + ":1"; code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("broken book: exit %d, %q; want 1 and %s", code, errOut, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "content", "intro.md")); err == nil {
		t.Error("a chapter was added to a book that does not load")
	}
}

func TestNewIntoEmptyFolder(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := runCLI("new", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	buildAndCheck(t, dir, false)
}
