package export

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"guidebook/internal/outdir"
	index "guidebook/internal/search"
	"guidebook/internal/site"
)

// Pages the single file leaves out: it has no address to be missing from,
// and its search box works on every page.
const (
	notFoundPage = "404.html"
	searchPage   = "search/index.html"
	homePage     = "index.html"
	homeSection  = "home"
)

// idRefAttrs hold whitespace-separated lists of element ids.
var idRefAttrs = map[string]bool{
	"aria-describedby": true, "aria-labelledby": true, "aria-controls": true, "aria-owns": true,
	"aria-details": true, "aria-flowto": true, "aria-activedescendant": true, "aria-errormessage": true,
	"for": true, "headers": true, "list": true, "form": true,
}

// urlAttrs hold one URL.
var urlAttrs = map[string]bool{"href": true, "src": true, "action": true, "poster": true}

type page struct {
	file    string // output path, e.g. "fundamentals/index.html"
	section string // the id of its <section> in the single file
	doc     *html.Node
	main    *html.Node
	content []*html.Node      // main's children, detached
	rename  map[string]string // content ids that collide, and their new names
}

// id maps an id of the page to its id in the single file.
func (p *page) id(id string) string {
	if n, ok := p.rename[id]; ok {
		return n
	}
	return id
}

type joiner struct {
	files    map[string][]byte
	static   []string // the author's static files: files, not pages
	pages    map[string]*page
	order    []*page
	errs     []string
	shell    *html.Node      // the home page, which becomes the single file
	inShell  bool            // rewriting the shell: fragments name its own ids first
	shellIDs map[string]bool // ids outside <main> of the home page
}

// SingleFile joins the pages of an Export-mode build into one HTML
// document that needs nothing else: the home page's layout holds every
// page's main column as a <section id="PAGE">, in the order the home page
// links them (chapters, then glossary and references). Ids that occur in
// more than one page are prefixed with their section's id, every internal
// link becomes an in-page anchor, stylesheets and scripts are inlined
// (scripts at the end of the body, in the order pages load them, since an
// inline script cannot be deferred) and other local files become data:
// URIs (static, the author's own files from content/, are never joined as
// pages, .html or not). The search index is inlined with its URLs
// rewritten the same way.
func SingleFile(files map[string][]byte, static []string) ([]byte, error) {
	j := &joiner{files: files, static: static, pages: map[string]*page{}}
	if err := j.load(); err != nil {
		return nil, err
	}
	j.assignIDs()
	styles, scripts := j.assets()
	home := j.pages[homePage]

	// The shell first, while its <main> is empty, so the sections are
	// rewritten once, in their own page's terms.
	j.rewrite(home, j.shell, false)
	for _, p := range j.order {
		sec := &html.Node{Type: html.ElementNode, Data: "section", DataAtom: atom.Section,
			Attr: []html.Attribute{{Key: "id", Val: p.section}, {Key: "class", Val: "gb-single-section"}}}
		for _, c := range p.content {
			sec.AppendChild(c)
			j.rewrite(p, c, true)
		}
		home.main.AppendChild(sec)
	}
	j.inline(styles, scripts)
	if len(j.errs) > 0 {
		return nil, fmt.Errorf("single-file export:\n  %s", strings.Join(j.errs, "\n  "))
	}
	var b bytes.Buffer
	if err := html.Render(&b, j.shell); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (j *joiner) errorf(format string, args ...any) {
	j.errs = append(j.errs, fmt.Sprintf(format, args...))
}

// load parses every page and orders them: home, then pages in the order
// the home page first links to them, then any others by path. An author's
// own .html file in content/ is not a page of the book: it stays a file,
// which a link reaches as a data: URI like any other.
func (j *joiner) load() error {
	static := map[string]bool{}
	for _, f := range j.static {
		static[f] = true
	}
	var files []string
	for f := range j.files {
		if path.Ext(f) == ".html" && f != notFoundPage && f != searchPage && !static[f] {
			files = append(files, f)
		}
	}
	sort.Strings(files)
	for _, f := range files {
		doc, err := html.Parse(bytes.NewReader(j.files[f]))
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		main := find(doc, func(n *html.Node) bool { return attr(n, "id") == "gb-main" })
		if main == nil {
			main = find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Main })
		}
		if main == nil {
			return fmt.Errorf("%s: no <main> element to take the page's content from", f)
		}
		j.pages[f] = &page{file: f, doc: doc, main: main, rename: map[string]string{}}
	}
	home, ok := j.pages[homePage]
	if !ok {
		return fmt.Errorf("the site has no %s", homePage)
	}
	j.shell = home.doc
	seen := map[string]bool{homePage: true}
	j.order = []*page{home}
	walk(home.doc, func(n *html.Node) {
		if n.DataAtom != atom.A {
			return
		}
		if t, _ := j.target(home, attr(n, "href")); t != "" && j.pages[t] != nil && !seen[t] {
			seen[t] = true
			j.order = append(j.order, j.pages[t])
		}
	})
	for _, f := range files {
		if !seen[f] {
			j.order = append(j.order, j.pages[f])
		}
	}
	for _, p := range j.order {
		for c := p.main.FirstChild; c != nil; c = p.main.FirstChild {
			p.main.RemoveChild(c)
			p.content = append(p.content, c)
		}
	}
	return nil
}

