package calc

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"guidebook/internal/formula"
)

// Outcome is one output as a reader sees it: Text and Band, or, when
// it cannot be shown, Code (CodeUndefined, CodeNoValue) and Message.
type Outcome struct {
	Value         float64
	Text, Band    string
	Code, Message string
}

// Result is a calculator's state for some typed values. Errors holds
// the invalid inputs by id; Outputs is empty unless every input is valid.
type Result struct {
	Errors  map[string]*FieldError
	Outputs map[string]Outcome
	// Base is each valid input's value in its base unit.
	Base map[string]float64
}

// OK reports whether every input was valid.
func (r Result) OK() bool { return len(r.Errors) == 0 }

// checkValue is the range check of a number entered in unit u. A value
// below the range says "negative" or "zero" when the range starts above
// those, as readers understand that better than "implausibly low".
func (in *Input) checkValue(v float64, u *Unit) *FieldError {
	lo, hi := in.rangeIn(u)
	code := ""
	switch {
	case math.IsNaN(v):
		code = CodeNotANum
	case v < lo && v < 0 && lo >= 0:
		code = CodeNegative
	case v < lo && v == 0 && lo > 0:
		code = CodeZero
	case v < lo:
		code = CodeTooLow
	case v > hi:
		code = CodeTooHigh
	default:
		return nil
	}
	return &FieldError{Field: in.ID, Code: code, Message: in.Message(code)}
}

// readInput parses an input's text in the unit of that id, giving its
// value in the base unit.
func (in *Input) readInput(text, unit string) (base float64, u *Unit, fe *FieldError) {
	v, err := ParseNumber(text)
	if err != nil {
		return 0, nil, &FieldError{Field: in.ID, Code: err.Error(), Message: in.Message(err.Error())}
	}
	return in.readValue(v, unit)
}

// readValue is readInput for a number already parsed.
func (in *Input) readValue(v float64, unit string) (base float64, u *Unit, fe *FieldError) {
	if u = in.unit(unit); u == nil {
		return 0, nil, &FieldError{Field: in.ID, Code: CodeUnit, Message: in.Message(CodeUnit)}
	}
	if fe := in.checkValue(v, u); fe != nil {
		return 0, nil, fe
	}
	return u.toBase(v), u, nil
}

// Compute evaluates the calculator for values as typed (texts) in units,
// both by input id; a missing unit means the input's default.
func (c *Spec) Compute(texts, units map[string]string) Result {
	return c.compute(units, func(in *Input, unit string) (float64, *Unit, *FieldError) {
		return in.readInput(texts[in.ID], unit)
	})
}

// ComputeValues is Compute for numbers already parsed.
func (c *Spec) ComputeValues(values map[string]float64, units map[string]string) Result {
	return c.compute(units, func(in *Input, unit string) (float64, *Unit, *FieldError) {
		return in.readValue(values[in.ID], unit)
	})
}

func (c *Spec) compute(units map[string]string, read func(*Input, string) (float64, *Unit, *FieldError)) Result {
	res := Result{Errors: map[string]*FieldError{}, Outputs: map[string]Outcome{}, Base: map[string]float64{}}
	env := map[string]float64{}
	for _, in := range c.Inputs {
		unit, ok := units[in.ID]
		if !ok {
			unit = in.defaultUnit().ID
		}
		base, u, fe := read(in, unit)
		if fe != nil {
			res.Errors[in.ID] = fe
			continue
		}
		env[in.ID] = base
		res.Base[in.ID] = base
		for name, v := range u.Constants {
			env[name] = v.Value
		}
	}
	if !res.OK() {
		return res
	}
	for _, o := range c.Outputs {
		res.Outputs[o.ID] = o.outcome(env)
	}
	return res
}

func (o *Output) outcome(env map[string]float64) Outcome {
	if u := o.Undefined; u != nil && u.program.Eval(env) == 1 {
		return Outcome{Code: CodeUndefined, Message: u.Message}
	}
	v := o.program.Eval(env)
	r := roundHalfUp(v, o.decimals())
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(r) >= maxShown {
		return Outcome{Value: v, Code: CodeNoValue, Message: NoValueMessage}
	}
	return Outcome{Value: v, Text: FormatFixed(v, o.decimals()), Band: o.BandFor(r)}
}

