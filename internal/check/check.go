package check

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/net/html"

	"guidebook/internal/diag"
)

// Options configure a check.
type Options struct {
	// Base is the URL path the site is published under ("/guide/"), so
	// that root-relative links ("/guide/assets/x.css", as on the 404
	// page) resolve inside the tree. Default "/".
	Base string
}

// Problem is one broken link, or (with no Link) a file of the tree that is
// not what a build writes.
type Problem struct {
	File   string // page or stylesheet holding the link, or the file at fault, relative to the site root
	Link   string // the link as written; "" for a problem with the file itself
	Reason string
}

// String formats the problem as one line: file names and targets are the
// author's text, so control characters are escaped (diag.Escape).
func (p Problem) String() string {
	if p.Link == "" {
		return diag.Escape(fmt.Sprintf("%s: %s", p.File, p.Reason))
	}
	return diag.Escape(fmt.Sprintf("%s: broken link %q: %s", p.File, p.Link, p.Reason))
}

// Report is the result of a check.
type Report struct {
	Problems []Problem // sorted by file, then link
	External []string  // external URLs, sorted, deduplicated; never fetched
	// ExternalIn maps each external URL to the files that hold it.
	ExternalIn map[string][]string
	Pages      int // HTML pages checked
	Links      int // internal links checked
}

// Dir checks the site written under root. Besides the links, it checks
// that the tree is what a build writes (see output.go): no symbolic link
// or other non-regular file anywhere, and every file a build vouches for
// (fingerprint, integrity, search manifest, compressed sibling) intact.
func Dir(root string, opts Options) (*Report, error) {
	// The folder named is followed if it is a link (the user chose it);
	// nothing inside it is.
	root, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	var odd []Problem
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == root {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		switch t := d.Type(); {
		case t.IsDir():
			return nil
		case t&fs.ModeSymlink != 0:
			odd = append(odd, Problem{File: rel, Reason: "symbolic link: a build writes none, and a host would serve whatever it points to"})
			return nil
		case !t.IsRegular():
			odd = append(odd, Problem{File: rel, Reason: "not a regular file (" + t.String() + "): a build writes none"})
			return nil
		}
		// Pages and stylesheets are read now; other files when a
		// check needs their bytes.
		var data []byte
		if ext := path.Ext(p); ext == ".html" || ext == ".css" {
			if data, err = os.ReadFile(p); err != nil {
				return err
			}
		}
		files[rel] = data
		return nil
	})
	if err != nil {
		return nil, err
	}
	c := newChecker(files, opts, func(name string) ([]byte, error) {
		if data := files[name]; data != nil {
			return data, nil
		}
		return os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
	})
	c.r.Problems = odd
	return c.run(), nil
}

// Files checks a site held in memory: slash-separated paths relative to
// the site root, as site.Output holds them.
func Files(files map[string][]byte, opts Options) *Report {
	return newChecker(files, opts, func(name string) ([]byte, error) { return files[name], nil }).run()
}

func newChecker(files map[string][]byte, opts Options, read func(string) ([]byte, error)) *checker {
	c := &checker{files: files, read: read, ids: map[string]map[string]bool{}, digests: map[string]string{}, generated: map[string]bool{}, base: normBase(opts.Base)}
	c.r.ExternalIn = map[string][]string{}
	return c
}

func (c *checker) run() *Report {
	names := make([]string, 0, len(c.files))
	for n := range c.files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		switch path.Ext(n) {
		case ".html":
			c.r.Pages++
			c.page(n)
		case ".css":
			c.stylesheet(n)
		}
	}
	c.output(names)
	for u := range c.r.ExternalIn {
		c.r.External = append(c.r.External, u)
	}
	sort.Strings(c.r.External)
	sort.SliceStable(c.r.Problems, func(i, j int) bool {
		a, b := c.r.Problems[i], c.r.Problems[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Link != b.Link {
			return a.Link < b.Link
		}
		return a.Reason < b.Reason
	})
	return &c.r
}

type checker struct {
	files     map[string][]byte
	read      func(name string) ([]byte, error) // a file's bytes, which files may not hold yet
	ids       map[string]map[string]bool        // page -> ids, parsed on first use
	base      string
	subs      []subresource     // scripts and stylesheets the pages load, for output.go
	digests   map[string]string // target and algorithm -> SRI digest
	generated map[string]bool   // pages guidebook wrote (its generator meta tag), not an author's static HTML
	r         Report
}

func normBase(b string) string {
	if b == "" {
		return "/"
	}
	if !strings.HasPrefix(b, "/") {
		b = "/" + b
	}
	if !strings.HasSuffix(b, "/") {
		b += "/"
	}
	return b
}

// linkAttrs are the attributes that name a URL the browser will load or
// the reader can follow.
var linkAttrs = map[string][]string{
	"a": {"href"}, "area": {"href"}, "link": {"href"},
	"script": {"src"}, "img": {"src", "srcset"}, "source": {"src", "srcset"},
	"iframe": {"src"}, "audio": {"src"}, "video": {"src", "poster"}, "track": {"src"},
	"embed": {"src"}, "object": {"data"}, "use": {"href", "xlink:href"}, "image": {"href", "xlink:href"},
	"form": {"action"},
}

