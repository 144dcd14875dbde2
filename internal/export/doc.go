// Package export writes what a reader downloads: a folder (an
// output.Dir swapped in atomically), a zip of that folder with a
// deterministic layout (output.NewZip), and a single self-contained HTML
// file holding the whole book (NewSingleFile). Run builds the site once, in
// Export mode, into all of them at once through output.Tee.
//
// It adds outputs, not stages, to the pipeline (load -> resolve -> render
// -> write): in Export mode every link is already relative and spelled out
// to .../index.html, and nothing is parsed twice. The single-file export
// works on the rendered pages with golang.org/x/net/html (parse, rewrite
// ids and links, render), the same way mdBook builds its print page,
// because only the rendered pages know every id a template or extension
// produced; it reads the search index through package search's readers,
// never by matching the script's text. It adds no third-party library
// beyond x/net/html, which the link checks already use.
//
// The EPUB (Options.EPUB, EPUB) is another renderer over the same
// resolved chapters rather than a transformation of the pages:
// package ebook runs the pipeline with the extensions' EPUB mode and
// package epub writes the container.
package export
