// Package search makes the client-side search index, a by-product of the
// render stage (load → resolve → render → write): ChapterDocs reads a
// chapter's entries from its parsed tree (no second parse), Encode writes
// them once per rendered body, and Index assembles the parts and the
// manifest as theme assets. The format is a data contract owned here:
// whatever reads the index back (export's single file) goes through
// ReadManifest, ReadPart and InlineScript, so a format change cannot
// silently drop search from another output.
package search
