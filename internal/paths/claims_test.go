package paths

import "testing"

// A static file may neither replace a generated file, nor stand in one's
// place as a directory, nor take the place of a directory holding one.
func TestClaimsClash(t *testing.T) {
	c := NewClaims([]string{"intro/index.html", "assets/app.js", "index.html", "intro/a/b.png"})
	for rel, want := range map[string]string{
		"index.html":         "index.html",       // replaces it
		"index.html/x.png":   "index.html",       // would need it as a folder
		"intro":              "intro/a/b.png",    // the folder's first file by name
		"intro/a":            "intro/a/b.png",    // a folder holding one
		"intro/index.html/y": "intro/index.html", // deeper below a file
		"intro/other.png":    "",                 // beside them: fine
		"images/cover.png":   "",
		"assets/app.js.map":  "",
		"assets":             "assets/app.js",
	} {
		if got := c.Clash(rel); got != want {
			t.Errorf("Clash(%q) = %q, want %q", rel, got, want)
		}
	}
}
