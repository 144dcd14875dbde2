package bibfile

import (
	"guidebook/internal/bib"
	"os"
	"strings"
	"testing"
)

func TestBibliography(t *testing.T) {
	b := testBibliography(t)
	var keys []string
	for _, e := range b.Entries() {
		keys = append(keys, e.Key)
	}
	// By first author's family name (accents folded, case ignored), then
	// year, then title.
	want := "evil<script>,awahab2017,costello2016,doe:2019/a,guo2021,lan2015,nih2021,perezrubio2020,simentalmendia2016,smith2018,volpe2013"
	if got := strings.Join(keys, ","); got != want {
		t.Errorf("Entries order\n got %s\nwant %s", got, want)
	}
	if e, ok := b.Lookup("lan2015"); !ok || e.Year != "2015" {
		t.Error("Lookup lan2015")
	}
	if _, ok := b.Lookup("LAN2015"); ok {
		t.Error("keys are case-sensitive")
	}
	var nilBib *bib.Bibliography
	if _, ok := nilBib.Lookup("x"); ok || nilBib.Entries() != nil || nilBib.Version() == "" {
		t.Error("nil bib.Bibliography")
	}

	// Version follows the data, not the order or the positions.
	entries := parseFile(t, "testdata/guide.bib")
	v1 := mustBib(t, entries).Version()
	reversed := make([]bib.Entry, len(entries))
	for i, e := range entries {
		e.Pos.Line += 100
		reversed[len(entries)-1-i] = e
	}
	if v2 := mustBib(t, reversed).Version(); v2 != v1 {
		t.Errorf("order/positions changed Version: %s vs %s", v1, v2)
	}
	entries[0].Pages = "bvaa058"
	if v3 := mustBib(t, entries).Version(); v3 == v1 {
		t.Error("a changed page did not change Version")
	}
}

func testBibliography(t testing.TB) *bib.Bibliography {
	t.Helper()
	var all []bib.Entry
	for _, f := range []string{"testdata/guide.bib", "testdata/extra.bib"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := Parse(f, data)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, entries...)
	}
	b, err := bib.NewBibliography(all)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustBib(t *testing.T, entries []bib.Entry) *bib.Bibliography {
	t.Helper()
	b, err := bib.NewBibliography(entries)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
