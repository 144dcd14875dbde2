package widgets

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// GlucoseUnit is the unit a fasting glucose value is entered in. The
// values are the ones the script and the URL hash use ("gu=mgdl").
type GlucoseUnit string

// InsulinUnit is the unit a fasting insulin value is entered in.
type InsulinUnit string

// Glucose and insulin units.
const (
	GlucoseMgdl GlucoseUnit = "mgdl"  // mg/dL
	GlucoseMmol GlucoseUnit = "mmoll" // mmol/L
	InsulinUU   InsulinUnit = "uUml"  // µU/mL, the same as µIU/mL
	InsulinPmol InsulinUnit = "pmoll" // pmol/L
)

// Conversion factors. 18.016 mg/dL per mmol/L follows from glucose's molar
// mass (180.16 g/mol); 6 pmol/L per µU/mL is the conversion laboratories
// and the HOMA literature use for insulin.
const (
	MgdlPerMmol = 18.016
	PmolPerUU   = 6.0
)

// Plausibility bounds, inclusive, in each unit as entered. They catch
// typing slips (a missing decimal point, the wrong unit) rather than rare
// physiology, so they are stated per unit instead of converted: 1.1 mmol/L
// is accepted exactly as typed, even though 20 mg/dL is 1.110 mmol/L.
var (
	glucoseBounds = map[GlucoseUnit][2]float64{GlucoseMgdl: {20, 600}, GlucoseMmol: {1.1, 33.3}}
	insulinBounds = map[InsulinUnit][2]float64{InsulinUU: {0.5, 300}, InsulinPmol: {3, 1800}}
)

// homaBMinMmol is where the HOMA-%B formula's denominator (glucose − 3.5
// mmol/L) reaches zero; at or below it the formula has no meaning.
const homaBMinMmol = 3.5

// Result is a computed HOMA-IR, with the values the page shows beside it.
type Result struct {
	HOMAIR float64
	QUICKI float64
	// HOMAB is HOMA-%B in percent; HOMABDefined is false (and HOMAB 0)
	// when glucose is at or below 3.5 mmol/L.
	HOMAB        float64
	HOMABDefined bool

	GlucoseMgdl, GlucoseMmol, InsulinUU float64
}

// Error codes, shared with homa-ir.js and testdata/homa_vectors.json.
const (
	CodeEmpty    = "empty"
	CodeNotANum  = "not-a-number"
	CodeNegative = "negative"
	CodeZero     = "zero"
	CodeTooLow   = "too-low"
	CodeTooHigh  = "too-high"
	CodeUnit     = "unit"
)

// FieldError is one invalid input. Field is "glucose" or "insulin".
type FieldError struct {
	Field, Code, Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// ValidationError lists every invalid input, so a reader fixes both fields
// in one go.
type ValidationError struct {
	Fields []*FieldError
}

func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		msgs[i] = f.Error()
	}
	return strings.Join(msgs, "; ")
}

// Code returns the error code for field, or "" when that field is valid.
func (e *ValidationError) Code(field string) string {
	for _, f := range e.Fields {
		if f.Field == field {
			return f.Code
		}
	}
	return ""
}

// HOMAIR computes HOMA-IR, QUICKI and HOMA-%B from fasting glucose and
// insulin. Invalid or implausible inputs give a *ValidationError and no
// result.
//
// HOMA-IR uses the constant of the unit the glucose was entered in (405
// for mg/dL, 22.5 for mmol/L), as laboratories do, so a value typed from a
// lab report reproduces the lab's number.
func HOMAIR(glucose float64, gUnit GlucoseUnit, insulin float64, iUnit InsulinUnit) (Result, error) {
	var errs []*FieldError
	if e := checkGlucose(glucose, gUnit); e != nil {
		errs = append(errs, e)
	}
	if e := checkInsulin(insulin, iUnit); e != nil {
		errs = append(errs, e)
	}
	if errs != nil {
		return Result{}, &ValidationError{Fields: errs}
	}
	var r Result
	r.InsulinUU = insulin
	if iUnit == InsulinPmol {
		r.InsulinUU = insulin / PmolPerUU
	}
	if gUnit == GlucoseMmol {
		r.GlucoseMmol, r.GlucoseMgdl = glucose, glucose*MgdlPerMmol
		r.HOMAIR = glucose * r.InsulinUU / 22.5
	} else {
		r.GlucoseMgdl, r.GlucoseMmol = glucose, glucose/MgdlPerMmol
		r.HOMAIR = glucose * r.InsulinUU / 405
	}
	r.QUICKI = 1 / (math.Log10(r.InsulinUU) + math.Log10(r.GlucoseMgdl))
	if r.GlucoseMmol > homaBMinMmol {
		r.HOMAB, r.HOMABDefined = 20*r.InsulinUU/(r.GlucoseMmol-homaBMinMmol), true
	}
	return r, nil
}