// assignIDs names each section after its page and renames content ids
// that would not be unique in the single file. The shell's own ids (search
// box, sidebar, main) keep their names: scripts and styles look them up.
func (j *joiner) assignIDs() {
	taken := map[string]bool{}
	walk(j.shell, func(n *html.Node) {
		if id := attr(n, "id"); id != "" {
			taken[id] = true
		}
	})
	j.shellIDs = map[string]bool{}
	for id := range taken {
		j.shellIDs[id] = true
	}
	count := map[string]int{}
	for _, p := range j.order {
		for _, id := range contentIDs(p) {
			count[id]++
		}
	}
	for _, p := range j.order {
		base := sectionName(p.file)
		p.section = base
		// Sections take their page's name even over a content id, which
		// is renamed below instead: links to a chapter are the common case.
		for k := 2; taken[p.section]; k++ {
			p.section = base + "-" + strconv.Itoa(k)
		}
		taken[p.section] = true
	}
	for _, p := range j.order {
		renameClashes(p, taken, count)
	}
}

// contentIDs lists the ids in p's content, in document order.
func contentIDs(p *page) []string {
	var ids []string
	for _, c := range p.content {
		walk(c, func(n *html.Node) {
			if id := attr(n, "id"); id != "" {
				ids = append(ids, id)
			}
		})
	}
	return ids
}

// renameClashes gives each id of p that is taken elsewhere (count says how
// many pages use it) a name prefixed with p's section.
func renameClashes(p *page, taken map[string]bool, count map[string]int) {
	ids := contentIDs(p)
	clash := map[string]bool{}
	for _, id := range ids {
		if count[id] > 1 || taken[id] {
			clash[id] = true
		}
	}
	// Widgets derive their parts' ids from their own (homa-ir-1,
	// homa-ir-1-g): when one is renamed, its parts go with it.
	for _, id := range ids {
		for c := range clash {
			if strings.HasPrefix(id, c+"-") {
				clash[id] = true
			}
		}
	}
	free := func(id string) bool { return !taken[id] && count[id] == 0 }
	for _, id := range ids {
		if _, done := p.rename[id]; done {
			continue
		}
		if !clash[id] {
			taken[id] = true
			continue
		}
		n := p.section + "-" + id
		for k := 2; !free(n); k++ {
			n = p.section + "-" + id + "-" + strconv.Itoa(k)
		}
		taken[n] = true
		p.rename[id] = n
	}
}

// sectionName is a page's section id: its directory ("fundamentals") or
// file name without extension; "home" for the root page.
func sectionName(file string) string {
	if file == homePage {
		return homeSection
	}
	s := strings.TrimSuffix(file, "/index.html")
	s = strings.TrimSuffix(s, path.Ext(s))
	return strings.ReplaceAll(s, "/", "-")
}

type asset struct {
	file string
	data []byte
}

