package markup

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// linkify is extension.Linkify (GFM's autolinks for bare URLs and e-mail
// addresses) with its inline parser behind quickLinkify. Its parser is
// triggered at every space of every paragraph and declines almost all of
// them, after comparing the next word with each URL prefix and reading
// it for an e-mail address; quickLinkify declines those words first, in
// one pass over them.
type linkify struct{}

func (linkify) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(
		// 999: extension.Linkify's priority.
		util.Prioritized(quickLinkify{extension.NewLinkifyParser()}, 999),
	))
}

// quickLinkify passes to the wrapped linkify parser, in its default
// configuration, only the positions where it may find a link.
type quickLinkify struct{ parser.InlineParser }

func (q quickLinkify) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	if line, _ := block.PeekLine(); !mayLinkify(line) {
		return nil
	}
	return q.InlineParser.Parse(parent, block, pc)
}

// mayLinkify is false where goldmark's default linkify parser returns nil
// without reading on: past the trigger character, a URL starts with
// "http:", "https:", "ftp:" or "www.", and an e-mail address's local part
// (the characters of emailLocal, TestEmailLocalCoversGoldmark) runs up to
// an '@'.
func mayLinkify(line []byte) bool {
	if len(line) > 0 {
		switch line[0] {
		case ' ', '*', '_', '~', '(':
			line = line[1:]
		}
	}
	if len(line) == 0 {
		return false
	}
	switch line[0] {
	case 'h', 'f', 'w':
		return true
	}
	i := 0
	for i < len(line) && emailLocal[line[i]] {
		i++
	}
	return i > 0 && i < len(line) && line[i] == '@'
}

// emailLocal holds the bytes of an e-mail address's local part: letters,
// digits and RFC 5322's atext symbols, and the dot.
var emailLocal = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	for _, c := range []byte("!#$%&'*+-./=?^_`{|}~") {
		t[c] = true
	}
	return t
}()
