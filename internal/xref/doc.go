// Package xref turns the links between chapters into checked, output-relative
// URLs. It is a goldmark extension (a `[[chapter#heading|label]]` wikilink
// parser and a transformer that records every link with its source offset)
// plus a resolver that runs once all chapters are parsed, because a link's
// target heading lives in another chapter's tree.
//
// It also owns heading ids, the anchors links point at: their slug, their
// de-duplication, and which ids are reserved for guidebook's own markup
// (Reserved, ReservedPrefix); other packages ask it rather than keep
// their own list.
//
// goldmark-wikilink would have been the library of choice for the `[[…]]`
// syntax, but the module proxy this project builds from does not serve it;
// the parser here is small and follows the same shape (node, parser,
// renderer, extender).
package xref
