package export

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"guidebook/internal/content"
	"guidebook/internal/outdir"
	"guidebook/internal/testing/benchbook"
)

const (
	epubNS  = "http://www.idpf.org/2007/ops"
	xhtmlNS = "http://www.w3.org/1999/xhtml"
)

// epubOfGuide exports the shipped guide's EPUB once per test binary, with
// a base URL so that the calculator links to its live version.
var epubOfGuide = sync.OnceValues(func() ([]byte, error) {
	return EPUB("../..", "https://example.org/guide/")
})

func guideEPUB(t *testing.T) []byte {
	t.Helper()
	data, err := epubOfGuide()
	if err != nil {
		t.Fatalf("exporting the guide's EPUB: %v", err)
	}
	return data
}

// unzipped reads an EPUB's entries in container order.
func unzipped(t *testing.T, data []byte) ([]*zip.File, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = b
	}
	return zr.File, files
}

// elem is one element of a parsed XML document.
type elem struct {
	name  xml.Name
	attrs map[xml.Name]string
	text  string // character data directly inside, for short elements
	depth int
}

func (e *elem) attr(space, local string) string { return e.attrs[xml.Name{Space: space, Local: local}] }

// hasType reports whether an epub:type attribute lists typ.
func (e *elem) hasType(typ string) bool {
	for _, f := range strings.Fields(e.attr(epubNS, "type")) {
		if f == typ {
			return true
		}
	}
	return false
}

// parseXML parses a document with encoding/xml in strict mode, which
// knows no HTML entity: it fails unless the document is well-formed XML.
func parseXML(t *testing.T, name string, data []byte) []*elem {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var out, open []*elem
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", name, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &elem{name: tok.Name, attrs: map[xml.Name]string{}, depth: len(open)}
			for _, a := range tok.Attr {
				e.attrs[a.Name] = a.Value
			}
			out = append(out, e)
			open = append(open, e)
		case xml.EndElement:
			open = open[:len(open)-1]
		case xml.CharData:
			if len(open) > 0 {
				open[len(open)-1].text += string(tok)
			}
		}
	}
}

// resolve turns an href in the document at from into a container path
// and fragment; ok is false for external URLs.
func resolve(t *testing.T, from, href string) (file, frag string, ok bool) {
	t.Helper()
	u, err := url.Parse(href)
	if err != nil {
		t.Fatalf("%s: bad href %q: %v", from, href, err)
	}
	if u.Scheme != "" || u.Host != "" {
		return "", "", false
	}
	file = from
	if u.Path != "" {
		file = path.Join(path.Dir(from), u.Path)
	}
	return file, u.Fragment, true
}

// TestEPUBContainer checks the OCF rules a reading system relies on to
// recognise the file: mimetype first, stored, with no extra field, and a
// container.xml naming the package document.
func TestEPUBContainer(t *testing.T) {
	entries, files := unzipped(t, guideEPUB(t))
	first := entries[0]
	if first.Name != "mimetype" || first.Method != zip.Store || len(first.Extra) != 0 || string(files["mimetype"]) != "application/epub+zip" {
		t.Errorf("first entry %q method %d extra %d: want a stored mimetype without extra field", first.Name, first.Method, len(first.Extra))
	}
	var c struct {
		Rootfiles []struct {
			FullPath string `xml:"full-path,attr"`
		} `xml:"rootfiles>rootfile"`
	}
	if err := xml.Unmarshal(files["META-INF/container.xml"], &c); err != nil || len(c.Rootfiles) != 1 {
		t.Fatalf("container.xml: %v %+v", err, c)
	}
	if _, ok := files[c.Rootfiles[0].FullPath]; !ok {
		t.Errorf("container.xml names %s, which is not in the container", c.Rootfiles[0].FullPath)
	}
}

