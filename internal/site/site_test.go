package site

import (
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"guidebook/internal/content"
	"guidebook/internal/outdir"
)

// buildGuide builds the shipped guide once into memory for the tests below.
func buildGuide(t *testing.T, mode Mode) *Output {
	t.Helper()
	b := NewBuilder(Options{SiteDir: "../..", Mode: mode})
	out, err := b.buildMem()
	if err != nil {
		t.Fatalf("building the shipped guide: %v", err)
	}
	return out
}

func parseHTML(t *testing.T, name string, data []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(string(data)))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return doc
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasClass(n *html.Node, c string) bool {
	v, _ := attr(n, "class")
	for _, f := range strings.Fields(v) {
		if f == c {
			return true
		}
	}
	return false
}

func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return b.String()
}

func htmlPages(out *Output) []string {
	var pages []string
	for p := range out.Files {
		if strings.HasSuffix(p, ".html") {
			pages = append(pages, p)
		}
	}
	return pages
}

func TestGuideChaptersAndPages(t *testing.T) {
	out := buildGuide(t, Publish)
	for _, p := range []string{"index.html", "fundamentals/index.html", "intermediate/index.html", "academic/index.html",
		"reflection/index.html", "glossary/index.html", "references/index.html", "search/index.html", "404.html"} {
		if _, ok := out.Files[p]; !ok {
			t.Errorf("missing page %s", p)
		}
	}
	for p, data := range out.Files {
		if strings.Contains(string(data), "∞") || strings.Contains(string(data), "Meaning ∞") {
			t.Errorf("%s still contains the seed's inline definition marker", p)
		}
	}
	// Tables stay tables.
	for _, p := range []string{"intermediate/index.html", "academic/index.html"} {
		n := 0
		walk(parseHTML(t, p, out.Files[p]), func(x *html.Node) {
			if x.Type == html.ElementNode && x.Data == "table" {
				n++
			}
		})
		if n == 0 {
			t.Errorf("%s has no <table>", p)
		}
	}
}

// Every id is unique in its page, and every internal link and fragment resolves.
func TestGuideLinksResolve(t *testing.T) {
	for _, mode := range []Mode{Publish, Export} {
		out := buildGuide(t, mode)
		ids := map[string]map[string]bool{}
		docs := map[string]*html.Node{}
		for _, p := range htmlPages(out) {
			doc := parseHTML(t, p, out.Files[p])
			docs[p] = doc
			ids[p] = map[string]bool{}
			walk(doc, func(n *html.Node) {
				if id, ok := attr(n, "id"); ok && n.Type == html.ElementNode {
					if ids[p][id] {
						t.Errorf("%s: duplicate id %q", p, id)
					}
					ids[p][id] = true
				}
			})
		}
		for p, doc := range docs {
			if p == "404.html" {
				continue // root-absolute links, checked separately
			}
			walk(doc, func(n *html.Node) {
				if n.Type != html.ElementNode {
					return
				}
				for _, key := range []string{"href", "src"} {
					v, ok := attr(n, key)
					if !ok || strings.HasPrefix(v, "http") || strings.HasPrefix(v, "mailto:") {
						continue
					}
					target, frag, _ := strings.Cut(v, "#")
					file := p
					if target != "" {
						file = path.Join(path.Dir(p), target)
						if strings.HasSuffix(target, "/") || target == "." || target == "./" {
							file = path.Join(file, "index.html")
						}
					}
					if _, ok := out.Files[file]; !ok {
						t.Errorf("mode %d: %s: %s=%q resolves to missing %s", mode, p, key, v, file)
						continue
					}
					if frag != "" && !ids[file][frag] {
						t.Errorf("mode %d: %s: %s=%q: no id %q in %s", mode, p, key, v, frag, file)
					}
				}
			})
		}
	}
}

// Every glossary term has an entry, is marked in some chapter, and the mark
// carries its definition through aria-describedby.
func TestGuideGlossary(t *testing.T) {
	out := buildGuide(t, Publish)
	book, err := content.Load("../../content")
	if err != nil {
		t.Fatal(err)
	}
	glossaryPage := parseHTML(t, "glossary", out.Files["glossary/index.html"])
	entries := map[string]*html.Node{}
	walk(glossaryPage, func(n *html.Node) {
		if hasClass(n, "gb-glossary-entry") {
			id, _ := attr(n, "id")
			entries[id] = n
		}
	})
	marked := map[string]bool{}
	for _, ch := range book.Chapters {
		p := ch.ID + "/index.html"
		doc := parseHTML(t, p, out.Files[p])
		tips := map[string]string{}
		walk(doc, func(n *html.Node) {
			if role, _ := attr(n, "role"); role == "tooltip" {
				id, _ := attr(n, "id")
				tips[id] = textOf(n)
			}
		})
		walk(doc, func(n *html.Node) {
			if !hasClass(n, "gb-term") {
				return
			}
			href, _ := attr(n, "href")
			_, termID, _ := strings.Cut(href, "#")
			desc, _ := attr(n, "aria-describedby")
			if desc == "" {
				return // a repeated explicit mark is a plain link
			}
			if tips[desc] == "" {
				t.Errorf("%s: term %q points at tooltip %q, which is missing or empty", p, termID, desc)
			}
			if !strings.HasPrefix(href, "../glossary/") {
				t.Errorf("%s: term link %q does not lead to the glossary page", p, href)
			}
			marked[termID] = true
		})
	}
	seedTerms := []string{"insulin resistance", "insulin sensitivity", "lifestyle changes", "micronutrients", "insulin receptor",
		"personalized wellness", "magnesium", "chromium", "berberine", "ampk", "ampk activation", "glut4 translocation",
		"glucose uptake", "cellular energy", "mitochondrial respiration", "hepatic gluconeogenesis", "homa-ir", "quicki"}
	for _, name := range seedTerms {
		id := strings.ReplaceAll(name, " ", "-")
		e, ok := entries[id]
		if !ok {
			t.Errorf("glossary page has no entry %q", id)
			continue
		}
		if !strings.Contains(textOf(e), "Used in:") && name != "quicki" && name != "homa-ir" {
			t.Errorf("glossary entry %q has no back-links", id)
		}
		if !marked[id] && name != "quicki" && name != "homa-ir" {
			t.Errorf("term %q is never marked in a chapter", id)
		}
	}
	for _, term := range []string{"AMPK", "AMPK activation", "Insulin sensitivity"} {
		for id, e := range entries {
			if strings.EqualFold(strings.ReplaceAll(term, " ", "-"), id) && strings.Contains(strings.ToLower(textOf(e)), "testosterone") {
				t.Errorf("entry %q still has the seed's wrong testosterone definition", id)
			}
		}
	}
}

