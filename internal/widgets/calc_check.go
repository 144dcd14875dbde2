package widgets

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

// nodeAt follows keys (string) and indexes (int) from n, returning the
// deepest node found, so a problem inside a missing part is reported at
// the nearest part that exists.
func nodeAt(n *yaml.Node, path ...any) *yaml.Node {
	for _, p := range path {
		var next *yaml.Node
		switch k := p.(type) {
		case string:
			next = mapValue(n, k)
		case int:
			if n != nil && n.Kind == yaml.SequenceNode && k < len(n.Content) {
				next = n.Content[k]
			}
		}
		if next == nil {
			return n
		}
		n = next
	}
	return n
}

// mapKey returns the key node of key in a mapping, or the mapping.
func mapKey(m *yaml.Node, key string) *yaml.Node {
	if m != nil && m.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				return m.Content[i]
			}
		}
	}
	return m
}

// at builds a problem at a node shifted by col characters into a one-line
// scalar (a formula's column); quoted scalars start one column later.
func atCol(n *yaml.Node, col int, msg string) problem {
	if n == nil || n.Kind != yaml.ScalarNode || strings.Contains(n.Value, "\n") ||
		n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return problem{n, msg}
	}
	c := n.Column + col
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		c++
	}
	return problem{&yaml.Node{Line: n.Line, Column: c}, msg}
}

// emptyItems reports list items written empty (a "-" alone): YAML gives
// them as nil, which no later check could read.
func (c *CalcSpec) emptyItems(root *yaml.Node, add func(*yaml.Node, string, ...any)) {
	for i, in := range c.Inputs {
		if in == nil {
			add(nodeAt(root, "inputs", i), "inputs: item %d is empty; give its id, label and units", i+1)
			continue
		}
		for j, u := range in.Units {
			if u == nil {
				add(nodeAt(root, "inputs", i, "units", j), "input %s: unit %d is empty; give its id, label and factor", in.ID, j+1)
			}
		}
	}
	for i, o := range c.Outputs {
		if o == nil {
			add(nodeAt(root, "outputs", i), "outputs: item %d is empty; give its id, label and formula", i+1)
			continue
		}
		for j, b := range o.Bands {
			if b == nil {
				add(nodeAt(root, "outputs", i, "bands", j), "output %s: band %d is empty; give its label and range", o.ID, j+1)
			}
		}
	}
}