// HOMAIRText is HOMAIR for values as a reader types them: surrounding
// space is ignored and a decimal comma ("5,4") is accepted. Empty and
// non-numeric values get their own error codes.
func HOMAIRText(glucose, gUnit, insulin, iUnit string) (Result, error) {
	g, gErr := ParseNumber(glucose)
	i, iErr := ParseNumber(insulin)
	var errs []*FieldError
	switch {
	case gErr != nil:
		errs = append(errs, fieldError("glucose", gErr.Error()))
	case glucoseBounds[GlucoseUnit(gUnit)] == [2]float64{}:
		errs = append(errs, fieldError("glucose", CodeUnit))
	default:
		if e := checkGlucose(g, GlucoseUnit(gUnit)); e != nil {
			errs = append(errs, e)
		}
	}
	switch {
	case iErr != nil:
		errs = append(errs, fieldError("insulin", iErr.Error()))
	case insulinBounds[InsulinUnit(iUnit)] == [2]float64{}:
		errs = append(errs, fieldError("insulin", CodeUnit))
	default:
		if e := checkInsulin(i, InsulinUnit(iUnit)); e != nil {
			errs = append(errs, e)
		}
	}
	if errs != nil {
		return Result{}, &ValidationError{Fields: errs}
	}
	return HOMAIR(g, GlucoseUnit(gUnit), i, InsulinUnit(iUnit))
}

// number is what ParseNumber accepts: decimals with a point or a comma,
// optionally in exponent notation ("1e2", "5,4E-1"). Every number however
// written then meets the same range check, so "1e9" is implausibly high
// exactly as "1000000000" is. Thousands separators, "Infinity" and hex are
// refused because a reader never means them; homa-ir.js uses the same
// pattern.
var number = regexp.MustCompile(`^[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?$`)

// ParseNumber reads a typed number. Its error's text is the error code
// (CodeEmpty or CodeNotANum). A number beyond float64's range is ±Inf,
// as JavaScript's parseFloat reads it, and the range check calls it
// implausibly high (or negative).
func ParseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New(CodeEmpty)
	}
	if !number.MatchString(s) {
		return 0, errors.New(CodeNotANum)
	}
	v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, errors.New(CodeNotANum)
	}
	return v, nil
}

var messages = map[string]map[string]string{
	"glucose": {
		CodeEmpty:    "Enter your fasting glucose.",
		CodeNotANum:  "Glucose must be a number, such as 90 or 5.0.",
		CodeNegative: "Glucose cannot be negative.",
		CodeZero:     "Glucose cannot be zero.",
		CodeTooLow:   "This glucose value is implausibly low (below 20 mg/dL, 1.1 mmol/L). Check the value and the unit.",
		CodeTooHigh:  "This glucose value is implausibly high (above 600 mg/dL, 33.3 mmol/L). Check the value and the unit.",
		CodeUnit:     "Choose a glucose unit.",
	},
	"insulin": {
		CodeEmpty:    "Enter your fasting insulin.",
		CodeNotANum:  "Insulin must be a number, such as 10 or 60.",
		CodeNegative: "Insulin cannot be negative.",
		CodeZero:     "Insulin cannot be zero.",
		CodeTooLow:   "This insulin value is implausibly low (below 0.5 µU/mL, 3 pmol/L). Check the value and the unit.",
		CodeTooHigh:  "This insulin value is implausibly high (above 300 µU/mL, 1800 pmol/L). Check the value and the unit.",
		CodeUnit:     "Choose an insulin unit.",
	},
}

func fieldError(field, code string) *FieldError {
	return &FieldError{Field: field, Code: code, Message: messages[field][code]}
}

func checkGlucose(v float64, u GlucoseUnit) *FieldError {
	b, ok := glucoseBounds[u]
	if !ok {
		return fieldError("glucose", CodeUnit)
	}
	return checkRange("glucose", v, b)
}

func checkInsulin(v float64, u InsulinUnit) *FieldError {
	b, ok := insulinBounds[u]
	if !ok {
		return fieldError("insulin", CodeUnit)
	}
	return checkRange("insulin", v, b)
}

func checkRange(field string, v float64, b [2]float64) *FieldError {
	switch {
	case math.IsNaN(v):
		return fieldError(field, CodeNotANum)
	case v < 0:
		return fieldError(field, CodeNegative)
	case v == 0:
		return fieldError(field, CodeZero)
	case v < b[0]:
		return fieldError(field, CodeTooLow)
	case v > b[1]:
		return fieldError(field, CodeTooHigh)
	}
	return nil
}

// Round2 rounds to the two decimals HOMA-IR is shown with. Bands are
// chosen on the rounded value so that the number a reader sees and its
// band never disagree (2.899 shows as 2.90 and is banded as 2.90).
func Round2(v float64) float64 { return math.Round(v*100) / 100 }
