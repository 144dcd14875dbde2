// Package guidebook holds the files that ship inside the guidebook binary:
// the default templates and the front-end assets. They live at the module
// root (not under internal/) because authors read and override them; this
// package exists only because go:embed cannot reach upward.
package guidebook

import "embed"

// Files holds templates/ and assets/ exactly as they are in the repository.
//
//go:embed templates assets
var Files embed.FS
