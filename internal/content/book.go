package content

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"guidebook/internal/bib"
	"guidebook/internal/bibfile"
	"guidebook/internal/diag"
	"guidebook/internal/paths"
	"guidebook/internal/srcfile"
	"guidebook/internal/terms"
)

// MaxFileSize bounds a single source file. A chapter larger than this is
// almost certainly a mistake (a pasted log, a binary renamed .md) and would
// make every rebuild slow; the author gets an error instead. Static files
// have their own limit, srcfile.MaxStatic.
const MaxFileSize = srcfile.MaxText

// MaxIDLength bounds a chapter id, which names an output folder: file
// systems refuse names over 255 bytes, and a URL segment that long is a
// mistake anyway.
const MaxIDLength = 100

// Book is everything loaded from a source directory.
type Book struct {
	Dir           string // the source directory as given
	Title         string
	Description   string
	Language      string
	Author        string
	CitationStyle string
	Unsafe        bool // pass raw HTML in Markdown through (off by default, as in Hugo)

	Chapters   []*Chapter   // sorted by Order, then ID
	Terms      []terms.Term // from glossary.yaml and every chapter's front matter
	References []bib.Entry
	// Citations are references the book keeps without citing them
	// (book.yaml citations:): author lint does not report them uncited.
	Citations []bib.Nocite
	Static    []string // other files, slash-separated paths relative to Dir, copied as they are

	root *srcfile.Root // where source files may be read from
}

// Chapter is one Markdown file.
type Chapter struct {
	ID        string // output directory name and cross-link target
	File      string // path relative to the book, slash-separated, as shown in messages
	Title     string
	Summary   string
	Order     int
	Citations []bib.Nocite // keys that belong to the chapter bibliography even if not cited inline
	Terms     []terms.Term
	Params    map[string]any // free-form values for custom templates
	Source    []byte         // the whole file, front matter included
	BodyLine  int            // 1-based line where the Markdown body starts
}

// Special names in the book directory.
const (
	ConfigFile = "book.yaml"
)

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// reserved are output directories the generator writes itself.
var reserved = map[string]bool{"glossary": true, "references": true, "search": true, "assets": true, "index": true, "404": true}

// Load reads the book in dir. All problems found are returned together as
// a *diag.List.
func Load(dir string) (*Book, error) { return NewLoader().Load(dir) }

// Load reads the book in dir, reusing what it decoded from files that did
// not change since its last Load.
func (l *Loader) Load(dir string) (*Book, error) {
	root := srcfile.NewRoot(dir)
	if l.Site != "" {
		root = srcfile.NewRoot(l.Site, dir)
	}
	l.root = root
	b := &Book{Dir: dir, Language: "en", CitationStyle: "numbered", root: root}
	var errs diag.List
	cfg := b.loadConfig(&errs)

	chapterFiles, static, err := scan(root, dir, cfg)
	if err != nil {
		errs.Add(err)
	}
	keep := map[string]bool{cfg.glossary: true, cfg.references: true}
	for _, rel := range chapterFiles {
		keep[rel] = true
	}
	l.reset(dir, keep)
	b.Static = static
	ids := map[string]*Chapter{}
	loaded, loadErrs := l.chapters(dir, chapterFiles)
	for i := range chapterFiles {
		ch, err := loaded[i], loadErrs[i]
		if err != nil {
			errs.Add(err)
			if ch == nil {
				continue
			}
		}
		if prev, dup := ids[ch.ID]; dup {
			errs.Addf(diag.Pos{File: ch.File, Line: 1}, "duplicate chapter id %q (also %s)", ch.ID, prev.File)
			continue
		}
		ids[ch.ID] = ch
		b.Chapters = append(b.Chapters, ch)
		b.Terms = append(b.Terms, ch.Terms...)
	}
	SortChapters(b.Chapters)

	if cfg.glossary != "" {
		terms, err := decoded(l, dir, cfg.glossary, decodeGlossary)
		errs.Add(err)
		b.Terms = append(b.Terms, terms...)
	}
	if cfg.references != "" {
		entries, err := decoded(l, dir, cfg.references, decodeReferences)
		errs.Add(err)
		b.References = entries
	}
	if len(b.Chapters) == 0 && errs.Len() == 0 {
		errs.Addf(diag.Pos{File: dir}, "no chapters: the book has no .md files")
	}
	return b, errs.Err()
}

