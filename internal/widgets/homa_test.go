package widgets

import (
	"encoding/json"
	"errors"
	"guidebook/internal/calc"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// vector is one case of testdata/homa_vectors.json, shared with the
// browser test of homa-ir.js.
type vector struct {
	Name    string   `json:"name"`
	Glucose string   `json:"glucose"`
	GUnit   string   `json:"gUnit"`
	Insulin string   `json:"insulin"`
	IUnit   string   `json:"iUnit"`
	HOMAIR  float64  `json:"homaIR"`
	QUICKI  float64  `json:"quicki"`
	HOMAB   *float64 `json:"homaB"`
	Text    struct {
		HOMAIR string `json:"homaIR"`
		QUICKI string `json:"quicki"`
		HOMAB  string `json:"homaB"`
	} `json:"text"`
	Band   string            `json:"band"`
	Errors map[string]string `json:"errors"`
}

// conversion is one unit switch of testdata/homa_vectors.json.
type conversion struct {
	Name  string  `json:"name"`
	Field string  `json:"field"`
	Value string  `json:"value"`
	From  string  `json:"from"`
	To    string  `json:"to"`
	Shown *string `json:"shown"` // nil: the field is left as it is
	Back  string  `json:"back"`
	With  struct {
		Value string `json:"value"`
		Unit  string `json:"unit"`
	} `json:"with"`
	HOMAIR []string `json:"homaIR"` // shown before and after the switch
}

type vectorFile struct {
	Cases       []vector
	Conversions []conversion
}

func readVectorFile(t testing.TB) vectorFile {
	t.Helper()
	data, err := os.ReadFile("testdata/homa_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var file vectorFile
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Cases) < 14 || len(file.Conversions) < 10 {
		t.Fatalf("only %d vectors and %d conversions", len(file.Cases), len(file.Conversions))
	}
	return file
}

func readVectors(t testing.TB) []vector { return readVectorFile(t).Cases }

// homaText is the HOMA-IR a reader sees for a conversion case's glucose
// or insulin value next to the case's other, fixed, value.
func (c conversion) homaText(value, unit string) (string, error) {
	g, gu, i, iu := value, unit, c.With.Value, c.With.Unit
	if c.Field == "insulin" {
		g, gu, i, iu = i, iu, g, gu
	}
	r, err := HOMAIRText(g, gu, i, iu)
	return strconv.FormatFloat(Round2(r.HOMAIR), 'f', 2, 64), err
}

// lastDigit reports whether two shown HOMA-IR values differ by at most
// one in their last digit.
func lastDigit(a, b string) bool {
	x, _ := strconv.ParseFloat(a, 64)
	y, _ := strconv.ParseFloat(b, 64)
	return math.Abs(x-y) <= 0.0100001
}

func TestHOMAConversionVectors(t *testing.T) {
	for _, c := range readVectorFile(t).Conversions {
		t.Run(c.Name, func(t *testing.T) {
			shown, exact, ok := ConvertText(c.Field, c.Value, c.From, c.To)
			if c.Shown == nil {
				if ok || shown != c.Value {
					t.Fatalf("converted to %q, want the field left as %q", shown, c.Value)
				}
				return
			}
			if !ok || shown != *c.Shown {
				t.Fatalf("ConvertText = %q, %v; want %q", shown, ok, *c.Shown)
			}
			back, _ := Convert(c.Field, exact, c.To, c.From)
			if got := FormatIn(c.Field, back, c.From); got != c.Back {
				t.Errorf("switching back shows %q, want %q", got, c.Back)
			}
			before, err1 := c.homaText(c.Value, c.From)
			after, err2 := c.homaText(shown, c.To)
			if err1 != nil || err2 != nil || before != c.HOMAIR[0] || after != c.HOMAIR[1] {
				t.Errorf("HOMA-IR %s (%v) then %s (%v), want %v", before, err1, after, err2, c.HOMAIR)
			}
			if !lastDigit(before, after) {
				t.Errorf("switching the unit moved HOMA-IR from %s to %s", before, after)
			}
		})
	}
}

func close9(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestHOMAVectors(t *testing.T) {
	opts := defaultHOMAOptions()
	for _, v := range readVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			r, err := HOMAIRText(v.Glucose, v.GUnit, v.Insulin, v.IUnit)
			if v.Errors != nil {
				var ve *ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("got %+v, %v; want errors %v", r, err, v.Errors)
				}
				for _, field := range []string{"glucose", "insulin"} {
					if got := ve.Code(field); got != v.Errors[field] {
						t.Errorf("%s: code %q, want %q", field, got, v.Errors[field])
					}
				}
				for _, f := range ve.Fields {
					if f.Message == "" {
						t.Errorf("%s %s: no message", f.Field, f.Code)
					}
				}
				if r != (Result{}) {
					t.Errorf("invalid input gave a result: %+v", r)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !close9(r.HOMAIR, v.HOMAIR) || !close9(r.QUICKI, v.QUICKI) {
				t.Errorf("HOMA-IR %v QUICKI %v, want %v %v", r.HOMAIR, r.QUICKI, v.HOMAIR, v.QUICKI)
			}
			if (v.HOMAB == nil) == r.HOMABDefined || v.HOMAB != nil && !close9(r.HOMAB, *v.HOMAB) {
				t.Errorf("HOMA-%%B %v (defined %v), want %v", r.HOMAB, r.HOMABDefined, v.HOMAB)
			}
			if got := strconv.FormatFloat(Round2(r.HOMAIR), 'f', 2, 64); got != v.Text.HOMAIR {
				t.Errorf("shown HOMA-IR %s, want %s", got, v.Text.HOMAIR)
			}
			if got := strconv.FormatFloat(r.QUICKI, 'f', 3, 64); got != v.Text.QUICKI {
				t.Errorf("shown QUICKI %s, want %s", got, v.Text.QUICKI)
			}
			if got := opts.BandFor(r.HOMAIR); got != v.Band {
				t.Errorf("band %q, want %q", got, v.Band)
			}
		})
	}
}

