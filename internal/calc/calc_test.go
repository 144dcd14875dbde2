package calc

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"guidebook/internal/testing/calcvectors"
)

// The test vectors, and the specs they compute with, are shared with the
// widget's tests and calculator.js's browser test; they stay where
// calculator.js's comment names them.
const (
	vectorsFile = "../widgets/testdata/calc_vectors.json"
	specDir     = "../widgets/testdata/calc"
)

// specFile reads specDir/NAME.yaml.
func specFile(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(specDir, name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// loadSpec decodes a spec strictly, as the widget's option decoding does,
// and checks it; any problem fails the test.
func loadSpec(t testing.TB, body string) *Spec {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	s := &Spec{}
	dec := yaml.NewDecoder(bytes.NewReader([]byte(body)))
	dec.KnownFields(true)
	if err := dec.Decode(s); err != nil && !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	if probs := s.Check(doc.Content[0]); probs != nil {
		for _, p := range probs {
			t.Errorf("at %+v: %s", p.Node, p.Msg)
		}
		t.FailNow()
	}
	return s
}

func TestVectors(t *testing.T) {
	specs := map[string]*Spec{}
	for _, c := range calcvectors.Read(t, vectorsFile).Cases {
		t.Run(c.Name, func(t *testing.T) {
			spec := specs[c.Spec]
			if spec == nil {
				spec = loadSpec(t, specFile(t, c.Spec))
				specs[c.Spec] = spec
			}
			r := spec.Compute(c.Inputs, c.Units)
			if c.Errors != nil {
				if r.OK() || len(r.Outputs) != 0 {
					t.Fatalf("invalid input computed %+v", r.Outputs)
				}
				for id, code := range c.Errors {
					if e := r.Errors[id]; e == nil || e.Code != code || e.Message == "" {
						t.Errorf("%s: error %+v, want code %q", id, e, code)
					}
				}
				for id, m := range c.Messages {
					if r.Errors[id].Message != m {
						t.Errorf("%s: message %q, want %q", id, r.Errors[id].Message, m)
					}
				}
				if len(r.Errors) != len(c.Errors) {
					t.Errorf("errors %v, want %v", r.Errors, c.Errors)
				}
				return
			}
			if !r.OK() {
				t.Fatalf("errors %v", r.Errors)
			}
			for id, want := range c.Outputs {
				got := r.Outputs[id]
				switch {
				case want == nil && (got.Code != c.Codes[id] || got.Message == "" || got.Text != ""):
					t.Errorf("%s: %+v, want code %q", id, got, c.Codes[id])
				case want != nil && (got.Text != *want || got.Code != ""):
					t.Errorf("%s: %+v, want %q", id, got, *want)
				}
				if m, ok := c.Messages[id]; ok && got.Message != m {
					t.Errorf("%s: message %q, want %q", id, got.Message, m)
				}
				if got.Band != c.Bands[id] {
					t.Errorf("%s: band %q, want %q", id, got.Band, c.Bands[id])
				}
			}
		})
	}
}

func TestConversions(t *testing.T) {
	for _, c := range calcvectors.Read(t, vectorsFile).Conversions {
		t.Run(c.Name, func(t *testing.T) {
			spec := loadSpec(t, specFile(t, c.Spec))
			shown, _, ok := spec.ConvertInput(c.Input, c.Value, c.From, c.To)
			switch {
			case c.Shown == nil && (ok || shown != c.Value):
				t.Errorf("converted to %q, want the field left as %q", shown, c.Value)
			case c.Shown != nil && (!ok || shown != *c.Shown):
				t.Errorf("ConvertInput = %q, %v; want %q", shown, ok, *c.Shown)
			}
		})
	}
}

func TestFormatFixedMatchesJavaScript(t *testing.T) {
	for _, c := range []struct {
		v    float64
		d    int
		want string
	}{{0.125, 2, "0.13"}, {-0.125, 2, "-0.12"}, {-0.0001, 2, "0.00"}, {2.5, 0, "3"}, {-2.5, 0, "-2"}, {1.005, 2, "1.00"}} {
		if got := FormatFixed(c.v, c.d); got != c.want {
			t.Errorf("FormatFixed(%v, %d) = %q, want %q", c.v, c.d, got, c.want)
		}
	}
}

// The README's complete example is a valid calculator, and its worked
// example computes.
func TestREADMEExample(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "```widget calculator\n")
	body, _, ok2 := strings.Cut(rest, "\n```\n")
	if !ok || !ok2 {
		t.Fatal("README has no complete calculator example")
	}
	spec := loadSpec(t, body+"\n")
	ex := spec.WorkedExample()
	if ex == nil || ex.Outputs[0].Text != "8.82" || ex.Outputs[0].Band != "Above commonly cited cut-offs" {
		t.Errorf("worked example %+v", ex)
	}
}

func TestUnitsText(t *testing.T) {
	spec := loadSpec(t, specFile(t, "temp"))
	if got, want := spec.Inputs[0].UnitsText(), "°C = °F × 0.555556 − 17.777778; °C = K × 1 − 273.15"; got != want {
		t.Errorf("UnitsText = %q, want %q", got, want)
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		code string
	}{
		{"90", 90, ""}, {" 5,4 ", 5.4, ""}, {"5.", 5, ""}, {",5", 0.5, ""}, {"+3", 3, ""}, {"-2", -2, ""},
		{"", 0, CodeEmpty}, {"\t", 0, CodeEmpty}, {"1,000.5", 0, CodeNotANum},
		{"Infinity", 0, CodeNotANum}, {"0x10", 0, CodeNotANum}, {"5 4", 0, CodeNotANum}, {"٣", 0, CodeNotANum},
		// One rule for every way of writing a number: exponent notation is
		// read, and a number too large for float64 is +Inf, which the range
		// check calls implausibly high, as it does 1000000000.
		{"1e3", 1000, ""}, {"1E+3", 1000, ""}, {"2,5e-1", 0.25, ""}, {"-1e2", -100, ""}, {"1e-999", 0, ""},
		{"1e999", math.Inf(1), ""}, {strings.Repeat("9", 400), math.Inf(1), ""}, {"-1e999", math.Inf(-1), ""},
		{"e5", 0, CodeNotANum}, {"1e", 0, CodeNotANum}, {"1e+", 0, CodeNotANum}, {"1e5.5", 0, CodeNotANum}, {"0x1p3", 0, CodeNotANum},
	}
	for _, tt := range tests {
		got, err := ParseNumber(tt.in)
		code := ""
		if err != nil {
			code = err.Error()
		}
		if code != tt.code || (code == "" && got != tt.want) {
			t.Errorf("ParseNumber(%q) = %v, %q; want %v, %q", tt.in, got, code, tt.want, tt.code)
		}
	}
}