// TestEPUBLinksAndNotes parses every XHTML document of the guide's EPUB
// and checks that each noteref leads to a footnote aside in the same
// document whose back-link returns to an existing anchor, and that every
// internal link names a file of the container and an id in it.
func TestEPUBLinksAndNotes(t *testing.T) {
	_, files := unzipped(t, guideEPUB(t))
	docs := map[string][]*elem{}
	ids := map[string]map[string]*elem{}
	for name, data := range files {
		if strings.HasSuffix(name, ".xhtml") || strings.HasSuffix(name, ".opf") || strings.HasSuffix(name, ".xml") {
			docs[name] = parseXML(t, name, data)
			ids[name] = map[string]*elem{}
			for _, e := range docs[name] {
				if id := e.attr("", "id"); id != "" {
					if ids[name][id] != nil {
						t.Errorf("%s: id %q twice", name, id)
					}
					ids[name][id] = e
				}
			}
		}
	}
	var noterefs, glossNotes, citeNotes, links int
	for name, els := range docs {
		if !strings.HasSuffix(name, ".xhtml") {
			continue
		}
		for _, e := range els {
			href := e.attr("", "href")
			if e.name.Local != "a" || href == "" {
				continue
			}
			file, frag, ok := resolve(t, name, href)
			if !ok {
				continue
			}
			links++
			if _, exists := files[file]; !exists {
				t.Errorf("%s: link %q: no file %s", name, href, file)
				continue
			}
			if frag != "" && ids[file][frag] == nil {
				t.Errorf("%s: link %q: %s has no id %q", name, href, file, frag)
				continue
			}
			if !e.hasType("noteref") {
				continue
			}
			noterefs++
			note := ids[file][frag]
			if file != name || note == nil || note.name.Local != "aside" || !note.hasType("footnote") || note.attr("", "role") != "doc-footnote" {
				t.Errorf("%s: noteref %q does not lead to a footnote aside in the same document", name, href)
				continue
			}
			if e.attr("", "role") != "doc-noteref" {
				t.Errorf("%s: noteref %q has role %q", name, href, e.attr("", "role"))
			}
			switch {
			case strings.HasPrefix(frag, "gb-tnote-"):
				glossNotes++
			case strings.HasPrefix(frag, "gb-cnote-"):
				citeNotes++
			}
		}
		// Every footnote links back to the text.
		for i, e := range els {
			if e.name.Local != "aside" || !e.hasType("footnote") {
				continue
			}
			back := false
			for _, c := range els[i+1:] {
				if c.depth <= e.depth {
					break
				}
				if c.attr("", "role") == "doc-backlink" {
					_, frag, _ := resolve(t, name, c.attr("", "href"))
					back = ids[name][frag] != nil
				}
			}
			if !back {
				t.Errorf("%s: footnote %s has no working back-link", name, e.attr("", "id"))
			}
		}
	}
	if glossNotes == 0 || citeNotes == 0 || links < 50 {
		t.Errorf("%d links, %d glossary and %d citation noterefs: the guide has more", links, glossNotes, citeNotes)
	}
}

// TestEPUBTocOrder checks that the navigation document lists the
// chapters in the book's order, as the spine reads them, followed by the
// back matter, with landmarks.
func TestEPUBTocOrder(t *testing.T) {
	_, files := unzipped(t, guideEPUB(t))
	book, err := content.Load("../../content")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, ch := range book.Chapters {
		want = append(want, "EPUB/"+ch.ID+"/index.xhtml")
	}
	want = append(want, "EPUB/glossary/index.xhtml", "EPUB/references/index.xhtml")

	nav := parseXML(t, "nav.xhtml", files["EPUB/nav.xhtml"])
	var toc, landmarks []string
	var in *elem
	for _, e := range nav {
		if e.name.Local == "nav" {
			in = e
			continue
		}
		// The toc's top-level entries: links in the first level of list items.
		if in != nil && e.name.Local == "a" && in.hasType("toc") && e.depth == in.depth+3 {
			file, _, _ := resolve(t, "EPUB/nav.xhtml", e.attr("", "href"))
			toc = append(toc, file)
		}
		if in != nil && e.name.Local == "a" && in.hasType("landmarks") {
			landmarks = append(landmarks, e.attr(epubNS, "type"))
		}
	}
	if strings.Join(toc, " ") != strings.Join(want, " ") {
		t.Errorf("toc order:\n%s\nwant:\n%s", strings.Join(toc, "\n"), strings.Join(want, "\n"))
	}
	if got := strings.Join(landmarks, " "); got != "cover toc bodymatter glossary bibliography" {
		t.Errorf("landmarks: %s", got)
	}

	pkg := parseXML(t, "package.opf", files["EPUB/package.opf"])
	hrefByID := map[string]string{}
	var spine []string
	for _, e := range pkg {
		switch e.name.Local {
		case "item":
			hrefByID[e.attr("", "id")] = "EPUB/" + e.attr("", "href")
		case "itemref":
			spine = append(spine, hrefByID[e.attr("", "idref")])
		}
	}
	wantSpine := append([]string{"EPUB/index.xhtml", "EPUB/nav.xhtml"}, want...)
	if strings.Join(spine, " ") != strings.Join(wantSpine, " ") {
		t.Errorf("spine:\n%s\nwant:\n%s", strings.Join(spine, "\n"), strings.Join(wantSpine, "\n"))
	}
}

