// Package widgets turns fenced code blocks such as
//
//	```widget homa-ir
//	homa-b: true
//	cite: [simentalmendia2016]
//	```
//
// into interactive figures: a static, script-free explanation that a small
// classic script (assets/widgets/NAME.js) enhances into a calculator.
//
// Its place in the pipeline:
//
//   - resolve: an AST transformer (TransformerPriority 50, before the cite
//     transformer) replaces each widget block with a Node, decoding the
//     block's YAML into the widget's options. Built-in widgets (homa-ir)
//     have typed options, decoded strictly and checked; any other name
//     with a "widgets/NAME.html" template is a site widget whose options
//     arrive as map[string]any. Problems are reported at the exact line
//     of the YAML inside the chapter through package diag. Cite keys become
//     cite.Citation children, numbered with the chapter's other citations.
//     Used reads the widgets a page needs back from the parser context.
//   - render: the NodeRenderer executes the widget's template with Data.
//     For an EPUB (Extender.EPUB) the template gets Data.EPUB and leaves
//     out what only a script brings to life, writing well-formed XHTML,
//     and Data.Online links to the live widget on the published site
//     (WithPage); the widget's citations are EPUB noterefs.
//
// The built-in "calculator" widget is a whole calculator described in
// YAML; its options are a calc.Spec. The model (spec, units, checks,
// evaluation, the compiled form calculator.js runs) is package calc; this
// package decodes the block into it, reports calc's problems at their
// line in the chapter, cites each band's sources in its row
// (Node.CiteGroups) and renders templates/widgets/calculator.html with
// it. The
// shared vectors both evaluators are held to, testdata/calc_vectors.json,
// stay here beside calculator.js's browser test.
//
// The HOMA-IR widget computes through the same machinery: homa-ir.yaml is
// its spec, HOMAIR evaluates it with calc and homa-ir.js runs it through
// calculator.js's evaluator.
//
// A widget's id is xref.ReservedPrefix + NAME-N ("gb-homa-ir-1"): xref
// owns the page's ids, and under the reserved prefix no heading can take a
// widget's id or one its template derives. Shared links keep NAME-N.
//
// The HOMA-IR options live here (HOMAOptions, its bands and worked
// example), with HOMAIR, checked against the same test vectors as
// homa-ir.js, so the worked example in the static page and the calculator
// cannot drift apart. So do HOMA-IR's units (Unit): the template writes
// their factors and display decimals into data attributes from which
// homa-ir.js converts a value when a reader switches its unit, and
// ConvertText is the reference the shared vectors hold both to.
//
// gopkg.in/yaml.v3 is used because its Decoder rejects unknown fields
// (KnownFields) and its Node carries line and column numbers, which is
// what "error at the exact line" needs; it is already the project's YAML
// library.
package widgets
