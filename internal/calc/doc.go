// Package calc is the calculator model: a declarative calculator spec
// (Spec: inputs with units and plausible ranges, outputs with formulas,
// undefined rules and bands, a worked example), its checks, unit
// conversion, and its evaluation.
//
// A spec arrives as YAML, the body of a "widget calculator" block or the
// shipped homa-ir.yaml. It decodes strictly into Spec; Check then works
// out the constants, compiles every formula (package formula) to a
// Program in reverse Polish notation and reports each problem at its
// YAML node (Problem), a formula's at its character. Compute evaluates
// the Programs for values as a reader types them, and everything the
// page shows is derived from the same model: the worked example
// (WorkedExample), the script-free descriptions (BandRows, UnitsText,
// Describe) and JSON, the compiled form calculator.js runs with a fixed
// switch over the operators, never evaluating text. Go and the script are
// held to one set of test vectors (internal/widgets/testdata/
// calc_vectors.json, where calculator.js names it).
//
// It is apart from package widgets because three things share it: the
// Go checks and worked example of a build, the EPUB's script-free form,
// and calculator.js (through JSON). None of them needs goldmark, so the
// model can be read, tested and changed without the Markdown extension,
// which only finds the blocks, reports the problems in the chapter and
// renders the templates. It imports gopkg.in/yaml.v3 for the positions
// of problems (yaml.Node carries line and column) and ConstExpr's
// decoding.
package calc
