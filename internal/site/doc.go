// Package site runs the pipeline: it loads the book (content), resolves
// glossary terms, citations and cross-links (glossary, cite, xref), renders
// pages (markup, render) and writes the output atomically. A Builder keeps
// what it parsed and rendered, keyed by content hashes, so that watch mode
// re-does only what an edit affects. A one-shot build (BuildTo, for the
// build and export commands) keeps nothing: each chapter is parsed,
// resolved and rendered in one go and its tree dropped, and every page
// goes to a Stage, a temporary folder that replaces the output folder in
// one rename, as soon as it is rendered. Builder.EPUB (epub.go, the one
// file that knows package epub) runs the same stages for an EPUB.
package site
