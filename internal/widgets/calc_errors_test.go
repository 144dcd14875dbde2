package widgets

import (
	"strings"
	"testing"
)

// calcBase is a valid calculator; each case of TestCalcSpecErrors
// replaces one of its lines. In the chapter of the test, its line N is
// line N+3 (after "Text.", a blank line and the fence).
const calcBase = `caption: C
inputs:
  - id: x
    label: X
    units:
      - {id: u, label: U, factor: 1}
      - {id: k, label: K, factor: 1000}
    range: {min: 0, max: 10}
outputs:
  - id: y
    label: Y
    formula: x * 2
    bands:
      - {max: 1, label: low}
      - {min: 1, max: 2, label: mid}
      - {label: high}
example: {x: 1}
`

// TestCalcSpecErrors holds every kind of bad spec to an error at the
// exact line and column of what is wrong.
func TestCalcSpecErrors(t *testing.T) {
	md := newMarkdown(NewRegistry(testTemplates(t)), testBibliography(t))
	for _, c := range []struct {
		name, old, new, want string
	}{
		{"unknown name", "formula: x * 2", "formula: x * zz", "15:18: widget calculator: output y: formula: unknown name \"zz\""},
		{"syntax error", "formula: x * 2", "formula: x * (2 +", "15:22: widget calculator: output y: formula: the formula ends where"},
		{"unknown function", "formula: x * 2", "formula: pow(x, 2)", "15:14: widget calculator: output y: formula: unknown function \"pow\""},
		{"no eval, no properties", "formula: x * 2", `formula: "x.constructor"`, "15:16: widget calculator: output y: formula: \".\" is not a number"},
		{"wrong arity", "formula: x * 2", "formula: 1 + ln(x, 2)", "15:18: widget calculator: output y: formula: ln takes one value, not 2"},
		{"unit without factor", "- {id: k, label: K, factor: 1000}", "- {id: k, label: K}", "10:9: widget calculator: input x: unit k has no factor"},
		{"factor not above 0", "factor: 1000}", "factor: -1}", "10:35: widget calculator: input x: unit k: factor must be a number above 0"},
		{"overlapping bands", "- {min: 1, max: 2, label: mid}", "- {min: 0.5, max: 2, label: mid}", "18:15: widget calculator: output y: bands: this band (from 0.5) overlaps the one before"},
		{"unsorted bands", "- {max: 1, label: low}", "- {min: 3, max: 4, label: low}", "18:15: widget calculator: output y: bands: bands must be in ascending order (1.0 follows 3.0)"},
		{"band without max", "- {min: 1, max: 2, label: mid}", "- {min: 1, label: mid}", "18:9: widget calculator: output y: bands: every band but the last needs a max"},
		{"duplicate id", "  - id: y", "  - id: x", "13:9: widget calculator: output id \"x\" is already used"},
		{"bad id", "  - id: x", "  - id: X-1", "6:9: widget calculator: input id \"X-1\": use lowercase letters"},
		{"default unit", "    range: {min: 0, max: 10}", "    unit: mg\n    range: {min: 0, max: 10}", "11:11: widget calculator: input x: the default unit \"mg\" is not one of its units"},
		{"empty range", "range: {min: 0, max: 10}", "range: {min: 10, max: 0}", "11:12: widget calculator: range: min (10.0) must be below max (0.0)"},
		{"example out of range", "example: {x: 1}", "example: {x: 11}", "20:14: widget calculator: example: x 11 U: This X value is implausibly high"},
		{"example names no input", "example: {x: 1}", "example: {x: 1, q: 2}", "20:17: widget calculator: example: \"q\" is not an input"},
		{"unknown option", "    label: Y", "    label: Y\n    colour: red", "15:5: widget calculator: bad widget options: unknown option \"colour\""},
		{"undefined rule is a comparison", "    label: Y", "    label: Y\n    undefined: {when: x + 1, message: m}", "15:28: widget calculator: output y: undefined when: expected a comparison"},
		{"decimals", "    label: Y", "    label: Y\n    decimals: 40", "15:15: widget calculator: output y: decimals must be 0 to 10"},
		{"unknown message", "    range: {min: 0, max: 10}", "    range: {min: 0, max: 10}\n    messages: {oops: hi}", "12:16: widget calculator: input x: no message \"oops\""},
		{"constants differ between units", "- {id: k, label: K, factor: 1000}", "- {id: k, label: K, factor: 1000, constants: {c: 2}}", "10:52: widget calculator: input x: unit k must define the same constants as unit u (none)"},
		{"bad constant", "factor: 1000}", "factor: 1000 / 0}", "10:35: widget calculator: \"1000 / 0\" has no finite value"},
		// A type error names calc's types in words, as it did when they
		// were widgets'.
		{"range not a mapping", "range: {min: 0, max: 10}", "range: 5", "11:5: widget calculator: bad widget options: cannot use the number \"5\" as a mapping"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(calcBase, c.old) {
				t.Fatalf("base has no %q", c.old)
			}
			body := strings.Replace(calcBase, c.old, c.new, 1)
			_, errs, _ := convert(t, md, "Text.\n\n```widget calculator\n"+body+"```\n")
			if !strings.Contains(errs, "chapter.md:"+c.want) {
				t.Errorf("errors:\n%s\nwant chapter.md:%s", errs, c.want)
			}
		})
	}
	// The base itself is fine.
	if _, errs, _ := convert(t, md, "Text.\n\n```widget calculator\n"+calcBase+"```\n"); errs != "" {
		t.Fatal(errs)
	}
}