func TestHOMAIRFloat(t *testing.T) {
	tests := []struct {
		name    string
		g       float64
		gu      GlucoseUnit
		i       float64
		iu      InsulinUnit
		want    float64
		wantErr map[string]string
	}{
		{"worked example", 90, GlucoseMgdl, 10, InsulinUU, 2.2222222222, nil},
		{"SI", 5, GlucoseMmol, 60, InsulinPmol, 2.2222222222, nil},
		{"NaN glucose", math.NaN(), GlucoseMgdl, 10, InsulinUU, 0, map[string]string{"glucose": calc.CodeNotANum}},
		{"infinite insulin", 90, GlucoseMgdl, math.Inf(1), InsulinUU, 0, map[string]string{"insulin": calc.CodeTooHigh}},
		{"minus infinity", math.Inf(-1), GlucoseMgdl, 10, InsulinUU, 0, map[string]string{"glucose": calc.CodeNegative}},
		{"bad units", 90, "x", 10, "y", 0, map[string]string{"glucose": calc.CodeUnit, "insulin": calc.CodeUnit}},
		{"both out of range", 19, GlucoseMgdl, 301, InsulinUU, 0, map[string]string{"glucose": calc.CodeTooLow, "insulin": calc.CodeTooHigh}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := HOMAIR(tt.g, tt.gu, tt.i, tt.iu)
			if tt.wantErr == nil {
				if err != nil || math.Abs(r.HOMAIR-tt.want) > 1e-9 {
					t.Fatalf("got %v, %v; want %v", r.HOMAIR, err, tt.want)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("got %v, want a ValidationError", err)
			}
			for _, f := range []string{"glucose", "insulin"} {
				if ve.Code(f) != tt.wantErr[f] {
					t.Errorf("%s: %q, want %q (%v)", f, ve.Code(f), tt.wantErr[f], err)
				}
			}
		})
	}
}

// homaRule is the rule of thumb DefaultHOMABands documents, restated
// here so that the table cannot drift from it again: below about 1.0
// insulin-sensitive, from about 1.9 early and from about 2.9 significant
// insulin resistance, each a possibility and never a finding.
var homaRule = []struct {
	from    float64
	mustSay string
	mustNot []string
}{
	{0, "insulin sensitivity", []string{"resistance"}},
	{1.0, "normal", []string{"resistance"}},
	{1.9, "may indicate early insulin resistance", []string{"significant"}},
	{2.9, "may indicate significant insulin resistance", []string{"early"}},
}

