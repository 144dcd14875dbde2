package glossary

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"guidebook/internal/diag"
	"guidebook/internal/paths"
)

func pos(line int) diag.Pos { return diag.Pos{File: "glossary.yaml", Line: line, Col: 3} }

func TestNewValidation(t *testing.T) {
	tests := []struct {
		name  string
		terms []Term
		want  []string
	}{
		{
			name: "duplicate name, ignoring case",
			terms: []Term{
				{Name: "Insulin", Definition: "a", Pos: pos(1)},
				{Name: "insulin", Definition: "b", Pos: pos(4)},
			},
			want: []string{`glossary.yaml:4:3: duplicate glossary term "insulin" (first defined at glossary.yaml:1:3)`},
		},
		{
			name: "alias collides with another term's name",
			terms: []Term{
				{Name: "Insulin", Definition: "a", Pos: pos(1)},
				{Name: "Insulin resistance", Aliases: []string{"INSULIN"}, Definition: "b", Pos: pos(4)},
			},
			want: []string{`glossary.yaml:4:3: alias "INSULIN" of glossary term "Insulin resistance" collides with term "Insulin" (defined at glossary.yaml:1:3)`},
		},
		{
			name: "alias collides with another term's alias",
			terms: []Term{
				{Name: "Beta cell", Aliases: []string{"β-cell"}, Definition: "a", Pos: pos(1)},
				{Name: "Islet", Aliases: []string{"Β-CELL"}, Definition: "b", Pos: pos(4)},
			},
			want: []string{`glossary.yaml:4:3: alias "Β-CELL" of glossary term "Islet" collides with term "Beta cell" (defined at glossary.yaml:1:3)`},
		},
		{
			name: "see names no term",
			terms: []Term{
				{Name: "Insulin", Definition: "a", See: []string{"glucagon", "insulin"}, Pos: pos(7)},
			},
			want: []string{`glossary.yaml:7:3: glossary term "Insulin": see "glucagon" names no glossary term`},
		},
		{
			name: "empty name and definition",
			terms: []Term{
				{Name: "  ", Definition: "a", Pos: pos(1)},
				{Name: "AMPK", Definition: " ", Pos: pos(2)},
			},
			want: []string{
				`glossary.yaml:1:3: glossary term has no name`,
				`glossary.yaml:2:3: glossary term "AMPK" has no definition`,
			},
		},
		{
			name: "names that slug to the same id",
			terms: []Term{
				{Name: "Insulin resistance", Definition: "a", Pos: pos(1)},
				{Name: "insulin-resistance", Definition: "b", Pos: pos(2)},
			},
			want: []string{`glossary.yaml:2:3: glossary term "insulin-resistance" has the same id "insulin-resistance" as "Insulin resistance" (defined at glossary.yaml:1:3)`},
		},
		{
			name: "valid",
			terms: []Term{
				{Name: "Insulin", Aliases: []string{"insulin"}, Definition: "a", See: []string{"IR"}, Pos: pos(1)},
				{Name: "Insulin resistance", Aliases: []string{"IR"}, Definition: "b", See: []string{"insulins"}, Pos: pos(2)},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := New(tt.terms)
			if g == nil {
				t.Fatal("New returned no glossary")
			}
			var got []string
			if err != nil {
				var l *diag.List
				if !errors.As(err, &l) {
					t.Fatalf("error is %T, want *diag.List", err)
				}
				for _, e := range l.Errors() {
					got = append(got, e.Error())
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestTermsSortedAndLookup(t *testing.T) {
	g := testGlossary(t)
	var names []string
	for _, term := range g.Terms() {
		names = append(names, term.Name)
	}
	want := "AMPK|AMPK activation|GLUT4|Insulin|Insulin resistance|Ketone body|Mitochondrion|Quote \"test\" & co|β-cell"
	if got := strings.Join(names, "|"); got != want {
		t.Errorf("Terms() = %s\nwant      %s", got, want)
	}
	for in, want := range map[string]string{
		"insulin":             "Insulin",
		"INSULIN  resistance": "Insulin resistance",
		"Insulin-Resistant":   "Insulin resistance",
		"ketone bodies":       "Ketone body",
		"mitochondrions":      "Mitochondrion",
		"AMPKs":               "AMPK",
		"Β-CELL":              "β-cell",
		"beta cells":          "β-cell",
		"glucagon":            "",
		"GLUT4s":              "",
	} {
		term, ok := g.Lookup(in)
		if got := ""; ok {
			got = term.Name
			if got != want {
				t.Errorf("Lookup(%q) = %q, want %q", in, got, want)
			}
		} else if want != "" {
			t.Errorf("Lookup(%q) found nothing, want %q", in, want)
		}
	}
	if term, _ := g.Lookup("insulin resistance"); term.ID != "insulin-resistance" {
		t.Errorf("ID = %q", term.ID)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Insulin resistance":  "insulin-resistance",
		"  GLUT4 (muscle) ":   "glut4-muscle",
		"β-cell":              "β-cell",
		`Quote "test" & co`:   "quote-test-co",
		"--":                  "",
		"HbA1c / eAG":         "hba1c-eag",
		"Insulin's own  term": "insulin-s-own-term",
	} {
		if got := paths.Slug(in); got != want {
			t.Errorf("paths.Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVersion(t *testing.T) {
	base := testTerms()
	v := func(terms []Term) string {
		g, err := New(terms)
		if err != nil {
			t.Fatal(err)
		}
		return g.Version()
	}
	v0 := v(base)
	reordered := append([]Term{base[len(base)-1]}, base[:len(base)-1]...)
	moved := testTerms()
	moved[0].Pos = diag.Pos{File: "elsewhere.md", Line: 9}
	if v(reordered) != v0 || v(moved) != v0 {
		t.Error("Version changed with order or position only")
	}
	for _, edit := range []func(ts []Term){
		func(ts []Term) { ts[0].Definition += "!" },
		func(ts []Term) { ts[0].Aliases = append(ts[0].Aliases, "IR") },
		func(ts []Term) { ts[1].See = []string{"AMPK"} },
		func(ts []Term) { ts[2].Name = "AMPK2" },
	} {
		ts := testTerms()
		edit(ts)
		if v(ts) == v0 {
			t.Errorf("Version unchanged after an edit")
		}
	}
}

func TestUses(t *testing.T) {
	md := newMarkdown(testGlossary(t))
	src := "GLUT4 and [[term:insulin|the hormone]].\n\nAMPK, GLUT4, [[term:insulin]] and mitochondria.\n"
	_, errs, pc := convert(t, md, []byte(src))
	if errs != "" {
		t.Fatal(errs)
	}
	var got []string
	for _, u := range Uses(pc) {
		got = append(got, u.Term.Name+"@"+src[u.Offset:u.Offset+4])
	}
	want := "GLUT4@GLUT|Insulin@[[te|AMPK@AMPK|Mitochondrion@mito"
	if strings.Join(got, "|") != want {
		t.Errorf("Uses = %s\nwant   %s", strings.Join(got, "|"), want)
	}
}

// TestConcurrent renders with one Glossary from many goroutines, as the
// build does; run with -race.
func TestConcurrent(t *testing.T) {
	md := newMarkdown(testGlossary(t))
	src := []byte("Insulin resistance, AMPK activation and ketone bodies.\n")
	want, _, _ := convert(t, md, src)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				if got, _, _ := convert(t, md, src); got != want {
					t.Errorf("concurrent render differs:\n%s", got)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestZeroExtender(t *testing.T) {
	md := newMarkdownWith(&Extender{})
	got, _, _ := convert(t, md, []byte("Insulin [[term:x]].\n"))
	if got != "<p>Insulin x.</p>\n" {
		t.Errorf("got %q", got)
	}
}
