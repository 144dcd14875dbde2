package epub

import (
	"mime"
	"path"
	"strconv"
	"strings"
	"time"
)

// Paths inside the package root (EPUB/).
const (
	root           = "EPUB/"
	packagePath    = "package.opf"
	navPath        = "nav.xhtml"
	coverPath      = PageName // the home page: links to the book's home land on the cover
	glossaryPath   = "glossary/" + PageName
	referencesPath = "references/" + PageName
)

func chapterPath(id string) string { return id + "/" + PageName }

const containerXML = `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles>
<rootfile full-path="` + root + packagePath + `" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
`

// item is a manifest entry.
type item struct {
	id, path, mediaType, properties string
	data                            []byte
	spine                           bool
}

// items lists every file of the package in manifest order: the
// generated pages in reading order, then the styles and files.
func items(b *Book) []item {
	xhtml := "application/xhtml+xml"
	its := []item{
		{id: "cover", path: coverPath, mediaType: xhtml, data: coverPage(b), spine: true},
		{id: "nav", path: navPath, mediaType: xhtml, properties: "nav", data: navPage(b), spine: true},
	}
	for i, ch := range b.Chapters {
		its = append(its, item{id: "ch" + strconv.Itoa(i+1), path: chapterPath(ch.ID), mediaType: xhtml, data: chapterPage(b, ch), spine: true})
	}
	if len(b.Glossary) > 0 {
		its = append(its, item{id: "glossary", path: glossaryPath, mediaType: xhtml, data: glossaryPage(b), spine: true})
	}
	if len(b.References) > 0 {
		its = append(its, item{id: "references", path: referencesPath, mediaType: xhtml, data: referencesPage(b), spine: true})
	}
	for i, s := range b.Styles {
		its = append(its, item{id: "style" + strconv.Itoa(i+1), path: s.Path, mediaType: "text/css", data: s.Data})
	}
	for i, f := range b.Files {
		it := item{id: "file" + strconv.Itoa(i+1), path: f.Path, mediaType: mediaType(f.Path), data: f.Data}
		if f.Path == b.Cover {
			it.properties = "cover-image"
		}
		its = append(its, it)
	}
	return its
}

// mediaType names a resource's type by its extension, as the site's
// server would; EPUB's core media types are all known to package mime.
func mediaType(p string) string {
	switch strings.ToLower(path.Ext(p)) {
	case ".svg":
		return "image/svg+xml"
	case ".js":
		return "application/javascript"
	}
	if t := mime.TypeByExtension(path.Ext(p)); t != "" {
		t, _, _ = strings.Cut(t, ";")
		return t
	}
	return "application/octet-stream"
}

// packageDoc is the package document: metadata, manifest and spine.
func packageDoc(b *Book, its []item) []byte {
	var p page
	p.w(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	p.w(`<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="` + esc(b.Language) + `">` + "\n")
	p.w(`<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">` + "\n")
	p.w(`<dc:identifier id="pub-id">` + esc(b.Identifier) + "</dc:identifier>\n")
	p.w("<dc:title>" + esc(b.Title) + "</dc:title>\n")
	if b.Author != "" {
		p.w("<dc:creator>" + esc(b.Author) + "</dc:creator>\n")
	}
	p.w("<dc:language>" + esc(b.Language) + "</dc:language>\n")
	if b.Description != "" {
		p.w("<dc:description>" + esc(b.Description) + "</dc:description>\n")
	}
	p.w(`<meta property="dcterms:modified">` + b.Modified.UTC().Format(time.RFC3339) + "</meta>\n")
	for _, m := range accessibility(b) {
		p.w(`<meta property="schema:` + m[0] + `">` + esc(m[1]) + "</meta>\n")
	}
	p.w("</metadata>\n<manifest>\n")
	for _, it := range its {
		p.w(`<item id="` + it.id + `" href="` + esc(href(it.path)) + `" media-type="` + esc(it.mediaType) + `"`)
		if it.properties != "" {
			p.w(` properties="` + it.properties + `"`)
		}
		p.w("/>\n")
	}
	p.w("</manifest>\n<spine>\n")
	for _, it := range its {
		if it.spine {
			p.w(`<itemref idref="` + it.id + `"/>` + "\n")
		}
	}
	p.w("</spine>\n</package>\n")
	return p.buf.Bytes()
}

// accessibility is the schema.org accessibility metadata, true to what
// the writer produces: text with structure and a table of contents, no
// flashing or motion, and images only when the book brings some.
func accessibility(b *Book) [][2]string {
	images := false
	for _, f := range b.Files {
		images = images || strings.HasPrefix(mediaType(f.Path), "image/")
	}
	m := [][2]string{{"accessMode", "textual"}}
	if images {
		// Whether every image has a text alternative is the author's to
		// say, so text alone is not claimed to suffice.
		m = append(m, [2]string{"accessMode", "visual"}, [2]string{"accessModeSufficient", "textual,visual"})
	} else {
		m = append(m, [2]string{"accessModeSufficient", "textual"})
	}
	for _, f := range []string{"structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"} {
		m = append(m, [2]string{"accessibilityFeature", f})
	}
	if len(b.Glossary) > 0 {
		m = append(m, [2]string{"accessibilityFeature", "glossary"})
	}
	m = append(m, [2]string{"accessibilityHazard", "none"})
	summary := "Text with headings, a table of contents and landmarks; the reading order follows the chapters. " +
		"Glossary terms and citations are footnotes that reading systems show as pop-ups, each with a link back to the text. " +
		"Calculators appear in their static form: formula, reading bands and a worked example."
	if images {
		summary += " Images come from the book's own files."
	}
	return append(m, [2]string{"accessibilitySummary", summary})
}