func TestDefaultBandsFollowDocumentedRule(t *testing.T) {
	bands := DefaultHOMABands()
	if len(bands) != len(homaRule) {
		t.Fatalf("%d default bands, the rule has %d", len(bands), len(homaRule))
	}
	o := defaultHOMAOptions()
	for i, r := range homaRule {
		if i > 0 && (bands[i-1].Max == nil || *bands[i-1].Max != r.from) {
			t.Errorf("band %d should start at %v: previous max %v", i, r.from, bands[i-1].Max)
		}
		label := strings.ToLower(bands[i].Label)
		if !strings.Contains(label, r.mustSay) {
			t.Errorf("band from %v is %q, the rule says %q", r.from, bands[i].Label, r.mustSay)
		}
		for _, w := range append(r.mustNot, "likely", "severe", "diagnos") {
			if strings.Contains(label, w) {
				t.Errorf("band from %v is %q: stronger than the rule (%q)", r.from, bands[i].Label, w)
			}
		}
		// A value inside the band, and one just below its lower edge.
		if got := o.BandFor(r.from + 0.05); got != bands[i].Label {
			t.Errorf("BandFor(%v) = %q, want %q", r.from+0.05, got, bands[i].Label)
		}
	}
	// The page's own worked example, 90 mg/dL and 10 µU/mL (2.22).
	if ex := o.Example(); ex.Band != bands[2].Label {
		t.Errorf("worked example %s is read as %q", ex.HOMAIR, ex.Band)
	}
}

func TestBands(t *testing.T) {
	o := defaultHOMAOptions()
	l := func(i int) string { return DefaultHOMABands()[i].Label }
	for v, want := range map[float64]string{
		0.5: l(0), 0.994: l(0), 0.995: l(1), // 0.995 shows as 1.00
		1.0: l(1), 1.894: l(1), 1.899: l(2), 1.9: l(2),
		2.899: l(3), // shown as 2.90, so banded as 2.90
		2.894: l(2), 40: l(3),
	} {
		if got := o.BandFor(v); got != want {
			t.Errorf("BandFor(%v) = %q, want %q", v, got, want)
		}
	}
	rows := o.BandRows()
	want := []string{"below 1.0", "1.0 to below 1.9", "1.9 to below 2.9", "2.9 or above"}
	for i, r := range rows {
		if r.Range != want[i] {
			t.Errorf("row %d range %q, want %q", i, r.Range, want[i])
		}
	}
	ex := o.Example()
	if ex.HOMAIR != "2.22" || ex.QUICKI != "0.338" || ex.HOMAB != "133.7" {
		t.Errorf("worked example %+v", ex)
	}
}

// TestBandsCaption reads the rendered figure: default bands are captioned
// as an informal rule of thumb with no citation on them (the cited papers
// give no such scheme), beside the published range of cut-offs; the
// widget's citations are listed as its sources; a page's own bands are
// not called a rule of thumb.
func TestBandsCaption(t *testing.T) {
	md := newMarkdown(NewRegistry(testTemplates(t)), testBibliography(t))
	for _, tc := range []struct {
		name, block, caption string
	}{
		{"default", "```widget homa-ir\ncite: [matthews1985]\n```\n", "informal rule of thumb"},
		{"own bands", "```widget homa-ir\nbands:\n  - {max: 2, label: Lower}\n  - {label: Higher}\ncite: [matthews1985]\n```\n", "How this page reads HOMA-IR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, errs, _ := convert(t, md, tc.block)
			if errs != "" {
				t.Fatal(errs)
			}
			doc, err := html.Parse(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			caption := findClass(doc, "caption", "")
			if caption == nil || !strings.Contains(nodeText(caption), tc.caption) {
				t.Fatalf("caption %q, want it to say %q", nodeText(caption), tc.caption)
			}
			if findClass(caption, "a", "gb-cite") != nil {
				t.Error("the bands' caption cites a source that does not give them")
			}
			note := nodeText(findClass(doc, "p", "gb-homa-bands-note"))
			if !strings.Contains(note, "Published cut-offs") || !strings.Contains(note, "3.5") {
				t.Errorf("note lacks the published range of cut-offs: %q", note)
			}
			if ruleOfThumb := strings.Contains(note, "informal rule of thumb"); ruleOfThumb != (tc.name == "default") {
				t.Errorf("note %q", note)
			}
			sources := findClass(doc, "p", "gb-homa-sources")
			if a := findClass(sources, "a", "gb-cite"); a == nil || !strings.HasSuffix(attrOf(a, "href"), "matthews1985") {
				t.Errorf("sources do not cite matthews1985: %q", nodeText(sources))
			}
		})
	}
}

// findClass returns the first element named tag (with class cls, when
// given) in n's subtree.
func findClass(n *html.Node, tag, cls string) *html.Node {
	if n == nil {
		return nil
	}
	if n.Type == html.ElementNode && n.Data == tag && (cls == "" || slices.Contains(strings.Fields(attrOf(n, "class")), cls)) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findClass(c, tag, cls); f != nil {
			return f
		}
	}
	return nil
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func nodeText(n *html.Node) string {
	if n == nil {
		return ""
	}
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(nodeText(c))
	}
	return b.String()
}