// SortChapters orders chapters for reading: by Order, then ID.
func SortChapters(chs []*Chapter) {
	sort.SliceStable(chs, func(i, j int) bool {
		if chs[i].Order != chs[j].Order {
			return chs[i].Order < chs[j].Order
		}
		return chs[i].ID < chs[j].ID
	})
}

type config struct {
	glossary, references string
}

// loadConfig reads book.yaml. A book without one is valid: it gets the
// defaults and picks up glossary.yaml and references.* by name.
func (b *Book) loadConfig(errs *diag.List) config {
	cfg := config{
		glossary:   b.firstExisting("glossary.yaml", "glossary.yml"),
		references: b.firstExisting("references.bib", "references.json", "references.yaml", "references.yml"),
	}
	b.Title = titleFromName(filepath.Base(absDir(b.Dir)))
	data, err := readSource(b.root, b.Dir, ConfigFile)
	if errors.Is(err, fs.ErrNotExist) {
		return cfg
	}
	if err != nil {
		errs.Add(err)
		return cfg
	}
	root, err := parseYAML(ConfigFile, data, 0)
	if err != nil {
		errs.Add(err)
		return cfg
	}
	d := decoder{file: ConfigFile, errs: errs}
	d.mapping(root, func(key string, k, v *yaml.Node) {
		b.setting(&d, &cfg, key, k, v)
	})
	return cfg
}

// firstExisting returns the first of names that exists in the book's
// folder, or "".
func (b *Book) firstExisting(names ...string) string {
	for _, name := range names {
		if fileExists(filepath.Join(b.Dir, name)) {
			return name
		}
	}
	return ""
}

// setting applies one book.yaml setting, key (at k) with value v.
func (b *Book) setting(d *decoder, cfg *config, key string, k, v *yaml.Node) {
	switch key {
	case "title":
		d.str(v, &b.Title)
	case "description":
		d.str(v, &b.Description)
	case "language":
		d.str(v, &b.Language)
	case "author":
		d.str(v, &b.Author)
	case "citation-style":
		d.str(v, &b.CitationStyle)
		if _, err := bib.ParseStyle(b.CitationStyle); err != nil {
			d.errorf(v, "%v", err)
		}
	case "unsafe-html":
		d.decode(v, &b.Unsafe)
	case "citations":
		b.Citations = d.nocites(v)
	case "glossary":
		if name, ok := b.dataFile(d, key, v); ok {
			cfg.glossary = name
		}
	case "references":
		if name, ok := b.dataFile(d, key, v); ok {
			cfg.references = name
		}
	default:
		d.errorf(k, "unknown setting %q in %s", key, ConfigFile)
	}
}

// dataFile reads the glossary or references setting v: a file inside the
// book, or "" for none. It reports false (and why) when the file is not
// usable.
func (b *Book) dataFile(d *decoder, key string, v *yaml.Node) (string, bool) {
	var name string
	d.str(v, &name)
	if name != "" && !isLocalPath(name) {
		d.errorf(v, "%s file %q must be a path inside the book", key, name)
		return "", false
	}
	if name != "" && !fileExists(filepath.Join(b.Dir, filepath.FromSlash(name))) {
		d.errorf(v, "%s file %q does not exist", key, name)
		return "", false
	}
	return name, true
}

