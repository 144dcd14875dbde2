package bib

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// accents maps a LaTeX accent command to its combining mark and to the
// precomposed letters it makes, as base/result pairs. A precomposed letter
// is preferred because fonts render it better and search matches it; any
// other base gets the combining mark.
var accents = map[string]struct {
	mark     rune
	composed string
}{
	"'": {'\u0301', "aáeéiíoóuúyýAÁEÉIÍOÓUÚYÝcćCĆnńNŃsśSŚzźZŹlĺLĹrŕRŔgǵGǴ"},
	"`": {'\u0300', "aàeèiìoòuùAÀEÈIÌOÒUÙnǹNǸ"},
	"^": {'\u0302', "aâeêiîoôuûAÂEÊIÎOÔUÛcĉCĈgĝGĜhĥHĤjĵJĴsŝSŜwŵWŴyŷYŶ"},
	`"`: {'\u0308', "aäeëiïoöuüyÿAÄEËIÏOÖUÜYŸ"},
	"~": {'\u0303', "aãoõnñAÃOÕNÑiĩIĨuũUŨ"},
	"=": {'\u0304', "aāeēiīoōuūAĀEĒIĪOŌUŪ"},
	".": {'\u0307', "cċCĊeėEĖgġGĠzżZŻIİ"},
	"u": {'\u0306', "aăAĂgğGĞuŭUŬeĕEĔiĭIĬoŏOŎ"},
	"v": {'\u030C', "cčCČsšSŠzžZŽrřRŘeěEĚnňNŇdďDĎtťTŤ"},
	"H": {'\u030B', "oőOŐuűUŰ"},
	"c": {'\u0327', "cçCÇsşSŞtţTŢgģGĢkķKĶlļLĻnņNŅrŗRŖ"},
	"k": {'\u0328', "aąAĄeęEĘiįIĮuųUŲ"},
	"r": {'\u030A', "aåAÅuůUŮ"},
	"d": {'\u0323', ""},
	"b": {'\u0331', ""},
	"t": {'\u0361', ""},
}

// symbols are LaTeX commands that stand for one character or word.
var symbols = map[string]string{
	"ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
	"aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ",
	"dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ",
	"textendash": "–", "textemdash": "—", "textquoteleft": "‘", "textquoteright": "’",
	"textquotedblleft": "“", "textquotedblright": "”", "ldots": "…", "dots": "…", "textellipsis": "…",
	"textregistered": "®", "texttrademark": "™", "copyright": "©", "textcopyright": "©",
	"S": "§", "P": "¶", "textasciitilde": "~", "textbackslash": "\\", "textbar": "|",
	"textless": "<", "textgreater": ">", "textunderscore": "_", "textdegree": "°",
	"textmu": "µ", "textpm": "±", "pm": "±", "times": "×", "alpha": "α", "beta": "β",
	"gamma": "γ", "delta": "δ", "kappa": "κ", "mu": "μ", "LaTeX": "LaTeX", "TeX": "TeX",
}

// compose applies a LaTeX accent to a base letter.
func compose(accent string, base string) string {
	a, ok := accents[accent]
	if !ok {
		return base
	}
	switch base {
	case "ı":
		base = "i"
	case "ȷ":
		base = "j"
	}
	r, n := utf8.DecodeRuneInString(base)
	if n == 0 {
		return string(a.mark)
	}
	if len(base) == n {
		for s := a.composed; s != ""; {
			b, bn := utf8.DecodeRuneInString(s)
			c, cn := utf8.DecodeRuneInString(s[bn:])
			if b == r {
				return string(c)
			}
			s = s[bn+cn:]
		}
	}
	return string(r) + string(a.mark) + base[n:]
}

// LatexToUnicode turns a BibTeX field value into plain Unicode text: accents
// and symbol commands become characters, formatting commands and case-
// protecting braces disappear, dashes and quotes become typographic and
// runs of whitespace collapse.
func LatexToUnicode(s string) string {
	var b strings.Builder
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == '\\':
			out, n := latexCommand(s[i:])
			b.WriteString(out)
			i += n
		case c == '{' || c == '}' || c == '$':
			i++
		case c == '~':
			b.WriteString("\u00a0")
			i++
		case strings.HasPrefix(s[i:], "---"):
			b.WriteString("—")
			i += 3
		case strings.HasPrefix(s[i:], "--"):
			b.WriteString("–")
			i += 2
		case strings.HasPrefix(s[i:], "``"):
			b.WriteString("“")
			i += 2
		case strings.HasPrefix(s[i:], "''"):
			b.WriteString("”")
			i += 2
		default:
			b.WriteByte(c)
			i++
		}
	}
	return CollapseSpace(b.String())
}

