package calc

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"guidebook/internal/formula"
)

// Spec is a declarative calculator: the options of the built-in
// "calculator" widget (and, from the shipped homa-ir.yaml, the numbers of
// the homa-ir one). YAML decodes into it strictly; Check then compiles
// its formulas and checks what decoding cannot see, each problem at its
// YAML node.
type Spec struct {
	Caption    string    `yaml:"caption"`
	Disclaimer string    `yaml:"disclaimer"`
	Cite       []string  `yaml:"cite"`
	Inputs     []*Input  `yaml:"inputs"`
	Outputs    []*Output `yaml:"outputs"`
	// Example gives a value for every input, in its default unit; the
	// build works the outputs for it into the page.
	Example map[string]float64 `yaml:"example"`
}

// Input is one value the reader enters.
type Input struct {
	ID    string  `yaml:"id"`
	Label string  `yaml:"label"`
	Units []*Unit `yaml:"units"`
	// Unit is the id of the unit selected at first (default: the first).
	Unit string `yaml:"unit"`
	// Range is the plausible range in the base unit (a unit's own range,
	// as entered, replaces it for that unit).
	Range *Range `yaml:"range"`
	// Decimals is how many decimals a converted value shows in a unit
	// that does not say (default 2).
	Decimals *int `yaml:"decimals"`
	// Messages replace the default message of a code (CodeEmpty, ...).
	Messages map[string]string `yaml:"messages"`
}

// Unit is one unit an input can be entered in: Factor and Offset
// take a value in it to the input's base unit (base = value × factor +
// offset); the base unit has factor 1.
type Unit struct {
	ID     string     `yaml:"id"`
	Label  string     `yaml:"label"`
	Factor *ConstExpr `yaml:"factor"`
	Offset *ConstExpr `yaml:"offset"`
	// Decimals is how many decimals a value converted into this unit
	// shows (trailing zeros dropped).
	Decimals *int `yaml:"decimals"`
	// Range is a plausible range as entered in this unit, for when
	// laboratories state bounds per unit (HOMA-IR's 20 mg/dL and 1.1
	// mmol/L are not quite the same glucose).
	Range *Range `yaml:"range"`
	// Constants are names a formula may use whose value depends on the
	// unit chosen: laboratories divide glucose × insulin by 405 for
	// mg/dL and by 22.5 for mmol/L, which no single base unit reproduces.
	Constants map[string]*ConstExpr `yaml:"constants"`
}

// Range is an inclusive plausible range; either end may be left out.
type Range struct {
	Min *float64 `yaml:"min"`
	Max *float64 `yaml:"max"`
}

// Output is one computed value.
type Output struct {
	ID       string `yaml:"id"`
	Label    string `yaml:"label"`
	Formula  string `yaml:"formula"`
	Decimals *int   `yaml:"decimals"`
	// Unit is written after the value ("%").
	Unit      string     `yaml:"unit"`
	Undefined *Undefined `yaml:"undefined"`
	Bands     []*Band    `yaml:"bands"`

	program formula.Program
}

// Undefined says when an output has no meaning: When is a comparison
// over the inputs ("glucose <= 3.5"), Message what the reader sees.
type Undefined struct {
	When    string `yaml:"when"`
	Message string `yaml:"message"`

	program formula.Program
}

// Band labels an output's values from Min (inclusive) to below Max,
// on the value as shown. A band without Min starts where the previous one
// ends; only the last may leave out Max.
type Band struct {
	Min   *float64 `yaml:"min"`
	Max   *float64 `yaml:"max"`
	Label string   `yaml:"label"`
	Cite  []string `yaml:"cite"`
}

// ConstExpr is a number, or a formula of numbers alone ("1 / 18.016"),
// worked out at build time.
type ConstExpr struct {
	Src   string
	Value float64
	node  *yaml.Node
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (c *ConstExpr) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: cannot unmarshal !!%s into a number", n.Line, strings.TrimPrefix(n.ShortTag(), "!!"))
	}
	c.Src, c.node = n.Value, n
	return nil
}

// MarshalJSON writes the worked-out value.
func (c *ConstExpr) MarshalJSON() ([]byte, error) { return json.Marshal(c.Value) }

const (
	// CodeUndefined marks an output whose undefined rule holds.
	CodeUndefined = "undefined"
	// CodeNoValue marks an output with no finite result: division by
	// zero, the log of 0 or a negative number, or beyond maxShown.
	CodeNoValue = "no-value"
	// maxShown bounds what an output shows: beyond it the two evaluators'
	// number formatting differs (JavaScript's toFixed turns exponential
	// at 1e21) and no health measure means it.
	maxShown = 1e15
	// maxDecimals bounds decimals, which toFixed caps at 100 and no
	// reader can use.
	maxDecimals = 10
)