// scan finds chapters and static files. WalkDir does not follow symbolic
// links to directories, so a symlink loop cannot trap it; such links are
// reported rather than silently skipped, as are names with control
// characters, file links leaving the site and files that are not regular
// (the configuration files are checked when they are read).
func scan(root *srcfile.Root, dir string, cfg config) (chapters, static []string, err error) {
	var errs diag.List
	skip := map[string]bool{ConfigFile: true, cfg.glossary: true, cfg.references: true}
	walkErr := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs.Addf(diag.Pos{File: p}, "cannot read: %v", unwrapPathError(err))
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		name := d.Name()
		if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if err := srcfile.CheckName(name); err != nil {
			errs.Addf(diag.Pos{File: srcfile.Quote(rel)}, "%v", err)
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if skip[rel] {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Stat(p)
			if err != nil {
				errs.Addf(diag.Pos{File: rel}, "broken or looping symbolic link: %v", unwrapPathError(err))
				return nil
			}
			if target.IsDir() {
				errs.Addf(diag.Pos{File: rel}, "symbolic link to a directory is not followed (it could loop); copy the files instead")
				return nil
			}
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			if err := root.Check(p); err != nil {
				errs.Addf(diag.Pos{File: rel}, "%v", unwrapPathError(err))
				return nil
			}
		}
		if isChapter(name) {
			chapters = append(chapters, rel)
		} else {
			static = append(static, rel)
		}
		return nil
	})
	if walkErr != nil {
		errs.Addf(diag.Pos{File: dir}, "cannot read book directory: %v", walkErr)
	}
	sort.Strings(chapters)
	sort.Strings(static)
	return chapters, static, errs.Err()
}

// ParseChapter decodes a chapter from its bytes; rel names it in messages
// and gives its default id.
func ParseChapter(rel string, src []byte) (*Chapter, error) {
	stem := chapterStem(path.Base(rel))
	ch := &Chapter{File: rel, Source: src, ID: paths.FileSlug(stem), Title: titleFromName(stem), BodyLine: 1}
	var errs diag.List
	fm, fmLine, bodyLine, err := splitFrontMatter(rel, src)
	if err != nil {
		errs.Add(err)
		return ch, errs.Err()
	}
	ch.BodyLine = bodyLine
	idPos := diag.Pos{File: rel, Line: 1}
	if fm != nil {
		if p := ch.decodeFrontMatter(fm, fmLine, &errs); p.Line > 0 {
			idPos = p
		}
	}
	if n := utf8.RuneCountInString(ch.ID); n > MaxIDLength {
		errs.Addf(idPos, "chapter id is %d characters long; the limit is %d (it names an output folder)", n, MaxIDLength)
	} else if !idPattern.MatchString(ch.ID) {
		errs.Addf(diag.Pos{File: rel, Line: 1}, "chapter id %q must be lowercase letters, digits, '-' or '_' (it names an output directory)", ch.ID)
	} else if reserved[ch.ID] {
		errs.Addf(diag.Pos{File: rel, Line: 1}, "chapter id %q is reserved for a generated page; rename the file or set another id", ch.ID)
	}
	return ch, errs.Err()
}

// decodeFrontMatter fills ch from its front matter and returns where the
// id is set (no Line if it is not).
func (ch *Chapter) decodeFrontMatter(fm []byte, firstLine int, errs *diag.List) (idPos diag.Pos) {
	root, err := parseYAML(ch.File, fm, firstLine-1)
	if err != nil {
		errs.Add(err)
		return idPos
	}
	d := decoder{file: ch.File, lineOffset: firstLine - 1, errs: errs}
	d.mapping(root, func(key string, k, v *yaml.Node) {
		switch key {
		case "title":
			d.str(v, &ch.Title)
		case "id":
			d.str(v, &ch.ID)
			idPos = d.pos(v)
		case "order", "weight":
			d.decode(v, &ch.Order)
		case "summary", "description":
			d.str(v, &ch.Summary)
		case "citations", "nocite":
			ch.Citations = append(ch.Citations, d.nocites(v)...)
		case "glossary":
			ch.Terms = append(ch.Terms, d.terms(v)...)
		case "params":
			d.decode(v, &ch.Params)
		default:
			d.errorf(k, "unknown front matter field %q (put custom values under params:)", key)
		}
	})
	if strings.TrimSpace(ch.Title) == "" {
		errs.Addf(diag.Pos{File: ch.File, Line: firstLine}, "front matter: title must not be empty")
	}
	return idPos
}

