package widgets

import (
	_ "embed"
	"fmt"
	"math"
	"strings"

	"guidebook/internal/calc"
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

// ValidationError lists every invalid input, so a reader fixes both fields
// in one go.
type ValidationError struct {
	Fields []*calc.FieldError
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

// homaSpecYAML is the HOMA-IR calculator as a declarative spec: the
// formulas, units, ranges and messages HOMAIR evaluates, through the same
// compiled formulas as every calculator widget.
//
//go:embed homa-ir.yaml
var homaSpecYAML []byte

// homaSpec is homaSpecYAML compiled.
var homaSpec = loadHOMASpec()

func loadHOMASpec() *calc.Spec {
	opts, _, probs, _ := NewRegistry(nil).decode("calculator", homaSpecYAML)
	if probs != nil {
		panic(fmt.Sprintf("homa-ir.yaml: %v", probs)) // TestHOMASpec
	}
	return opts.(*calc.Spec)
}

// HOMAIR computes HOMA-IR, QUICKI and HOMA-%B from fasting glucose and
// insulin. Invalid or implausible inputs give a *ValidationError and no
// result.
//
// HOMA-IR uses the constant of the unit the glucose was entered in (405
// for mg/dL, 22.5 for mmol/L), as laboratories do, so a value typed from a
// lab report reproduces the lab's number (homa-ir.yaml's homa_k).
func HOMAIR(glucose float64, gUnit GlucoseUnit, insulin float64, iUnit InsulinUnit) (Result, error) {
	return homaResult(homaSpec.ComputeValues(
		map[string]float64{"glucose": glucose, "insulin": insulin},
		map[string]string{"glucose": string(gUnit), "insulin": string(iUnit)}))
}

// HOMAIRText is HOMAIR for values as a reader types them: surrounding
// space is ignored and a decimal comma ("5,4") is accepted. Empty and
// non-numeric values get their own error codes.
func HOMAIRText(glucose, gUnit, insulin, iUnit string) (Result, error) {
	return homaResult(homaSpec.Compute(
		map[string]string{"glucose": glucose, "insulin": insulin},
		map[string]string{"glucose": gUnit, "insulin": iUnit}))
}

func homaResult(r calc.Result) (Result, error) {
	if !r.OK() {
		var ve ValidationError
		for _, f := range []string{"glucose", "insulin"} {
			if e := r.Errors[f]; e != nil {
				ve.Fields = append(ve.Fields, e)
			}
		}
		return Result{}, &ve
	}
	mmol, uU := r.Base["glucose"], r.Base["insulin"]
	res := Result{
		HOMAIR: r.Outputs["homa_ir"].Value, QUICKI: r.Outputs["quicki"].Value,
		GlucoseMmol: mmol, GlucoseMgdl: mmol * MgdlPerMmol, InsulinUU: uU,
	}
	if b := r.Outputs["homa_b"]; b.Code == "" {
		res.HOMAB, res.HOMABDefined = b.Value, true
	}
	return res, nil
}

// Round2 rounds to the two decimals HOMA-IR is shown with. Bands are
// chosen on the rounded value so that the number a reader sees and its
// band never disagree (2.899 shows as 2.90 and is banded as 2.90).
func Round2(v float64) float64 { return math.Round(v*100) / 100 }
