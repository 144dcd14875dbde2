package export

import (
	"bytes"
	"encoding/base64"
	"os"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"guidebook"
)

// The single file carries the theme's icon inline: a file:// page with no
// folder beside it has nowhere else to load it from.
func TestSingleFileInlinesFavicon(t *testing.T) {
	g := guide(t)
	icon, err := guidebook.Files.ReadFile("assets/favicon.svg")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(g.single)
	if err != nil {
		t.Fatal(err)
	}
	var hrefs []string
	walk(parse(t, g.single, data), func(n *html.Node) {
		if n.DataAtom == atom.Link && hasToken(attr(n, "rel"), "icon") {
			hrefs = append(hrefs, attr(n, "href"))
		}
	})
	if len(hrefs) != 1 {
		t.Fatalf("the single file links %d icons, want 1: %.80q", len(hrefs), hrefs)
	}
	b64, ok := strings.CutPrefix(hrefs[0], "data:image/svg+xml;base64,")
	if !ok {
		t.Fatalf("icon %.80q is not an inline SVG", hrefs[0])
	}
	if got, err := base64.StdEncoding.DecodeString(b64); err != nil || !bytes.Equal(got, icon) {
		t.Errorf("the inline icon is not the theme's (%v)", err)
	}
}