// splitFrontMatter finds a YAML block between "---" lines at the top of src.
// It returns the block, the file line of its first line, and the line where
// the body starts. A file without front matter is valid.
func splitFrontMatter(file string, src []byte) (fm []byte, fmLine, bodyLine int, err error) {
	if err := checkText(file, src); err != nil {
		return nil, 0, 1, err
	}
	if bytes.HasPrefix(src, []byte("\ufeff")) {
		return nil, 0, 1, diag.Errorf(diag.Pos{File: file, Line: 1, Col: 1}, "file starts with a byte-order mark; save it as UTF-8 without BOM")
	}
	b, ok := findFrontMatter(src)
	switch {
	case !ok:
		return nil, 0, 1, nil
	case b.body < 0:
		return nil, 0, 1, diag.Errorf(diag.Pos{File: file, Line: 1}, "front matter is not closed: add a line with --- after it")
	}
	return src[b.start:b.stop], 2, b.bodyLine, nil
}

// frontMatter is where a file's front matter lies: its YAML is
// src[start:stop], the body starts at byte body (-1: not closed) on line
// bodyLine.
type frontMatter struct{ start, stop, body, bodyLine int }

// findFrontMatter is the one rule for where front matter is: a first
// line "---" opens it, a line "---" or "..." closes it (trailing blanks
// and CR allowed). ok is false if the first line opens none.
func findFrontMatter(src []byte) (fm frontMatter, ok bool) {
	first, _, _ := bytes.Cut(src, []byte("\n"))
	if string(bytes.TrimRight(first, " \t\r")) != "---" {
		return fm, false
	}
	line := 2
	fm.start = len(first) + 1
	fm.body = -1
	for off := fm.start; off <= len(src); {
		end := bytes.IndexByte(src[off:], '\n')
		next := len(src)
		if end >= 0 {
			next = off + end + 1
		}
		t := string(bytes.TrimRight(src[off:min(next, len(src))], " \t\r\n"))
		if t == "---" || t == "..." {
			fm.stop, fm.body, fm.bodyLine = off, next, line+1
			return fm, true
		}
		if end < 0 {
			break
		}
		off = next
		line++
	}
	return fm, true
}

// BodyStart is the byte offset in src where the chapter body starts:
// after the front matter's closing line, or 0 if there is none (or it is
// not closed, which loading reports). Markdown parsing skips src[:BodyStart]
// so that positions stay file-relative.
func BodyStart(src []byte) int {
	if fm, ok := findFrontMatter(src); ok && fm.body > 0 {
		return fm.body
	}
	return 0
}

