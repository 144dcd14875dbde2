// Package site runs the pipeline. (*Builder).build in site.go reads top
// to bottom as its stages, one file each:
//
//	load     load.go     the book (package content) and the theme (theme)
//	resolve  resolve.go  each chapter parsed by goldmark with the glossary,
//	                     cite, xref and widgets transformers (markup), its
//	                     links resolved (xref), its body rendered
//	render   render.go   pages through the templates (theme), filled with
//	                     what each page kind shows (pages), the search
//	                     index (search)
//	write    write.go    every file to an output.Output, static files last
//
// Where the files go is the caller's choice of output.Output: a staging
// folder swapped in atomically (build, export), memory (serve, check), a
// zip or a single file (export), behind the publishing steps of package
// publish (minify, host files, precompression). The pipeline never asks
// which it has.
//
// A Builder made by NewBuilder is watch mode's cache: it keeps what it
// parsed and rendered, keyed by content hashes, so that a rebuild re-does
// only what an edit affects. Build is a one-shot build (the build and
// export commands): it keeps nothing; each chapter is parsed, resolved and
// rendered in one go and its tree dropped, and every page goes to the
// Output as soon as it is rendered. With Options.Cache (cache.go), the
// one-shot build keeps between runs what watch mode keeps between
// rebuilds, under the same keys, in package buildcache's store: a
// chapter's resolve products and body, and its page.
//
// Builder.Prepare runs the load stage alone for an output that resolves
// the chapters its own way: package ebook parses them with the
// extensions' EPUB mode and hands package epub the result as data. What
// each page shows (its sidebar, table of contents, back-links, link
// anchors) is package pages', so the site and the EPUB agree.
package site
