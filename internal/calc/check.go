package calc

import (
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"guidebook/internal/formula"
)

var (
	// Input, output and constant ids are formula names and parts of HTML
	// ids and shared links, so they are plain.
	calcID = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	// Unit ids appear in shared links ("gu=mgdl") and <option> values.
	unitID = regexp.MustCompile(`^[A-Za-z0-9_]+$`)
)

// inputCodes are the codes whose messages an input may replace.
var inputCodes = []string{CodeEmpty, CodeNotANum, CodeNegative, CodeZero, CodeTooLow, CodeTooHigh, CodeUnit}

// emptyItems reports list items written empty (a "-" alone): YAML gives
// them as nil, which no later check could read.
func (c *Spec) emptyItems(root *yaml.Node, add func(*yaml.Node, string, ...any)) {
	for i, in := range c.Inputs {
		if in == nil {
			add(At(root, "inputs", i), "inputs: item %d is empty; give its id, label and units", i+1)
			continue
		}
		for j, u := range in.Units {
			if u == nil {
				add(At(root, "inputs", i, "units", j), "input %s: unit %d is empty; give its id, label and factor", in.ID, j+1)
			}
		}
	}
	for i, o := range c.Outputs {
		if o == nil {
			add(At(root, "outputs", i), "outputs: item %d is empty; give its id, label and formula", i+1)
			continue
		}
		for j, b := range o.Bands {
			if b == nil {
				add(At(root, "outputs", i, "bands", j), "output %s: band %d is empty; give its label and range", o.ID, j+1)
			}
		}
	}
}

