package bibfile

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"guidebook/internal/bib"
	"guidebook/internal/diag"
)

// months are BibTeX's predefined @string macros.
var months = map[string]string{
	"jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
	"jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December",
}

// MaxMacroText bounds the text @string macros add to one file: every use
// of a macro counts its whole expansion, in @string definitions too. Each
// line of `@string{s1 = s0 # s0}` doubles a macro, so 1.4 KB of BibTeX
// could otherwise ask for gigabytes, defined or not; a real file's month
// and journal macros add a few kilobytes.
const MaxMacroText = 4 << 20

// bibtexTypes normalises entry types to the vocabulary bib.Entry.Type uses.
var bibtexTypes = map[string]string{
	"article": "article", "book": "book", "booklet": "book", "mvbook": "book",
	"inbook": "chapter", "incollection": "chapter", "bookinbook": "chapter",
	"inproceedings": "conference", "conference": "conference", "proceedings": "book",
	"techreport": "report", "report": "report", "manual": "report",
	"phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis",
	"online": "webpage", "electronic": "webpage", "www": "webpage", "webpage": "webpage",
}

// bibField is a field's raw value (braces kept, so name lists can still
// see which "and"s and commas are protected) and where it starts.
type bibField struct {
	raw string
	off int
}

type bibParser struct {
	file   string
	src    string
	i      int
	errs   *diag.List
	macros map[string]string
	lines  []int // offsets where lines start, built on the first error

	macroText int             // bytes macro uses added so far; see MaxMacroText
	tooMuch   bool            // MaxMacroText was passed (and reported)
	broken    map[string]bool // macros whose definition failed (and was reported)
}

// bibError stops parsing the current entry; the parser resynchronises at
// the next '@' that starts a line.
type bibError struct{ off int }

func (p *bibParser) pos(off int) diag.Pos {
	// A line index keeps reporting linear in a file full of mistakes.
	if p.lines == nil {
		p.lines = []int{0}
		for i := 0; i < len(p.src); i++ {
			if p.src[i] == '\n' {
				p.lines = append(p.lines, i+1)
			}
		}
	}
	off = min(max(off, 0), len(p.src))
	line := sort.SearchInts(p.lines, off+1) - 1
	return diag.Pos{File: p.file, Line: line + 1, Col: off - p.lines[line] + 1}
}

func (p *bibParser) fail(off int, format string, args ...any) {
	p.errs.Addf(p.pos(off), format, args...)
	panic(bibError{off})
}

// parseBibTeX reads BibTeX. Text outside entries is a comment, as in
// BibTeX itself. Each malformed entry is reported and skipped, so one run
// shows every mistake in the file.
func parseBibTeX(file string, data []byte) ([]bib.Entry, error) {
	p := &bibParser{file: file, src: string(data), errs: &diag.List{}, macros: map[string]string{}, broken: map[string]bool{}}
	for k, v := range months {
		p.macros[k] = v
	}
	var entries []bib.Entry
	for {
		at := strings.IndexByte(p.src[p.i:], '@')
		if at < 0 {
			break
		}
		p.i += at
		if e, ok := p.entryRecovering(); ok {
			entries = append(entries, e)
		}
	}
	p.caseClashes(entries)
	return entries, p.errs.Err()
}

// caseClashes reports keys that differ only in case: BibTeX compares keys
// without case, so they name one work twice. Both places are named, each
// against the first of its keys. (Keys equal byte for byte are
// NewBibliography's duplicates.)
func (p *bibParser) caseClashes(entries []bib.Entry) {
	first := map[string]int{}
	for i, e := range entries {
		k := strings.ToLower(e.Key)
		j, seen := first[k]
		if !seen {
			first[k] = i
			continue
		}
		if f := entries[j]; f.Key != e.Key {
			const msg = "citation keys %q and %q (%s) differ only in case: BibTeX does not tell them apart, so rename one"
			p.errs.Addf(f.Pos, msg, f.Key, e.Key, e.Pos)
			p.errs.Addf(e.Pos, msg, e.Key, f.Key, f.Pos)
		}
	}
}

func (p *bibParser) entryRecovering() (e bib.Entry, ok bool) {
	start := p.i
	defer func() {
		if r := recover(); r != nil {
			if _, isBib := r.(bibError); !isBib {
				panic(r)
			}
			p.i = nextEntryStart(p.src, start+1)
			ok = false
		}
	}()
	return p.entry()
}