// TestEPUBMetadata checks the package document's metadata: the title and
// author from book.yaml, an identifier derived from the book, a
// dcterms:modified in the required form, and accessibility metadata.
func TestEPUBMetadata(t *testing.T) {
	_, files := unzipped(t, guideEPUB(t))
	book, err := content.Load("../../content")
	if err != nil {
		t.Fatal(err)
	}
	meta := map[string][]string{}
	for _, e := range parseXML(t, "package.opf", files["EPUB/package.opf"]) {
		key := e.name.Local
		if p := e.attr("", "property"); p != "" {
			key = p
		}
		meta[key] = append(meta[key], strings.TrimSpace(e.text))
	}
	for key, want := range map[string]string{"title": book.Title, "creator": book.Author, "language": book.Language, "description": book.Description} {
		if len(meta[key]) != 1 || meta[key][0] != want {
			t.Errorf("dc:%s = %q, want %q", key, meta[key], want)
		}
	}
	if id := meta["identifier"]; len(id) != 1 || !regexp.MustCompile(`^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(id[0]) {
		t.Errorf("dc:identifier = %q", id)
	}
	newest := "1980"
	for _, e := range book.References {
		newest = max(newest, e.Year[:4])
	}
	if m := meta["dcterms:modified"]; len(m) != 1 || m[0] != newest+"-01-01T00:00:00Z" {
		t.Errorf("dcterms:modified = %q, want the start of the newest reference's year, %s", m, newest)
	}
	for _, p := range []string{"schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature", "schema:accessibilityHazard", "schema:accessibilitySummary"} {
		if len(meta[p]) == 0 {
			t.Errorf("no %s", p)
		}
	}
}

// The calculator renders its script-free form in an EPUB (formula,
// bands, worked example) with a link to the live calculator, and no page
// has a form or a script.
func TestEPUBCalculatorScriptFree(t *testing.T) {
	_, files := unzipped(t, guideEPUB(t))
	found := false
	for name, data := range files {
		if !strings.HasSuffix(name, ".xhtml") {
			continue
		}
		for _, e := range parseXML(t, name, data) {
			switch {
			case e.name.Local == "form" || e.name.Local == "script" || e.name.Local == "input":
				t.Errorf("%s has a <%s>", name, e.name.Local)
			case e.name.Local == "a" && strings.HasPrefix(e.attr("", "href"), "https://example.org/guide/"):
				found = found || strings.Contains(e.attr("", "href"), "#gb-homa-ir-")
			}
		}
		if bytes.Contains(data, []byte(`class="gb-homa-formula"`)) && !bytes.Contains(data, []byte(`class="gb-homa-example"`)) {
			t.Errorf("%s: the calculator's formula without its worked example", name)
		}
	}
	if !found {
		t.Error("no link to the live calculator on the published site")
	}
}

// Two exports of the same book are byte-identical.
func TestEPUBDeterministic(t *testing.T) {
	a := guideEPUB(t)
	b, err := EPUB("../..", "https://example.org/guide/")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two exports of the guide differ")
	}
}

// dcterms:modified comes from the sources, not from the clock or the
// files' times: touching every file changes nothing, SOURCE_DATE_EPOCH
// sets it.
func TestEPUBModifiedFromSources(t *testing.T) {
	site := t.TempDir()
	if err := os.CopyFS(filepath.Join(site, "content"), os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	before, err := EPUB(site, "")
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Join(site, "content"))
	later := time.Now().Add(48 * time.Hour)
	for _, e := range entries {
		os.Chtimes(filepath.Join(site, "content", e.Name()), later, later)
	}
	after, err := EPUB(site, "")
	if err != nil || !bytes.Equal(before, after) {
		t.Errorf("touching the sources changed the EPUB (%v)", err)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	data, err := EPUB(site, "")
	if err != nil {
		t.Fatal(err)
	}
	_, files := unzipped(t, data)
	if want := `<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>`; !bytes.Contains(files["EPUB/package.opf"], []byte(want)) {
		t.Errorf("SOURCE_DATE_EPOCH: no %s", want)
	}
}

// A broken chapter is reported at its line and column and leaves the
// previous EPUB exactly as it was, with no temporary file beside it; a
// file guidebook did not write is refused and kept.
func TestEPUBErrorsLeaveNoPartialFile(t *testing.T) {
	site := t.TempDir()
	if err := os.CopyFS(filepath.Join(site, "content"), os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	decoy := filepath.Join(out, "decoy.txt")
	os.WriteFile(decoy, []byte("keep"), 0o644)
	target := filepath.Join(out, "guide.epub")
	if _, err := Run(Options{SiteDir: site, EPUB: target}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(target)
	if !outdir.OwnEPUB(target) {
		t.Fatal("the EPUB is not recognised as guidebook's")
	}

	chapter := filepath.Join(site, "content", "reflection.md")
	src, _ := os.ReadFile(chapter)
	os.WriteFile(chapter, append(src, "\nSee [[no-such-chapter]].\n"...), 0o644)
	_, err := Run(Options{SiteDir: site, EPUB: target})
	if err == nil || !regexp.MustCompile(`reflection\.md:\d+:\d+: `).MatchString(err.Error()) {
		t.Errorf("error %v: want reflection.md:line:col", err)
	}
	after, _ := os.ReadFile(target)
	if !bytes.Equal(before, after) {
		t.Error("a failed export changed the previous EPUB")
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 2 {
		t.Errorf("the output folder holds %d files, want the EPUB and the decoy", len(entries))
	}
	if data, _ := os.ReadFile(decoy); string(data) != "keep" {
		t.Error("the decoy changed")
	}

	os.WriteFile(chapter, src, 0o644)
	_, err = Run(Options{SiteDir: site, EPUB: decoy})
	if !errors.Is(err, outdir.ErrRefused) {
		t.Errorf("writing over a file guidebook did not write: %v", err)
	}
	if data, _ := os.ReadFile(decoy); string(data) != "keep" {
		t.Error("the decoy changed")
	}
}

// Raw HTML that is not XML (a book with unsafe-html) is reported against
// its chapter rather than written into an EPUB reading apps reject.
func TestEPUBRawHTMLMustBeXML(t *testing.T) {
	site := t.TempDir()
	if err := os.CopyFS(filepath.Join(site, "content"), os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(site, "content", "book.yaml")
	data, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, append(data, "unsafe-html: true\n"...), 0o644)
	chapter := filepath.Join(site, "content", "reflection.md")
	src, _ := os.ReadFile(chapter)
	os.WriteFile(chapter, append(src, "\n<p>one<br>two</p>\n"...), 0o644)
	target := filepath.Join(t.TempDir(), "guide.epub")
	_, err := Run(Options{SiteDir: site, EPUB: target})
	if err == nil || !strings.Contains(err.Error(), "reflection.md: the chapter does not render to well-formed XHTML") {
		t.Errorf("error %v", err)
	}
	if _, serr := os.Stat(target); !os.IsNotExist(serr) {
		t.Errorf("an EPUB was written: %v", serr)
	}
	// Well-formed raw HTML passes.
	os.WriteFile(chapter, append(src, "\n<p>one<br/>two</p>\n"...), 0o644)
	if _, err := Run(Options{SiteDir: site, EPUB: target}); err != nil {
		t.Error(err)
	}
}

// epubcheck is the reference validator; its verdict on the guide and on
// a 200-chapter generated book must be 0 errors and 0 warnings. CI
// installs it (Debian package epubcheck), so it skips only on a machine
// without it.
func TestEPUBCheck(t *testing.T) {
	const jar = "/usr/bin/epubcheck"
	java, err := exec.LookPath("java")
	if _, serr := os.Stat(jar); serr != nil || err != nil {
		t.Skip("SKIPPED: epubcheck is not installed (apt-get install epubcheck): the EPUB is not validated")
	}
	if testing.Short() {
		t.Skip("epubcheck takes seconds per book")
	}
	bench := t.TempDir()
	if err := benchbook.Generate(bench, 200, benchbook.Options{Seed: 1}); err != nil {
		t.Fatal(err)
	}
	// The guide with what it does not use: a cover image, an image in a
	// chapter, a Markdown footnote, an aligned table.
	extras := t.TempDir()
	if err := os.CopyFS(filepath.Join(extras, "content"), os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(extras, "content", "cover.svg"), []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 60 80"><rect width="60" height="80"/></svg>`), 0o644)
	chapter := filepath.Join(extras, "content", "reflection.md")
	src, _ := os.ReadFile(chapter)
	os.WriteFile(chapter, append(src, "\nA footnote.[^n]\n\n![A box](cover.svg)\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n[^n]: The note.\n"...), 0o644)

	for _, c := range []struct{ name, site string }{{"guide", "../.."}, {"benchbook-200", bench}, {"guide-extras", extras}} {
		t.Run(c.name, func(t *testing.T) {
			data, err := EPUB(c.site, "https://example.org/guide/")
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(t.TempDir(), c.name+".epub")
			if err := os.WriteFile(file, data, 0o644); err != nil {
				t.Fatal(err)
			}
			// Debian's epubcheck is a jar that relies on binfmt to run.
			out, err := exec.Command(java, "-jar", jar, file).CombinedOutput()
			if err != nil || !bytes.Contains(out, []byte("0 fatals / 0 errors / 0 warnings")) {
				t.Errorf("epubcheck %s: %v\n%s", c.name, err, out)
			}
		})
	}
}
