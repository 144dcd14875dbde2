// Package benchbook writes synthetic books for benchmarks: N chapters of
// Markdown shaped like the shipped guide (headings, long paragraphs, GFM
// tables, code blocks, glossary terms used throughout, citations,
// cross-links between chapters and a HOMA-IR calculator every 20 chapters),
// with a 200-term glossary.yaml and a 500-entry references.bib.
//
// It sits outside the pipeline (load -> resolve -> render -> write): it
// only produces input for it. The same chapters can be written as a
// minimal Hugo site (plain Markdown, Hugo front matter, a three-file layout
// and no theme) so that bench/compare.sh times both generators on the same
// text and the same number of pages.
//
// Output is a pure function of (n, Options): a seeded math/rand/v2 PCG
// source drives every choice, so two runs write byte-identical books and
// benchmark numbers from different machines describe the same input.
// No third-party library is used.
package benchbook
