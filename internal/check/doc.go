// Package check verifies the links of a built site: every internal href
// and src must reach a file (a directory URL reaches its index.html),
// every #fragment must name an id on its target page, and every asset a
// page or stylesheet names must exist. External links are collected and
// listed, never fetched: a build must not depend on the network. It also
// verifies that a tree is what the build wrote (output.go): fingerprints,
// integrity hashes, the search manifest's parts, compressed copies,
// 404.html, and no symbolic links.
//
// It runs after the last stage of the pipeline (load → resolve → render →
// write), on the output rather than the sources, so it also catches links
// written by templates, widgets and static HTML that the resolve stage
// never sees. `guidebook check` drives it.
//
// Pages are parsed with golang.org/x/net/html, the HTML5 parsing algorithm
// browsers use, so an id or href is found exactly where a browser would
// find it, whatever the markup's quoting or nesting.
package check
