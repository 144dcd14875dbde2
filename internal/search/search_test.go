package search

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"guidebook/internal/theme"
	"reflect"
	"strings"
	"testing"
)

func TestCollapseSpace(t *testing.T) {
	for _, s := range []string{"", " ", "a", "  a  b\n\tc ", "é\u00a0ü  x", "a\u2003b", "\n\nword\n"} {
		if got, want := collapseSpace([]byte(s)), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

// The index is written without encoding/json; it must read as if it were.
func TestSearchJSONMatchesMarshal(t *testing.T) {
	texts := []string{"", "plain", `quote " back \\ slash`, "<b>&amp;</b>", "tab\tnl\ncr\r\b\f\x00\x1f\x7f",
		"é µU/mL ∞ 😀", "line\u2028para\u2029", "bad \xff\xfe utf8 \xe2\x82", "mixed <\u2028> \xc3"}
	var docs []Doc
	for i, s := range texts {
		docs = append(docs, Doc{U: s, C: texts[(i+1)%len(texts)], H: s + s, K: "section", T: s})
	}
	var want []byte
	for _, d := range docs {
		data, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		want = append(append(want, data...), ',')
	}
	if got := Encode(docs); string(got) != string(want) {
		t.Errorf("Encode =\n%s\nwant\n%s", got, want)
	}
}

func FuzzSearchJSON(f *testing.F) {
	f.Add("a <b> \u2028 \xff \"q\"")
	f.Fuzz(func(t *testing.T, s string) {
		d := []Doc{{U: s, C: s, H: s, K: s, T: s}}
		want, _ := json.Marshal(d[0])
		if got := Encode(d); string(got) != string(want)+"," {
			t.Errorf("Encode(%q) = %s, want %s,", s, got, want)
		}
	})
}

// The index's readers get back exactly what Update wrote: the manifest
// names every part in order, and the parts hold the chapters' entries
// then the terms.
func TestIndexRoundTrip(t *testing.T) {
	var chapters [][]byte
	var want []Doc
	for i := range 2*PartChapters + 3 {
		d := []Doc{{U: fmt.Sprintf("c%d/", i), C: "C", H: "C", K: "chapter", T: "text </script> \u2028"}}
		chapters = append(chapters, Encode(d))
		want = append(want, d...)
	}
	terms := []Doc{{U: "glossary/#t", C: "Glossary", H: "T", K: "term", T: "def"}}
	want = append(want, terms...)
	refs := []Doc{{U: "references/", C: "References", H: "References", K: "page"}, {U: "references/#gb-ref-a", C: "References", H: "[1]", K: "reference", T: "Pérez"}}
	want = append(want, refs...)
	assets := theme.NewAssets(true)
	var x Index
	x.Update(assets, Input{
		Chapters: chapters, Terms: func() []Doc { return terms }, TermsVersion: "1", References: func() []Doc { return refs }, ReferencesVersion: "1", Integrity: true,
		Parallel: func(n int, f func(int)) {
			for i := range n {
				f(i)
			}
		},
	})
	a, _ := assets.Get(ManifestAsset)
	m, err := ReadManifest(a.Data)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Parts) != 5 {
		t.Fatalf("%d parts, want 5 (3 of chapters, the terms, the references)", len(m.Parts))
	}
	var got []Doc
	for i, p := range m.Parts {
		pa, _ := assets.Get(PartAsset(i))
		if p.Src != pa.Path || p.Integrity != pa.Integrity || p.Integrity == "" {
			t.Errorf("part %d: manifest names %+v, asset is %s %s", i, p, pa.Path, pa.Integrity)
		}
		docs, err := ReadPart(pa.Data)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, docs...)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back %d entries, wrote %d", len(got), len(want))
	}
	if _, err := ReadManifest([]byte("window.other = 1;")); !errors.Is(err, ErrNotIndex) {
		t.Errorf("another script: %v", err)
	}
	inline, err := ReadManifest(InlineScript(want))
	if err != nil || !reflect.DeepEqual(inline.Docs, want) {
		t.Errorf("InlineScript does not read back: %v", err)
	}
}