// nextEntryStart finds the next '@' that is the first non-blank character
// of a line: the likely start of the next entry after a broken one.
func nextEntryStart(src string, from int) int {
	for i := from; i < len(src); i++ {
		if src[i] == '@' && atLineStart(src, i) {
			return i
		}
	}
	return len(src)
}

// atLineStart reports whether only blanks precede src[i] on its line.
func atLineStart(src string, i int) bool {
	j := i - 1
	for j >= 0 && (src[j] == ' ' || src[j] == '\t') {
		j--
	}
	return j < 0 || src[j] == '\n' || src[j] == '\r'
}

func (p *bibParser) entry() (bib.Entry, bool) {
	start := p.i
	p.i++ // '@'
	typ := strings.ToLower(p.ident())
	if typ == "" {
		// A stray '@' (an e-mail address in a comment) is not an entry.
		return bib.Entry{}, false
	}
	p.skipSpace()
	if p.i >= len(p.src) || (p.src[p.i] != '{' && p.src[p.i] != '(') {
		// Mid-line, "@word" without a brace is prose (an e-mail address in
		// a comment); at the start of a line it is a broken entry.
		if typ == "comment" || !atLineStart(p.src, start) {
			return bib.Entry{}, false
		}
		p.fail(p.i, "expected \"{\" after @%s", typ)
	}
	body := entryBody{open: p.i, closer: '}', fields: map[string]bibField{}}
	if p.src[p.i] == '(' {
		body.closer = ')'
	}
	switch typ {
	case "comment", "preamble":
		p.skipGroup(body.open, body.closer)
		return bib.Entry{}, false
	case "string":
		p.stringMacro(body.closer)
		return bib.Entry{}, false
	}
	p.i++
	body.key = p.citationKey(typ, body.closer)
	p.fields(&body)
	return p.makeEntry(typ, body.key, start, body.fields), true
}

// stringMacro reads the rest of `@string{name = value}`, from its opening
// brace or parenthesis, and defines the macro.
func (p *bibParser) stringMacro(closer byte) {
	p.i++
	p.skipSpace()
	nameOff := p.i
	name := strings.ToLower(p.ident())
	if name == "" {
		p.fail(nameOff, "expected a macro name in @string")
	}
	p.expectEquals()
	// Until its value is read the macro is broken: a failure there is
	// reported once, not again at every use.
	p.broken[name] = true
	p.macros[name] = p.value()
	delete(p.broken, name)
	p.skipSpace()
	p.expect(closer)
}

// citationKey reads an entry's key and checks that a field list or the
// entry's end follows it.
func (p *bibParser) citationKey(typ string, closer byte) string {
	p.skipSpace()
	keyOff := p.i
	for p.i < len(p.src) && !strings.ContainsRune(", \t\r\n{}()=\"", rune(p.src[p.i])) {
		p.i++
	}
	key := p.src[keyOff:p.i]
	if key == "" {
		p.fail(keyOff, "missing citation key in @%s entry", typ)
	}
	p.skipSpace()
	if p.i < len(p.src) && p.src[p.i] == '=' {
		p.fail(keyOff, "missing citation key in @%s entry (found field %q)", typ, key)
	}
	if p.i < len(p.src) && p.src[p.i] != ',' && p.src[p.i] != closer {
		p.fail(p.i, "missing \",\" after citation key %q", key)
	}
	return key
}

// entryBody is what an entry's field list is read into.
type entryBody struct {
	key       string
	open      int  // offset of the entry's '{' or '('
	closer    byte // the byte that closes it
	fields    map[string]bibField
	swallowed []string // fields whose braces seem to have eaten later fields
}

// fields reads `, name = value` up to and including the closer (a comma
// before it is allowed).
func (p *bibParser) fields(b *entryBody) {
	for {
		p.skipSpace()
		p.failIfUnclosed(b)
		if p.src[p.i] == b.closer {
			p.i++
			return
		}
		if p.src[p.i] != ',' {
			p.fail(p.i, "unexpected %s in entry %q", describe(p.src, p.i), b.key)
		}
		p.i++
		p.skipSpace()
		p.failIfUnclosed(b)
		if p.src[p.i] == b.closer {
			p.i++ // trailing comma
			return
		}
		p.field(b)
	}
}