// checkText refuses what is not text, at the first offending byte: bytes
// that are not UTF-8 (a file saved in Latin-1) and NUL (a binary file),
// which later stages would otherwise replace without a word.
func checkText(file string, src []byte) error {
	off, msg := bytes.IndexByte(src, 0), "file contains a NUL byte (is it a binary file?)"
	if !utf8.Valid(src) {
		bad := 0
		for bad < len(src) {
			r, n := utf8.DecodeRune(src[bad:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			bad += n
		}
		if off < 0 || bad < off {
			off, msg = bad, "file is not valid UTF-8 (save it as UTF-8)"
		}
	}
	if off < 0 {
		return nil
	}
	line, col := diag.LineCol(src, off)
	return diag.Errorf(diag.Pos{File: file, Line: line, Col: col}, "%s", msg)
}

// decodeReferences is bibfile.Parse after the checks every text file gets.
func decodeReferences(file string, src []byte) ([]bib.Entry, error) {
	if err := checkText(file, src); err != nil {
		return nil, err
	}
	return bibfile.Parse(file, src)
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// parseYAML parses data into a node, reporting syntax errors at their file
// line (YAML counts from the start of data; lineOffset shifts it). A
// second document in data (after a "---" line) is an error: it would
// otherwise be dropped without a word.
func parseYAML(file string, data []byte, lineOffset int) (*yaml.Node, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(onlyNewlines(data)))
	if err := dec.Decode(&root); err != nil && err != io.EOF {
		return nil, yamlError(file, err, lineOffset)
	}
	var next yaml.Node
	if err := dec.Decode(&next); err != io.EOF {
		if err != nil {
			return nil, yamlError(file, err, lineOffset)
		}
		return nil, diag.Errorf(diag.Pos{File: file, Line: next.Line + lineOffset, Col: next.Column},
			"a second YAML document starts here, after a --- line; a file holds one document")
	}
	if root.Kind == 0 {
		return nil, nil
	}
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		return root.Content[0], nil
	}
	return &root, nil
}

// yamlError locates a yaml.v3 syntax error at its file line.
func yamlError(file string, err error, lineOffset int) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatchIndex(msg); m != nil {
		fmt.Sscan(msg[m[2]:m[3]], &line)
		msg = strings.TrimPrefix(strings.TrimSpace(msg[m[1]:]), ":")
		msg = strings.TrimSpace(msg)
	}
	// yaml.v3 numbers scanner errors from 1 but parser errors
	// ("did not find expected …") by their context mark, from 0. The
	// context is where the broken construct starts (the '[' of an
	// unclosed list), which is the line the author needs.
	if strings.HasPrefix(msg, "did not find expected") {
		line++
	}
	if line == 0 {
		line = 1
	}
	return diag.Errorf(diag.Pos{File: file, Line: line + lineOffset}, "invalid YAML: %s", msg)
}

// onlyNewlines blanks the line breaks YAML counts besides "\n" (a lone
// "\r", NEL, LS, PS), byte for byte, so that a line YAML reports is the
// line the author's editor and every other message show (found by
// FuzzFrontMatter: a stray "\r" pushed a line past the end of the file).
// Such characters in front matter are accidents, not content.
func onlyNewlines(data []byte) []byte {
	if !bytes.ContainsAny(data, "\r\u0085\u2028\u2029") {
		return data
	}
	out := bytes.Clone(data)
	for i, c := range out {
		if c == '\r' && (i+1 == len(out) || out[i+1] != '\n') {
			out[i] = ' '
		}
	}
	for _, br := range []string{"\u0085", "\u2028", "\u2029"} {
		out = bytes.ReplaceAll(out, []byte(br), bytes.Repeat([]byte(" "), len(br)))
	}
	return out
}

// decoder decodes yaml nodes field by field so that each problem carries the
// line of the node that has it.
type decoder struct {
	file       string
	lineOffset int
	errs       *diag.List
}

func (d *decoder) pos(n *yaml.Node) diag.Pos {
	return diag.Pos{File: d.file, Line: n.Line + d.lineOffset, Col: n.Column}
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errs.Addf(d.pos(n), format, args...)
}

func (d *decoder) mapping(n *yaml.Node, field func(key string, k, v *yaml.Node)) {
	if n == nil {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "expected a mapping of fields, found %s", kindName(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			d.errorf(k, "field %q appears twice", k.Value)
			continue
		}
		seen[k.Value] = true
		field(k.Value, k, v)
	}
}

func (d *decoder) decode(n *yaml.Node, out any) {
	if err := n.Decode(out); err != nil {
		var te *yaml.TypeError
		msg := err.Error()
		if errors.As(err, &te) && len(te.Errors) > 0 {
			msg = te.Errors[0]
			if m := yamlLine.FindStringSubmatchIndex(msg); m != nil {
				msg = strings.TrimSpace(strings.TrimPrefix(msg[m[1]:], ":"))
			}
		}
		d.errorf(n, "%s", humanizeYAML(msg))
	}
}

