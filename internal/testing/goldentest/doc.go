// Package goldentest holds the golden-file format shared by the tests of
// guidebook's goldmark extensions (cite, glossary, widgets), and the runner
// that checks a package's testdata/*.txt files against its renderer.
//
// It sits beside the pipeline, not in it: each extension renders Markdown
// to HTML in the render stage, and its golden files pin that output and the
// problems it reports. The three packages used to carry their own copies of
// the reader, writer and runner, which drifted apart in small ways
// (separators, trailing newlines, preambles); one format keeps the files
// alike and lets -update behave the same everywhere. It uses the standard
// library only.
//
// A file is an optional preamble (free text before the first case) and then
// cases, separated by one blank line:
//
//	=== name
//	--- options     (optional: "key: value" lines)
//	--- markdown
//	--- html
//	--- errors      (optional: expected problems, one per line)
//
// Every section runs to the next "--- " or "=== " line. A line in a case
// that starts with "--- " must name one of the sections above.
package goldentest
