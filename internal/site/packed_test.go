package site

import (
	"html/template"
	"strings"
	"testing"
)

// A packed body reads back byte for byte, and is smaller than the body.
func TestPackedBodyRoundTrip(t *testing.T) {
	body := template.HTML(strings.Repeat(`<p>Fasting <span class="gb-term" tabindex="0">insulin</span> &amp; glucose.</p>`+"\n", 200))
	st := &chapterState{body: body}
	st.pack()
	if st.body != "" || len(st.packed) == 0 || len(st.packed) >= len(body)/2 {
		t.Fatalf("packed %d bytes of %d (body left %d)", len(st.packed), len(body), len(st.body))
	}
	if got := st.content(); got != body {
		t.Errorf("unpacked body differs (%d bytes, want %d)", len(got), len(body))
	}
	if got := (&chapterState{body: "<p>x</p>"}).content(); got != "<p>x</p>" {
		t.Errorf("an unpacked body reads as %q", got)
	}
}
