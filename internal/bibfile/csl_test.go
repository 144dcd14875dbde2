package bibfile

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"guidebook/internal/bib"
	"guidebook/internal/diag"
)

func parseFile(t *testing.T, file string) []bib.Entry {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := Parse(file, data)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// TestFormatsAgree parses the guide's references written three ways and
// expects the same entries, positions aside.
func TestFormatsAgree(t *testing.T) {
	bib := parseFile(t, "testdata/guide.bib")
	for _, file := range []string{"testdata/guide.json", "testdata/guide.yaml"} {
		other := parseFile(t, file)
		if len(other) != len(bib) {
			t.Fatalf("%s: %d entries, want %d", file, len(other), len(bib))
		}
		for i := range bib {
			a, b := bib[i], other[i]
			if b.Pos.File != file || b.Pos.Line < 2 {
				t.Errorf("%s: %s has position %v", file, b.Key, b.Pos)
			}
			a.Pos, b.Pos = diag.Pos{}, diag.Pos{}
			if !reflect.DeepEqual(a, b) {
				t.Errorf("%s: %s differs\n bib: %#v\n%s: %#v", file, a.Key, a, file, b)
			}
		}
	}
}

func TestCSLPositions(t *testing.T) {
	entries := parseFile(t, "testdata/guide.yaml")
	if got := entries[0].Pos; got != (diag.Pos{File: "testdata/guide.yaml", Line: 4, Col: 3}) {
		t.Errorf("YAML position %v", got)
	}
	entries = parseFile(t, "testdata/guide.json")
	if got := entries[1].Pos; got != (diag.Pos{File: "testdata/guide.json", Line: 14, Col: 3}) {
		t.Errorf("JSON position %v", got)
	}
}

func TestCSLVariants(t *testing.T) {
	const yamlList = `- id: a
  type: book
  author: [{family: Beethoven, non-dropping-particle: van, given: Ludwig}, {family: King, given: Martin Luther, suffix: Jr.}]
  editor: [{family: Ignored}]
  title: A
  issued: [{year: 1999}]
- id: 2021
  issued: {literal: "circa 1850"}
`
	entries, err := Parse("refs.yml", []byte(yamlList))
	if err != nil {
		t.Fatal(err)
	}
	want := []bib.Entry{{
		Key: "a", Type: "book", Title: "A", Year: "1999",
		Authors: []bib.Person{{Family: "van Beethoven", Given: "Ludwig"}, {Family: "King", Given: "Martin Luther, Jr."}},
		Pos:     diag.Pos{File: "refs.yml", Line: 1, Col: 3},
	}, {
		Key: "2021", Type: "misc", Year: "1850",
		Pos: diag.Pos{File: "refs.yml", Line: 7, Col: 3},
	}}
	if !reflect.DeepEqual(entries, want) {
		t.Errorf("got  %#v\nwant %#v", entries, want)
	}
	// MLA puts a second author in natural order, suffix last.
	if got, want := entries[0].Text(), "van Beethoven, L., and M. L. King, Jr."; !strings.HasPrefix(got, want) {
		t.Errorf("two authors: %q, want %q", got, want)
	}
}

func TestCSLErrors(t *testing.T) {
	for _, tc := range []struct{ file, src, want string }{
		{"r.json", "[\n  {\"id\": \"a\"},\n  {\"id\": \"b\",,}\n]", `r.json:3:14: invalid CSL-JSON: invalid character ',' looking for beginning of object key string`},
		{"r.json", `{"id": "a"}`, `r.json:1:1: CSL-JSON must be an array of references`},
		{"r.json", "[\n {\"title\": \"no id\"}\n]", `r.json:2:2: reference has no id`},
		{"r.json", "[\n {\"id\": \"a\", \"author\": \"Lan\"}\n]", `r.json:2:2: reference "a": author: expected a list of names`},
		{"r.json", "[\n {\"id\": \"a\"}", `r.json:2:13: invalid CSL-JSON: unexpected end of JSON input`},
		{"r.yaml", "references:\n- id: a\n  title: [unclosed\n", `r.yaml:2: invalid CSL-YAML: line 2: did not find expected ',' or ']'`},
		{"r.yaml", "title: no references here\n", `r.yaml:1:1: CSL-YAML mapping has no references: list`},
		{"r.yaml", "- id: a\n- just a string\n", `r.yaml:2:3: reference is not a mapping`},
	} {
		_, err := Parse(tc.file, []byte(tc.src))
		var list *diag.List
		if !errors.As(err, &list) {
			t.Errorf("%q: err = %v (%T), want *diag.List", tc.src, err, err)
			continue
		}
		if got := err.Error(); got != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.src, got, tc.want)
		}
	}
}

func TestYAMLEmpty(t *testing.T) {
	entries, err := Parse("empty.yaml", []byte("# nothing yet\n"))
	if err != nil || len(entries) != 0 {
		t.Errorf("got %v, %v", entries, err)
	}
	if _, err := Parse("empty.json", []byte("[]")); err != nil {
		t.Error(err)
	}
	_, err = Parse("scalar.yaml", []byte("just text"))
	if err == nil || !strings.Contains(err.Error(), "must be a list") {
		t.Errorf("scalar YAML: %v", err)
	}
}