// field reads one `name = value` and checks that a comma or the closer
// follows it.
func (p *bibParser) field(b *entryBody) {
	nameOff := p.i
	name := strings.ToLower(p.ident())
	if name == "" {
		p.fail(p.i, "expected a field name in entry %q, found %s", b.key, describe(p.src, p.i))
	}
	p.expectEquals()
	valOff := p.i
	raw := p.value()
	if _, dup := b.fields[name]; dup {
		p.fail(nameOff, "duplicate field %q in entry %q", name, b.key)
	}
	b.fields[name] = bibField{raw: raw, off: valOff}
	if looksLikeFields(raw) {
		b.swallowed = append(b.swallowed, name)
	}
	end := p.i
	p.skipSpace()
	p.failIfUnclosed(b)
	if p.src[p.i] != ',' && p.src[p.i] != b.closer {
		p.fail(end, "missing \",\" after field %q", name)
	}
}

// failIfUnclosed fails when the file ends, or the next entry starts,
// inside this one. A field that swallowed later fields is the likelier
// culprit than the entry's own closer, so it is named first.
func (p *bibParser) failIfUnclosed(b *entryBody) {
	if p.i < len(p.src) && p.src[p.i] != '@' {
		return
	}
	for _, name := range b.swallowed {
		p.fail(b.fields[name].off, "unclosed brace in field %q of entry %q", name, b.key)
	}
	p.fail(b.open, "unclosed entry %q: missing %q", b.key, string(b.closer))
}

func (p *bibParser) makeEntry(typ, key string, start int, f map[string]bibField) bib.Entry {
	e := bib.Entry{Key: key, Type: bibtexTypes[typ], Pos: p.pos(start)}
	if e.Type == "" {
		e.Type = "misc"
	}
	text := func(names ...string) string {
		for _, n := range names {
			if v, ok := f[n]; ok {
				if s := bib.LatexToUnicode(v.raw); s != "" {
					return s
				}
			}
		}
		return ""
	}
	for _, n := range []string{"author", "editor"} {
		if v, ok := f[n]; ok && strings.TrimSpace(v.raw) != "" {
			e.Authors = p.names(v)
			break
		}
	}
	e.Title = text("title")
	e.Container = text("journal", "journaltitle", "booktitle")
	e.Publisher = text("publisher", "organization", "institution", "school")
	e.Volume = text("volume")
	e.Issue = text("number", "issue")
	e.Pages = text("pages")
	e.Year = text("year")
	if e.Year == "" {
		e.Year = yearOf(text("date"))
	}
	e.DOI = strings.TrimSpace(rawText(f, "doi"))
	e.URL = strings.TrimSpace(rawText(f, "url"))
	e.Note = text("note")
	if hp := text("howpublished"); hp != "" {
		if e.URL == "" && (strings.HasPrefix(hp, "http://") || strings.HasPrefix(hp, "https://")) {
			e.URL = hp
		} else if e.Note == "" {
			e.Note = hp
		}
	}
	return e
}

// looksLikeFields reports whether a value has a line starting like a
// field ("  year = 2015"): the sign of a missing closing brace.
func looksLikeFields(raw string) bool {
	for _, line := range strings.Split(raw, "\n")[1:] {
		line = strings.TrimSpace(line)
		name := strings.TrimRightFunc(line, func(r rune) bool { return r != '=' })
		name = strings.TrimSpace(strings.TrimSuffix(name, "="))
		if name != "" && strings.IndexFunc(name, func(r rune) bool { return !isASCIILetter(byte(r)) || r > 127 }) < 0 {
			return true
		}
	}
	return false
}

// rawText is a field without LaTeX conversion beyond brace stripping: DOIs
// and URLs contain '_', '%' and '~' that are not markup.
func rawText(f map[string]bibField, name string) string {
	v, ok := f[name]
	if !ok {
		return ""
	}
	s := strings.NewReplacer("{", "", "}", "", `\_`, "_", `\%`, "%", `\&`, "&", `\#`, "#", `\~`, "~", `\url`, "").Replace(v.raw)
	return strings.TrimSpace(s)
}

