// Package bib is the bibliography's data model and its readers: Parse
// reads a .bib (BibTeX), .json (CSL-JSON) or .yaml (CSL-YAML) file into
// Entries; NewBibliography indexes them and rejects duplicate keys; an
// Entry formats itself as a reference (HTML, text, label). Both report
// file:line through package diag. It is loaded by content (the first
// stage) and cited by the cite extension; it knows nothing of Markdown.
//
// No third-party BibTeX or CSL library is used: the ones that exist are not
// reachable through the module proxy, and the subset of BibTeX a health guide
// needs (entries, @string macros, # concatenation, accents) is small enough
// to own, with located errors, which those libraries do not give. CSL-YAML is
// read with gopkg.in/yaml.v3 because its yaml.Node carries line numbers.
package bib
