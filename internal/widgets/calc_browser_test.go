package widgets

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"guidebook/internal/calc"
	"guidebook/internal/testing/browsertest"
)

// calcSpecs are the specs of testdata/calc in the order calcHarness puts
// them on the page: spec N is gb-calculator-N.
var calcSpecs = []string{"quicki", "homab", "tyg", "edge", "temp"}

// calcHarness writes a page holding one calculator per spec (after
// before, HTML) with the shipped script and styles, and returns its
// file:// URL: the offline export, the strictest place for a script.
func calcHarness(t *testing.T, before string) string {
	t.Helper()
	md := newMarkdown(NewRegistry(testTemplates(t)), testBibliography(t))
	doc := before + "\n\n"
	for _, s := range calcSpecs {
		doc += "```widget calculator\n" + calcSpecFile(t, s) + "```\n\n"
	}
	body, errs, _ := convert(t, md, doc)
	if errs != "" {
		t.Fatal(errs)
	}
	dir := t.TempDir()
	for _, f := range []string{"calculator.js", "calculator.css"} {
		data, err := os.ReadFile(filepath.Join("../../assets/widgets", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	page := `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Calculator harness</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; img-src data:; script-src 'self'; style-src 'self'">
<link rel="icon" href="data:,"><link rel="stylesheet" href="calculator.css"></head><body>` + body + `<script src="calculator.js"></script></body></html>`
	index := filepath.Join(dir, "index.html")
	if err := os.WriteFile(index, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	return "file://" + index
}

func calcWidgetID(spec string) string {
	for i, s := range calcSpecs {
		if s == spec {
			return fmt.Sprintf("gb-calculator-%d", i+1)
		}
	}
	return ""
}

// TestCalcBrowser runs the shared conformance vectors through
// calculator.js in Chromium, on the compiled specs the page carries, and
// checks the calculator a reader uses: typing, validation, unit switches,
// shared links and the script-free page.
func TestCalcBrowser(t *testing.T) {
	url := calcHarness(t, "")
	browsertest.Browser(t)

	t.Run("vectors", func(t *testing.T) {
		ctx := browsertest.Tab(t, 60*time.Second)
		browsertest.Run(t, ctx, chromedp.Navigate(url))
		for _, c := range readCalcVectors(t).Cases {
			spec := loadCalcSpec(t, calcSpecFile(t, c.Spec))
			args, _ := json.Marshal([]any{calcWidgetID(c.Spec), c.Inputs, c.Units})
			raw := browsertest.Run(t, ctx, chromedp.Evaluate[string](`(() => { const a = `+string(args)+`;
  const spec = JSON.parse(document.getElementById(a[0]).getAttribute("data-calc"));
  return JSON.stringify(guidebookCalc.compute(spec, a[1], a[2] || {})); })()`))
			var got struct {
				OK      bool
				Errors  map[string]struct{ Code, Message string }
				Outputs map[string]struct{ Text, Band, Code, Message string }
			}
			if err := json.Unmarshal([]byte(raw), &got); err != nil {
				t.Fatal(err)
			}
			goRes := spec.Compute(c.Inputs, c.Units)
			if c.Errors != nil {
				if got.OK || len(got.Errors) != len(c.Errors) {
					t.Errorf("%s: JS %+v, want errors %v", c.Name, got, c.Errors)
				}
				for id, m := range c.Messages {
					if got.Errors[id].Message != m {
						t.Errorf("%s: JS %s message %q, want %q", c.Name, id, got.Errors[id].Message, m)
					}
				}
				for id, code := range c.Errors {
					if got.Errors[id].Code != code || got.Errors[id].Message != goRes.Errors[id].Message {
						t.Errorf("%s: JS %s error %+v, want %q %q", c.Name, id, got.Errors[id], code, goRes.Errors[id].Message)
					}
				}
				continue
			}
			for id, want := range c.Outputs {
				o := got.Outputs[id]
				switch {
				case want == nil && (o.Code != c.Codes[id] || o.Message != goRes.Outputs[id].Message):
					t.Errorf("%s: JS %s %+v, want code %q", c.Name, id, o, c.Codes[id])
				case want != nil && (o.Text != *want || o.Code != ""):
					t.Errorf("%s: JS %s %+v, want %q", c.Name, id, o, *want)
				}
				if m, ok := c.Messages[id]; ok && o.Message != m {
					t.Errorf("%s: JS %s message %q, want %q", c.Name, id, o.Message, m)
				}
				if o.Band != c.Bands[id] {
					t.Errorf("%s: JS %s band %q, want %q", c.Name, id, o.Band, c.Bands[id])
				}
			}
		}
		for _, c := range readCalcVectors(t).Conversions {
			args, _ := json.Marshal([]string{calcWidgetID(c.Spec), c.Input, c.Value, c.From, c.To})
			raw := browsertest.Run(t, ctx, chromedp.Evaluate[string](`(() => { const a = `+string(args)+`;
  const spec = JSON.parse(document.getElementById(a[0]).getAttribute("data-calc"));
  return JSON.stringify(guidebookCalc.convertText(spec, a[1], a[2], a[3], a[4])); })()`))
			var got struct {
				OK   bool
				Text string
			}
			if err := json.Unmarshal([]byte(raw), &got); err != nil {
				t.Fatal(err)
			}
			if c.Shown == nil && (got.OK || got.Text != c.Value) || c.Shown != nil && (!got.OK || got.Text != *c.Shown) {
				t.Errorf("%s: JS %+v, want %v", c.Name, got, c.Shown)
			}
		}
	})

	t.Run("reader", func(t *testing.T) {
		ctx := browsertest.Tab(t, 60*time.Second)
		browsertest.Run(t, ctx, chromedp.Navigate(url))
		id := calcWidgetID("tyg")
		tg, glu, out := "#"+id+"-in-tg", "#"+id+"-in-glucose", "#"+id+"-out-tyg"
		browsertest.Run(t, ctx, chromedp.WaitVisible(tg))
		if s := textOf(t, ctx, "#"+id+"-status"); !strings.Contains(s, "Enter every value") {
			t.Errorf("status %q", s)
		}
		typeInto(t, ctx, tg, "150")
		typeInto(t, ctx, glu, "90")
		if got, band := textOf(t, ctx, out), textOf(t, ctx, out+"-band"); got != "8.82" || band != "Above commonly cited cut-offs" {
			t.Errorf("TyG %q %q", got, band)
		}
		// Results are announced.
		if live := browsertest.Run(t, ctx, chromedp.Evaluate[string](`document.querySelector(`+jsq(out)+`).getAttribute("aria-live")`)); live != "polite" {
			t.Errorf("aria-live %q", live)
		}
		// A unit switch converts the value and keeps the result.
		chooseUnit(t, ctx, tg+"-unit", "mmoll")
		value := func(sel string) string { return browsertest.Run(t, ctx, chromedp.Value(sel)) }
		if v, got := value(tg), textOf(t, ctx, out); v != "1.69" || got != "8.82" {
			t.Errorf("after switching to mmol/L: field %q, TyG %q", v, got)
		}
		if note := textOf(t, ctx, tg+"-note"); !strings.Contains(note, "Converted 150 mg/dL to 1.69 mmol/L") {
			t.Errorf("note %q", note)
		}
		chooseUnit(t, ctx, tg+"-unit", "mgdl")
		if v := value(tg); v != "150" {
			t.Errorf("switching back shows %q", v)
		}
		// The URL keeps the state.
		loc := browsertest.Run(t, ctx, chromedp.Location())
		if !strings.HasSuffix(loc, "#calculator-3:tg=150,tg-u=mgdl,glucose=90,glucose-u=mgdl") {
			t.Errorf("location %s", loc)
		}
		// Validation: aria-invalid with the message tied to the field.
		typeInto(t, ctx, glu, "9000")
		inv := browsertest.Run(t, ctx, chromedp.Evaluate[string](`(() => { const e = document.querySelector(`+jsq(glu)+`);
  return e.getAttribute("aria-invalid") + "|" + document.getElementById(e.getAttribute("aria-describedby")).textContent; })()`))
		if !strings.HasPrefix(inv, "true|This fasting glucose value is implausibly high") {
			t.Errorf("invalid field: %q", inv)
		}
		if got := textOf(t, ctx, out); got != "" {
			t.Errorf("a result shows for invalid input: %q", got)
		}
		// Undefined and no-value outputs say so.
		hb := calcWidgetID("homab")
		typeInto(t, ctx, "#"+hb+"-in-glucose", "60")
		typeInto(t, ctx, "#"+hb+"-in-insulin", "10")
		if got := textOf(t, ctx, "#"+hb+"-out-homab"); !strings.HasPrefix(got, "Undefined: glucose is 3.5 mmol/L") {
			t.Errorf("HOMA-%%B %q", got)
		}
		e := calcWidgetID("edge")
		typeInto(t, ctx, "#"+e+"-in-x", "1")
		typeInto(t, ctx, "#"+e+"-in-y", "0")
		if got := textOf(t, ctx, "#"+e+"-out-q"); got != calc.NoValueMessage {
			t.Errorf("1/0 shows %q", got)
		}
	})

	t.Run("shared link restores and scrolls", func(t *testing.T) {
		page := calcHarness(t, strings.Repeat("A paragraph of the chapter before the calculators.\n\n", 150))
		srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Dir(strings.TrimPrefix(page, "file://")))))
		defer srv.Close()
		id := calcWidgetID("tyg")
		for _, base := range []string{page, srv.URL + "/index.html"} {
			for _, hash := range []string{"#calculator-3:tg=1.7,tg-u=mmoll,glucose=5,glucose-u=mmoll", "#" + id + ":tg=1.7,tg-u=mmoll,glucose=5,glucose-u=mmoll"} {
				ctx := browsertest.Tab(t, 30*time.Second)
				browsertest.Run(t, ctx, chromedp.Navigate(base+hash))
				inView := fmt.Sprintf(`(() => { const r = document.getElementById(%q).getBoundingClientRect();
  return document.getElementById(%q).textContent === "8.82" && r.top >= 0 && r.bottom <= innerHeight; })()`, id+"-out-tyg", id+"-out-tyg")
				if _, ok := browsertest.Wait(ctx, inView, 5*time.Second, 50*time.Millisecond); !ok {
					y := browsertest.Run(t, ctx, chromedp.Evaluate[float64](`scrollY`))
					t.Errorf("%s%s: the result is not restored in view (scrollY %v, TyG %q)", base, hash, y, textOf(t, ctx, "#"+id+"-out-tyg"))
				}
			}
		}
	})

	// The widget's own colour fallbacks reach WCAG AA (4.5:1) on its
	// background in both schemes, messages and notes included.
	for _, scheme := range []string{"light", "dark"} {
		t.Run("contrast "+scheme, func(t *testing.T) {
			ctx := browsertest.Tab(t, 30*time.Second)
			if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
			}); err != nil {
				t.Fatal(err)
			}
			browsertest.Run(t, ctx, chromedp.Navigate(url))
			id := calcWidgetID("tyg")
			typeInto(t, ctx, "#"+id+"-in-tg", "abc")
			typeInto(t, ctx, "#"+id+"-in-glucose", "90")
			bad := browsertest.Run(t, ctx, chromedp.Evaluate[[]string](`(() => {
  const rgb = c => c.match(/[\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const fig = document.getElementById(`+jsq(id)+`);
  const bg = getComputedStyle(fig).backgroundColor;
  const bad = [];
  for (const sel of ["figcaption", ".gb-calc-disclaimer", ".gb-calc-formula", "td", "label", "input", "select", ".gb-calc-msg", "dt", "dd", ".gb-calc-status"]) {
    const el = fig.querySelector(sel);
    if (!el) { bad.push(sel + " missing"); continue; }
    const r = ratio(getComputedStyle(el).color, bg);
    if (r < 4.5) bad.push(sel + " " + r.toFixed(2));
  }
  return bad;
})()`))
			if len(bad) > 0 {
				t.Errorf("contrast below 4.5:1 in %s mode: %v", scheme, bad)
			}
		})
	}

	t.Run("without JavaScript", func(t *testing.T) {
		ctx := browsertest.Tab(t, 30*time.Second)
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
		browsertest.Run(t, ctx, chromedp.Navigate(url))
		text := browsertest.Run(t, ctx, chromedp.Text("#"+calcWidgetID("tyg")))
		for _, want := range []string{"TyG index = ln(tg × glucose ÷ 2)", "1 mmol/L = 88.57 mg/dL", "8.8 or above", "Worked example", "8.82"} {
			if !strings.Contains(text, want) {
				t.Errorf("fallback lacks %q:\n%s", want, text)
			}
		}
		shown := browsertest.Run(t, ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("input, select, output")].filter(e => e.offsetParent !== null).length`))
		if shown != 0 {
			t.Errorf("%d dead controls visible without JavaScript", shown)
		}
	})
}

// jsq quotes s for JavaScript.
func jsq(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
