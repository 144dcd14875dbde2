// Package outdir decides which folders and files guidebook may replace.
//
// A build replaces its output folder as a whole (internal/site writes a
// sibling and swaps it in), and an export writes its zip and single file
// over whatever has their names. Both are only safe on things guidebook
// owns, so every writer asks this package first:
//
//   - CheckDir: an output folder may be replaced when it is missing,
//     empty, or holds the Marker file every build writes into it. Force
//     overrides only that rule. The file-system root, the home folder,
//     the site folder, any folder holding one of them, and anything
//     inside the site's content/, templates/ or assets/ are refused
//     always, compared as real paths (symbolic links resolved), not as
//     spellings.
//   - CheckFile: an export file may be written anywhere but inside the
//     site's source folders, and over an existing file only when that
//     file carries guidebook's mark (ZipComment for archives, EPUBComment
//     for EPUBs, SingleFileGenerator for the single HTML file) or with
//     Force.
//   - Lock: one build at a time per output folder. The build holding it
//     owns the folder's hidden siblings: its stage (StagePrefix) and the
//     previous output moved aside for deletion (OldPrefix).
//   - Manifest: what a build wrote into its folder (ManifestName, beside
//     the Marker), so that the next build can link what it would write
//     again; Untouched tells a file as the build left it from a changed
//     one.
//
// A refusal wraps ErrRefused and a held lock ErrBusy, so the command line
// can tell them from a failed build: nothing was touched.
package outdir
