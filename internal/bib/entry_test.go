package bib

import (
	"guidebook/internal/testing/htmltest"
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		name  string
		e     Entry
		html  string
		label string
	}{{
		name:  "one author, question title, single page",
		e:     Entry{Type: "article", Authors: []Person{{Family: "Volpe", Given: "Stella Lucia"}}, Title: "Does it work?", Container: "J", Pages: "5", Year: "2013"},
		html:  `Volpe, S. L. “Does it work?” <i>J</i>, 2013, p. 5.`,
		label: "Volpe, 2013",
	}, {
		name:  "two authors",
		e:     Entry{Type: "book", Authors: []Person{{Family: "Smith", Given: "Jean-Pierre"}, {Family: "Jones", Given: "Ann"}}, Title: "A Book", Publisher: "P", Year: "2018"},
		html:  `Smith, J.-P., and A. Jones. <i>A Book</i>. P, 2018.`,
		label: "Smith and Jones, 2018",
	}, {
		name:  "three authors become et al.",
		e:     Entry{Type: "article", Authors: []Person{{Family: "A"}, {Family: "B"}, {Family: "C"}}, Title: "T", Year: "2001"},
		html:  `A, et al. “T.” 2001.`,
		label: "A et al., 2001",
	}, {
		name:  "organisation, no year, URL",
		e:     Entry{Type: "webpage", Authors: []Person{{Literal: "World Health Organization"}}, Title: "Diabetes", URL: "https://who.int/x?a=1&b=2"},
		html:  `World Health Organization. “Diabetes.” <a href="https://who.int/x?a=1&amp;b=2">https://who.int/x?a=1&amp;b=2</a>`,
		label: "World Health Organization, n.d.",
	}, {
		name:  "no authors: title labels it; DOI beats URL; note",
		e:     Entry{Type: "misc", Title: "Anonymous <b>", Year: "1999", DOI: "doi:10.1000/x<y>", URL: "https://example.org", Note: "Accessed 2024"},
		html:  `“Anonymous &lt;b&gt;.” 1999. Accessed 2024. <a href="https://doi.org/10.1000/x%3Cy%3E">https://doi.org/10.1000/x%3Cy%3E</a>`,
		label: "Anonymous <b>, 1999",
	}, {
		name:  "unsafe URL is not linked",
		e:     Entry{Title: "T", URL: "javascript:alert(1)"},
		html:  `“T.”`,
		label: "T, n.d.",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(tc.e.HTML()); got != tc.html {
				t.Errorf("HTML\n got %s\nwant %s", got, tc.html)
			}
			if got := tc.e.Label(); got != tc.label {
				t.Errorf("Label %q, want %q", got, tc.label)
			}
			if text := tc.e.Text(); strings.ContainsAny(text, "<>") && !strings.Contains(tc.e.Title, "<") && tc.e.DOI == "" {
				t.Errorf("Text has markup: %s", text)
			}
			htmltest.CheckWellFormed(t, string(tc.e.HTML()))
		})
	}
}

func TestFormatPages(t *testing.T) {
	for in, want := range map[string]string{
		"69--81": "pp. 69–81", "69-81": "pp. 69–81", "378S–83S": "pp. 378S–83S", "12": "p. 12",
		"bvaa057": "bvaa057", "e0123": "e0123", "": "", " 1 - 2 ": "pp. 1–2", "-": "-",
	} {
		if got := formatPages(in); got != want {
			t.Errorf("formatPages(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRefID(t *testing.T) {
	for in, want := range map[string]string{
		"lan2015":     "gb-ref-lan2015",
		"doe:2019/a":  "gb-ref-doe=3A2019=2Fa",
		"a.b_c-d":     "gb-ref-a.b_c-d",
		"x=3A":        "gb-ref-x=3D3A",
		"évian":       "gb-ref-=C3=A9vian",
		"<script>\"'": "gb-ref-=3Cscript=3E=22=27",
	} {
		if got := RefID(in); got != want {
			t.Errorf("RefID(%q) = %q, want %q", in, got, want)
		}
	}
	// Distinct keys must never share an id.
	seen := map[string]string{}
	for _, k := range []string{"a:b", "a=3Ab", "a.b", "a/b", "a_b", "a-b", "A:b"} {
		id := RefID(k)
		if other, dup := seen[id]; dup {
			t.Errorf("%q and %q share id %q", k, other, id)
		}
		seen[id] = k
	}
}

func TestParseStyle(t *testing.T) {
	for in, want := range map[string]Style{"": Numbered, "numbered": Numbered, "author-year": AuthorYear, " Author-Year ": AuthorYear} {
		got, err := ParseStyle(in)
		if err != nil || got != want {
			t.Errorf("ParseStyle(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseStyle("chicago"); err == nil {
		t.Error("ParseStyle(chicago) should fail")
	}
	if AuthorYear.String() != "author-year" || Numbered.String() != "numbered" {
		t.Error("String")
	}
}
