package widgets

import (
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"guidebook/internal/calc"
	"guidebook/internal/testing/calcvectors"
)

// readCalcVectors reads testdata/calc_vectors.json, shared with package
// calc's tests and the browser test of calculator.js.
func readCalcVectors(t testing.TB) calcvectors.File {
	t.Helper()
	return calcvectors.Read(t, "testdata/calc_vectors.json")
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
