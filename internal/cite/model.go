package cite

import "guidebook/internal/bib"

// The extension cites entries of the bibliography model in package bib;
// these are its names for them, so that the parser, transformer and
// renderer read as one extension.
type (
	Entry        = bib.Entry
	Bibliography = bib.Bibliography
	Style        = bib.Style
)

// The citation styles.
const (
	Numbered   = bib.Numbered
	AuthorYear = bib.AuthorYear
)

// RefID is the id of a work's entry in a reference list (bib.RefID).
func RefID(key string) string { return bib.RefID(key) }

var (
	foldForSort   = bib.FoldForSort
	collapseSpace = bib.CollapseSpace
)
