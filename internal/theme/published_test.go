package theme

import (
	"reflect"
	"slices"
	"testing"
)

// Published is what the pages use and what that loads, transitively: a
// stylesheet's local url()s (any quoting, relative to the stylesheet) and
// an asset's explicit Refs; nothing else.
func TestPublishedFollowsReferences(t *testing.T) {
	a := NewAssets(true)
	a.Add("css/site.css", []byte(`@font-face{src:url(fonts/a.woff2) format("woff2"),url( "../img/b.png" )}
p{background:url('c.svg#x')} q{background:url(data:image/png;base64,AA==)} r{background:url(https://example.org/d.png)} s{background:url(/e.png)}`))
	for _, n := range []string{"css/fonts/a.woff2", "img/b.png", "css/c.svg", "js/dev.js", "index.js", "part/0.js", "part/1.js"} {
		a.Add(n, []byte(n))
	}
	m, _ := a.Get("index.js")
	m.Refs = []string{"part/0.js", "part/1.js"}
	var got []string
	for _, as := range a.Published(map[string]bool{"css/site.css": true, "index.js": true, "missing.js": true}) {
		got = append(got, as.Name)
	}
	want := []string{"css/c.svg", "css/fonts/a.woff2", "css/site.css", "img/b.png", "index.js", "part/0.js", "part/1.js"}
	slices.Sort(got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("published %q, want %q", got, want)
	}
}
