// Package cite turns a references file and pandoc-style citations in
// chapters ([@lan2015], [see @volpe2013, pp. 378–383]) into numbered or
// author-year citations with tooltips and a per-chapter bibliography.
//
// Its place in the pipeline:
//
//   - load: Parse reads a .bib (BibTeX), .json (CSL-JSON) or .yaml (CSL-YAML)
//     file into Entries; NewBibliography indexes them and rejects duplicate
//     keys. Both report file:line through package diag.
//   - resolve: the Extender adds an inline parser that builds Citation nodes
//     and an AST transformer that looks keys up, numbers them in
//     first-citation order and appends a ReferenceList node to the document.
//     Cited reads the chapter's bibliography back from the parser context, the
//     way Hugo reads its table of contents, so the references page and
//     back-links need no second parse.
//   - render: a NodeRenderer writes the shared HTML contract (gb-cite-wrap,
//     gb-cite-mark, gb-cite-inline, gb-tip, gb-bibliography). WriteCitation
//     exposes the same code to other extensions that render citations
//     themselves. For an EPUB (Extender.Notes) each item is a noteref to a
//     footnote aside written after the chapter bibliography (NoteID), with
//     a back-link to the work's first citation; WriteNoterefs is its
//     counterpart of WriteCitation.
//
// No third-party BibTeX or CSL library is used: the ones that exist are not
// reachable through the module proxy, and the subset of BibTeX a health guide
// needs (entries, @string macros, # concatenation, accents) is small enough
// to own, with located errors, which those libraries do not give. CSL-YAML is
// read with gopkg.in/yaml.v3 because its yaml.Node carries line numbers.
package cite