// assets lists the stylesheets and scripts all pages load, each once, in
// the order pages load them, and removes them from the shell.
func (j *joiner) assets() (styles, scripts []asset) {
	seen := map[string]bool{}
	for _, p := range j.order {
		head := find(p.doc, func(n *html.Node) bool { return n.DataAtom == atom.Head })
		if head == nil {
			continue
		}
		var drop []*html.Node
		walk(head, func(n *html.Node) {
			var ref string
			switch {
			case n.DataAtom == atom.Link && hasToken(attr(n, "rel"), "stylesheet"):
				ref = attr(n, "href")
			case n.DataAtom == atom.Script && attr(n, "src") != "":
				ref = attr(n, "src")
			default:
				return
			}
			drop = append(drop, n)
			t, _ := j.target(p, ref)
			data, ok := j.files[t]
			if !ok {
				j.errorf("%s: %s does not resolve to a file in the export", p.file, ref)
				return
			}
			if seen[t] {
				return
			}
			seen[t] = true
			if n.DataAtom == atom.Link {
				styles = append(styles, asset{t, data})
			} else {
				scripts = append(scripts, asset{t, data})
			}
		})
		if p.doc == j.shell {
			for _, n := range drop {
				// The line break after the element goes with it.
				if ws := n.NextSibling; ws != nil && ws.Type == html.TextNode && strings.TrimSpace(ws.Data) == "" {
					n.Parent.RemoveChild(ws)
				}
				n.Parent.RemoveChild(n)
			}
		}
	}
	return styles, scripts
}

// inline puts the stylesheets into <head> and the scripts at the end of
// <body>. The search index is rewritten to in-page anchors; if that is not
// possible the search box is removed rather than left to link nowhere.
func (j *joiner) inline(styles, scripts []asset) {
	root := find(j.shell, func(n *html.Node) bool { return n.DataAtom == atom.Html })
	head := find(j.shell, func(n *html.Node) bool { return n.DataAtom == atom.Head })
	body := find(j.shell, func(n *html.Node) bool { return n.DataAtom == atom.Body })
	if root == nil || head == nil || body == nil {
		j.errorf("%s: no <html>, <head> or <body>", homePage)
		return
	}
	markGenerator(head)
	// Search results link to root + URL; every URL is now "#…".
	setAttr(root, "data-gb-root", "")
	setAttr(body, "class", strings.Replace(attr(body, "class"), "gb-kind-home", "gb-kind-single", 1))
	for _, s := range styles {
		head.AppendChild(rawElement(atom.Style, escapeRaw(string(s.data), "style")))
	}
	searchOK := true
	for _, s := range scripts {
		text := string(s.data)
		if m, err := index.ReadManifest(s.data); err == nil {
			if text, err = j.searchIndex(m); err != nil {
				searchOK = false
				continue
			}
		} else if !errors.Is(err, index.ErrNotIndex) {
			searchOK = false
			continue
		}
		body.AppendChild(rawElement(atom.Script, escapeRaw(text, "script")))
	}
	if !searchOK {
		if f := find(j.shell, func(n *html.Node) bool { return n.DataAtom == atom.Form && attr(n, "role") == "search" }); f != nil {
			f.Parent.RemoveChild(f)
		}
	}
}

// markGenerator names the file guidebook's single-file export in its
// generator tag, so the next export may replace it (outdir.OwnSingleFile).
func markGenerator(head *html.Node) {
	gen := outdir.SingleFileGenerator(site.Version)
	if m := find(head, func(n *html.Node) bool {
		return n.DataAtom == atom.Meta && strings.EqualFold(attr(n, "name"), "generator")
	}); m != nil {
		setAttr(m, "content", gen)
		return
	}
	head.InsertBefore(&html.Node{Type: html.ElementNode, Data: "meta", DataAtom: atom.Meta,
		Attr: []html.Attribute{{Key: "name", Val: "generator"}, {Key: "content", Val: gen}}}, head.FirstChild)
}

// searchIndex joins the index's parts into one inline index (a file
// cannot load more scripts) and rewrites each entry's URL
// ("fundamentals/index.html#x", relative to the site root) to its anchor
// in the single file.
func (j *joiner) searchIndex(m *index.Manifest) (string, error) {
	docs := m.Docs
	for _, p := range m.Parts {
		data, ok := j.files[p.Src]
		if !ok {
			return "", fmt.Errorf("search index part %q is missing", p.Src)
		}
		part, err := index.ReadPart(data)
		if err != nil {
			return "", fmt.Errorf("search index part %q: %w", p.Src, err)
		}
		docs = append(docs, part...)
	}
	home := j.pages[homePage]
	j.inShell = false
	for i, d := range docs {
		v, ok := j.url(home, nil, "href", d.U)
		if !ok {
			return "", fmt.Errorf("search index: %q", d.U)
		}
		docs[i].U = v
	}
	return string(index.InlineScript(docs)), nil
}