// yearOf extracts the first four-digit run from a date like "2021-05-03".
func yearOf(s string) string {
	for i := 0; i+4 <= len(s); i++ {
		if strings.Trim(s[i:i+4], "0123456789") == "" && (i+4 == len(s) || s[i+4] < '0' || s[i+4] > '9') {
			return s[i : i+4]
		}
	}
	return ""
}

// names splits a BibTeX name list on "and" at brace depth 0 and reads each
// name in BibTeX's three forms: "First von Last", "von Last, First" and
// "von Last, Jr, First". A name wholly in braces is an organisation.
func (p *bibParser) names(v bibField) []bib.Person {
	var out []bib.Person
	for _, name := range splitTopLevel(v.raw, isAndSeparator) {
		name = strings.TrimSpace(name)
		switch {
		case name == "":
			continue
		case strings.EqualFold(name, "others"):
			out = append(out, bib.EtAl)
			continue
		}
		if g, n := bib.TeXGroup(name); n == len(name) {
			out = append(out, bib.Person{Literal: bib.LatexToUnicode(g)})
			continue
		}
		parts := splitTopLevel(name, func(s string, i int) int {
			if s[i] == ',' {
				return 1
			}
			return 0
		})
		switch len(parts) {
		case 1:
			words := splitTopLevel(name, isSpace)
			var ws []string
			for _, w := range words {
				if w != "" {
					ws = append(ws, w)
				}
			}
			if len(ws) == 0 {
				continue // only BibTeX spaces such as "~": no name at all
			}
			last := len(ws) - 1
			// The von part starts at the first lower-case word before the
			// last one: "Ludwig van Beethoven".
			for i := 0; i < len(ws)-1; i++ {
				if startsLower(ws[i]) {
					last = i
					break
				}
			}
			out = append(out, bib.Person{
				Given:  bib.LatexToUnicode(strings.Join(ws[:last], " ")),
				Family: bib.LatexToUnicode(strings.Join(ws[last:], " ")),
			})
		case 2:
			out = append(out, bib.Person{Family: bib.LatexToUnicode(parts[0]), Given: bib.LatexToUnicode(parts[1])})
		case 3:
			given := bib.LatexToUnicode(parts[2])
			if jr := bib.LatexToUnicode(parts[1]); jr != "" {
				given += ", " + jr
			}
			out = append(out, bib.Person{Family: bib.LatexToUnicode(parts[0]), Given: given})
		default:
			p.errs.Addf(p.pos(v.off), "name %q has too many commas", bib.LatexToUnicode(name))
		}
	}
	return out
}

// splitTopLevel splits s wherever sep (returning the separator's length,
// or 0) matches outside braces.
func splitTopLevel(s string, sep func(s string, i int) int) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
			continue
		case '{':
			depth++
			continue
		case '}':
			depth--
			continue
		}
		if depth == 0 {
			if n := sep(s, i); n > 0 {
				out = append(out, s[start:i])
				start = i + n
				i += n - 1
			}
		}
	}
	return append(out, s[start:])
}

func isSpace(s string, i int) int {
	if s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '~' {
		return 1
	}
	return 0
}

// isAndSeparator matches " and " (any case, any whitespace around it).
func isAndSeparator(s string, i int) int {
	if isSpace(s, i) == 0 || i+4 >= len(s) || !strings.EqualFold(s[i+1:i+4], "and") || isSpace(s, i+4) == 0 {
		return 0
	}
	return 5
}

