package xref

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/yuin/goldmark/ast"

	"guidebook/internal/diag"
	"guidebook/internal/paths"
)

// Target is a page that links can reach.
type Target struct {
	ID      string // chapter id, or the generated page's name ("glossary")
	File    string // source file relative to the book ("academic.md"); empty for generated pages
	Dir     string // output directory relative to the site root ("academic/"); "" for the home page
	Title   string
	Anchors map[string]bool
}

// Index knows every target and static file of a book.
type Index struct {
	paths.Linker
	byID   map[string]*Target
	byFile map[string]*Target
	static map[string]bool

	// With deferring set, Resolve records fragment checks instead of
	// running them (see DeferFragments).
	deferring bool
	mu        sync.Mutex
	pending   []fragmentCheck
	reached   []PageLink
}

// PageLink is a link that reached a page of the book (a chapter or a
// generated page), as PageLinks reports it.
type PageLink struct {
	From, To *Target
	Fragment string
	Pos      diag.Pos
}

// PageLinks returns every link Resolve found to a page of the book, by
// source file and position: author lint asks which chapters nothing links
// to and which headings other chapters link to.
func (ix *Index) PageLinks() []PageLink {
	ix.mu.Lock()
	out := append([]PageLink(nil), ix.reached...)
	ix.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Pos, out[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return out
}

func (ix *Index) record(from, to *Target, frag string, off int, src *diag.Source) {
	l := PageLink{From: from, To: to, Fragment: frag, Pos: src.Pos(off)}
	ix.mu.Lock()
	ix.reached = append(ix.reached, l)
	ix.mu.Unlock()
}

// fragmentCheck is a deferred check of a link's fragment. It keeps the
// link's position and its chapter's problem list rather than its
// diag.Source, whose bytes (the whole chapter) a one-shot build drops as
// soon as the chapter is rendered.
type fragmentCheck struct {
	to   *Target
	frag string
	pos  diag.Pos
	errs *diag.List
}

// DeferFragments lets Resolve run before every target's anchors are
// known: a link's URL depends only on its target's id, directory and
// title, so a one-shot build resolves and renders each chapter right after
// parsing it, and calls CheckFragments once every chapter is parsed.
// Resolve may then be called concurrently; Target.Anchors must not be
// read or written by anyone else until CheckFragments.
func (ix *Index) DeferFragments() { ix.deferring = true }

// CheckFragments runs the fragment checks Resolve deferred, reporting a
// missing anchor at the link's line as Resolve would have.
func (ix *Index) CheckFragments() {
	ix.mu.Lock()
	pending := ix.pending
	ix.pending = nil
	ix.mu.Unlock()
	for _, c := range pending {
		if !c.to.Anchors[c.frag] {
			c.errs.Addf(c.pos, "broken link: %s has no heading or anchor #%s", describe(c.to), c.frag)
		}
	}
}

// NewIndex indexes the link targets and static files (slash-separated paths
// relative to the book).
func NewIndex(targets []*Target, static []string, l paths.Linker) *Index {
	ix := &Index{Linker: l, byID: map[string]*Target{}, byFile: map[string]*Target{}, static: map[string]bool{}}
	for _, t := range targets {
		ix.byID[t.ID] = t
		if t.File != "" {
			ix.byFile[t.File] = t
		}
	}
	for _, s := range static {
		ix.static[s] = true
	}
	return ix
}

var scheme = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)

// IsExternal reports whether a destination leaves the site.
func IsExternal(dest string) bool {
	return scheme.MatchString(dest) || strings.HasPrefix(dest, "//")
}

// Link is a link as plain data: what resolving it needs, without the
// tree it came from, so a chapter whose parse was kept in the build
// cache resolves its links without being parsed again.
type Link struct {
	Wiki     bool
	Dest     string // as written; for a wikilink "target#fragment"
	Target   string // a wikilink's target and fragment
	Fragment string
	HasLabel bool // a wikilink with its own label
	Offset   int  // byte offset in the source, for file:line
}

// Resolved is what resolving a Link writes into the tree.
type Resolved struct {
	OK    bool   // the link resolved and its destination is URL
	URL   string // relative to the linking page
	Label string // the text a wikilink without its own label shows
}

// Links returns the document's links as plain data, in document order.
func (d *Doc) Links() []Link {
	links := make([]Link, len(d.Refs))
	for i, r := range d.Refs {
		links[i] = Link{Dest: r.Dest, Offset: r.Offset}
		if w, ok := r.Node.(*Wikilink); ok {
			links[i] = Link{Wiki: true, Dest: r.Dest, Target: w.Target, Fragment: w.Fragment, HasLabel: w.HasLabel, Offset: r.Offset}
		}
	}
	return links
}

// Apply writes what ResolveLinks found for d.Links() into the tree.
func (d *Doc) Apply(res []Resolved) {
	for i, r := range d.Refs {
		if !res[i].OK {
			continue
		}
		w, ok := r.Node.(*Wikilink)
		if !ok {
			setDest(r.Node, res[i].URL)
			continue
		}
		w.Dest = []byte(res[i].URL)
		if !w.HasLabel {
			for c := w.FirstChild(); c != nil; {
				next := c.NextSibling()
				w.RemoveChild(w, c)
				c = next
			}
			w.AppendChild(w, ast.NewString([]byte(res[i].Label)))
		}
	}
}

