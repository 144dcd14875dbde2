package widgets

import (
	"math"
	"strconv"
)

// Unit is one unit a field's value can be entered in. The template writes
// each as an <option> whose data attributes carry PerBase and Decimals, and
// homa-ir.js converts between a field's units from those attributes alone,
// so the factors have one source: the constants the formulas use.
type Unit struct {
	Value, Label string
	// PerBase is how much of this unit makes one of the field's base unit
	// (mmol/L for glucose, µU/mL for insulin).
	PerBase float64
	// Decimals is how many decimals a converted value is shown with (and
	// trailing zeros dropped): enough that converting does not move the
	// HOMA-IR shown, few enough to read like a lab report. mg/dL and pmol/L
	// get one, mmol/L and µU/mL two: 100 mg/dL is 5.55 mmol/L, 5.4 mmol/L
	// is 97.3 mg/dL, 74 pmol/L is 12.33 µU/mL.
	Decimals int
	Selected bool
}

// GlucoseUnits and InsulinUnits list each field's units, the default
// first; the Value is the one the URL state and the formulas use.
var (
	GlucoseUnits = []Unit{
		{Value: string(GlucoseMgdl), Label: "mg/dL", PerBase: MgdlPerMmol, Decimals: 1, Selected: true},
		{Value: string(GlucoseMmol), Label: "mmol/L", PerBase: 1, Decimals: 2},
	}
	InsulinUnits = []Unit{
		{Value: string(InsulinUU), Label: "µU/mL (µIU/mL)", PerBase: 1, Decimals: 2, Selected: true},
		{Value: string(InsulinPmol), Label: "pmol/L", PerBase: PmolPerUU, Decimals: 1},
	}
)

// GlucoseUnits lists the glucose units for the template.
func (o *HOMAOptions) GlucoseUnits() []Unit { return GlucoseUnits }

// InsulinUnits lists the insulin units for the template.
func (o *HOMAOptions) InsulinUnits() []Unit { return InsulinUnits }

func unitsOf(field string) []Unit {
	if field == "glucose" {
		return GlucoseUnits
	}
	return InsulinUnits
}

func findUnit(field, value string) (Unit, bool) {
	for _, u := range unitsOf(field) {
		if u.Value == value {
			return u, true
		}
	}
	return Unit{}, false
}

// Convert converts v, a field's value in unit from, to unit to. ok is
// false for an unknown unit.
func Convert(field string, v float64, from, to string) (_ float64, ok bool) {
	f, okF := findUnit(field, from)
	t, okT := findUnit(field, to)
	if !okF || !okT {
		return 0, false
	}
	if f.Value == t.Value {
		return v, true
	}
	return v / f.PerBase * t.PerBase, true
}

// FormatIn writes v as the field shows a value converted into unit:
// rounded to the unit's Decimals, trailing zeros dropped ("5.55", "100").
func FormatIn(field string, v float64, unit string) string {
	u, _ := findUnit(field, unit)
	p := math.Pow(10, float64(u.Decimals))
	return strconv.FormatFloat(math.Round(v*p)/p, 'f', -1, 64)
}

// ConvertText is what switching a field's unit does to the text in it:
// a value that is valid and plausible in the old unit is converted and
// formatted for the new one, with its exact value for a later switch;
// anything else (empty, not a number, out of range, which may well be a
// value already typed in the new unit) is left as it is (ok false).
func ConvertText(field, text, from, to string) (shown string, exact float64, ok bool) {
	return homaSpec.ConvertInput(field, text, from, to)
}
