// Package glossary marks glossary terms in chapter text: the first time a
// chapter mentions "insulin resistance" the reader gets a link to the
// glossary entry and a tooltip with its definition.
//
// Place in the pipeline (load -> resolve -> render -> write): content loads
// the terms (glossary.yaml and front matter) and New validates and indexes
// them once per build. During each chapter's parse the Extender resolves:
// an inline parser reads explicit [[term:Name|text]] marks and an AST
// transformer finds the first use of every other term in the prose. The
// NodeRenderer writes the "Glossary term use" markup, and Uses hands the
// marked terms to the glossary page for its back-links. For an EPUB
// (Extender.Notes) a use is instead a noteref to a footnote aside that
// the transformer appends to the chapter (TermNotes), which reading
// systems show as a pop-up. Nothing here knows
// about files or pages: the caller supplies the href of an entry through
// Extender.Href.
//
// # Matching
//
// One Aho–Corasick automaton holds every name, alias and simple plural
// (term+"s", term+"es", y -> "ies"), lower-cased, so a chapter is scanned in
// time linear in its length however large the glossary grows. Case folding
// maps each rune to its lower case only when both encode to the same number
// of bytes, so offsets in the folded text are offsets in the source and no
// position table is needed.
//
// The automaton is github.com/coregx/ahocorasick (MIT, no dependencies):
// its FindAllOverlapping reports every occurrence of every pattern in
// O(text + matches) from a fully resolved DFA in one flat table, one
// lookup per byte. It replaced github.com/petar-dambovaliev/aho-corasick,
// whose overlapping iterator made several interface calls per byte and
// an allocation per match, and was the larger part of the glossary's
// cost in a cold build (bench/README.md, "Cold CPU");
// TestAutomatonFindsEveryOccurrence checks its overlapping search
// against a direct search of every key. Leftmost-longest or whole-word
// options in the library would not fit anyway: a Unicode-aware word
// test must run before leftmost-longest selection, or a rejected long
// match would hide a valid shorter one at the same place. The package
// therefore takes all overlapping matches, keeps those on Unicode word
// boundaries and picks leftmost-longest itself.
//
// Word boundaries: letters, digits and combining marks are word
// characters; an apostrophe (' or ’) between two letters is part of the word,
// so "AMPK" is not found in "l’AMPK" or "AMPK’x", but the possessive
// "insulin’s" marks "insulin" and leaves "’s" outside the link.
//
// Only the first use of a term in a document is marked, in reading order
// (after goldmark's footnote transformer has moved the footnotes to the
// end). The longest match owns its text even when its term is already
// used, so a second "AMPK activation" never yields a nested "AMPK". A term
// the author marked explicitly anywhere in the chapter is never marked
// automatically there; the first explicit mark carries the tooltip and
// later explicit marks render as plain links, so ids stay unique. Text is
// matched within one goldmark Text node: a multi-word term broken across a
// soft line break is found at its next unbroken occurrence instead.
package glossary
