package theme

import (
	"bytes"
	"encoding/json"
)

// tocList is what TOCScript fills in: the source's chapter list.
const tocList = "var chapters = []"

// TOCScript is the theme's toc.js (code), a classic script (it must work
// from file://), with its empty chapter list replaced by chapters, each a
// root-relative URL and a title. At load it rebuilds the sidebar's chapter
// list, reusing the items the page rendered itself (so the current
// chapter keeps its table of contents and aria-current) and prefixing the
// others with the page's data-gb-root. JSON encoding escapes <, > and &, so
// a title cannot end the script.
func TOCScript(code []byte, chapters [][2]string) []byte {
	data, _ := json.Marshal(chapters)
	before, after, ok := bytes.Cut(code, []byte(tocList))
	if !ok {
		// A theme's own toc.js without the list gets it first.
		before, after = nil, code
	}
	out := append(append([]byte(nil), before...), "var chapters = "...)
	out = append(out, data...)
	if !ok {
		out = append(out, ";\n"...)
	}
	return append(out, after...)
}
