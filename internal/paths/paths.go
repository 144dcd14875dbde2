// Package paths owns the names of things in the output: the URLs between
// pages (Linker) and the rules that turn an author's text into an id
// (Slug for anchors, FileSlug for chapter ids). Every stage that writes or
// checks an id or a link asks here, so a rule has one owner. It sits below
// every stage (content, resolve, render and write all use it) and imports
// none of them.
package paths

import (
	"strings"
	"unicode"
)

// Linker writes URLs relative to the page that holds them, so that a site
// works under any base path, on a CDN and from file:// alike.
type Linker struct {
	// Pretty writes directory URLs ("academic/") for a web server; off,
	// it spells out "academic/index.html", which file:// needs.
	Pretty bool
	// Base, when set, makes every URL absolute from this root path
	// ("/guide/"). Only the 404 page uses it: a CDN serves that page at
	// whatever depth the missing URL had, so relative links would break.
	Base string
	// Page is the file name of a directory's page when Pretty is off:
	// "index.html" when empty, "index.xhtml" inside an EPUB.
	Page string
}

// Rel returns the URL of to (a site-root-relative directory ending in "/",
// "" for the root, or a file path) as seen from a page in fromDir.
func (l Linker) Rel(fromDir, to string) string {
	up := strings.Repeat("../", strings.Count(fromDir, "/"))
	if l.Base != "" {
		up = l.Base
	}
	isDir := to == "" || strings.HasSuffix(to, "/")
	u := up + to
	if isDir && !l.Pretty {
		u += l.page()
	} else if u == "" {
		u = "./"
	}
	return u
}

func (l Linker) page() string {
	if l.Page == "" {
		return "index.html"
	}
	return l.Page
}

// Slug makes a heading or glossary term id: lowercase letters and digits
// kept (any script), every run of
// anything else folded to one '-', trimmed. Authors type these by hand in
// `chapter.md#slug` links, so the rule is the simple one GitHub readers know.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		dash = true
	}
	return b.String()
}

// FileSlug turns a file name into a chapter id: lowercase ASCII letters,
// digits and '_', with runs of other characters folded to '-'. A chapter
// id is a folder name and a URL path segment, so it stays ASCII; headings
// and terms (Slug) are fragments, where any letter is fine. The two rules
// differ on purpose, and every published URL depends on them.
func FileSlug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}