// Key summarises what resolution writes into a document's tree: a body
// rendered with one key is the body any resolution with the same key
// gives, so it is rendered again only when a link target moved.
func Key(res []Resolved) string {
	h := sha256.New()
	for _, r := range res {
		fmt.Fprintf(h, "%t\x00%s\x00%s\x00", r.OK, r.URL, r.Label)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Resolve checks every link of a document written in from and rewrites it
// to a URL relative to from's page. Problems go to src with the link's line.
// It returns the external URLs, which are listed but never fetched.
func (ix *Index) Resolve(from *Target, doc *Doc, src *diag.Source) (external []string) {
	res, external := ix.ResolveLinks(from, doc.Links(), src)
	doc.Apply(res)
	return external
}

// ResolveLinks is Resolve on plain data: it checks the links and returns
// what each resolved to, for Doc.Apply, and the external URLs.
func (ix *Index) ResolveLinks(from *Target, links []Link, src *diag.Source) (res []Resolved, external []string) {
	res = make([]Resolved, len(links))
	for i, l := range links {
		if l.Wiki {
			res[i] = ix.resolveWikilink(from, l, src)
			continue
		}
		switch {
		case l.Dest == "":
			src.Addf(l.Offset, "link has an empty destination")
		case IsExternal(l.Dest):
			external = append(external, l.Dest)
		default:
			if u, ok := ix.resolvePath(from, l.Dest, l.Offset, src); ok {
				res[i] = Resolved{OK: true, URL: u}
			}
		}
	}
	return res, external
}

func (ix *Index) resolveWikilink(from *Target, w Link, src *diag.Source) Resolved {
	to := from
	if w.Target != "" {
		t, ok := ix.byID[w.Target]
		if !ok {
			t, ok = ix.byFile[strings.TrimPrefix(w.Target, "./")]
		}
		if !ok {
			t, ok = ix.byFile[w.Target+".md"]
		}
		if !ok {
			src.Addf(w.Offset, "broken link: no chapter %q", w.Target)
			return Resolved{}
		}
		to = t
	}
	ix.record(from, to, w.Fragment, w.Offset, src)
	if !ix.checkFragment(to, w.Fragment, w.Offset, src) {
		return Resolved{}
	}
	r := Resolved{OK: true, URL: ix.pageURL(from, to, w.Fragment)}
	if !w.HasLabel {
		r.Label = to.Title
		if w.Fragment != "" && to == from {
			r.Label = w.Fragment
		}
	}
	return r
}

func (ix *Index) resolvePath(from *Target, dest string, off int, src *diag.Source) (string, bool) {
	p, frag, _ := strings.Cut(dest, "#")
	p, query, hasQuery := strings.Cut(p, "?")
	unescaped, err := url.PathUnescape(p)
	if err != nil {
		src.Addf(off, "broken link %q: %v", dest, err)
		return "", false
	}
	if unescaped == "" { // "#frag" on the same page
		ix.record(from, from, frag, off, src)
		if !ix.checkFragment(from, frag, off, src) {
			return "", false
		}
		return "#" + frag, true
	}
	var rel string
	if strings.HasPrefix(unescaped, "/") {
		rel = path.Clean(strings.TrimPrefix(unescaped, "/"))
	} else {
		rel = path.Join(path.Dir(from.File), unescaped)
	}
	if rel == ".." || strings.HasPrefix(rel, "../") {
		src.Addf(off, "broken link %q: it points outside the book", dest)
		return "", false
	}
	if t, ok := ix.byFile[rel]; ok {
		ix.record(from, t, frag, off, src)
		if !ix.checkFragment(t, frag, off, src) {
			return "", false
		}
		return ix.pageURL(from, t, frag), true
	}
	if strings.HasSuffix(rel, ".md") {
		src.Addf(off, "broken link %q: no chapter %s", dest, rel)
		return "", false
	}
	if !ix.static[rel] {
		src.Addf(off, "broken link %q: no file %s in the book", dest, rel)
		return "", false
	}
	u := ix.Rel(from.Dir, (&url.URL{Path: rel}).EscapedPath())
	if hasQuery {
		u += "?" + query
	}
	if frag != "" {
		u += "#" + frag
	}
	return u, true
}

func (ix *Index) checkFragment(t *Target, frag string, off int, src *diag.Source) bool {
	if frag == "" {
		return true
	}
	if ix.deferring {
		ix.mu.Lock()
		// LineCol rather than src.Pos: Pos indexes every line of the
		// source, and watch mode resolves every chapter on every save.
		line, col := diag.LineCol(src.Src, off)
		pos := diag.Pos{File: src.File, Line: line, Col: col}
		ix.pending = append(ix.pending, fragmentCheck{t, frag, pos, src.List})
		ix.mu.Unlock()
		return true
	}
	if t.Anchors[frag] {
		return true
	}
	src.Addf(off, "broken link: %s has no heading or anchor #%s", describe(t), frag)
	return false
}

func describe(t *Target) string {
	if t.File != "" {
		return t.File
	}
	return "the " + t.ID + " page"
}

func (ix *Index) pageURL(from, to *Target, frag string) string {
	u := ""
	if to != from {
		u = ix.Rel(from.Dir, to.Dir)
	}
	if frag != "" {
		u += "#" + frag
	} else if u == "" {
		u = ix.Rel(from.Dir, to.Dir)
	}
	return u
}

func setDest(n ast.Node, u string) {
	switch n := n.(type) {
	case *ast.Link:
		n.Destination = []byte(u)
	case *ast.Image:
		n.Destination = []byte(u)
	}
}
