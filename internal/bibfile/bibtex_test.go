package bibfile

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"guidebook/internal/bib"
	"guidebook/internal/diag"
)

func TestBibTeXFeatures(t *testing.T) {
	const src = `Text outside entries is a comment, even with an @ sign like me@example.com.

@comment{ @article{commented, title = {not an entry}} }
@preamble{ "\newcommand{\noop}[1]{}" }
@STRING{ jnl = "Journal of " }
@string(abbr = {Nutr})

@Article{full,
  Author = {M{\"u}ller, Hans-J{\"o}rg and Ludwig van Beethoven and {\v{S}}koda, Ji{\v r}{\'\i} and {World Health Organization} and others},
  title = "The {\emph{Role}} of {\'e}l{\` + "`" + `e}ve {\"{o}}l --- a {\c{c}}a\~no \& {\ss} 50\% -- ` + "``" + `quoted''",
  journal = jnl # abbr # "ition",
  volume = 12, number = "3",
  pages = {1--10},
  month = jun,
  year = 2001,
  doi = {10.1000/a_b%c},
  url = {https://example.org/a_b},
  note = {Nested {braces {deep}} stay balanced},
}

@book(parens,
  editor = {Doe, Jr, John},
  title = {Edited Book},
  publisher = {Pub},
  date = {2019-05-01}
)

@misc{plain,author={First Last},title={Plain},howpublished={\url{https://example.org/p}}}
`
	entries, err := Parse("refs.bib", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []bib.Entry{{
		Key: "full", Type: "article",
		Authors: []bib.Person{
			{Family: "Müller", Given: "Hans-Jörg"},
			{Family: "van Beethoven", Given: "Ludwig"},
			{Family: "Škoda", Given: "Jiří"},
			{Literal: "World Health Organization"},
			bib.EtAl,
		},
		Title:     "The Role of élève öl — a çaño & ß 50% – “quoted”",
		Container: "Journal of Nutrition",
		Volume:    "12", Issue: "3", Pages: "1–10", Year: "2001",
		DOI: "10.1000/a_b%c", URL: "https://example.org/a_b",
		Note: "Nested braces deep stay balanced",
		Pos:  diag.Pos{File: "refs.bib", Line: 8, Col: 1},
	}, {
		Key: "parens", Type: "book",
		Authors: []bib.Person{{Family: "Doe", Given: "John, Jr"}},
		Title:   "Edited Book", Publisher: "Pub", Year: "2019",
		Pos: diag.Pos{File: "refs.bib", Line: 21, Col: 1},
	}, {
		Key: "plain", Type: "misc",
		Authors: []bib.Person{{Family: "Last", Given: "First"}},
		Title:   "Plain", URL: "https://example.org/p",
		Pos: diag.Pos{File: "refs.bib", Line: 28, Col: 1},
	}}
	if !reflect.DeepEqual(entries, want) {
		t.Errorf("got\n%#v\nwant\n%#v", entries, want)
	}
	if got := entries[1].Text(); !strings.HasPrefix(got, "Doe, J., Jr") {
		t.Errorf("suffix: got %q", got)
	}
}

func TestBibTeXNames(t *testing.T) {
	for in, want := range map[string][]bib.Person{
		`Lan, J.`:                       {{Family: "Lan", Given: "J."}},
		`J. Lan`:                        {{Family: "Lan", Given: "J."}},
		`Lan`:                           {{Family: "Lan"}},
		`de la Fontaine, Jean`:          {{Family: "de la Fontaine", Given: "Jean"}},
		`Jean de la Fontaine`:           {{Family: "de la Fontaine", Given: "Jean"}},
		`{Barnes and Noble}`:            {{Literal: "Barnes and Noble"}},
		`A and B AND C`:                 {{Family: "A"}, {Family: "B"}, {Family: "C"}},
		"Lan, J.\n  and\tothers":        {{Family: "Lan", Given: "J."}, bib.EtAl},
		`Anderson, Sandy`:               {{Family: "Anderson", Given: "Sandy"}},
		`{\'A}lvarez, Mar{\'\i}a`:       {{Family: "Álvarez", Given: "María"}},
		`Smith, Jr., John`:              {{Family: "Smith", Given: "John, Jr."}},
		`{National Institutes} of Both`: {{Family: "of Both", Given: "National Institutes"}},
	} {
		p := &bibParser{errs: &diag.List{}}
		got := p.names(bibField{raw: in})
		if !reflect.DeepEqual(got, want) {
			t.Errorf("names(%q) = %#v, want %#v", in, got, want)
		}
	}
}

// TestBibTeXErrors checks that malformed input is reported at the line a
// person would fix, and that parsing resumes at the next entry.
func TestBibTeXErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		errs      []string
		keys      []string // entries still parsed
	}{{
		name: "unclosed brace at end of file",
		src:  "@article{a, title = {ok}}\n\n@article{b,\n  title = {Never closed,\n  year = 2015\n",
		errs: []string{"f.bib:4:11: unclosed brace"},
		keys: []string{"a"},
	}, {
		name: "unclosed brace swallowing later fields",
		src:  "@article{a,\n  title = {Unclosed,\n  year = 2015,\n}\n@article{b, title = {fine}}\n",
		errs: []string{`f.bib:2:11: unclosed brace in field "title" of entry "a"`},
		keys: []string{"b"},
	}, {
		name: "missing comma between fields",
		src:  "@article{a,\n  title = {T}\n  year = 2015\n}\n@book{b, title = {B}}\n",
		errs: []string{`f.bib:2:14: missing "," after field "title"`},
		keys: []string{"b"},
	}, {
		name: "missing comma after key",
		src:  "@article{a title = {T}}\n",
		errs: []string{`f.bib:1:12: missing "," after citation key "a"`},
	}, {
		name: "missing key",
		src:  "@article{title = {T}}\n",
		errs: []string{`f.bib:1:10: missing citation key in @article entry (found field "title")`},
	}, {
		name: "duplicate field",
		src:  "@article{a,\n  title = {T},\n  Title = {U}\n}\n",
		errs: []string{`f.bib:3:3: duplicate field "title" in entry "a"`},
	}, {
		name: "undefined macro",
		src:  "@article{a, journal = nosuch}\n",
		errs: []string{`f.bib:1:23: undefined @string macro "nosuch"`},
	}, {
		name: "unclosed quote",
		src:  "@article{a, title = \"open\n",
		errs: []string{`f.bib:1:21: unclosed quote`},
	}, {
		name: "unclosed entry before the next one",
		src:  "@article{a,\n  title = {T},\n@article{b, title = {B}}\n",
		errs: []string{`f.bib:1:9: unclosed entry "a": missing "}"`},
		keys: []string{"b"},
	}, {
		name: "several problems in one run",
		src:  "@article{a, title = {T} year = 1}\n@article{b, journal = x}\n@article{c, title = {C}}\n",
		errs: []string{`f.bib:1:24: missing "," after field "title"`, `f.bib:2:23: undefined @string macro "x"`},
		keys: []string{"c"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			entries, err := Parse("f.bib", []byte(tc.src))
			var list *diag.List
			if !errors.As(err, &list) {
				t.Fatalf("err = %v (%T), want *diag.List", err, err)
			}
			var got []string
			for _, e := range list.Errors() {
				got = append(got, e.Error())
			}
			if !reflect.DeepEqual(got, tc.errs) {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.errs, "\n"))
			}
			var keys []string
			for _, e := range entries {
				keys = append(keys, e.Key)
			}
			if !reflect.DeepEqual(keys, tc.keys) {
				t.Errorf("parsed keys %v, want %v", keys, tc.keys)
			}
		})
	}
}

