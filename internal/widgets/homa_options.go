package widgets

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"guidebook/internal/calc"
)

// Band is one interpretation band: HOMA-IR values below Max (after
// rounding to two decimals) get Label. The last band has no Max and takes
// everything above the others.
type Band struct {
	Max   *float64 `yaml:"max" json:"max,omitempty"`
	Label string   `yaml:"label" json:"label"`
}

// HOMAOptions are the options of the built-in homa-ir widget.
type HOMAOptions struct {
	Bands []Band `yaml:"bands"`
	// Cite lists the bibliography keys shown as the widget's sources
	// (the formulas, published cut-offs), below the bands' note.
	Cite []string `yaml:"cite"`
	// HOMAB also shows HOMA-%B (beta-cell function).
	HOMAB bool `yaml:"homa-b"`
}

// DefaultHOMABands are the bands used when a page gives none. They follow
// an informal rule of thumb repeated in clinical and popular writing, not
// any study: below about 1.0 read as insulin-sensitive, from about 1.9 as
// possible early and from about 2.9 as possible significant insulin
// resistance. None of the usual HOMA sources (Matthews 1985, Katz 2000,
// Gayoso-Diz 2013) gives this scheme, and published cut-offs for insulin
// resistance range from under 2 to about 3.5 depending on population,
// age, sex, insulin assay and method. So the labels say "may indicate",
// never "likely", the template calls the table a rule of thumb
// (IsDefaultBands), and a page can override the bands.
// TestDefaultBandsFollowDocumentedRule holds the table to this rule;
// homa-ir.js carries the same defaults and the shared test vectors keep
// the two in step.
func DefaultHOMABands() []Band {
	f := func(v float64) *float64 { return &v }
	return []Band{
		{Max: f(1.0), Label: "Suggests good insulin sensitivity"},
		{Max: f(1.9), Label: "In the range commonly read as normal"},
		{Max: f(2.9), Label: "May indicate early insulin resistance"},
		{Label: "May indicate significant insulin resistance"},
	}
}

// IsDefaultBands reports whether the page uses DefaultHOMABands, which the
// template then presents as an informal rule of thumb; a page's own bands
// are presented as the page's.
func (o *HOMAOptions) IsDefaultBands() bool {
	d := DefaultHOMABands()
	if len(o.Bands) != len(d) {
		return false
	}
	for i, b := range o.Bands {
		if b.Label != d[i].Label || (b.Max == nil) != (d[i].Max == nil) || b.Max != nil && *b.Max != *d[i].Max {
			return false
		}
	}
	return true
}

// DefaultHOMACite is the source listed under the explanation by default:
// a meta-analysis that reports HOMA-IR as its outcome. The template lists
// a widget's citations as its sources, apart from the bands, which no
// source cited by default gives.
const DefaultHOMACite = "simentalmendia2016"

func defaultHOMAOptions() *HOMAOptions {
	return &HOMAOptions{Bands: DefaultHOMABands(), Cite: []string{DefaultHOMACite}}
}

// BandFor returns the label of the band a HOMA-IR value falls in.
func (o *HOMAOptions) BandFor(homaIR float64) string {
	v := Round2(homaIR)
	for _, b := range o.Bands {
		if b.Max == nil || v < *b.Max {
			return b.Label
		}
	}
	return ""
}

// BandRows describes each band's range in words ("1.0 to below 1.9"), so
// the static fallback reads correctly without the script.
func (o *HOMAOptions) BandRows() []calc.BandRow {
	rows := make([]calc.BandRow, 0, len(o.Bands))
	var lower *float64
	for _, b := range o.Bands {
		var r string
		switch {
		case lower == nil && b.Max == nil:
			r = "any value"
		case lower == nil:
			r = "below " + calc.FormatCutoff(*b.Max)
		case b.Max == nil:
			r = calc.FormatCutoff(*lower) + " or above"
		default:
			r = calc.FormatCutoff(*lower) + " to below " + calc.FormatCutoff(*b.Max)
		}
		rows = append(rows, calc.BandRow{Range: r, Label: b.Label})
		lower = b.Max
	}
	return rows
}

// CalcJSON is the compiled HOMA-IR spec (homa-ir.yaml) that homa-ir.js
// computes with, through calculator.js's evaluator.
func (o *HOMAOptions) CalcJSON() string { return homaSpec.JSON() }

// BandsJSON is the bands for homa-ir.js, which reads them from a data
// attribute (html/template escapes it there).
func (o *HOMAOptions) BandsJSON() string {
	b, _ := json.Marshal(o.Bands)
	return string(b)
}

// Example is the worked example the static fallback shows.
type Example struct {
	Glucose, Insulin      string
	HOMAIR, QUICKI, HOMAB string
	Band                  string
}

// Example works the formulas for glucose 90 mg/dL and insulin 10 µU/mL
// with this page's bands, through the same code the tests check.
func (o *HOMAOptions) Example() Example {
	r, err := HOMAIR(90, GlucoseMgdl, 10, InsulinUU)
	if err != nil {
		panic(err) // the example's inputs are constants within bounds
	}
	return Example{
		Glucose: "90", Insulin: "10",
		HOMAIR: strconv.FormatFloat(Round2(r.HOMAIR), 'f', 2, 64),
		QUICKI: strconv.FormatFloat(r.QUICKI, 'f', 3, 64),
		HOMAB:  strconv.FormatFloat(r.HOMAB, 'f', 1, 64),
		Band:   o.BandFor(r.HOMAIR),
	}
}

// Check reports the problems KnownFields decoding cannot see, each at the
// YAML node it concerns (root is the decoded document's mapping, or nil
// when the block was empty).
func (o *HOMAOptions) Check(root *yaml.Node) []calc.Problem {
	var probs []calc.Problem
	bandsNode := calc.MapValue(root, "bands")
	at := func(i int, key string) *yaml.Node {
		if bandsNode == nil || i >= len(bandsNode.Content) {
			return bandsNode
		}
		item := bandsNode.Content[i]
		if v := calc.MapValue(item, key); v != nil {
			return v
		}
		return item
	}
	if len(o.Bands) == 0 {
		return []calc.Problem{{Node: bandsNode, Msg: "bands: give at least one band"}}
	}
	var prev *float64
	for i, b := range o.Bands {
		last := i == len(o.Bands)-1
		switch {
		case b.Max == nil && !last:
			probs = append(probs, calc.Problem{Node: at(i, "max"), Msg: "bands: every band but the last needs a max"})
		case b.Max != nil && last:
			probs = append(probs, calc.Problem{Node: at(i, "max"), Msg: "bands: the last band takes every higher value and must have no max"})
		case b.Max != nil && !(*b.Max > 0 && *b.Max < math.Inf(1)):
			probs = append(probs, calc.Problem{Node: at(i, "max"), Msg: "bands: max must be a number above 0"})
		case b.Max != nil && prev != nil && *b.Max <= *prev:
			probs = append(probs, calc.Problem{Node: at(i, "max"), Msg: "bands: max values must be ascending (" + calc.FormatCutoff(*b.Max) + " follows " + calc.FormatCutoff(*prev) + ")"})
		}
		if strings.TrimSpace(b.Label) == "" {
			probs = append(probs, calc.Problem{Node: at(i, "label"), Msg: "bands: every band needs a non-empty label"})
		}
		if b.Max != nil {
			prev = b.Max
		}
	}
	return probs
}
