package paths

import (
	"path"
	"sort"
)

// Claims maps every file of an output, and every directory holding one,
// to that file (a directory to the first of its files by name), so that
// a file added later can be checked against them: an author's static
// file may take neither place (Clash).
type Claims map[string]string

// NewClaims claims names, slash-separated paths in any order.
func NewClaims(names []string) Claims {
	names = append([]string(nil), names...)
	sort.Strings(names) // a directory is named after its first file
	c := Claims{}
	for _, name := range names {
		c[name] = name
		for d := path.Dir(name); d != "."; d = path.Dir(d) {
			if _, ok := c[d]; ok {
				break
			}
			c[d] = name
		}
	}
	return c
}

// Clash names the claimed file a file at rel would replace, stand in the
// directory of, or hold in its own directory; "" when there is none.
func (c Claims) Clash(rel string) string {
	if g, ok := c[rel]; ok {
		return g
	}
	for d := path.Dir(rel); d != "."; d = path.Dir(d) {
		if g, ok := c[d]; ok && g == d {
			return g
		}
	}
	return ""
}
