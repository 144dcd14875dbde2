// Package export turns a site built for reading from disk into what a
// reader downloads: a folder (written atomically by site.Write), a zip of
// that folder with a deterministic layout, and a single self-contained HTML
// file holding the whole book.
//
// It is the last stage of the pipeline (load -> resolve -> render ->
// write): it reuses site.Builder in Export mode, where every link is
// already relative and spelled out to .../index.html, and never re-parses
// Markdown. The single-file export works on the rendered pages with
// golang.org/x/net/html (parse, rewrite ids and links, render), the same
// way mdBook builds its print page, because only the rendered pages know
// every id a template or extension produced. It adds no third-party
// library beyond x/net/html, which the link checks already use.
//
// The EPUB (Options.EPUB, EPUB) is another renderer over the same
// resolved chapters rather than a transformation of the pages:
// site.Builder.EPUB runs the pipeline with the extensions' EPUB mode and
// package epub writes the container.
package export
