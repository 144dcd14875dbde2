package epub

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func testBook() *Book {
	return &Book{
		Title: `Tom & "Jerry"`, Author: "A <Writer>", Language: "en", Description: "D",
		Identifier: Identifier("T", "A", "en"),
		Modified:   time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC),
		Chapters: []Chapter{
			{ID: "one", Title: "One", Body: []byte(`<p>x<br/></p>`), Headings: []Heading{{ID: "a", Level: 2, Text: "A"}, {ID: "b", Level: 3, Text: "B"}, {ID: "c", Level: 2, Text: "C & D"}}},
			{ID: "two", Title: "Two", Body: []byte(`<p>y</p>`)},
		},
		Glossary:   []Term{{ID: "t", Name: "T", Definition: "d", Uses: []Link{{Href: "one/index.xhtml", Text: "One"}}}},
		References: []Reference{{ID: "gb-ref-k", HTML: "<i>Work</i>", Uses: []Link{{Href: "two/index.xhtml#gb-ref-k", Text: "Two"}}}},
		Styles:     []File{{Path: "css/epub.css", Data: []byte("p{}")}},
		Files:      []File{{Path: "img/a b.png", Data: []byte("png")}, {Path: "cover.svg", Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)}},
		Cover:      "cover.svg",
	}
}

func write(t *testing.T, b *Book) map[string][]byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, b); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return files
}

// Every generated document is well-formed XML: strict encoding/xml knows
// no HTML entity and no unclosed void element.
func TestDocumentsWellFormed(t *testing.T) {
	for name, data := range write(t, testBook()) {
		if !strings.HasSuffix(name, ".xhtml") && !strings.HasSuffix(name, ".opf") && !strings.HasSuffix(name, ".xml") {
			continue
		}
		d := xml.NewDecoder(bytes.NewReader(data))
		d.Strict = true
		for {
			_, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v\n%s", name, err, data)
			}
		}
	}
}

// Links from back matter and the package are relative to their document
// and escaped.
func TestHrefs(t *testing.T) {
	files := write(t, testBook())
	for _, c := range []struct{ file, want string }{
		{"EPUB/glossary/index.xhtml", `href="../one/index.xhtml"`},
		{"EPUB/references/index.xhtml", `href="../two/index.xhtml#gb-ref-k"`},
		{"EPUB/one/index.xhtml", `href="../css/epub.css"`},
		{"EPUB/nav.xhtml", `href="one/index.xhtml#c">C &amp; D</a>`},
		{"EPUB/package.opf", `href="img/a%20b.png" media-type="image/png"`},
		{"EPUB/package.opf", `<dc:title>Tom &amp; &#34;Jerry&#34;</dc:title>`},
		{"EPUB/package.opf", `<meta property="dcterms:modified">2026-11-27T12:00:00Z</meta>`},
		{"EPUB/package.opf", `href="cover.svg" media-type="image/svg+xml" properties="cover-image"`},
		{"EPUB/index.xhtml", `<img src="cover.svg" alt=""/>`},
	} {
		if !strings.Contains(string(files[c.file]), c.want) {
			t.Errorf("%s lacks %s", c.file, c.want)
		}
	}
}

// A chapter's headings nest in the table of contents; a list item never
// holds two lists, whatever levels the headings skip.
func TestSections(t *testing.T) {
	for _, c := range []struct {
		levels []int
		want   string
	}{
		{[]int{2, 3, 2}, "<ol><li>1<ol><li>2</li></ol></li><li>3</li></ol>"},
		{[]int{3, 2}, "<ol><li>1</li><li>2</li></ol>"},
		{[]int{2, 4, 3}, "<ol><li>1<ol><li>2</li><li>3</li></ol></li></ol>"},
		{[]int{2, 3, 4, 2}, "<ol><li>1<ol><li>2<ol><li>3</li></ol></li></ol></li><li>4</li></ol>"},
		{nil, ""},
	} {
		var hs []Heading
		for i, l := range c.levels {
			hs = append(hs, Heading{ID: "h", Level: l, Text: string(rune('1' + i))})
		}
		p := &page{b: &Book{}, path: "nav.xhtml"}
		writeSections(p, "c/index.xhtml", hs)
		got := strings.ReplaceAll(p.buf.String(), "\n", "")
		got = strings.ReplaceAll(got, `<a href="c/index.xhtml#h">`, "")
		got = strings.ReplaceAll(got, "</a>", "")
		if got != c.want {
			t.Errorf("levels %v:\n got %s\nwant %s", c.levels, got, c.want)
		}
	}
}

// The identifier depends on the book's title, author and language only,
// and the container on the book only.
func TestDeterministic(t *testing.T) {
	first, again, other := Identifier("T", "A", "en"), Identifier("T", "A", "en"), Identifier("T", "A", "fr")
	if first != again || first == other {
		t.Error("Identifier is not a function of the book's names")
	}
	var a, b bytes.Buffer
	Write(&a, testBook())
	Write(&b, testBook())
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes of one book differ")
	}
}

// Files that would land on one path are refused, not silently dropped.
func TestCollisions(t *testing.T) {
	for _, mod := range []func(*Book){
		func(b *Book) { b.Chapters[1].ID = "one" },
		func(b *Book) { b.Chapters[1].ID = "glossary" },
		func(b *Book) { b.Files = append(b.Files, File{Path: "nav.xhtml"}) },
		func(b *Book) { b.Files = append(b.Files, File{Path: "../x.png"}) },
		func(b *Book) { b.Files = append(b.Files, File{Path: "css/epub.css"}) },
		func(b *Book) { b.Cover = "nav.xhtml" },
	} {
		b := testBook()
		mod(b)
		if err := Write(io.Discard, b); err == nil {
			t.Errorf("no error for %+v", b)
		}
	}
}