func (d *decoder) str(n *yaml.Node, out *string) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.errorf(n, "expected a string, found %s", kindName(n))
		return
	}
	*out = n.Value
}

// nocites decodes a list of citation keys (citations: in front matter
// or book.yaml), each at its position.
func (d *decoder) nocites(v *yaml.Node) []bib.Nocite {
	var keys []string
	d.decode(v, &keys)
	out := make([]bib.Nocite, 0, len(keys))
	for i, k := range keys {
		n := bib.Nocite{Key: k}
		if v.Kind == yaml.SequenceNode && len(v.Content) == len(keys) {
			n.Pos = d.pos(v.Content[i])
		}
		out = append(out, n)
	}
	return out
}

// terms decodes a glossary list: front matter `glossary:` or glossary.yaml.
func (d *decoder) terms(n *yaml.Node) []terms.Term {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "glossary must be a list of terms (- term: …), found %s", kindName(n))
		return nil
	}
	var out []terms.Term
	for _, item := range n.Content {
		t := terms.Term{Pos: d.pos(item)}
		ok := true
		d.mapping(item, func(key string, k, v *yaml.Node) {
			switch key {
			case "term", "name":
				d.str(v, &t.Name)
			case "aliases":
				d.decode(v, &t.Aliases)
			case "definition":
				d.str(v, &t.Definition)
			case "see":
				d.decode(v, &t.See)
			default:
				d.errorf(k, "unknown glossary field %q (expected term, aliases, definition, see)", key)
				ok = false
			}
		})
		if item.Kind != yaml.MappingNode {
			continue
		}
		if strings.TrimSpace(t.Name) == "" {
			d.errorf(item, "glossary entry has no term")
			continue
		}
		t.ID = paths.Slug(t.Name)
		if ok {
			out = append(out, t)
		}
	}
	return out
}

func decodeGlossary(name string, data []byte) ([]terms.Term, error) {
	if err := checkText(name, data); err != nil {
		return nil, err
	}
	root, err := parseYAML(name, data, 0)
	if err != nil || root == nil {
		return nil, err
	}
	var errs diag.List
	d := decoder{file: name, errs: &errs}
	if root.Kind == yaml.MappingNode {
		// Also accept `terms: [...]` so the file can grow other settings.
		var list *yaml.Node
		d.mapping(root, func(key string, k, v *yaml.Node) {
			if key == "terms" {
				list = v
				return
			}
			d.errorf(k, "unknown field %q in glossary file (expected a list of terms or terms:)", key)
		})
		if list == nil {
			return nil, errs.Err()
		}
		root = list
	}
	terms := d.terms(root)
	return terms, errs.Err()
}

// readSource reads a text file of the book under srcfile's rules, with a
// message that names the file relative to the book. Line breaks that are
// a lone CR (classic Mac files) become LF, byte for byte, so that every
// stage and every editor count the same lines. A missing file's error
// wraps fs.ErrNotExist.
func readSource(root *srcfile.Root, dir, rel string) ([]byte, error) {
	data, err := root.Read(filepath.Join(dir, filepath.FromSlash(rel)), MaxFileSize)
	var tl *srcfile.TooLargeError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, err
	case errors.As(err, &tl):
		return nil, diag.Errorf(diag.Pos{File: rel}, "%v: split it into chapters", err)
	case err != nil:
		return nil, readError(rel, err)
	}
	return crToLF(data), nil
}

// ReadStatic reads the static file rel (one of Static) under srcfile's
// rules and its limit for static files.
func (b *Book) ReadStatic(rel string) ([]byte, error) {
	root := b.root
	if root == nil {
		root = srcfile.NewRoot(b.Dir)
	}
	data, err := root.Read(filepath.Join(b.Dir, filepath.FromSlash(rel)), srcfile.MaxStatic)
	if err != nil {
		return nil, readError(rel, err)
	}
	return data, nil
}