// A one-shot build's Update (Discard) writes the same assets and lets go
// of each chapter's entries once its part is made.
func TestIndexDiscard(t *testing.T) {
	build := func(discard bool) (*theme.Assets, [][]byte) {
		var chapters [][]byte
		for i := range PartChapters + 7 {
			chapters = append(chapters, Encode([]Doc{{U: fmt.Sprintf("c%d/", i), C: "C", H: "C", K: "chapter", T: "text"}}))
		}
		assets := theme.NewAssets(true)
		var x Index
		x.Update(assets, Input{
			Chapters: chapters, Terms: func() []Doc { return nil }, TermsVersion: "1", Integrity: true, Discard: discard,
			Parallel: func(n int, f func(int)) {
				for i := range n {
					f(i)
				}
			},
		})
		return assets, chapters
	}
	kept, _ := build(false)
	dropped, chapters := build(true)
	for i := range 4 {
		a, _ := kept.Get(PartAsset(i))
		b, _ := dropped.Get(PartAsset(i))
		if string(a.Data) != string(b.Data) || a.Path != b.Path {
			t.Errorf("part %d differs with Discard", i)
		}
	}
	for i, c := range chapters {
		if c != nil {
			t.Fatalf("chapter %d's entries are still held after Update with Discard", i)
		}
	}
}

// A build with Keys takes back, through Reuse, the parts an earlier build
// made (Made) from chapters with the same keys (the glossary's and the
// references' with the same versions), their bytes
// described and made only on demand (Load), identical to a part made
// anew; a part with one chapter's key changed is made again.
func TestIndexReusesPartsByKey(t *testing.T) {
	made := map[string]*theme.Asset{}
	build := func(keys []string) (*theme.Assets, []string) {
		var chapters [][]byte
		for i := range keys {
			chapters = append(chapters, Encode([]Doc{{U: fmt.Sprintf("c%d/", i), C: "C", H: "C", K: "chapter", T: keys[i]}}))
		}
		assets := theme.NewAssets(true)
		var x Index
		var fresh []string
		x.Update(assets, Input{
			Chapters: chapters, Terms: func() []Doc { return nil }, TermsVersion: "1", Integrity: true, Discard: true,
			References: func() []Doc { return nil }, ReferencesVersion: "1",
			Parallel: func(n int, f func(int)) {
				for i := range n {
					f(i)
				}
			},
			Keys: keys,
			Reuse: func(key string) (*theme.Asset, bool) {
				a, ok := made[key]
				if !ok {
					return nil, false
				}
				return &theme.Asset{Path: a.Path, Integrity: a.Integrity, Sum: sha256.Sum256(a.Data), Size: int64(len(a.Data))}, true
			},
			Made: func(key string, a *theme.Asset) { made[key] = a; fresh = append(fresh, a.Name) },
		})
		return assets, fresh
	}
	keys := make([]string, PartChapters+7)
	for i := range keys {
		keys[i] = fmt.Sprintf("text %d", i)
	}
	first, fresh := build(keys)
	if strings.Join(fresh, " ") != "search/0.js search/1.js search/2.js search/3.js" {
		t.Errorf("first build made %v", fresh)
	}
	keys[PartChapters] = "edited"
	second, fresh := build(keys)
	if strings.Join(fresh, " ") != "search/1.js" {
		t.Errorf("after one edit, made %v", fresh)
	}
	a, _ := first.Get(PartAsset(0))
	b, _ := second.Get(PartAsset(0))
	if b.Data != nil || string(b.Bytes()) != string(a.Data) || b.Path != a.Path || b.Integrity != a.Integrity {
		t.Errorf("the part taken back differs from the one made: %q %s %s", b.Data, b.Path, b.Integrity)
	}
	m1, _ := first.Get(ManifestAsset)
	m2, _ := second.Get(ManifestAsset)
	if string(m1.Data) == string(m2.Data) {
		t.Error("the manifest does not name the part made again")
	}
}
