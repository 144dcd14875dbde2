package content

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// A title made from a non-ASCII file name capitalises its first letter,
// not its first byte.
func TestTitleFromNonASCIIName(t *testing.T) {
	b, err := Load(writeBook(t, map[string]string{"éclair-au-café.md": "Body.\n", "ünd.md": "Body.\n"}))
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range b.Chapters {
		if !utf8.ValidString(ch.Title) {
			t.Errorf("%s: title %q is not valid UTF-8", ch.File, ch.Title)
		}
	}
	if got := b.Chapters[0].Title + ", " + b.Chapters[1].Title; got != "Éclair Au Café, Ünd" {
		t.Errorf("titles %s", got)
	}
}

// .markdown and upper-case extensions are chapters, as in Hugo, not raw
// files published as they are.
func TestMarkdownExtensions(t *testing.T) {
	b, err := Load(writeBook(t, map[string]string{
		"a.md": "---\ntitle: A\n---\n", "b.markdown": "---\ntitle: B\n---\n", "C.MD": "Body.\n", "d.Markdown": "Body.\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, ch := range b.Chapters {
		ids = append(ids, ch.ID+"="+ch.File)
	}
	if got := strings.Join(ids, " "); got != "a=a.md b=b.markdown c=C.MD d=d.Markdown" {
		t.Errorf("chapters %s", got)
	}
	if len(b.Static) != 0 {
		t.Errorf("published as static files: %v", b.Static)
	}
}

// Files saved with classic Mac line endings (a lone CR) have front matter
// like any other.
func TestCROnlyLineEndings(t *testing.T) {
	b, err := Load(writeBook(t, map[string]string{
		"a.md":          "---\rtitle: Mac\rorder: 2\r---\r\rBody.\r",
		"glossary.yaml": "- term: Insulin\r  definition: A hormone.\r",
	}))
	if err != nil {
		t.Fatal(err)
	}
	ch := b.Chapters[0]
	if ch.Title != "Mac" || ch.Order != 2 || ch.BodyLine != 5 {
		t.Errorf("title %q order %d body line %d", ch.Title, ch.Order, ch.BodyLine)
	}
	if string(ch.Source) != "---\ntitle: Mac\norder: 2\n---\n\nBody.\n" {
		t.Errorf("source %q", ch.Source)
	}
	if len(b.Terms) != 1 || b.Terms[0].Definition != "A hormone." {
		t.Errorf("terms %+v", b.Terms)
	}
	_, err = Load(writeBook(t, map[string]string{"a.md": "---\rtitle: A\rorder: x\r---\r"}))
	if err == nil || !strings.Contains(err.Error(), "a.md:3:8: expected a number") {
		t.Errorf("error in CR-only front matter: %v", err)
	}
}

// An id longer than MaxIDLength is reported where it is written, before
// the write stage meets a name the file system refuses.
func TestIDTooLong(t *testing.T) {
	long := strings.Repeat("a", 300)
	_, err := Load(writeBook(t, map[string]string{"a.md": "---\ntitle: A\nid: " + long + "\n---\n"}))
	if err == nil || !strings.Contains(err.Error(), "a.md:3:5: chapter id is 300 characters long; the limit is 100") {
		t.Errorf("id in front matter: %v", err)
	}
	name := strings.Repeat("b", MaxIDLength+1)
	_, err = Load(writeBook(t, map[string]string{name + ".md": "Body.\n"}))
	if err == nil || !strings.Contains(err.Error(), name+".md:1: chapter id is 101 characters long; the limit is 100") {
		t.Errorf("id from the file name: %v", err)
	}
	if _, err := Load(writeBook(t, map[string]string{"a.md": "---\ntitle: A\nid: " + long[:MaxIDLength] + "\n---\n"})); err != nil {
		t.Errorf("an id of exactly the limit: %v", err)
	}
}

// A second YAML document is never silently dropped.
func TestSecondYAMLDocument(t *testing.T) {
	_, err := Load(writeBook(t, map[string]string{
		"a.md":          "---\ntitle: A\n---\n",
		"glossary.yaml": "- term: A\n  definition: B.\n---\n- term: C\n  definition: D.\n",
	}))
	if err == nil || !strings.Contains(err.Error(), "glossary.yaml:3:1: a second YAML document") {
		t.Errorf("glossary: %v", err)
	}
	_, err = Load(writeBook(t, map[string]string{"a.md": "---\ntitle: A\n---\n", "book.yaml": "title: T\n---\ntitle: U\n"}))
	if err == nil || !strings.Contains(err.Error(), "book.yaml:2:1: a second YAML document") {
		t.Errorf("book.yaml: %v", err)
	}
}

// NUL and invalid UTF-8 in the references are reported at their place, as
// in chapters, never replaced.
func TestReferencesText(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"@misc{k,\n  title = {Caf\xe9}}\n", "references.bib:2:15: file is not valid UTF-8"},
		{"@misc{k,\n  title = {A\x00B}}\n", "references.bib:2:13: file contains a NUL byte"},
		{`[{"id": "k", "title": "A` + "\x00" + `"}]`, "references.json:1:25: file contains a NUL byte"},
	} {
		name := "references.bib"
		if strings.HasPrefix(c.src, "[") {
			name = "references.json"
		}
		_, err := Load(writeBook(t, map[string]string{"a.md": "---\ntitle: A\n---\n", name: c.src}))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.src, err, c.want)
		}
	}
	_, err := Load(writeBook(t, map[string]string{"a.md": "---\ntitle: A\n---\nText\x00.\n"}))
	if err == nil || !strings.Contains(err.Error(), "a.md:4:5: file contains a NUL byte") {
		t.Errorf("NUL in a chapter: %v", err)
	}
}
