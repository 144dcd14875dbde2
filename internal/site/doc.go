// Package site runs the pipeline: it loads the book (content), resolves
// glossary terms, citations and cross-links (glossary, cite, xref), renders
// pages (markup, render) and writes the output atomically. A Builder keeps
// what it parsed and rendered, keyed by content hashes, so that watch mode
// re-does only what an edit affects; a one-shot build is the same Builder
// used once.
package site
