package widgets

import (
	"context"
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

// harness writes a page holding two rendered homa-ir widgets (the second
// with homa-b) and the shipped script and styles, and returns its file://
// URL: the offline-export situation, the strictest one for a script.
func harness(t *testing.T) string {
	t.Helper()
	return harnessPage(t, "")
}

// harnessPage is harness with before (HTML) ahead of the widgets.
func harnessPage(t *testing.T, before string) string {
	t.Helper()
	md := newMarkdown(NewRegistry(testTemplates(t)), testBibliography(t))
	body, errs, _ := convert(t, md, before+"\n\n```widget homa-ir\n```\n\n```widget homa-ir\nhoma-b: true\n```\n")
	if errs != "" {
		t.Fatal(errs)
	}
	dir := t.TempDir()
	for _, f := range []string{"calculator.js", "homa-ir.js", "homa-ir.css"} {
		data, err := os.ReadFile(filepath.Join("../../assets/widgets", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	page := `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>HOMA-IR harness</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="homa-ir.css"></head><body>` + body + `<script src="calculator.js"></script><script src="homa-ir.js"></script></body></html>`
	index := filepath.Join(dir, "index.html")
	if err := os.WriteFile(index, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	return "file://" + index
}

// typeInto replaces a field's text by typing, as a reader would.
func typeInto(t *testing.T, ctx context.Context, sel, s string) {
	t.Helper()
	browsertest.Run(t, ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).select()`, sel)))
	if s == "" {
		browsertest.Run(t, ctx, chromedp.SendKeys(sel, "\b"))
		return
	}
	browsertest.Run(t, ctx, chromedp.SendKeys(sel, s))
}

func chooseUnit(t *testing.T, ctx context.Context, sel, value string) {
	t.Helper()
	browsertest.Run(t, ctx, chromedp.SetValue(sel, value))
	browsertest.Run(t, ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).dispatchEvent(new Event("change", {bubbles: true}))`, sel)))
}

func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return browsertest.Run(t, ctx, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q).textContent`, sel)))
}

func TestHOMABrowser(t *testing.T) {
	url := harness(t)
	browsertest.Browser(t) // skips loudly without Chromium before any subtest

	t.Run("vectors", func(t *testing.T) {
		ctx := browsertest.Tab(t, 30*time.Second)
		browsertest.Run(t, ctx, chromedp.Navigate(url))
		// compute() without a page's bands uses the script's defaults.
		if js, goBands := browsertest.Run(t, ctx, chromedp.Evaluate[string](`JSON.stringify(guidebookHoma.DEFAULT_BANDS)`)), defaultHOMAOptions().BandsJSON(); js != goBands {
			t.Errorf("homa-ir.js default bands\n%s\ndiffer from DefaultHOMABands\n%s", js, goBands)
		}
		for _, v := range readVectors(t) {
			args, _ := json.Marshal([]string{v.Glucose, v.GUnit, v.Insulin, v.IUnit})
			raw := browsertest.Run(t, ctx, chromedp.Evaluate[[]byte](`JSON.stringify(guidebookHoma.compute.apply(null, `+string(args)+`))`))
			var js string
			if err := json.Unmarshal(raw, &js); err != nil {
				t.Fatal(err)
			}
			var got struct {
				OK     bool
				HomaIR float64
				Quicki float64
				HomaB  *float64
				Band   string
				Text   struct{ HomaIR, Quicki, HomaB string }
				Errors map[string]struct{ Code, Message string }
			}
			if err := json.Unmarshal([]byte(js), &got); err != nil {
				t.Fatal(err)
			}
			if v.Errors != nil {
				if got.OK {
					t.Errorf("%s: JS computed a result for invalid input", v.Name)
				}
				for _, field := range []string{"glucose", "insulin"} {
					if got.Errors[field].Code != v.Errors[field] {
						t.Errorf("%s: JS %s code %q, want %q", v.Name, field, got.Errors[field].Code, v.Errors[field])
					}
					if c := v.Errors[field]; c != "" && got.Errors[field].Message != homaSpec.Input(field).Message(c) {
						t.Errorf("%s: JS message %q differs from Go %q", v.Name, got.Errors[field].Message, homaSpec.Input(field).Message(c))
					}
				}
				continue
			}
			if !got.OK || !close9(got.HomaIR, v.HOMAIR) || !close9(got.Quicki, v.QUICKI) ||
				(got.HomaB == nil) != (v.HOMAB == nil) || got.HomaB != nil && !close9(*got.HomaB, *v.HOMAB) {
				t.Errorf("%s: JS %+v, want %v %v %v", v.Name, got, v.HOMAIR, v.QUICKI, v.HOMAB)
			}
			if got.Text.HomaIR != v.Text.HOMAIR || got.Text.Quicki != v.Text.QUICKI || got.Text.HomaB != v.Text.HOMAB || got.Band != v.Band {
				t.Errorf("%s: JS shows %+v %q, want %+v %q", v.Name, got.Text, got.Band, v.Text, v.Band)
			}
		}
	})

	t.Run("conversion vectors", func(t *testing.T) {
		ctx := browsertest.Tab(t, 30*time.Second)
		browsertest.Run(t, ctx, chromedp.Navigate(url))
		for _, c := range readVectorFile(t).Conversions {
			sel := map[string]string{"glucose": "#gb-homa-ir-1-gu", "insulin": "#gb-homa-ir-1-iu"}[c.Field]
			args, _ := json.Marshal([]string{c.Field, c.Value, c.From, c.To})
			// The units, factors and decimals come from the page's own
			// <option> data attributes, as the widget reads them.
			js := fmt.Sprintf(`(() => {
  const units = guidebookHoma.unitsOf(document.querySelector(%q));
  const [field, value, from, to] = %s;
  const r = guidebookHoma.convertText(field, value, from, to, units);
  const back = r.ok ? guidebookHoma.formatIn(guidebookHoma.convertValue(r.exact, to, from, units), units[from]) : "";
  return [String(r.ok), r.text, back];
})()`, sel, args)
			got := browsertest.Run(t, ctx, chromedp.Evaluate[[]string](js))
			if c.Shown == nil {
				if got[0] != "false" || got[1] != c.Value {
					t.Errorf("%s: JS converted to %q, want the field left as %q", c.Name, got[1], c.Value)
				}
				continue
			}
			if got[0] != "true" || got[1] != *c.Shown || got[2] != c.Back {
				t.Errorf("%s: JS shows %q and back %q (ok %s), want %q and %q", c.Name, got[1], got[2], got[0], *c.Shown, c.Back)
			}
		}
	})

	t.Run("switching a unit converts the value", func(t *testing.T) {
		ctx := browsertest.Tab(t, 30*time.Second)
		browsertest.Run(t, ctx, chromedp.Navigate(url))
		browsertest.Run(t, ctx, chromedp.WaitVisible("#gb-homa-ir-1-g"))
		value := func(sel string) string { t.Helper(); return browsertest.Run(t, ctx, chromedp.Value(sel)) }
		// The case: 100 mg/dL and 60 pmol/L give 2.47.
		chooseUnit(t, ctx, "#gb-homa-ir-1-iu", "pmoll")
		typeInto(t, ctx, "#gb-homa-ir-1-g", "100")
		typeInto(t, ctx, "#gb-homa-ir-1-i", "60")
		if got := textOf(t, ctx, "#gb-homa-ir-1-ir"); got != "2.47" {
			t.Fatalf("HOMA-IR %q before switching", got)
		}
		chooseUnit(t, ctx, "#gb-homa-ir-1-iu", "uUml")
		if got, ir := value("#gb-homa-ir-1-i"), textOf(t, ctx, "#gb-homa-ir-1-ir"); got != "10" || ir != "2.47" {
			t.Errorf("60 pmol/L switched to µU/mL: field %q, HOMA-IR %q; want 10 and 2.47", got, ir)
		}
		note := textOf(t, ctx, "#gb-homa-ir-1-i-note")
		if !strings.Contains(note, "60 pmol/L") || !strings.Contains(note, "10 µU/mL") {
			t.Errorf("the conversion is not announced: %q", note)
		}
		chooseUnit(t, ctx, "#gb-homa-ir-1-gu", "mmoll")
		if got, ir := value("#gb-homa-ir-1-g"), textOf(t, ctx, "#gb-homa-ir-1-ir"); got != "5.55" || ir != "2.47" {
			t.Errorf("100 mg/dL switched to mmol/L: field %q, HOMA-IR %q; want 5.55 and 2.47", got, ir)
		}
		if loc := browsertest.Run(t, ctx, chromedp.Location()); !strings.HasSuffix(loc, "#homa-ir-1:g=5.55,gu=mmoll,i=10,iu=uUml") {
			t.Errorf("the URL state did not follow: %s", loc)
		}
		// Switching back restores the value typed, not a rounded one.
		chooseUnit(t, ctx, "#gb-homa-ir-1-gu", "mgdl")
		chooseUnit(t, ctx, "#gb-homa-ir-1-iu", "pmoll")
		if g, i := value("#gb-homa-ir-1-g"), value("#gb-homa-ir-1-i"); g != "100" || i != "60" {
			t.Errorf("switched back: %q and %q, want 100 and 60", g, i)
		}
		// Typing clears the note.
		typeInto(t, ctx, "#gb-homa-ir-1-i", "61")
		if hidden := browsertest.Run(t, ctx, chromedp.Evaluate[bool](`document.getElementById("gb-homa-ir-1-i-note").hidden`)); !hidden {
			t.Error("the note stays after typing")
		}
		// A value implausible in its unit was probably typed for the other
		// one: it is left as it is, as are empty and invalid fields.
		typeInto(t, ctx, "#gb-homa-ir-1-g", "5.4")
		chooseUnit(t, ctx, "#gb-homa-ir-1-gu", "mmoll")
		if got := value("#gb-homa-ir-1-g"); got != "5.4" {
			t.Errorf("5.4 typed under mg/dL became %q in mmol/L", got)
		}
		for _, text := range []string{"", "abc", "-3"} {
			typeInto(t, ctx, "#gb-homa-ir-1-g", text)
			chooseUnit(t, ctx, "#gb-homa-ir-1-gu", "mgdl")
			chooseUnit(t, ctx, "#gb-homa-ir-1-gu", "mmoll")
			if got := value("#gb-homa-ir-1-g"); got != text {
				t.Errorf("%q became %q", text, got)
			}
		}
	})

	t.Run("typing in both unit systems", func(t *testing.T) {
		ctx := browsertest.Tab(t, 30*time.Second)
		browsertest.Run(t, ctx, chromedp.Navigate(url))
		browsertest.Run(t, ctx, chromedp.WaitVisible("#gb-homa-ir-1-g"))
		if s := textOf(t, ctx, "#gb-homa-ir-1-status"); !strings.Contains(s, "Enter both values") {
			t.Errorf("initial status %q", s)
		}
		typeInto(t, ctx, "#gb-homa-ir-1-g", "90")
		if msg := browsertest.Run(t, ctx, chromedp.Evaluate[bool](`document.getElementById("gb-homa-ir-1-i-msg").hidden`)); !msg {
			t.Error("an untouched empty field shows an error")
		}
		typeInto(t, ctx, "#gb-homa-ir-1-i", "10")
		check := func(ir, quicki, band string) {
			t.Helper()
			if got := textOf(t, ctx, "#gb-homa-ir-1-ir"); got != ir {
				t.Errorf("HOMA-IR %q, want %q", got, ir)
			}
			if got := textOf(t, ctx, "#gb-homa-ir-1-quicki"); got != quicki {
				t.Errorf("QUICKI %q, want %q", got, quicki)
			}
			if got := textOf(t, ctx, "#gb-homa-ir-1-band"); got != band {
				t.Errorf("band %q, want %q", got, band)
			}
		}
		check("2.22", "0.338", DefaultHOMABands()[2].Label)
		loc := browsertest.Run(t, ctx, chromedp.Location())
		if !strings.HasSuffix(loc, "#homa-ir-1:g=90,gu=mgdl,i=10,iu=uUml") {
			t.Errorf("hash not saved: %s", loc)
		}

		chooseUnit(t, ctx, "#gb-homa-ir-1-gu", "mmoll")
		chooseUnit(t, ctx, "#gb-homa-ir-1-iu", "pmoll")
		typeInto(t, ctx, "#gb-homa-ir-1-g", "5,4")
		typeInto(t, ctx, "#gb-homa-ir-1-i", "75")
		check("3.00", "0.324", DefaultHOMABands()[3].Label)

		// The second widget is independent and shows HOMA-%B.
		typeInto(t, ctx, "#gb-homa-ir-2-g", "3.4")
		chooseUnit(t, ctx, "#gb-homa-ir-2-gu", "mmoll")
		typeInto(t, ctx, "#gb-homa-ir-2-i", "10")
		if got := textOf(t, ctx, "#gb-homa-ir-2-homab"); !strings.Contains(got, "undefined") {
			t.Errorf("HOMA-%%B at 3.4 mmol/L: %q", got)
		}
		typeInto(t, ctx, "#gb-homa-ir-2-g", "5")
		if got := textOf(t, ctx, "#gb-homa-ir-2-homab"); got != "133.3 %" {
			t.Errorf("HOMA-%%B %q", got)
		}
		if got := textOf(t, ctx, "#gb-homa-ir-1-ir"); got != "3.00" {
			t.Errorf("first widget changed: %q", got)
		}
	})

	t.Run("invalid values", func(t *testing.T) {
		ctx := browsertest.Tab(t, 30*time.Second)
		browsertest.Run(t, ctx, chromedp.Navigate(url))
		browsertest.Run(t, ctx, chromedp.WaitVisible("#gb-homa-ir-1-g"))
		typeInto(t, ctx, "#gb-homa-ir-1-g", "90")
		typeInto(t, ctx, "#gb-homa-ir-1-i", "10")
		for _, c := range []struct{ g, i, field, code string }{
			{"abc", "10", "g", "not-a-number"},
			{"-5", "10", "g", "negative"},
			{"0", "10", "g", "zero"},
			{"19", "10", "g", "too-low"},
			{"90", "301", "i", "too-high"},
			{"90", "", "i", "empty"},
		} {
			typeInto(t, ctx, "#gb-homa-ir-1-g", c.g)
			typeInto(t, ctx, "#gb-homa-ir-1-i", c.i)
			field := "#gb-homa-ir-1-" + c.field
			attrs := browsertest.Run(t, ctx, chromedp.Attributes(field))
			if attrs["aria-invalid"] != "true" || attrs["aria-describedby"] != "gb-homa-ir-1-"+c.field+"-msg" {
				t.Errorf("%s/%s: attributes %v", c.g, c.i, attrs)
			}
			name := map[string]string{"g": "glucose", "i": "insulin"}[c.field]
			if got := textOf(t, ctx, field+"-msg"); got != homaSpec.Input(name).Message(c.code) {
				t.Errorf("%s/%s: message %q, want %q", c.g, c.i, got, homaSpec.Input(name).Message(c.code))
			}
			if visible := browsertest.Run(t, ctx, chromedp.Evaluate[bool](`!document.getElementById("gb-homa-ir-1-`+c.field+`-msg").hidden`)); !visible {
				t.Errorf("%s/%s: message hidden", c.g, c.i)
			}
			for _, out := range []string{"ir", "quicki", "band"} {
				if got := textOf(t, ctx, "#gb-homa-ir-1-"+out); got != "" {
					t.Errorf("%s/%s: result %s shown: %q", c.g, c.i, out, got)
				}
			}
		}
		// Fixing the value clears the message and the ARIA state.
		typeInto(t, ctx, "#gb-homa-ir-1-i", "10")
		attrs := browsertest.Run(t, ctx, chromedp.Attributes("#gb-homa-ir-1-i"))
		if _, bad := attrs["aria-invalid"]; bad || textOf(t, ctx, "#gb-homa-ir-1-ir") != "2.22" {
			t.Errorf("not cleared: %v %q", attrs, textOf(t, ctx, "#gb-homa-ir-1-ir"))
		}
	})

	t.Run("keyboard", func(t *testing.T) {
		ctx := browsertest.Tab(t, 30*time.Second)
		browsertest.Run(t, ctx, chromedp.Navigate(url))
		browsertest.Run(t, ctx, chromedp.Focus("#gb-homa-ir-1-g"))
		var order []string
		for range 3 {
			browsertest.Run(t, ctx, chromedp.KeyEvent("\t"))
			order = append(order, browsertest.Run(t, ctx, chromedp.Evaluate[string](`document.activeElement.id`)))
		}
		if want := []string{"gb-homa-ir-1-gu", "gb-homa-ir-1-i", "gb-homa-ir-1-iu"}; strings.Join(order, " ") != strings.Join(want, " ") {
			t.Errorf("tab order %v, want %v", order, want)
		}
		// Labels name every control.
		unlabelled := browsertest.Run(t, ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("input, select")].filter(e => e.labels.length === 0).length`))
		if unlabelled != 0 {
			t.Errorf("%d controls without a label", unlabelled)
		}
	})

	t.Run("hash restores state", func(t *testing.T) {
		ctx := browsertest.Tab(t, 30*time.Second)
		browsertest.Run(t, ctx, chromedp.Navigate(url+"#homa-ir-2:g=5.4,gu=mmoll,i=75,iu=pmoll"))
		browsertest.Run(t, ctx, chromedp.WaitVisible("#gb-homa-ir-2-g"))
		if got := browsertest.Run(t, ctx, chromedp.Value("#gb-homa-ir-2-g")); got != "5.4" {
			t.Errorf("glucose %q", got)
		}
		if got := browsertest.Run(t, ctx, chromedp.Value("#gb-homa-ir-2-iu")); got != "pmoll" {
			t.Errorf("insulin unit %q", got)
		}
		if got := textOf(t, ctx, "#gb-homa-ir-2-ir"); got != "3.00" {
			t.Errorf("HOMA-IR %q", got)
		}
		if got := textOf(t, ctx, "#gb-homa-ir-1-ir"); got != "" {
			t.Errorf("the other widget took the state: %q", got)
		}
		// A shared link with an invalid value shows the message at once.
		browsertest.Run(t, ctx, chromedp.Navigate(url+"#homa-ir-1:g=9000,gu=mgdl,i=10,iu=uUml"))
		browsertest.Run(t, ctx, chromedp.Reload())
		browsertest.Run(t, ctx, chromedp.WaitVisible("#gb-homa-ir-1-g"))
		if got := textOf(t, ctx, "#gb-homa-ir-1-g-msg"); got != homaSpec.Input("glucose").Message(calc.CodeTooHigh) {
			t.Errorf("message %q", got)
		}
		// A mangled hash is ignored quietly.
		browsertest.Run(t, ctx, chromedp.Navigate(url+"#homa-ir-1:g=%E0%A4%A,gu=nonsense"))
		browsertest.Run(t, ctx, chromedp.Reload())
		browsertest.Run(t, ctx, chromedp.WaitVisible("#gb-homa-ir-1-g"))
		if got := browsertest.Run(t, ctx, chromedp.Value("#gb-homa-ir-1-gu")); got != "mgdl" {
			t.Errorf("unit %q", got)
		}
	})

	// A shared link (#homa-ir-2:...) lands on its calculator with the
	// result in view, as a fragment link would, however far down the page
	// it is: opened from disk and served over HTTP.
	t.Run("shared link scrolls to the calculator", func(t *testing.T) {
		filler := strings.Repeat("A paragraph of the chapter before the calculator.\n\n", 150)
		page := harnessPage(t, filler)
		srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Dir(strings.TrimPrefix(page, "file://")))))
		defer srv.Close()
		for _, base := range []string{page, srv.URL + "/index.html"} {
			ctx := browsertest.Tab(t, 30*time.Second)
			browsertest.Run(t, ctx, chromedp.Navigate(base+"#homa-ir-2:g=100,gu=mgdl,i=10,iu=uUml"))
			browsertest.Run(t, ctx, chromedp.WaitVisible("#gb-homa-ir-2-g"))
			if got := textOf(t, ctx, "#gb-homa-ir-2-ir"); got != "2.47" {
				t.Fatalf("%s: HOMA-IR %q", base, got)
			}
			inView := `(() => { const r = document.getElementById(%q).getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()`
			for _, id := range []string{"gb-homa-ir-2-g", "gb-homa-ir-2-ir", "gb-homa-ir-2-band"} {
				if _, ok := browsertest.Wait(ctx, fmt.Sprintf(inView, id), 5*time.Second, 50*time.Millisecond); !ok {
					y := browsertest.Run(t, ctx, chromedp.Evaluate[float64](`scrollY`))
					t.Errorf("%s: #%s is not in the viewport (scrollY %v)", base, id, y)
				}
			}
			// Another shared link pasted into the same page moves there too.
			browsertest.Run(t, ctx, chromedp.Evaluate[chromedp.Void](`scrollTo(0, 0)`))
			browsertest.Run(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = "homa-ir-1:g=90,gu=mgdl,i=10,iu=uUml"`))
			if _, ok := browsertest.Wait(ctx, fmt.Sprintf(inView, "gb-homa-ir-1-ir")+` && document.getElementById("gb-homa-ir-1-ir").textContent === "2.22"`, 5*time.Second, 50*time.Millisecond); !ok {
				t.Errorf("%s: a hash change does not bring #homa-ir-1 into view", base)
			}
		}
	})

	// Without the site stylesheet the widget's own fallbacks apply; every
	// text colour must reach WCAG AA (4.5:1) on the figure background in
	// both schemes.
	for _, scheme := range []string{"light", "dark"} {
		t.Run("contrast "+scheme, func(t *testing.T) {
			ctx := browsertest.Tab(t, 30*time.Second)
			if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
			}); err != nil {
				t.Fatal(err)
			}
			browsertest.Run(t, ctx, chromedp.Navigate(url))
			typeInto(t, ctx, "#gb-homa-ir-1-g", "abc")
			typeInto(t, ctx, "#gb-homa-ir-1-i", "10")
			worst := browsertest.Run(t, ctx, chromedp.Evaluate[[]string](`(() => {
  const rgb = c => c.match(/[\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const fig = document.getElementById("gb-homa-ir-1");
  const bg = getComputedStyle(fig).backgroundColor;
  const bad = [];
  if ((lum(bg) < 0.2) !== matchMedia("(prefers-color-scheme: dark)").matches) bad.push("background " + bg + " does not follow the scheme");
  for (const sel of ["figcaption", ".gb-homa-disclaimer", ".gb-homa-formula", "td", "label", "input", "select", ".gb-homa-msg", "dt", "dd", ".gb-homa-status"]) {
    const el = fig.querySelector(sel);
    const r = ratio(getComputedStyle(el).color, bg);
    if (r < 4.5) bad.push(sel + " " + r.toFixed(2));
  }
  return bad;
})()`))
			if dark := browsertest.Run(t, ctx, chromedp.Evaluate[bool](`matchMedia("(prefers-color-scheme: dark)").matches`)); dark != (scheme == "dark") {
				t.Fatalf("scheme emulation failed: dark=%v", dark)
			}
			if len(worst) > 0 {
				t.Errorf("contrast below 4.5:1 in %s mode: %v", scheme, worst)
			}
		})
	}

	t.Run("without JavaScript", func(t *testing.T) {
		ctx := browsertest.Tab(t, 30*time.Second)
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
		browsertest.Run(t, ctx, chromedp.Navigate(url))
		visibleText := browsertest.Run(t, ctx, chromedp.Text("#gb-homa-ir-1"))
		for _, want := range []string{"Educational, not a diagnosis", "÷ 405", "÷ 22.5", "QUICKI", "below 1.0", "2.9 or above",
			"Worked example", "90 mg/dL", "10 µU/mL", "2.22", "[1]"} {
			if !strings.Contains(visibleText, want) {
				t.Errorf("fallback lacks %q:\n%s", want, visibleText)
			}
		}
		if strings.Contains(visibleText, "Fasting glucose") {
			t.Error("the form shows without JavaScript")
		}
		shown := browsertest.Run(t, ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("input, select, output")].filter(e => e.offsetParent !== null).length`))
		if shown != 0 {
			t.Errorf("%d dead controls visible without JavaScript", shown)
		}
	})
}
