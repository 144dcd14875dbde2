// Package bibfile reads references files into the bibliography model of
// package bib: BibTeX (.bib), CSL-JSON (.json) and CSL-YAML (.yaml), with
// file:line:col for every problem (package diag). content calls it while
// loading the book; nothing here knows of Markdown or HTML.
//
// No third-party BibTeX or CSL library is used: the ones that exist are not
// reachable through the module proxy, and the subset of BibTeX a health guide
// needs (entries, @string macros, # concatenation, accents) is small enough
// to own, with located errors, which those libraries do not give. CSL-YAML is
// read with gopkg.in/yaml.v3 because its yaml.Node carries line numbers.
package bibfile

import (
	"path/filepath"
	"strings"

	"guidebook/internal/bib"
	"guidebook/internal/diag"
)

// Parse reads a references file, choosing the format by extension: .bib
// (BibTeX), .json (CSL-JSON) or .yaml/.yml (CSL-YAML). Malformed input gives
// a *diag.List naming file:line:col for every problem found; the entries
// that did parse are returned alongside it.
func Parse(file string, data []byte) ([]bib.Entry, error) {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".bib", ".bibtex":
		return parseBibTeX(file, data)
	case ".json":
		return parseCSLJSON(file, data)
	case ".yaml", ".yml":
		return parseCSLYAML(file, data)
	}
	return nil, diag.Errorf(diag.Pos{File: file}, "unknown references format %q (want .bib, .json, .yaml or .yml)", filepath.Ext(file))
}