func (c *checker) page(name string) {
	doc, err := html.Parse(bytes.NewReader(c.files[name]))
	if err != nil {
		c.problem(name, "", "page does not parse: "+err.Error())
		return
	}
	c.ids[name] = collectIDs(doc)
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if n.Data == "meta" && attr(n, "name") == "generator" && strings.HasPrefix(attr(n, "content"), "guidebook") {
				c.generated[name] = true
			}
			for _, key := range linkAttrs[n.Data] {
				for _, a := range n.Attr {
					if a.Key != key {
						continue
					}
					if key == "srcset" {
						for _, cand := range strings.Split(a.Val, ",") {
							if f := strings.Fields(cand); len(f) > 0 {
								c.link(name, f[0])
							}
						}
						continue
					}
					if target := c.link(name, a.Val); target != "" {
						c.subresource(name, n, a.Val, target)
					}
				}
			}
			if n.Data == "style" && n.FirstChild != nil {
				c.cssURLs(name, n.FirstChild.Data)
			}
			for _, a := range n.Attr {
				if a.Key == "style" {
					c.cssURLs(name, a.Val)
				}
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			visit(ch)
		}
	}
	visit(doc)
}

var cssURL = regexp.MustCompile(`url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)`)

func (c *checker) stylesheet(name string) { c.cssURLs(name, string(c.files[name])) }

func (c *checker) cssURLs(name, css string) {
	for _, m := range cssURL.FindAllStringSubmatch(css, -1) {
		c.link(name, m[1]+m[2]+m[3])
	}
}

func collectIDs(doc *html.Node) map[string]bool {
	ids := map[string]bool{}
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if a.Key == "id" || (a.Key == "name" && n.Data == "a") {
					ids[a.Val] = true
				}
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			visit(ch)
		}
	}
	visit(doc)
	return ids
}

var scheme = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)

// link checks one URL found in file and returns the file it reaches
// inside the site, or "" (external, broken, or not a file).
func (c *checker) link(file, raw string) string {
	ref := strings.TrimSpace(raw)
	switch {
	case strings.HasPrefix(ref, "//"):
		c.external(file, ref)
		return ""
	case scheme.MatchString(ref):
		s := strings.ToLower(ref[:strings.IndexByte(ref, ':')])
		switch s {
		case "http", "https":
			c.external(file, ref)
		case "javascript", "vbscript":
			c.problem(file, raw, "script URL")
		}
		// data:, mailto:, tel: and the like load nothing from the site.
		return ""
	}
	c.r.Links++
	u, err := url.Parse(ref)
	if err != nil {
		c.problem(file, raw, "malformed URL")
		return ""
	}
	target := file
	if u.Path != "" {
		var p string
		switch {
		case u.Path+"/" == c.base:
			p = ""
		case strings.HasPrefix(u.Path, c.base):
			p = strings.TrimPrefix(u.Path, c.base)
		case strings.HasPrefix(u.Path, "/"):
			c.problem(file, raw, "root-relative link outside the site's base path "+c.base)
			return ""
		default:
			p = path.Join(path.Dir(file), u.Path)
		}
		p = path.Clean(p)
		if p == ".." || strings.HasPrefix(p, "../") {
			c.problem(file, raw, "points outside the site")
			return ""
		}
		if p == "." {
			p = ""
		}
		var ok bool
		dir := strings.HasSuffix(u.Path, "/")
		if target, ok = c.resolve(p, dir); !ok {
			c.problem(file, raw, "no file "+describe(p, dir))
			return ""
		}
	}
	if u.Fragment == "" || path.Ext(target) != ".html" {
		return target
	}
	ids, ok := c.ids[target]
	if !ok {
		doc, err := html.Parse(bytes.NewReader(c.files[target]))
		if err != nil {
			return target // reported when the page itself is checked
		}
		ids = collectIDs(doc)
		c.ids[target] = ids
	}
	if !ids[u.Fragment] {
		c.problem(file, raw, fmt.Sprintf("%s has no id %q", target, u.Fragment))
	}
	return target
}

// resolve finds the file a site path serves: the file itself, or the
// index.html of a directory.
func (c *checker) resolve(p string, dir bool) (string, bool) {
	if !dir && p != "" {
		if _, ok := c.files[p]; ok {
			return p, true
		}
	}
	idx := path.Join(p, "index.html")
	if _, ok := c.files[idx]; ok {
		return idx, true
	}
	return "", false
}

func describe(p string, dir bool) string {
	if p == "" {
		return "index.html"
	}
	if dir {
		return p + "/index.html"
	}
	return p
}

func (c *checker) external(file, u string) {
	in := c.r.ExternalIn[u]
	if len(in) == 0 || in[len(in)-1] != file {
		c.r.ExternalIn[u] = append(in, file)
	}
}

func (c *checker) problem(file, link, reason string) {
	c.r.Problems = append(c.r.Problems, Problem{File: file, Link: link, Reason: reason})
}
