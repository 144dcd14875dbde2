// Package bib is the bibliography's data model: an Entry formats itself
// as a reference (HTML, text, label); NewBibliography indexes entries and
// rejects duplicate keys; the TeX accent table decodes BibTeX text and
// folds accents for sorting. Package bibfile reads references files into
// it; content loads them and the cite extension cites them. It knows
// nothing of Markdown.
package bib