// ConvertInput is what switching an input's unit does to the text in it
// (widgets.ConvertText for HOMA-IR): a value valid and plausible in the old
// unit is converted and written with the new unit's decimals, trailing
// zeros dropped; anything else is left as it is (ok false).
func (c *Spec) ConvertInput(id, text, from, to string) (shown string, exact float64, ok bool) {
	in := c.Input(id)
	if in == nil || in.unit(to) == nil {
		return text, 0, false
	}
	base, u, fe := in.readInput(text, from)
	if fe != nil {
		return text, 0, false
	}
	if u.ID == to {
		return text, base, false
	}
	t := in.unit(to)
	exact = t.fromBase(base)
	return fmtNum(roundHalfUp(exact, in.decimals(t))), exact, true
}

// fmtNum writes a number as briefly as it round-trips, like JavaScript's
// String(n) for the magnitudes a calculator sees.
func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// Example is the worked example as the page shows it.
type Example struct {
	Inputs  []ExampleInput
	Outputs []ExampleOutput
}

// ExampleInput is one input of the worked example.
type ExampleInput struct{ Label, Value, Unit string }

// ExampleOutput is one output of the worked example.
type ExampleOutput struct {
	Label, Text, Unit, Band, Message string
}

// WorkedExample computes the example through Compute, the code the
// conformance vectors hold to the script's; nil when there is none.
func (c *Spec) WorkedExample() *Example {
	if c.Example == nil {
		return nil
	}
	texts := map[string]string{}
	ex := &Example{}
	for _, in := range c.Inputs {
		texts[in.ID] = fmtNum(c.Example[in.ID])
		ex.Inputs = append(ex.Inputs, ExampleInput{lowerFirst(in.Label), texts[in.ID], in.defaultUnit().Label})
	}
	r := c.Compute(texts, nil)
	for _, o := range c.Outputs {
		oc := r.Outputs[o.ID]
		ex.Outputs = append(ex.Outputs, ExampleOutput{Label: o.Label, Text: oc.Text, Unit: o.Unit, Band: oc.Band, Message: oc.Message})
	}
	return ex
}

// calcJSON is what calculator.js reads from the figure's data-calc.
type calcJSON struct {
	Inputs  []inputJSON  `json:"inputs"`
	Outputs []outputJSON `json:"outputs"`
}

type inputJSON struct {
	ID       string            `json:"id"`
	Unit     string            `json:"unit"`
	Units    []unitJSON        `json:"units"`
	Messages map[string]string `json:"messages"`
}

type unitJSON struct {
	ID        string             `json:"id"`
	Label     string             `json:"label"`
	Factor    float64            `json:"factor"`
	Offset    float64            `json:"offset"`
	Decimals  int                `json:"decimals"`
	Min       *float64           `json:"min"`
	Max       *float64           `json:"max"`
	Constants map[string]float64 `json:"constants"`
}

type outputJSON struct {
	ID        string          `json:"id"`
	Program   formula.Program `json:"program"`
	Decimals  int             `json:"decimals"`
	Unit      string          `json:"unit"`
	Undefined *undefJSON      `json:"undefined,omitempty"`
	Bands     []bandJSON      `json:"bands"`
	NoValue   string          `json:"noValue"`
}

type undefJSON struct {
	When    formula.Program `json:"when"`
	Message string          `json:"message"`
}

type bandJSON struct {
	Min   *float64 `json:"min"`
	Max   *float64 `json:"max"`
	Label string   `json:"label"`
}

// finite is v as a JSON bound: nil for an open end.
func finite(v float64) *float64 {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return nil
	}
	return &v
}