func startsLower(w string) bool {
	w = strings.TrimLeft(w, "{")
	if strings.HasPrefix(w, `\`) {
		// {\v{s}}... accents do not change the case of what follows.
		w = bib.LatexToUnicode(w)
	}
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsLower(r)
}

func (p *bibParser) ident() string {
	start := p.i
	for p.i < len(p.src) {
		c := p.src[p.i]
		if isASCIILetter(c) || c >= '0' && c <= '9' || strings.IndexByte("_-:.+/", c) >= 0 {
			p.i++
			continue
		}
		break
	}
	return p.src[start:p.i]
}

func (p *bibParser) skipSpace() {
	for p.i < len(p.src) && strings.IndexByte(" \t\r\n", p.src[p.i]) >= 0 {
		p.i++
	}
}

func (p *bibParser) expect(c byte) {
	if p.i >= len(p.src) || p.src[p.i] != c {
		p.fail(p.i, "expected %q, found %s", string(c), describe(p.src, p.i))
	}
	p.i++
}

func (p *bibParser) expectEquals() {
	p.skipSpace()
	p.expect('=')
	p.skipSpace()
}

// value reads `piece # piece # ...`, where a piece is {braced}, "quoted",
// a number or a macro name, and returns the concatenated raw text.
func (p *bibParser) value() string {
	var b strings.Builder
	for {
		b.WriteString(p.piece())
		save := p.i
		p.skipSpace()
		if p.i < len(p.src) && p.src[p.i] == '#' {
			p.i++
			continue
		}
		p.i = save
		return b.String()
	}
}

// piece reads one piece of a value and returns its raw text: without the
// braces or quotes around it, a macro expanded.
func (p *bibParser) piece() string {
	p.skipSpace()
	if p.i >= len(p.src) {
		p.fail(p.i, "missing field value at end of file")
	}
	start := p.i
	switch c := p.src[p.i]; {
	case c == '{':
		p.skipGroup(start, '}')
		return p.src[start+1 : p.i-1]
	case c == '"':
		p.skipQuoted(start)
		return p.src[start+1 : p.i-1]
	case c >= '0' && c <= '9':
		for p.i < len(p.src) && p.src[p.i] >= '0' && p.src[p.i] <= '9' {
			p.i++
		}
		return p.src[start:p.i]
	default:
		return p.macroUse(start)
	}
}

// skipQuoted moves past the "quoted" value that opens at start. Braces
// inside must balance, and a quote inside braces does not end it.
func (p *bibParser) skipQuoted(start int) {
	p.i++
	depth := 0
	for {
		if p.i >= len(p.src) {
			p.fail(start, "unclosed quote")
		}
		ch := p.src[p.i]
		p.i++
		if ch == '\\' {
			p.i++
		} else if ch == '{' {
			depth++
		} else if ch == '}' {
			depth--
			if depth < 0 {
				p.fail(p.i-1, "unbalanced \"}\" in quoted value")
			}
		} else if ch == '"' && depth == 0 {
			break
		}
	}
	if depth != 0 {
		p.fail(start, "unclosed brace in quoted value")
	}
}

// macroUse reads the macro name at start and returns its text. A macro
// whose definition failed was reported there and fails silently here.
func (p *bibParser) macroUse(start int) string {
	name := p.ident()
	if name == "" {
		p.fail(start, "expected a field value, found %s", describe(p.src, start))
	}
	v, ok := p.macros[strings.ToLower(name)]
	if !ok && p.broken[strings.ToLower(name)] {
		panic(bibError{start})
	}
	if !ok {
		p.fail(start, "undefined @string macro %q", name)
	}
	p.useMacro(start, len(v))
	return v
}

// useMacro counts n bytes of macro text against MaxMacroText, before they
// are copied; past the limit it reports the use at off, once, and fails.
func (p *bibParser) useMacro(off, n int) {
	p.macroText += n
	if p.macroText <= MaxMacroText {
		return
	}
	if p.tooMuch {
		panic(bibError{off})
	}
	p.tooMuch = true
	p.fail(off, "@string macros expand to more than %d MB of text in total (each use counts): are they doubling?", MaxMacroText>>20)
}

// skipGroup moves past the balanced group opened at open. An unclosed one
// is reported where it opens: that is the brace to look at.
func (p *bibParser) skipGroup(open int, closer byte) {
	opener := p.src[open]
	depth := 0
	for i := open; i < len(p.src); i++ {
		switch c := p.src[i]; {
		case c == '\\':
			i++
		case c == opener || (closer == ')' && c == '{'):
			depth++
		case c == closer || (closer == ')' && c == '}'):
			depth--
			if depth == 0 {
				p.i = i + 1
				return
			}
		}
	}
	if opener == '{' {
		p.fail(open, "unclosed brace")
	}
	p.fail(open, "unclosed %q", string(opener))
}

func describe(src string, i int) string {
	if i >= len(src) {
		return "end of file"
	}
	r, _ := utf8.DecodeRuneInString(src[i:])
	return fmt.Sprintf("%q", string(r))
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
