package check

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"hash"
	"strings"
	"testing"

	"guidebook/internal/output"
	"guidebook/internal/site"
)

func sri(alg string, h hash.Hash, data string) string {
	h.Write([]byte(data))
	return alg + "-" + base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// Browsers use the strongest algorithm an integrity value lists; any one
// of its hashes may match.
func TestVerifySRI(t *testing.T) {
	data := "body{}"
	digest := func(alg string, h func() hash.Hash) (string, error) {
		hh := h()
		hh.Write([]byte(data))
		return base64.StdEncoding.EncodeToString(hh.Sum(nil)), nil
	}
	good384 := sri("sha384", sha512.New384(), data)
	good256 := sri("sha256", sha256.New(), data)
	bad512 := sri("sha512", sha512.New(), "other")
	for in, ok := range map[string]bool{
		good384:                            true,
		good256 + "  " + good384 + "?x=1":  true,
		"sha384-AAAA " + good384:           true,
		good256 + " sha384-AAAA":           false, // sha384 wins over sha256
		good384 + " " + bad512:             false, // sha512 wins
		"md5-xyz":                          false,
		"":                                 false,
		strings.ToUpper(good384[:6]) + "x": false,
	} {
		msg, err := verifySRI(in, digest)
		if err != nil || (msg == "") != ok {
			t.Errorf("verifySRI(%q) = %q, %v; want ok=%v", in, msg, err, ok)
		}
	}
}

// An export tree has neither fingerprints nor integrity: an author's file
// whose name merely looks fingerprinted is not taken for a changed asset,
// and the manifest's parts need no integrity.
func TestUnpublishedTree(t *testing.T) {
	files := map[string][]byte{
		"index.html":               page(`<link rel="stylesheet" href="assets/s.css"><script src="search-index.js"></script><img src="assets/logo.deadbeef.png">`),
		"404.html":                 page(""),
		"assets/s.css":             []byte("body{}"),
		"assets/logo.deadbeef.png": []byte("png"),
		"search-index.js":          []byte(`window.guidebookSearch = {"parts":[{"src":"assets/search/0.js"},{"src":"assets/search/1.js"}]};` + "\n"),
		"assets/search/0.js":       []byte("x"),
		"assets/search/1.js":       []byte("y"),
	}
	if r := Files(files, Options{}); len(r.Problems) != 0 {
		t.Errorf("problems: %v", r.Problems)
	}
	delete(files, "assets/search/1.js")
	files["search-index.js"] = []byte("window.guidebookSearch = {")
	r := Files(files, Options{})
	if len(r.Problems) != 1 || !strings.Contains(r.Problems[0].String(), "search-index.js: search manifest does not parse") {
		t.Errorf("problems: %v", r.Problems)
	}
}

// In a published tree, guidebook's own pages give every script and
// stylesheet an integrity hash; an author's static page need not.
func TestIntegrityRequiredOnGeneratedPages(t *testing.T) {
	mem := output.NewMemory()
	if _, err := site.Build(site.Options{SiteDir: "../..", Mode: site.Publish}, mem); err != nil {
		t.Fatal(err)
	}
	out := struct{ Files map[string][]byte }{mem.Files()}
	out.Files["demo/index.html"] = page(`<script src="demo.js"></script><link rel="stylesheet" href="demo.css">`)
	out.Files["demo/demo.js"] = []byte("1")
	out.Files["demo/demo.css"] = []byte("b{}")
	if r := Files(out.Files, Options{}); len(r.Problems) != 0 {
		t.Fatalf("author's static page: %v", r.Problems)
	}
	out.Files["index.html"] = []byte(strings.Replace(string(out.Files["index.html"]), "</head>", `<script src="demo/demo.js"></script></head>`, 1))
	r := Files(out.Files, Options{})
	if len(r.Problems) != 1 || r.Problems[0].String() != `index.html: "demo/demo.js" has no integrity hash: a published build gives every asset reference one` {
		t.Errorf("problems: %v", r.Problems)
	}
}
