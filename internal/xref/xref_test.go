package xref

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"guidebook/internal/diag"
	"guidebook/internal/paths"
)

func TestLinkerRel(t *testing.T) {
	cases := []struct {
		pretty     bool
		from, to   string
		want, base string
	}{
		{true, "fundamentals/", "academic/", "../academic/", ""},
		{false, "fundamentals/", "academic/", "../academic/index.html", ""},
		{true, "", "academic/", "academic/", ""},
		{false, "", "", "index.html", ""},
		{true, "", "", "./", ""},
		{true, "a/", "", "../", ""},
		{false, "a/", "img/x.png", "../img/x.png", ""},
		{true, "", "assets/s.css", "/guide/assets/s.css", "/guide/"},
	}
	for _, c := range cases {
		got := paths.Linker{Pretty: c.pretty, Base: c.base}.Rel(c.from, c.to)
		if got != c.want {
			t.Errorf("Rel(%q, %q, pretty=%v) = %q, want %q", c.from, c.to, c.pretty, got, c.want)
		}
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"The Molecular Interplay: Berberine and AMPK": "the-molecular-interplay-berberine-and-ampk",
		"How Does Berberine Compare to Metformin?":    "how-does-berberine-compare-to-metformin",
		"  --Vitamin D's role--  ":                    "vitamin-d-s-role",
		"Café 2.0":                                    "café-2-0",
	} {
		if got := paths.Slug(in); got != want {
			t.Errorf("paths.Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestResolve(t *testing.T) {
	src := "# A\n\n## Intro Part\n\nSee [b](b.md#deep), [[b]], [[b#deep|there]], [[#intro-part]],\n" +
		"[img](img/x.png), [ext](https://example.org), [self](#intro-part).\n"
	md := goldmark.New(goldmark.WithExtensions(Extender{}), goldmark.WithParserOptions(parser.WithAutoHeadingID()))
	pc := parser.NewContext(parser.WithIDs(NewIDs()))
	s := &diag.Source{File: "a.md", Src: []byte(src), List: &diag.List{}}
	diag.WithSource(pc, s)
	doc := md.Parser().Parse(text.NewReader(s.Src), parser.WithContext(pc))
	d := DocOf(pc)
	if len(d.Headings) != 2 || d.Headings[1].ID != "intro-part" {
		t.Fatalf("headings = %+v", d.Headings)
	}
	a := &Target{ID: "a", File: "a.md", Dir: "a/", Title: "A", Anchors: map[string]bool{"intro-part": true}}
	b := &Target{ID: "b", File: "b.md", Dir: "b/", Title: "Chapter B", Anchors: map[string]bool{"deep": true}}
	ix := NewIndex([]*Target{a, b}, []string{"img/x.png"}, paths.Linker{Pretty: true})
	ext := ix.Resolve(a, d, s)
	if err := s.List.Err(); err != nil {
		t.Fatal(err)
	}
	if len(ext) != 1 || ext[0] != "https://example.org" {
		t.Errorf("external = %v", ext)
	}
	var out bytes.Buffer
	if err := md.Renderer().Render(&out, s.Src, doc); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<a href="../b/#deep">b</a>`, `<a href="../b/">Chapter B</a>`, `<a href="../b/#deep">there</a>`,
		`<a href="#intro-part">intro-part</a>`, `<a href="../img/x.png">img</a>`, `<a href="#intro-part">self</a>`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %s\n%s", want, out.String())
		}
	}
}

func TestBrokenLinks(t *testing.T) {
	src := "# A\n\n[x](missing.md)\n\n[[nope]]\n\n[[b#gone]]\n\n[y](b.md#gone)\n\n![i](no.png)\n\n[z](../../etc/passwd)\n"
	md := goldmark.New(goldmark.WithExtensions(Extender{}))
	pc := parser.NewContext()
	s := &diag.Source{File: "a.md", Src: []byte(src), List: &diag.List{}}
	diag.WithSource(pc, s)
	md.Parser().Parse(text.NewReader(s.Src), parser.WithContext(pc))
	a := &Target{ID: "a", File: "a.md", Dir: "a/", Anchors: map[string]bool{}}
	b := &Target{ID: "b", File: "b.md", Dir: "b/", Anchors: map[string]bool{}}
	NewIndex([]*Target{a, b}, nil, paths.Linker{}).Resolve(a, DocOf(pc), s)
	got := s.List.Error()
	for _, want := range []string{
		`a.md:3:2: broken link "missing.md": no chapter missing.md`,
		`a.md:5:3: broken link: no chapter "nope"`,
		`a.md:7:3: broken link: b.md has no heading or anchor #gone`,
		`a.md:9:2: broken link: b.md has no heading or anchor #gone`,
		`a.md:11:3: broken link "no.png": no file no.png in the book`,
		`a.md:13:2: broken link "../../etc/passwd": it points outside the book`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("errors lack %q:\n%s", want, got)
		}
	}
}

func TestCloseBrackets(t *testing.T) {
	for line, want := range map[string]int{
		"[[a]]":       3,
		"[[a]b]]":     5,
		"[[a]]]":      3,
		"[[a [[b]]":   -1, // the inner "[[" is the link
		"[[a":         -1,
		"[[a]\nb]]":   -1,
		"[[]]":        2,
		"[[a] ] ] ]]": 9,
	} {
		if got := CloseBrackets([]byte(line), 2); got != want {
			t.Errorf("CloseBrackets(%q) = %d, want %d", line, got, want)
		}
	}
}

// Ids of repeated headings keep their numbering when the counter skips
// ids already taken by explicit ids or by other headings' text.
func TestGenerateSkipsTakenIDs(t *testing.T) {
	s := NewIDs()
	s.Put([]byte("a-2"))
	var got []string
	for _, h := range []string{"A", "A", "A 1", "A", "A", "GB main", "gb-main", ""} {
		got = append(got, string(s.Generate([]byte(h), ast.KindHeading)))
	}
	want := "a a-1 a-1-1 a-3 a-4 section-gb-main section-gb-main-1 section"
	if strings.Join(got, " ") != want {
		t.Errorf("ids = %v, want %s", got, want)
	}
}

// TestHeadingsExplicit: author lint tells a heading whose id comes from
// its text from one given as {#id}, and needs the heading's place.
func TestHeadingsExplicit(t *testing.T) {
	src := "# Top\n\n## Kept {#kept}\n\n## Derived Here\n\n## Derived Here\n"
	md := goldmark.New(goldmark.WithExtensions(Extender{}), goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithAttribute()))
	pc := parser.NewContext(parser.WithIDs(NewIDs()))
	md.Parser().Parse(text.NewReader([]byte(src)), parser.WithContext(pc))
	type h struct {
		id       string
		explicit bool
		off      int
	}
	var got []h
	for _, x := range DocOf(pc).Headings {
		got = append(got, h{x.ID, x.Explicit, x.Offset})
	}
	want := []h{{"top", false, 2}, {"kept", true, 10}, {"derived-here", false, 27}, {"derived-here-1", false, 44}}
	if len(got) != len(want) {
		t.Fatalf("headings = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("heading %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestIndexLinks: the index records which page each link reaches, for
// author lint (orphan chapters, links to derived ids); external and
// static links are no page's.
func TestIndexLinks(t *testing.T) {
	src := "# A\n\nSee [b](b.md#deep), [[b]], [[#top]], [x](img/x.png), [e](https://example.org).\n"
	md := goldmark.New(goldmark.WithExtensions(Extender{}), goldmark.WithParserOptions(parser.WithAutoHeadingID()))
	pc := parser.NewContext(parser.WithIDs(NewIDs()))
	s := &diag.Source{File: "a.md", Src: []byte(src), List: &diag.List{}}
	diag.WithSource(pc, s)
	md.Parser().Parse(text.NewReader(s.Src), parser.WithContext(pc))
	a := &Target{ID: "a", File: "a.md", Dir: "a/", Title: "A", Anchors: map[string]bool{"top": true}}
	b := &Target{ID: "b", File: "b.md", Dir: "b/", Title: "B", Anchors: map[string]bool{"deep": true}}
	ix := NewIndex([]*Target{a, b}, []string{"img/x.png"}, paths.Linker{Pretty: true})
	ix.Resolve(a, DocOf(pc), s)
	if err := s.List.Err(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range ix.PageLinks() {
		got = append(got, l.From.ID+"->"+l.To.ID+"#"+l.Fragment+"@"+l.Pos.String())
	}
	want := []string{"a->b#deep@a.md:3:6", "a->b#@a.md:3:23", "a->a#top@a.md:3:30"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("links = %v, want %v", got, want)
	}
}

// TestResolveLinksPlainData: links kept as plain data (a chapter from the
// build cache, without its tree) resolve as the tree's links do, and Key
// changes exactly when what resolution writes into the tree changes.
func TestResolveLinksPlainData(t *testing.T) {
	src := "# A\n\nSee [b](b.md#deep), [[b]], [[b#deep|there]], [[#intro]], [ext](https://example.org).\n"
	md := goldmark.New(goldmark.WithExtensions(Extender{}))
	pc := parser.NewContext(parser.WithIDs(NewIDs()))
	s := &diag.Source{File: "a.md", Src: []byte(src), List: &diag.List{}}
	diag.WithSource(pc, s)
	md.Parser().Parse(text.NewReader(s.Src), parser.WithContext(pc))
	links := DocOf(pc).Links()
	a := &Target{ID: "a", File: "a.md", Dir: "a/", Title: "A", Anchors: map[string]bool{"intro": true}}
	b := &Target{ID: "b", File: "b.md", Dir: "b/", Title: "Chapter B", Anchors: map[string]bool{"deep": true}}
	ix := NewIndex([]*Target{a, b}, nil, paths.Linker{Pretty: true})
	res, ext := ix.ResolveLinks(a, links, s)
	if err := s.List.Err(); err != nil {
		t.Fatal(err)
	}
	want := []Resolved{{true, "../b/#deep", ""}, {true, "../b/", "Chapter B"}, {true, "../b/#deep", ""}, {true, "#intro", "intro"}, {}}
	if len(res) != len(want) || len(ext) != 1 {
		t.Fatalf("resolved %+v, external %v", res, ext)
	}
	for i := range want {
		if res[i] != want[i] {
			t.Errorf("link %d (%+v) resolved to %+v, want %+v", i, links[i], res[i], want[i])
		}
	}
	key := Key(res)
	again, _ := ix.ResolveLinks(a, links, s)
	if Key(again) != key {
		t.Error("Key differs for the same resolution")
	}
	b.Title = "Chapter Bee" // [[b]] shows the title
	retitled, _ := ix.ResolveLinks(a, links, s)
	if Key(retitled) == key {
		t.Error("Key unchanged when a wikilink's label changed")
	}
}