// rewrite renames ids and id references of p's content and turns its
// links into anchors or data: URIs. inContent is false for the shell,
// whose ids are kept.
func (j *joiner) rewrite(p *page, n *html.Node, inContent bool) {
	j.inShell = !inContent
	walk(n, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		attrs := n.Attr[:0]
		for _, a := range n.Attr {
			switch {
			case a.Key == "id" && inContent:
				a.Val = p.id(a.Val)
			case idRefAttrs[a.Key] && inContent:
				f := strings.Fields(a.Val)
				for i := range f {
					f[i] = p.id(f[i])
				}
				a.Val = strings.Join(f, " ")
			case urlAttrs[a.Key] && a.Namespace == "":
				v, keep := j.url(p, n, a.Key, a.Val)
				if !keep {
					continue
				}
				a.Val = v
			case a.Key == "srcset":
				j.errorf("%s: srcset is not supported in the single-file export", p.file)
			}
			attrs = append(attrs, a)
		}
		n.Attr = attrs
	})
}

// url maps a link of page p to the single file. keep is false when the
// attribute should go (a form's action pointing at the left-out search
// page: the script answers searches in place).
func (j *joiner) url(p *page, n *html.Node, key, val string) (string, bool) {
	if val == "" {
		return val, true
	}
	if strings.HasPrefix(val, "#") {
		frag, err := url.PathUnescape(val[1:])
		if err != nil || frag == "" || (j.inShell && j.shellIDs[frag]) {
			return val, true
		}
		return "#" + p.id(frag), true
	}
	u, err := url.Parse(val)
	if err != nil {
		j.errorf("%s: %s=%q: %v", p.file, key, val, err)
		return val, true
	}
	if u.Scheme != "" || u.Host != "" {
		resource := key == "src" || (n != nil && n.DataAtom == atom.Link)
		if resource && u.Scheme != "data" {
			j.errorf("%s: %s=%q would load from the network", p.file, key, val)
		}
		return val, true
	}
	t, _ := j.target(p, val)
	if tp, ok := j.pages[t]; ok {
		if u.Fragment == "" {
			return "#" + tp.section, true
		}
		return "#" + tp.id(u.Fragment), true
	}
	switch t {
	case searchPage:
		if key == "action" {
			return "", false
		}
		return "#gb-search-input", true
	case notFoundPage:
		return "#" + homeSection, true
	}
	data, ok := j.files[t]
	if !ok {
		j.errorf("%s: %s=%q: %s is not in the export", p.file, key, val, t)
		return val, true
	}
	return dataURI(t, data), true
}

// target resolves a relative link of p to an output path.
func (j *joiner) target(p *page, ref string) (string, bool) {
	u, err := url.Parse(ref)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(ref, "#") {
		return "", false
	}
	if u.Path == "" {
		return p.file, true
	}
	t := path.Join(path.Dir(p.file), u.Path)
	if strings.HasSuffix(u.Path, "/") || t == "." {
		t = strings.TrimPrefix(path.Join(t, "index.html"), "./")
	}
	return t, true
}

func dataURI(name string, data []byte) string {
	mt := mime.TypeByExtension(path.Ext(name))
	if mt == "" {
		mt = "application/octet-stream"
	}
	return "data:" + mt + ";base64," + base64.StdEncoding.EncodeToString(data)
}

// escapeRaw keeps an inlined script or stylesheet from ending its element
// early: "</script" and "<!--" are the only sequences the HTML tokenizer
// looks for inside raw text. The backslash is harmless where they can
// occur in JS and CSS (strings, regular expressions, comments).
func escapeRaw(s, tag string) string {
	return rawEnd[tag].ReplaceAllStringFunc(s, func(m string) string {
		if m == "<!--" {
			return `<\!--`
		}
		return `<\/` + m[2:]
	})
}

var rawEnd = map[string]*regexp.Regexp{
	"script": regexp.MustCompile(`(?i)</script|<!--`),
	"style":  regexp.MustCompile(`(?i)</style|<!--`),
}

func rawElement(a atom.Atom, text string) *html.Node {
	n := &html.Node{Type: html.ElementNode, Data: a.String(), DataAtom: a}
	n.AppendChild(&html.Node{Type: html.TextNode, Data: text})
	return n
}

func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func find(n *html.Node, match func(*html.Node) bool) *html.Node {
	if n.Type == html.ElementNode && match(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if m := find(c, match); m != nil {
			return m
		}
	}
	return nil
}

func attr(n *html.Node, key string) string {
	if n.Type != html.ElementNode {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}

func setAttr(n *html.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}