// check compiles the spec and reports every problem at its node.
func (c *CalcSpec) check(root *yaml.Node) []problem {
	var probs []problem
	add := func(n *yaml.Node, format string, args ...any) {
		probs = append(probs, problem{n, fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(c.Caption) == "" {
		add(nodeAt(root, "caption"), "caption: give the calculator a caption, such as \"TyG index calculator\"")
	}
	if len(c.Inputs) == 0 {
		add(nodeAt(root, "inputs"), "inputs: give at least one input")
	}
	if len(c.Outputs) == 0 {
		add(nodeAt(root, "outputs"), "outputs: give at least one output")
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
		at := func(path ...any) *yaml.Node { return nodeAt(root, append([]any{"inputs", i}, path...)...) }
		taken(in.ID, at("id"), "input")
		probs = append(probs, in.check(at, taken)...)
	}
	for i, out := range c.Outputs {
		at := func(path ...any) *yaml.Node { return nodeAt(root, append([]any{"outputs", i}, path...)...) }
		taken(out.ID, at("id"), "output")
	}
	if probs != nil {
		return probs
	}
	for i, out := range c.Outputs {
		at := func(path ...any) *yaml.Node { return nodeAt(root, append([]any{"outputs", i}, path...)...) }
		probs = append(probs, out.check(at, names)...)
	}
	if probs != nil {
		return probs
	}
	return c.checkExample(nodeAt(root, "example"))
}

func (in *CalcInput) check(at func(...any) *yaml.Node, taken func(string, *yaml.Node, string) bool) []problem {
	var probs []problem
	add := func(n *yaml.Node, format string, args ...any) {
		probs = append(probs, problem{n, fmt.Sprintf(format, args...)})
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
func (in *CalcInput) checkUnit(u *CalcUnit, uat func(...any) *yaml.Node) []problem {
	var probs []problem
	add := func(n *yaml.Node, format string, args ...any) {
		probs = append(probs, problem{n, fmt.Sprintf(format, args...)})
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
func (c *ConstExpr) eval() *problem {
	p, err := formula.Compile(c.Src, nil)
	if err != nil {
		e := err.(*formula.Error)
		pr := atCol(c.node, e.Column(c.Src), "bad number: "+e.Msg)
		return &pr
	}
	c.Value = p.Eval(nil)
	if math.IsNaN(c.Value) || math.IsInf(c.Value, 0) {
		return &problem{c.node, fmt.Sprintf("%q has no finite value", c.Src)}
	}
	return nil
}

func (r *CalcRange) check(n *yaml.Node) *problem {
	if r == nil || r.Min == nil || r.Max == nil || *r.Min < *r.Max {
		return nil
	}
	return &problem{n, fmt.Sprintf("range: min (%s) must be below max (%s)", fmt1(*r.Min), fmt1(*r.Max))}
}

func (o *CalcOutput) check(at func(...any) *yaml.Node, names map[string]bool) []problem {
	var probs []problem
	add := func(n *yaml.Node, format string, args ...any) {
		probs = append(probs, problem{n, fmt.Sprintf(format, args...)})
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
func (o *CalcOutput) checkBands(at func(int, string) *yaml.Node) []problem {
	var probs []problem
	add := func(n *yaml.Node, format string, args ...any) {
		probs = append(probs, problem{n, fmt.Sprintf("output %s: bands: ", o.ID) + fmt.Sprintf(format, args...)})
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
			add(at(i, "max"), "max (%s) must be above min (%s)", fmt1(r.hi), fmt1(r.lo))
		case i > 0 && r.lo < rs[i-1].lo:
			add(at(i, "min"), "bands must be in ascending order (%s follows %s)", fmt1(r.lo), fmt1(rs[i-1].lo))
		case i > 0 && r.lo < rs[i-1].hi:
			add(at(i, "min"), "this band (from %s) overlaps the one before, which runs to below %s", fmt1(r.lo), fmt1(rs[i-1].hi))
		}
	}
	return probs
}

// checkExample requires a plausible value for every input.
func (c *CalcSpec) checkExample(n *yaml.Node) []problem {
	if c.Example == nil {
		return nil
	}
	var probs []problem
	for _, id := range slices.Sorted(maps.Keys(c.Example)) {
		if c.input(id) == nil {
			probs = append(probs, problem{mapKey(n, id), fmt.Sprintf("example: %q is not an input", id)})
		}
	}
	for _, in := range c.Inputs {
		v, ok := c.Example[in.ID]
		if !ok {
			probs = append(probs, problem{n, fmt.Sprintf("example: give a value for %s", in.ID)})
			continue
		}
		if fe := in.checkValue(v, in.defaultUnit()); fe != nil {
			probs = append(probs, problem{mapValue(n, in.ID), fmt.Sprintf("example: %s %s %s: %s", in.ID, fmtNum(v), in.defaultUnit().Label, fe.Message)})
		}
	}
	return probs
}

func (c *CalcSpec) input(id string) *CalcInput {
	for _, in := range c.Inputs {
		if in.ID == id {
			return in
		}
	}
	return nil
}

// partCites are the bands' cite keys, each band its own group.
func (c *CalcSpec) partCites(root *yaml.Node) []citeRef {
	var refs []citeRef
	for i, o := range c.Outputs {
		for j, b := range o.Bands {
			for k, key := range b.Cite {
				n := nodeAt(root, "outputs", i, "bands", j, "cite", k)
				refs = append(refs, citeRef{key: strings.TrimPrefix(key, "@"), node: n, group: o.ID + "/" + strconv.Itoa(j)})
			}
		}
	}
	return refs
}
