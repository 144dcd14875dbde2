package widgets

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"guidebook/internal/cite"
	"guidebook/internal/diag"
	"guidebook/internal/xref"
)

// TransformerPriority is the widget transformer's priority. goldmark runs
// AST transformers in ascending order; 50 puts it well before the cite
// transformer (cite.TransformerPriority, 10000), which numbers citations in
// document order and so must see the Citation nodes widgets add.
const TransformerPriority = 50

var (
	usedKey = parser.NewContextKey()
	pageKey = parser.NewContextKey()
)

// WithPage sets, for one document, the URL of its page on the published
// site: a rendering that cannot run a widget (an EPUB) links there.
func WithPage(pc parser.Context, url string) { pc.Set(pageKey, url) }

// scriptNeeds names the widget whose script a widget's script uses.
var scriptNeeds = map[string]string{"homa-ir": "calculator"}

// Used returns, after parsing, the names of the widgets the document uses,
// in order of first use, so the page can include assets/widgets/NAME.js
// and NAME.css; a widget whose script builds on another's comes after it
// ("calculator" before "homa-ir").
func Used(pc parser.Context) []string {
	names, _ := pc.Get(usedKey).([]string)
	return names
}

type transformer struct {
	reg *Registry
}

// Transform replaces every "widget NAME" fenced code block by a widget
// Node. A block with a problem is reported and left as a code block, so
// the page still shows what the author wrote.
func (t *transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	var blocks []*ast.FencedCodeBlock
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if fb, ok := n.(*ast.FencedCodeBlock); ok && entering {
			if fb.Info != nil && isWidgetInfo(fb.Info.Segment.Value(reader.Source())) {
				blocks = append(blocks, fb)
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	if len(blocks) == 0 {
		return
	}
	src := diag.SourceOf(pc)
	source := reader.Source()
	page, _ := pc.Get(pageKey).(string)
	counts := map[string]int{}
	var used []string
	for _, fb := range blocks {
		w := t.widget(fb, source, src)
		if w == nil {
			continue
		}
		counts[w.Name]++
		if counts[w.Name] == 1 {
			// homa-ir.js computes through calculator.js's evaluator, so
			// that script comes first (the page loads them in order).
			if dep := scriptNeeds[w.Name]; dep != "" && !slices.Contains(used, dep) {
				used = append(used, dep)
			}
			used = append(used, w.Name)
		}
		w.Link = w.Name + "-" + strconv.Itoa(counts[w.Name])
		w.ID = xref.ReservedPrefix + w.Link
		w.Page = page
		fb.Parent().ReplaceChild(fb.Parent(), fb, w)
	}
	pc.Set(usedKey, used)
}

// isWidgetInfo reports whether an info string starts with the word
// "widget".
func isWidgetInfo(info []byte) bool {
	f := bytes.Fields(info)
	return len(f) > 0 && string(f[0]) == "widget"
}

// widget builds the node for one block, or reports why it cannot.
func (t *transformer) widget(fb *ast.FencedCodeBlock, source []byte, src *diag.Source) *Node {
	info := fb.Info.Segment
	raw := string(info.Value(source))
	fields := strings.Fields(raw)
	offset := info.Start + strings.Index(raw, "widget")
	switch len(fields) {
	case 1:
		src.Addf(offset, "widget block needs a name: ```widget NAME")
		return nil
	case 2:
	default:
		extra := info.Start + strings.Index(raw, fields[2])
		src.Addf(extra, "unexpected %q after the widget name; options go in the block, as YAML", fields[2])
		return nil
	}
	name := fields[1]
	offset = info.Start + strings.Index(raw[len("widget"):], name) + len("widget")

	lines := fb.Lines()
	var body bytes.Buffer
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		body.Write(seg.Value(source))
	}
	opts, cites, probs, known := t.reg.decode(name, body.Bytes())
	if !known {
		src.Addf(offset, "unknown widget %q", name)
		return nil
	}
	if _, builtin := t.reg.builtinMap()[name]; builtin && t.reg.template(name) == nil {
		src.Addf(offset, "widget %q has no template %s", name, TemplateName(name))
		return nil
	}
	if probs != nil {
		for _, p := range probs {
			off := offset
			if p.Node != nil {
				off = yamlOffset(lines, source, p.Node.Line, p.Node.Column, offset)
			}
			src.Addf(off, "widget %s: %s", name, p.Msg)
		}
		return nil
	}

	w := NewNode(name, opts, offset)
	// One citation per group, in the order the groups first appear.
	for len(cites) > 0 {
		group := cites[0].group
		var items []cite.Item
		rest := cites[:0:0]
		for _, c := range cites {
			if c.group != group {
				rest = append(rest, c)
				continue
			}
			it := cite.Item{Key: c.key}
			if c.node != nil {
				it.Offset = yamlOffset(lines, source, c.node.Line, c.node.Column, offset)
			}
			items = append(items, it)
		}
		citeOffset := offset
		if c := cites[0]; c.node != nil {
			citeOffset = items[0].Offset
		}
		w.AppendChild(w, cite.NewCitation(items, citeOffset))
		w.CiteGroups = append(w.CiteGroups, group)
		cites = rest
	}
	return w
}

// yamlOffset maps a 1-based YAML line and column (in characters; 0 means
// the line's first non-blank) of the block body to a byte offset in the
// source file. The body's line N is the block's Nth line segment, so the
// position is exact even inside lists and block quotes.
func yamlOffset(lines *text.Segments, source []byte, line, col, fallback int) int {
	if lines.Len() == 0 || line < 1 {
		return fallback
	}
	if line > lines.Len() {
		// Errors "at the end of the block" point at its last line.
		line, col = lines.Len(), 0
	}
	seg := lines.At(line - 1)
	val := source[seg.Start:seg.Stop]
	if col < 1 {
		i := 0
		for i < len(val) && (val[i] == ' ' || val[i] == '\t') {
			i++
		}
		return seg.Start + i
	}
	// Value() would prefix seg.Padding spaces (tabs expanded by a
	// container); those columns have no bytes of their own.
	col -= seg.Padding
	i := 0
	for c := 1; c < col && i < len(val); c++ {
		_, size := utf8.DecodeRune(val[i:])
		i += size
	}
	return seg.Start + i
}