// readError puts a read error at the file: srcfile's refusals as they are,
// anything else as the system's reason.
func readError(rel string, err error) error {
	var tl *srcfile.TooLargeError
	if errors.Is(err, srcfile.ErrOutside) || errors.Is(err, srcfile.ErrNotRegular) || errors.As(err, &tl) {
		return diag.Errorf(diag.Pos{File: rel}, "%v", err)
	}
	return diag.Errorf(diag.Pos{File: rel}, "cannot read: %v", unwrapPathError(err))
}

// crToLF turns each lone CR into LF.
func crToLF(data []byte) []byte {
	i := bytes.IndexByte(data, '\r')
	if i < 0 {
		return data
	}
	out := bytes.Clone(data)
	for ; i < len(out); i++ {
		if out[i] == '\r' && (i+1 == len(out) || out[i+1] != '\n') {
			out[i] = '\n'
		}
	}
	return out
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func fileExists(p string) bool {
	info, err := os.Stat(p)
	return err == nil && !info.IsDir()
}

func absDir(dir string) string {
	if a, err := filepath.Abs(dir); err == nil {
		return a
	}
	return dir
}

func isLocalPath(p string) bool {
	return filepath.IsLocal(filepath.FromSlash(p))
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

var yamlTypeError = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: (`[^`]*`))? into (.+)$")

// humanizeYAML turns yaml.v3's Go-typed message ("cannot unmarshal !!str
// `x` into int") into the author's terms ("expected a number, found `x`").
func humanizeYAML(msg string) string {
	m := yamlTypeError.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	found := m[2]
	switch {
	case m[1] == "seq":
		found = "a list"
	case m[1] == "map":
		found = "a mapping"
	case found == "":
		found = "!!" + m[1]
	}
	want := m[3]
	switch {
	case want == "int":
		want = "a number"
	case want == "bool":
		want = "true or false"
	case want == "string":
		want = "a string"
	case strings.HasPrefix(want, "[]"):
		want = "a list"
	case strings.HasPrefix(want, "map["):
		want = "a mapping"
	}
	return "expected " + want + ", found " + found
}

// titleFromName makes a title of a file name: words split at '-', '_'
// and spaces, each starting with a capital letter (a letter, not a byte:
// "éclair" becomes "Éclair").
func titleFromName(s string) string {
	words := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' || r == ' ' })
	for i, w := range words {
		r, n := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToTitle(r)) + w[n:]
	}
	return strings.Join(words, " ")
}

// isChapter reports whether a file name is a chapter's: .md or .markdown,
// in any case (as Hugo reads .markdown), so that none is published raw.
func isChapter(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".markdown":
		return true
	}
	return false
}

// chapterStem is a chapter's file name without its extension.
func chapterStem(name string) string {
	if isChapter(name) {
		return strings.TrimSuffix(name, path.Ext(name))
	}
	return strings.TrimSuffix(name, ".md")
}

// CheckDir reports a missing or misplaced content folder, named the way
// the author reaches it, with the usual cause: running guidebook in the
// wrong folder. Other problems reading it are Load's to report.
func CheckDir(dir string) error {
	info, err := os.Stat(dir)
	switch {
	case err == nil && info.IsDir():
		return nil
	case err == nil:
		return diag.Errorf(diag.Pos{File: diag.DisplayDir(dir)}, "not a folder: the chapters go in a content/ folder")
	case !errors.Is(err, os.ErrNotExist):
		return nil // the loader reports what it cannot read
	}
	where := "here"
	if site := diag.DisplayDir(filepath.Dir(dir)); site != "." {
		where = "in " + site
	}
	return diag.Errorf(diag.Pos{File: diag.DisplayDir(dir)}, "no such folder: no content/ folder %s; pass --src DIR naming the folder that holds content/", where)
}