// Every citation links to an entry of its chapter's bibliography, and the
// references page lists every cited work with back-links.
func TestGuideCitations(t *testing.T) {
	out := buildGuide(t, Publish)
	cited := 0
	for _, p := range htmlPages(out) {
		if !strings.Contains(p, "/") || strings.HasPrefix(p, "references/") || strings.HasPrefix(p, "glossary/") {
			continue
		}
		doc := parseHTML(t, p, out.Files[p])
		refs := map[string]bool{}
		walk(doc, func(n *html.Node) {
			if n.Type == html.ElementNode && n.Data == "li" {
				if id, _ := attr(n, "id"); strings.HasPrefix(id, "gb-ref-") {
					refs[id] = true
				}
			}
		})
		walk(doc, func(n *html.Node) {
			if !hasClass(n, "gb-cite") {
				return
			}
			cited++
			href, _ := attr(n, "href")
			if !refs[strings.TrimPrefix(href, "#")] {
				t.Errorf("%s: citation %q has no bibliography entry on the page", p, href)
			}
		})
	}
	if cited < 8 {
		t.Errorf("only %d citations rendered", cited)
	}
	refs := parseHTML(t, "references", out.Files["references/index.html"])
	n := 0
	walk(refs, func(x *html.Node) {
		if id, _ := attr(x, "id"); strings.HasPrefix(id, "gb-ref-") && x.Data == "li" {
			n++
			if !strings.Contains(textOf(x), "Cited in:") {
				t.Errorf("reference %s has no back-links", id)
			}
		}
	})
	if n != 11 {
		t.Errorf("references page lists %d works, want 11", n)
	}
}

func TestWriteIsAtomicAndReplaces(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	out := &Output{Files: map[string][]byte{"index.html": []byte("one"), "a/index.html": []byte("a")}}
	if err := writeFiles(out.Files, dir); err != nil {
		t.Fatal(err)
	}
	out2 := &Output{Files: map[string][]byte{"index.html": []byte("two")}}
	if err := writeFiles(out2.Files, dir); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(data) != "two" {
		t.Errorf("index.html = %q", data)
	}
	if _, err := os.Stat(filepath.Join(dir, "a")); !os.IsNotExist(err) {
		t.Errorf("stale file from the previous build survived")
	}
	bad := &Output{Files: map[string][]byte{"../escape.html": []byte("x")}}
	if err := writeFiles(bad.Files, dir); err == nil || !strings.Contains(err.Error(), "outside the output directory") {
		t.Errorf("escaping path: err = %v", err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(data) != "two" {
		t.Errorf("failed write changed the output: %q", data)
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	for _, e := range entries {
		if e.Name() != "public" && !strings.HasPrefix(e.Name(), outdir.OldPrefix("public")) { // moved aside by output.Dir
			t.Errorf("leftover %s beside the output", e.Name())
		}
	}
}

// A site's own templates/ replaces a built-in file; a broken one is
// reported at its file and line.
func TestTemplateOverride(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "content"), 0o755)
	os.MkdirAll(filepath.Join(dir, "templates"), 0o755)
	os.WriteFile(filepath.Join(dir, "content", "a.md"), []byte("---\ntitle: A\n---\n\nHello.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "templates", "chapter.html"), []byte(`{{define "main-chapter"}}<p class="custom">{{.Chapter.Title}} custom</p>{{end}}`), 0o644)
	out, err := NewBuilder(Options{SiteDir: dir, Mode: Publish}).buildMem()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out.Files["a/index.html"]), `<p class="custom">A custom</p>`) {
		t.Errorf("override not used:\n%s", out.Files["a/index.html"])
	}
	if !strings.Contains(string(out.Files["index.html"]), "gb-chapter-list") {
		t.Errorf("other built-in pages must stay")
	}

	os.WriteFile(filepath.Join(dir, "templates", "chapter.html"), []byte("{{define \"main-chapter\"}}\n{{.Chapter.Nope}}{{end}}"), 0o644)
	_, err = NewBuilder(Options{SiteDir: dir, Mode: Publish}).buildMem()
	if err == nil || !strings.Contains(err.Error(), "templates/chapter.html:2:") || !strings.Contains(err.Error(), "Nope") {
		t.Errorf("missing field: err = %v", err)
	}
	os.WriteFile(filepath.Join(dir, "templates", "chapter.html"), []byte("{{define \"main-chapter\"}}\n\n{{if}}{{end}}"), 0o644)
	_, err = NewBuilder(Options{SiteDir: dir, Mode: Publish}).buildMem()
	if err == nil || !strings.Contains(err.Error(), "templates/chapter.html:3: template: missing value for if") {
		t.Errorf("syntax error: err = %v", err)
	}
}
