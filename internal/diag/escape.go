package diag

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape returns s with every character that could end the line, move
// the cursor or change the terminal's state written as a Go escape: C0
// and C1 controls and DEL (\r, \n, \t, \x1b, \u0085), the line and
// paragraph separators, bidirectional formatting (\u202e, which reorders
// what the reader sees), and bytes that are not UTF-8 (\xff). Messages
// carry author text (file names, ids, decoded link targets): a report is
// one problem per line, and a name holding "%0d%0a" or an escape
// sequence must neither forge a line nor reach the terminal. Other text,
// backslashes included, is left as written.
func Escape(s string) string { return escape(s, false) }

// EscapeLines is Escape for a text of several lines: its line breaks
// (\n) are kept, everything else Escape writes out is escaped.
func EscapeLines(s string) string { return escape(s, true) }

func escape(s string, keepNL bool) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r, size) && !(keepNL && r == '\n') {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case !needsEscape(r, size) || keepNL && r == '\n':
			b.WriteString(s[i : i+size])
		case size == 1 && r == utf8.RuneError:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}

// needsEscape reports whether rune r (size bytes of UTF-8; RuneError of size 1
// is an invalid byte) is one Escape writes out.
func needsEscape(r rune, size int) bool {
	if r < utf8.RuneSelf {
		return r < 0x20 || r == 0x7f
	}
	return r == utf8.RuneError && size == 1 || unicode.IsControl(r) ||
		r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r)
}
