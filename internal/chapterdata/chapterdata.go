// Package chapterdata holds what the resolve stage made of one chapter, as
// plain data without its syntax tree, and owns the format in which the
// build cache keeps it between runs (Encode, Decode).
//
// It stands apart from internal/site so that the format has one owner
// that says, in one struct, everything a later stage may read of a
// chapter the cache gave back: a new field the pages need and the entry
// does not carry would show here, not as a stale page.
package chapterdata

import (
	"guidebook/internal/buildcache"
	"guidebook/internal/cite"
	"guidebook/internal/diag"
	"guidebook/internal/glossary"
	"guidebook/internal/xref"
)

// Chapter is one chapter's resolve products.
type Chapter struct {
	Errs     []*diag.Error  // parse problems: same source, same problems
	Cites    int            // citation occurrences, for the build summary
	Widgets  []string       // widgets used, for their scripts and styles
	Uses     []glossary.Use // first uses of terms, for the glossary's back-links
	Cited    []*cite.Entry  // works cited, for the references' back-links
	Links    []xref.Link    // the links, to resolve again without a tree
	Headings []xref.Heading // the headings, for anchors and the table of contents
	BodyKey  string         // the link destinations the body was rendered with
	BodyHash string         // identifies the rendered body (a page's key)
	Search   []byte         // the chapter's search index entries, search.Encoded
}

// Encode is c in the build cache's entry format.
func (c *Chapter) Encode() []byte {
	var e buildcache.Enc
	e.Int(len(c.Errs))
	for _, err := range c.Errs {
		e.String(err.Pos.File)
		e.Int(err.Pos.Line)
		e.Int(err.Pos.Col)
		e.String(err.Msg)
	}
	e.Int(c.Cites)
	e.Strings(c.Widgets)
	e.Int(len(c.Uses))
	for _, u := range c.Uses {
		e.String(u.Term.ID)
		e.Int(u.Offset)
	}
	e.Int(len(c.Cited))
	for _, w := range c.Cited {
		e.String(w.Key)
	}
	e.Int(len(c.Links))
	for _, l := range c.Links {
		e.Bool(l.Wiki)
		e.String(l.Dest)
		e.String(l.Target)
		e.String(l.Fragment)
		e.Bool(l.HasLabel)
		e.Int(l.Offset)
	}
	e.Int(len(c.Headings))
	for _, h := range c.Headings {
		e.String(h.ID)
		e.Int(h.Level)
		e.String(h.Text)
		e.Bool(h.Explicit)
		e.Int(h.Offset)
	}
	e.String(c.BodyKey)
	e.String(c.BodyHash)
	e.Blob(c.Search)
	return e.Bytes()
}

// Lookup finds the book's terms and works an entry names by id and key.
type Lookup struct {
	Term func(id string) (*glossary.Term, bool)
	Work func(key string) (*cite.Entry, bool)
}

// Decode reads an entry Encode wrote. It reports false for an entry that
// does not decode, or names a term or work the book does not have (the
// cache key says it should): the caller parses the chapter instead.
func Decode(data []byte, look Lookup) (*Chapter, bool) {
	d := buildcache.NewDec(data)
	c := &Chapter{}
	for range d.Len() {
		pos := diag.Pos{File: d.String(), Line: d.Int(), Col: d.Int()}
		c.Errs = append(c.Errs, &diag.Error{Pos: pos, Msg: d.String()})
	}
	c.Cites = d.Int()
	c.Widgets = d.Strings()
	ok := true
	for range d.Len() {
		t, found := look.Term(d.String())
		ok = ok && found
		c.Uses = append(c.Uses, glossary.Use{Term: t, Offset: d.Int()})
	}
	for range d.Len() {
		w, found := look.Work(d.String())
		ok = ok && found
		c.Cited = append(c.Cited, w)
	}
	for range d.Len() {
		c.Links = append(c.Links, xref.Link{Wiki: d.Bool(), Dest: d.String(), Target: d.String(), Fragment: d.String(), HasLabel: d.Bool(), Offset: d.Int()})
	}
	for range d.Len() {
		c.Headings = append(c.Headings, xref.Heading{ID: d.String(), Level: d.Int(), Text: d.String(), Explicit: d.Bool(), Offset: d.Int()})
	}
	c.BodyKey, c.BodyHash = d.String(), d.String()
	c.Search = d.Blob()
	if c.Search == nil {
		c.Search = []byte{}
	}
	return c, ok && d.Err() == nil
}