// JSON is the compiled calculator for calculator.js: every unit's range
// already in that unit, every formula a Program, every message written
// out, so the script has nothing to work out but the arithmetic.
func (c *Spec) JSON() string {
	var cj calcJSON
	for _, in := range c.Inputs {
		ij := inputJSON{ID: in.ID, Unit: in.defaultUnit().ID, Messages: map[string]string{}}
		for _, code := range inputCodes {
			ij.Messages[code] = in.Message(code)
		}
		for _, u := range in.Units {
			lo, hi := in.rangeIn(u)
			uj := unitJSON{ID: u.ID, Label: u.Label, Factor: u.Factor.Value, Offset: u.offset(), Decimals: in.decimals(u),
				Min: finite(lo), Max: finite(hi), Constants: map[string]float64{}}
			for name, v := range u.Constants {
				uj.Constants[name] = v.Value
			}
			ij.Units = append(ij.Units, uj)
		}
		cj.Inputs = append(cj.Inputs, ij)
	}
	for _, o := range c.Outputs {
		oj := outputJSON{ID: o.ID, Program: o.program, Decimals: o.decimals(), Unit: o.Unit, NoValue: NoValueMessage, Bands: []bandJSON{}}
		if u := o.Undefined; u != nil {
			oj.Undefined = &undefJSON{When: u.program, Message: u.Message}
		}
		for _, b := range o.bandRanges() {
			oj.Bands = append(oj.Bands, bandJSON{Min: finite(b.lo), Max: finite(b.hi), Label: b.Label})
		}
		cj.Outputs = append(cj.Outputs, oj)
	}
	b, err := json.Marshal(cj)
	if err != nil {
		panic(err) // every number in it is finite
	}
	return string(b)
}

// BandRows describes an output's bands in words for the static table.
func (o *Output) BandRows() []BandRow {
	rows := make([]BandRow, 0, len(o.Bands))
	for _, b := range o.bandRanges() {
		var r string
		switch lo, hi := !math.IsInf(b.lo, -1), !math.IsInf(b.hi, 1); {
		case !lo && !hi:
			r = "any value"
		case !lo:
			r = "below " + FormatCutoff(b.hi)
		case !hi:
			r = FormatCutoff(b.lo) + " or above"
		default:
			r = FormatCutoff(b.lo) + " to below " + FormatCutoff(b.hi)
		}
		rows = append(rows, BandRow{Range: r, Label: b.Label})
	}
	return rows
}

// FormulaText is the output's formula as the script-free page shows it:
// the Program written back with × and ÷.
func (o *Output) FormulaText() string {
	r := strings.NewReplacer(" * ", " × ", " / ", " ÷ ", " - ", " − ")
	return r.Replace(o.Formula)
}

// UnitsText lists an input's units with their factors for the static
// page ("mmol/L = 18.016 mg/dL").
func (in *Input) UnitsText() string {
	base := in.baseLabel()
	if base == "" || len(in.Units) < 2 {
		return ""
	}
	var parts []string
	for _, u := range in.Units {
		if u.Label == base {
			continue
		}
		s := "1 " + u.Label + " = " + fmtNum(roundHalfUp(u.Factor.Value, 6)) + " " + base
		if u.Factor.Value < 1 {
			s = "1 " + base + " = " + fmtNum(roundHalfUp(1/u.Factor.Value, 6)) + " " + u.Label
		}
		if o := roundHalfUp(u.offset(), 6); o != 0 {
			sign := " + "
			if o < 0 {
				sign, o = " − ", -o
			}
			s = base + " = " + u.Label + " × " + fmtNum(roundHalfUp(u.Factor.Value, 6)) + sign + fmtNum(o)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// baseLabel is the label of the input's base unit (factor 1, no offset),
// or "" when none of its units is the base.
func (in *Input) baseLabel() string {
	for _, u := range in.Units {
		if u.Factor.Value == 1 && u.offset() == 0 {
			return u.Label
		}
	}
	return ""
}

// Describe says what an input's name means in a formula, for the
// script-free page ("fasting glucose in mg/dL").
func (in *Input) Describe() string {
	if b := in.baseLabel(); b != "" {
		return lowerFirst(in.Label) + " in " + b
	}
	return lowerFirst(in.Label) + " in its base unit"
}

// DefaultUnitID is the id of the unit selected at first.
func (in *Input) DefaultUnitID() string { return in.defaultUnit().ID }

// InputIDs lists the element ids of the inputs under a widget id, for an
// <output>'s for attribute.
func (c *Spec) InputIDs(widgetID string) string {
	ids := make([]string, len(c.Inputs))
	for i, in := range c.Inputs {
		ids[i] = widgetID + "-in-" + in.ID
	}
	return strings.Join(ids, " ")
}