// Check compiles the spec and reports every problem at its YAML node
// (root is the spec's mapping, nil for an empty one). A spec is usable
// only once Check has returned no problems: it works out the constants
// and compiles the formulas that Compute and JSON run.
func (c *Spec) Check(root *yaml.Node) []Problem {
	var probs []Problem
	add := func(n *yaml.Node, format string, args ...any) {
		probs = append(probs, Problem{n, fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(c.Caption) == "" {
		add(At(root, "caption"), "caption: give the calculator a caption, such as \"TyG index calculator\"")
	}
	if len(c.Inputs) == 0 {
		add(At(root, "inputs"), "inputs: give at least one input")
	}
	if len(c.Outputs) == 0 {
		add(At(root, "outputs"), "outputs: give at least one output")
	}
	c.emptyItems(root, add)
	if probs != nil {
		return probs
	}
	names := map[string]bool{}
	taken := func(id string, n *yaml.Node, what string) bool {
		switch {
		case !calcID.MatchString(id):
			add(n, "%s id %q: use lowercase letters, digits and _, starting with a letter", what, id)
		case formula.IsFunc(id):
			add(n, "%s id %q is the name of a function", what, id)
		case names[id]:
			add(n, "%s id %q is already used by an earlier input, output or constant", what, id)
		default:
			names[id] = true
			return false
		}
		return true
	}
	for i, in := range c.Inputs {
		at := func(path ...any) *yaml.Node { return At(root, append([]any{"inputs", i}, path...)...) }
		taken(in.ID, at("id"), "input")
		probs = append(probs, in.check(at, taken)...)
	}
	for i, out := range c.Outputs {
		at := func(path ...any) *yaml.Node { return At(root, append([]any{"outputs", i}, path...)...) }
		taken(out.ID, at("id"), "output")
	}
	if probs != nil {
		return probs
	}
	for i, out := range c.Outputs {
		at := func(path ...any) *yaml.Node { return At(root, append([]any{"outputs", i}, path...)...) }
		probs = append(probs, out.check(at, names)...)
	}
	if probs != nil {
		return probs
	}
	return c.checkExample(At(root, "example"))
}

func (in *Input) check(at func(...any) *yaml.Node, taken func(string, *yaml.Node, string) bool) []Problem {
	var probs []Problem
	add := func(n *yaml.Node, format string, args ...any) {
		probs = append(probs, Problem{n, fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(in.Label) == "" {
		add(at("label"), "input %s: give it a label", in.ID)
	}
	for _, code := range slices.Sorted(maps.Keys(in.Messages)) {
		if !slices.Contains(inputCodes, code) {
			add(mapKey(at("messages"), code), "input %s: no message %q; the messages are %s", in.ID, code, strings.Join(inputCodes, ", "))
		}
	}
	if len(in.Units) == 0 {
		add(at("units"), "input %s: give at least one unit (the base unit with factor: 1)", in.ID)
		return probs
	}
	seen := map[string]bool{}
	var constNames []string
	for j, u := range in.Units {
		uat := func(path ...any) *yaml.Node { return at(append([]any{"units", j}, path...)...) }
		switch {
		case !unitID.MatchString(u.ID):
			add(uat("id"), "input %s: unit id %q: use letters, digits and _ (it appears in shared links)", in.ID, u.ID)
		case seen[u.ID]:
			add(uat("id"), "input %s: unit %q is listed twice", in.ID, u.ID)
		}
		seen[u.ID] = true
		probs = append(probs, in.checkUnit(u, uat)...)
		var cn []string
		for name := range u.Constants {
			cn = append(cn, name)
		}
		sort.Strings(cn)
		if j == 0 {
			constNames = cn
			for _, name := range cn {
				taken(name, mapKey(uat("constants"), name), "constant")
			}
		} else if strings.Join(cn, ",") != strings.Join(constNames, ",") {
			list := strings.Join(constNames, ", ")
			if list == "" {
				list = "none"
			}
			add(uat("constants"), "input %s: unit %s must define the same constants as unit %s (%s)", in.ID, u.ID, in.Units[0].ID, list)
		}
	}
	if in.Decimals != nil && (*in.Decimals < 0 || *in.Decimals > maxDecimals) {
		add(at("decimals"), "input %s: decimals must be 0 to %d", in.ID, maxDecimals)
	}
	if in.Unit != "" && in.unit(in.Unit) == nil {
		add(at("unit"), "input %s: the default unit %q is not one of its units", in.ID, in.Unit)
	}
	if p := in.Range.check(at("range")); p != nil {
		probs = append(probs, *p)
	}
	return probs
}

// checkUnit checks one unit and works out its numbers.
func (in *Input) checkUnit(u *Unit, uat func(...any) *yaml.Node) []Problem {
	var probs []Problem
	add := func(n *yaml.Node, format string, args ...any) {
		probs = append(probs, Problem{n, fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(u.Label) == "" {
		add(uat("label"), "input %s: unit %s needs a label, such as mg/dL", in.ID, u.ID)
	}
	if u.Factor == nil {
		add(uat(), "input %s: unit %s has no factor: say how many base units one %s is (factor: 1 for the base unit)", in.ID, u.ID, u.ID)
	} else if p := u.Factor.eval(); p != nil {
		probs = append(probs, *p)
	} else if !(u.Factor.Value > 0) || math.IsInf(u.Factor.Value, 0) {
		add(u.Factor.node, "input %s: unit %s: factor must be a number above 0", in.ID, u.ID)
	}
	if u.Offset != nil {
		if p := u.Offset.eval(); p != nil {
			probs = append(probs, *p)
		}
	}
	if u.Decimals != nil && (*u.Decimals < 0 || *u.Decimals > maxDecimals) {
		add(uat("decimals"), "input %s: unit %s: decimals must be 0 to %d", in.ID, u.ID, maxDecimals)
	}
	if p := u.Range.check(uat("range")); p != nil {
		probs = append(probs, *p)
	}
	for _, name := range slices.Sorted(maps.Keys(u.Constants)) {
		if p := u.Constants[name].eval(); p != nil {
			probs = append(probs, *p)
		}
	}
	return probs
}

// eval works out a constant, or reports why it cannot.
func (c *ConstExpr) eval() *Problem {
	p, err := formula.Compile(c.Src, nil)
	if err != nil {
		e := err.(*formula.Error)
		pr := atCol(c.node, e.Column(c.Src), "bad number: "+e.Msg)
		return &pr
	}
	c.Value = p.Eval(nil)
	if math.IsNaN(c.Value) || math.IsInf(c.Value, 0) {
		return &Problem{c.node, fmt.Sprintf("%q has no finite value", c.Src)}
	}
	return nil
}

func (r *Range) check(n *yaml.Node) *Problem {
	if r == nil || r.Min == nil || r.Max == nil || *r.Min < *r.Max {
		return nil
	}
	return &Problem{n, fmt.Sprintf("range: min (%s) must be below max (%s)", FormatCutoff(*r.Min), FormatCutoff(*r.Max))}
}

func (o *Output) check(at func(...any) *yaml.Node, names map[string]bool) []Problem {
	var probs []Problem
	add := func(n *yaml.Node, format string, args ...any) {
		probs = append(probs, Problem{n, fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(o.Label) == "" {
		add(at("label"), "output %s: give it a label", o.ID)
	}
	if o.Decimals != nil && (*o.Decimals < 0 || *o.Decimals > maxDecimals) {
		add(at("decimals"), "output %s: decimals must be 0 to %d", o.ID, maxDecimals)
	}
	if strings.TrimSpace(o.Formula) == "" {
		add(at("formula"), "output %s: give its formula, such as glucose * insulin / 405", o.ID)
	} else if p, err := formula.Compile(o.Formula, names); err != nil {
		e := err.(*formula.Error)
		probs = append(probs, atCol(at("formula"), e.Column(o.Formula), "output "+o.ID+": formula: "+e.Msg))
	} else {
		o.program = p
	}
	if u := o.Undefined; u != nil {
		if p, err := formula.CompileCondition(u.When, names); err != nil {
			e := err.(*formula.Error)
			probs = append(probs, atCol(at("undefined", "when"), e.Column(u.When), "output "+o.ID+": undefined when: "+e.Msg))
		} else {
			u.program = p
		}
		if strings.TrimSpace(u.Message) == "" {
			add(at("undefined", "message"), "output %s: undefined: give the message a reader sees", o.ID)
		}
	}
	return append(probs, o.checkBands(func(i int, key string) *yaml.Node { return at("bands", i, key) })...)
}

// checkBands holds bands to ascending, non-overlapping ranges.
func (o *Output) checkBands(at func(int, string) *yaml.Node) []Problem {
	var probs []Problem
	add := func(n *yaml.Node, format string, args ...any) {
		probs = append(probs, Problem{n, fmt.Sprintf("output %s: bands: ", o.ID) + fmt.Sprintf(format, args...)})
	}
	rs := o.bandRanges()
	for i, r := range rs {
		last := i == len(rs)-1
		if strings.TrimSpace(r.Label) == "" {
			add(at(i, "label"), "every band needs a label")
		}
		switch {
		case r.Max == nil && !last:
			add(at(i, "max"), "every band but the last needs a max")
		case r.lo >= r.hi:
			add(at(i, "max"), "max (%s) must be above min (%s)", FormatCutoff(r.hi), FormatCutoff(r.lo))
		case i > 0 && r.lo < rs[i-1].lo:
			add(at(i, "min"), "bands must be in ascending order (%s follows %s)", FormatCutoff(r.lo), FormatCutoff(rs[i-1].lo))
		case i > 0 && r.lo < rs[i-1].hi:
			add(at(i, "min"), "this band (from %s) overlaps the one before, which runs to below %s", FormatCutoff(r.lo), FormatCutoff(rs[i-1].hi))
		}
	}
	return probs
}

// checkExample requires a plausible value for every input.
func (c *Spec) checkExample(n *yaml.Node) []Problem {
	if c.Example == nil {
		return nil
	}
	var probs []Problem
	for _, id := range slices.Sorted(maps.Keys(c.Example)) {
		if c.Input(id) == nil {
			probs = append(probs, Problem{mapKey(n, id), fmt.Sprintf("example: %q is not an input", id)})
		}
	}
	for _, in := range c.Inputs {
		v, ok := c.Example[in.ID]
		if !ok {
			probs = append(probs, Problem{n, fmt.Sprintf("example: give a value for %s", in.ID)})
			continue
		}
		if fe := in.checkValue(v, in.defaultUnit()); fe != nil {
			probs = append(probs, Problem{MapValue(n, in.ID), fmt.Sprintf("example: %s %s %s: %s", in.ID, fmtNum(v), in.defaultUnit().Label, fe.Message)})
		}
	}
	return probs
}

// Input is the input of that id, or nil.
func (c *Spec) Input(id string) *Input {
	for _, in := range c.Inputs {
		if in.ID == id {
			return in
		}
	}
	return nil
}

// BandCite is a key a band cites, with the YAML scalar it is written in.
// Group names the band ("OUTPUT/N", N counting from 0), so the widget
// cites each band's sources in that band's row.
type BandCite struct {
	Key   string
	Node  *yaml.Node
	Group string
}

// BandCites are the bands' cite keys, each band its own group.
func (c *Spec) BandCites(root *yaml.Node) []BandCite {
	var refs []BandCite
	for i, o := range c.Outputs {
		for j, b := range o.Bands {
			for k, key := range b.Cite {
				n := At(root, "outputs", i, "bands", j, "cite", k)
				refs = append(refs, BandCite{Key: strings.TrimPrefix(key, "@"), Node: n, Group: o.ID + "/" + strconv.Itoa(j)})
			}
		}
	}
	return refs
}
