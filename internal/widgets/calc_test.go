package widgets

import (
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"guidebook/internal/calc"
)

// calcCase is one case of testdata/calc_vectors.json, shared with the
// browser test of calculator.js.
type calcCase struct {
	Spec    string             `json:"spec"`
	Name    string             `json:"name"`
	Inputs  map[string]string  `json:"inputs"`
	Units   map[string]string  `json:"units"`
	Outputs map[string]*string `json:"outputs"`
	Bands   map[string]string  `json:"bands"`
	Codes   map[string]string  `json:"codes"`
	Errors  map[string]string  `json:"errors"`
	// Messages are the messages shown for an input's error or an
	// output without a value.
	Messages map[string]string `json:"messages"`
}

type calcConversion struct {
	Spec  string  `json:"spec"`
	Name  string  `json:"name"`
	Input string  `json:"input"`
	Value string  `json:"value"`
	From  string  `json:"from"`
	To    string  `json:"to"`
	Shown *string `json:"shown"`
}

type calcVectorFile struct {
	Cases       []calcCase
	Conversions []calcConversion
}

func readCalcVectors(t testing.TB) calcVectorFile {
	t.Helper()
	data, err := os.ReadFile("testdata/calc_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var f calcVectorFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) < 30 || len(f.Conversions) < 8 {
		t.Fatalf("only %d cases and %d conversions", len(f.Cases), len(f.Conversions))
	}
	return f
}

// calcSpecFile reads testdata/calc/NAME.yaml.
func calcSpecFile(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata/calc", name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// loadCalcSpec decodes a spec as a widget block's body is decoded.
func loadCalcSpec(t testing.TB, body string) *calc.Spec {
	t.Helper()
	opts, _, probs, _ := NewRegistry(nil).decode("calculator", []byte(body))
	if probs != nil {
		for _, p := range probs {
			t.Errorf("line %v: %s", p.Node, p.Msg)
		}
		t.FailNow()
	}
	return opts.(*calc.Spec)
}

func TestCalcVectors(t *testing.T) {
	specs := map[string]*calc.Spec{}
	for _, c := range readCalcVectors(t).Cases {
		t.Run(c.Name, func(t *testing.T) {
			spec := specs[c.Spec]
			if spec == nil {
				spec = loadCalcSpec(t, calcSpecFile(t, c.Spec))
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

func TestCalcConversions(t *testing.T) {
	for _, c := range readCalcVectors(t).Conversions {
		t.Run(c.Name, func(t *testing.T) {
			spec := loadCalcSpec(t, calcSpecFile(t, c.Spec))
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

// The shipped HOMA-IR spec compiles, and the widget's numbers come from
// it: its messages are the ones the page shows.
func TestHOMASpec(t *testing.T) {
	spec := loadCalcSpec(t, string(homaSpecYAML))
	if len(spec.Outputs) != 3 || homaSpec.Input("glucose").Message(calc.CodeTooLow) != spec.Inputs[0].Messages[calc.CodeTooLow] {
		t.Errorf("spec %+v", spec)
	}
	ex := spec.WorkedExample()
	if ex == nil || ex.Outputs[0].Text != "2.22" || ex.Outputs[1].Text != "0.338" || ex.Outputs[2].Text != "133.7" {
		t.Errorf("worked example %+v", ex)
	}
}

// A calculator renders a script-free page: formulas, units, bands with
// their own citations and the worked example the build computed; the
// compiled form for the script; a hidden form.
func TestCalcRender(t *testing.T) {
	md := newMarkdown(NewRegistry(testTemplates(t)), testBibliography(t))
	out, errs, pc := convert(t, md, "Text.\n\n```widget calculator\n"+calcSpecFile(t, "quicki")+"```\n")
	if errs != "" {
		t.Fatal(errs)
	}
	if got := Used(pc); len(got) != 1 || got[0] != "calculator" {
		t.Errorf("Used = %v", got)
	}
	text := html.UnescapeString(out)
	for _, want := range []string{
		`id="gb-calculator-1" data-link="calculator-1"`,
		"<code>1 ÷ (log10(insulin) + log10(glucose))</code>",
		"Units: 1 mmol/L = 18.016 mg/dL",
		"fasting glucose 90 mg/dL, fasting insulin 10 µU/mL give QUICKI = <strong>0.338</strong> (“Above 0.331”).",
		"In the formulas, <code>glucose</code> is fasting glucose in mg/dL; <code>insulin</code> is fasting insulin in µU/mL.",
		"Units: 1 µU/mL = 6 pmol/L",
		`<form class="gb-calc-form" id="gb-calculator-1-form" hidden`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("page lacks %q:\n%s", want, out)
		}
	}
	// The band's source is cited in its row, the calculator's below.
	if strings.Count(out, `class="gb-cite`) < 2 {
		t.Errorf("citations missing:\n%s", out)
	}
	_, ids := pageIDs(t, out)
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Errorf("id %q twice", id)
		}
		seen[id] = true
	}
	if !seen["gb-calculator-1-in-glucose"] || !seen["gb-calculator-1-out-quicki-band"] {
		t.Errorf("ids %v", ids)
	}
}