// NoValueMessage is what a reader sees for an output with CodeNoValue.
const NoValueMessage = "Cannot be computed from these values."

// CiteKeys are the keys the calculator cites as its sources.
func (c *Spec) CiteKeys() []string { return c.Cite }

// unit returns an input's unit of that id.
func (in *Input) unit(id string) *Unit {
	for _, u := range in.Units {
		if u.ID == id {
			return u
		}
	}
	return nil
}

// defaultUnit is the unit selected at first.
func (in *Input) defaultUnit() *Unit {
	if u := in.unit(in.Unit); u != nil {
		return u
	}
	return in.Units[0]
}

// Message is the text a reader sees for an input's error code.
func (in *Input) Message(code string) string {
	if m := in.Messages[code]; m != "" {
		return m
	}
	l := in.Label
	switch code {
	case CodeEmpty:
		return "Enter " + lowerFirst(l) + "."
	case CodeNotANum:
		return l + " must be a number, such as 5 or 2.5."
	case CodeNegative:
		return l + " cannot be negative."
	case CodeZero:
		return l + " cannot be zero."
	case CodeTooLow:
		return "This " + lowerFirst(l) + " value is implausibly low. Check the value and the unit."
	case CodeTooHigh:
		return "This " + lowerFirst(l) + " value is implausibly high. Check the value and the unit."
	case CodeUnit:
		return "Choose a unit for " + lowerFirst(l) + "."
	}
	return code
}

func lowerFirst(s string) string {
	if s == "" || strings.ToUpper(s) == s {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// rangeIn is the plausible range for a value entered in u, in u: the
// unit's own, else the input's base range converted.
func (in *Input) rangeIn(u *Unit) (lo, hi float64) {
	lo, hi = math.Inf(-1), math.Inf(1)
	if r := u.Range; r != nil {
		if r.Min != nil {
			lo = *r.Min
		}
		if r.Max != nil {
			hi = *r.Max
		}
		return lo, hi
	}
	if r := in.Range; r != nil {
		if r.Min != nil {
			lo = u.fromBase(*r.Min)
		}
		if r.Max != nil {
			hi = u.fromBase(*r.Max)
		}
	}
	return lo, hi
}

func (u *Unit) offset() float64 {
	if u.Offset == nil {
		return 0
	}
	return u.Offset.Value
}

func (u *Unit) toBase(v float64) float64   { return v*u.Factor.Value + u.offset() }
func (u *Unit) fromBase(v float64) float64 { return (v - u.offset()) / u.Factor.Value }

// FormatFixed writes v with d decimals as calculator.js does: rounded
// half up (JavaScript's Math.round) before formatting, so both write the
// same digits for ties, and never "-0.00".
func FormatFixed(v float64, d int) string {
	return strconv.FormatFloat(roundHalfUp(v, d), 'f', d, 64)
}

func roundHalfUp(v float64, d int) float64 {
	p := math.Pow(10, float64(d))
	r := math.Floor(v*p+0.5) / p
	if r == 0 {
		r = 0 // -0
	}
	return r
}

// decimals is an output's decimals (default 2).
func (o *Output) decimals() int {
	if o.Decimals == nil {
		return 2
	}
	return *o.Decimals
}

// decimals is how many decimals a value converted into u shows.
func (in *Input) decimals(u *Unit) int {
	switch {
	case u.Decimals != nil:
		return *u.Decimals
	case in.Decimals != nil:
		return *in.Decimals
	}
	return 2
}

// BandFor is the label of the band the shown value r falls in, or "".
func (o *Output) BandFor(r float64) string {
	for _, b := range o.bandRanges() {
		if r >= b.lo && r < b.hi {
			return b.Label
		}
	}
	return ""
}

type bandRange struct {
	lo, hi float64
	*Band
}

// bandRanges resolves each band's implicit ends.
func (o *Output) bandRanges() []bandRange {
	rs := make([]bandRange, len(o.Bands))
	prev := math.Inf(-1)
	for i, b := range o.Bands {
		lo, hi := prev, math.Inf(1)
		if b.Min != nil {
			lo = *b.Min
		}
		if b.Max != nil {
			hi = *b.Max
		}
		rs[i] = bandRange{lo, hi, b}
		prev = hi
	}
	return rs
}

// FormatCutoff shows a cut-off with at least one decimal, as the
// literature writes them (1.0, 2.9, 2.75).
func FormatCutoff(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if strconv.FormatFloat(v, 'f', 0, 64) == s {
		s += ".0"
	}
	return s
}

// BandRow is a band as a template lists it.
type BandRow struct {
	Range, Label string
}
