// Package cite is the goldmark extension for pandoc-style citations in
// chapters ([@lan2015], [see @volpe2013, pp. 378–383]): numbered or
// author-year citations with tooltips and a per-chapter bibliography. The
// entries it cites are package bib's model (Entry, Bibliography, Style;
// model.go names them for the extension), which content loads without
// knowing of Markdown.
//
// Its place in the pipeline (resolve, then render):
//
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
package cite