// latexCommand converts the command at the start of s (which begins with a
// backslash) and reports how many bytes it used.
func latexCommand(s string) (string, int) {
	if len(s) < 2 {
		return "", len(s)
	}
	c := s[1]
	if strings.IndexByte("'`^\"~=.", c) >= 0 {
		base, n := accentArgument(s[2:])
		return compose(string(c), base), 2 + n
	}
	if !isASCIILetter(c) {
		return controlSymbol(s)
	}
	return controlWord(s)
}

// controlSymbol converts a backslash and the one non-letter after it.
func controlSymbol(s string) (string, int) {
	switch s[1] {
	case '\\':
		return " ", 2
	case '-', '/':
		return "", 2 // hyphenation hint, italic correction
	case ',', ';', ':', ' ', '\n', '\t', '\r':
		return " ", 2
	}
	r, n := utf8.DecodeRuneInString(s[1:])
	return string(r), 1 + n // \& \% \$ \# \_ \{ \}
}

// controlWord converts a backslash and the letters after it: a letter
// accent (\v{s}), a symbol (\ss) or a formatting command (\emph).
func controlWord(s string) (string, int) {
	end := 1
	for end < len(s) && isASCIILetter(s[end]) {
		end++
	}
	name := s[1:end]
	if _, ok := accents[name]; ok && len(name) == 1 {
		base, n := accentArgument(s[end:])
		return compose(name, base), end + n
	}
	// TeX swallows the spaces after a command word.
	n := end
	for n < len(s) && (s[n] == ' ' || s[n] == '\t' || s[n] == '\n' || s[n] == '\r') {
		n++
	}
	if sym, ok := symbols[name]; ok {
		return sym, n
	}
	switch name {
	case "href":
		// \href{url}{text}: keep the text, drop the URL.
		if _, un := TeXGroup(s[n:]); un > 0 {
			return "", n + un
		}
	case "enquote", "mkbibquote":
		if g, gn := TeXGroup(s[n:]); gn > 0 {
			return "“" + LatexToUnicode(g) + "”", n + gn
		}
	}
	// Formatting commands (\emph, \textit, \url, unknown ones) vanish and
	// leave their argument, whose braces the caller drops.
	return "", n
}

// accentArgument reads the letter an accent applies to: "{e}", "e",
// "{\i}", "\i" or " e".
func accentArgument(s string) (string, int) {
	n := 0
	for n < len(s) && s[n] == ' ' {
		n++
	}
	if n >= len(s) {
		return "", n
	}
	if s[n] == '{' {
		g, gn := TeXGroup(s[n:])
		if gn == 0 {
			return "", n + 1
		}
		return LatexToUnicode(g), n + gn
	}
	if s[n] == '\\' {
		out, cn := latexCommand(s[n:])
		return out, n + cn
	}
	_, rn := utf8.DecodeRuneInString(s[n:])
	return s[n : n+rn], n + rn
}

// TeXGroup returns the content of the balanced brace group at the start of s
// and its length including braces, or 0 when s does not start one.
func TeXGroup(s string) (string, int) {
	if s == "" || s[0] != '{' {
		return "", 0
	}
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return s[1:i], i + 1
			}
		}
	}
	return s[1:], len(s)
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// CollapseSpace joins the words of s with single spaces.
func CollapseSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r != '\u00a0' && unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// FoldForSort lowers s and strips accents so that "Ávila" sorts with "Avila".
func FoldForSort(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if base, ok := unaccented[r]; ok {
			r = base
		}
		b.WriteRune(r)
	}
	return b.String()
}

var unaccented = func() map[rune]rune {
	m := map[rune]rune{'ø': 'o', 'ł': 'l', 'æ': 'a', 'œ': 'o', 'ı': 'i'}
	for _, a := range accents {
		for s := a.composed; s != ""; {
			b, bn := utf8.DecodeRuneInString(s)
			c, cn := utf8.DecodeRuneInString(s[bn:])
			m[unicode.ToLower(c)] = unicode.ToLower(b)
			s = s[bn+cn:]
		}
	}
	return m
}()
