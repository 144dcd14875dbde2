// Package epub writes a book as an EPUB 3.3 publication: the zip
// container (mimetype first and stored, META-INF/container.xml), the
// package document, the navigation document with the table of contents
// and landmarks, a generated cover page, one XHTML content document per
// chapter, and the glossary and references as back matter.
//
// Its place in the pipeline: it is an output, a renderer over the
// resolved book in mdBook's sense. It knows nothing of Markdown, goldmark
// or the web site: the caller (package ebook) hands it a Book
// whose chapter bodies are already XHTML, rendered from the same parsed
// and resolved chapters as the site with the extensions' EPUB mode
// (glossary terms and citations as noterefs to footnote asides, widgets
// in their script-free form).
//
// The layout inside the container mirrors the site's, one folder per
// page ("ID/index.xhtml", PageName), so that the links the cross-link
// resolver writes for the site work unchanged:
//
//	mimetype
//	META-INF/container.xml
//	EPUB/package.opf, nav.xhtml
//	EPUB/index.xhtml             the cover, where links to the home page go
//	EPUB/ID/index.xhtml          one per chapter, in reading order
//	EPUB/glossary/index.xhtml    back matter, when there are terms
//	EPUB/references/index.xhtml  back matter, when there are references
//	EPUB/css/…                   Book.Styles
//	EPUB/…                       Book.Files (the book's static files)
//
// The bytes depend only on the Book: entries in a fixed order, every
// time the zip epoch, and no clock read; Identifier derives the
// dc:identifier from the book's title, author and language, and the
// caller chooses dcterms:modified (Book.Modified) from the sources.
//
// archive/zip from the standard library writes the container; no EPUB
// library is used because the format needs only a handful of small XML
// files that must follow guidebook's own page model.
package epub