func TestDuplicateKeys(t *testing.T) {
	a, err := Parse("a.bib", []byte("@article{lan2015, title = {One}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse("b.bib", []byte("\n\n@book{lan2015, title = {Two}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	bib, err := bib.NewBibliography(append(a, b...))
	want := `b.bib:3:1: duplicate citation key "lan2015" (first defined at a.bib:1:1)`
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
	if e, ok := bib.Lookup("lan2015"); !ok || e.Title != "One" {
		t.Errorf("first entry should be kept, got %+v", e)
	}
}

func TestParseUnknownExtension(t *testing.T) {
	_, err := Parse("refs.ris", nil)
	var de *diag.Error
	if !errors.As(err, &de) || de.Pos.File != "refs.ris" {
		t.Fatalf("err = %v", err)
	}
}

func TestGuideBibTeX(t *testing.T) {
	data, err := os.ReadFile("testdata/guide.bib")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := Parse("testdata/guide.bib", data)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"perezrubio2020":     "Pérez-Rubio, K. M., et al. “Effect of Vitamin D Supplementation on Insulin Resistance and Vascular Endothelial Function in Obese Subjects with Prediabetes.” Journal of the Endocrine Society, vol. 4, no. 6, 2020, bvaa057. https://doi.org/10.1210/jendso/bvaa057",
		"awahab2017":         "A-Wahab, Y., et al. “The Effect of Chromium Picolinate on Insulin Resistance in Type 2 Diabetes.” Journal of Diabetes & Metabolism, vol. 8, no. 5, 2017.",
		"lan2015":            "Lan, J., et al. “Meta-analysis of the effect and safety of berberine in the treatment of type 2 diabetes mellitus, hyperlipemia and hypertension.” Journal of Ethnopharmacology, vol. 161, 2015, pp. 69–81. https://doi.org/10.1016/j.jep.2014.09.049",
		"costello2016":       "Costello, R. B., et al. “The effectiveness of chromium picolinate for the treatment of type 2 diabetes: a systematic review and meta-analysis.” Journal of the American College of Nutrition, vol. 35, no. 8, 2016, pp. 694–705.",
		"simentalmendia2016": "Simental-Mendía, L. E., et al. “A systematic review and meta-analysis of the effect of magnesium supplementation on fasting glucose, insulin, and HOMA-IR in non-diabetic and pre-diabetic subjects.” European Journal of Clinical Nutrition, vol. 70, no. 10, 2016, pp. 1145–1150.",
		"guo2021":            "Guo, J., et al. “The effect of berberine on metabolic profiles in type 2 diabetic patients: a systematic review and meta-analysis of randomized controlled trials.” Oxidative Medicine and Cellular Longevity, vol. 2021, 2021.",
		"nih2021":            "National Institutes of Health. “Chromium: Fact Sheet for Health Professionals.” Office of Dietary Supplements, 2021. https://ods.od.nih.gov/factsheets/Chromium-HealthProfessional/",
		"volpe2013":          "Volpe, S. L. “Magnesium in disease prevention and overall health.” Advances in Nutrition, vol. 4, no. 3, 2013, pp. 378S–83S. https://doi.org/10.3945/an.112.003483",
	}
	if len(entries) != len(want) {
		t.Fatalf("got %d entries, want %d", len(entries), len(want))
	}
	for _, e := range entries {
		if got := e.Text(); got != want[e.Key] {
			t.Errorf("%s:\n got %s\nwant %s", e.Key, got, want[e.Key])
		}
	}
}

// stringBomb is @string s0 = "aaaa" and then lines doubling the previous
// macro: 1.4 KB of BibTeX naming 2^n times four bytes.
func stringBomb(n int) string {
	var b strings.Builder
	b.WriteString("@string{s0 = \"aaaa\"}\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "@string{s%d = s%d # s%d}\n", i, i-1, i-1)
	}
	return b.String()
}

// TestStringBomb: the doubling is stopped where the text macros add to
// the file passes MaxMacroText, even though no entry uses them. It is
// reported once: later uses of macros fail quietly (the build has failed
// already), and the entry before the bomb still parses.
func TestStringBomb(t *testing.T) {
	src := "@article{before, journal = {J}}\n" + stringBomb(40) + "@article{after, journal = s1 # {x}}\n"
	entries, err := Parse("f.bib", []byte(src))
	want := `f.bib:22:15: @string macros expand to more than 4 MB of text in total (each use counts)`
	var list *diag.List
	if !errors.As(err, &list) || len(list.Errors()) != 1 || !strings.HasPrefix(list.Errors()[0].Error(), want) {
		t.Fatalf("err = %v, want one error starting %q", err, want)
	}
	if len(entries) != 1 || entries[0].Key != "before" {
		t.Errorf("entries %+v", entries)
	}
	// Under the limit, macros work as before.
	if _, err := Parse("f.bib", []byte(stringBomb(15)+"@article{k, journal = s15}\n")); err != nil {
		t.Errorf("a 128 KB macro: %v", err)
	}
}

// TestKeysDifferingInCase: BibTeX keys are case-insensitive, so two that
// differ only in case are one work defined twice; both places are named.
func TestKeysDifferingInCase(t *testing.T) {
	_, err := Parse("f.bib", []byte("@article{lan2015, title = {A}}\n@misc{other, title = {B}}\n@book{Lan2015, title = {C}}\n"))
	want := []string{
		`f.bib:1:1: citation keys "lan2015" and "Lan2015" (f.bib:3:1) differ only in case`,
		`f.bib:3:1: citation keys "Lan2015" and "lan2015" (f.bib:1:1) differ only in case`,
	}
	var list *diag.List
	if !errors.As(err, &list) || len(list.Errors()) != 2 {
		t.Fatalf("err = %v, want:\n%s", err, strings.Join(want, "\n"))
	}
	for i, e := range list.Errors() {
		if !strings.HasPrefix(e.Error(), want[i]) {
			t.Errorf("error %d = %q, want %q", i, e, want[i])
		}
	}
}
