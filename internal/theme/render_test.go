package theme

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"guidebook/internal/paths"
)

func TestAssetFingerprintAndIntegrity(t *testing.T) {
	data := []byte("body{color:red}")
	a := NewAssets(true).Add("css/site.css", data)
	sum := sha256.Sum256(data)
	if want := "assets/css/site." + hex.EncodeToString(sum[:4]) + ".css"; a.Path != want {
		t.Errorf("path = %s, want %s", a.Path, want)
	}
	h := sha512.Sum384(data)
	if want := "sha384-" + base64.StdEncoding.EncodeToString(h[:]); a.Integrity != want {
		t.Errorf("integrity = %s, want %s", a.Integrity, want)
	}
	if b := NewAssets(false).Add("css/site.css", data); b.Path != "assets/css/site.css" {
		t.Errorf("unfingerprinted path = %s", b.Path)
	}
}

func TestEmbeddedAssetsAndTemplates(t *testing.T) {
	a, err := LoadAssets("", true)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"css/guidebook.css", "js/guidebook.js", "js/search.js", "widgets/homa-ir.js"} {
		if _, ok := a.Get(name); !ok {
			t.Errorf("embedded asset %s missing", name)
		}
	}
	tm, err := LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"page", "main-chapter", "main-home", "main-glossary", "main-references", "main-404", "widgets/homa-ir.html"} {
		if !tm.Has(name) {
			t.Errorf("template %s missing", name)
		}
	}
}

func TestPageURLsAndIntegrity(t *testing.T) {
	a := NewAssets(true)
	as := a.Add("js/x.js", []byte("x"))
	p := PageContext{Assets: a, Linker: paths.Linker{Pretty: true}, SRI: true}.Bind(&Page{Dir: "academic/"})
	if p.Root != "../" || p.Asset("js/x.js") != "../"+as.Path || p.Integrity("js/x.js") != as.Integrity {
		t.Errorf("root=%q asset=%q integrity=%q", p.Root, p.Asset("js/x.js"), p.Integrity("js/x.js"))
	}
	if p.Asset("nope.js") != "" {
		t.Error("unknown asset must have no URL")
	}
	q := PageContext{Assets: a, Linker: paths.Linker{}, SRI: false}.Bind(&Page{Dir: ""})
	if q.Integrity("js/x.js") != "" || q.URL("glossary/") != "glossary/index.html" {
		t.Errorf("export page: integrity=%q url=%q", q.Integrity("js/x.js"), q.URL("glossary/"))
	}
}

func TestBuildTOC(t *testing.T) {
	toc := BuildTOC([]*TOCEntry{{ID: "a", Level: 2}, {ID: "a1", Level: 3}, {ID: "a2", Level: 3}, {ID: "b", Level: 2}})
	var got []string
	for _, e := range toc {
		s := e.ID
		for _, c := range e.Children {
			s += "/" + c.ID
		}
		got = append(got, s)
	}
	if strings.Join(got, " ") != "a/a1/a2 b" {
		t.Errorf("toc = %v", got)
	}
}
