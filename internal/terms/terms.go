// Package terms is the glossary's data model: what content loads from
// glossary.yaml and front matter, and what the glossary extension
// matches and renders. It knows nothing of Markdown or HTML.
package terms

import "guidebook/internal/diag"

// Term is one glossary entry.
type Term struct {
	ID         string   // stable slug of Name (lowercase, non-alnum -> '-'), used as HTML id on the glossary page
	Name       string   // display name, e.g. "Insulin resistance" (matching is case-insensitive)
	Aliases    []string // other surface forms, e.g. "insulin-resistant"
	Definition string   // plain text (escaped on output)
	See        []string // names/aliases of related terms
	Pos        diag.Pos // where it was defined (front matter or glossary.yaml line)
}
