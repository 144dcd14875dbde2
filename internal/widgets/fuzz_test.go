package widgets

import (
	"strings"
	"testing"
)

// FuzzWidgetOptions feeds arbitrary YAML to a built-in and a site widget
// through the whole extension (transform, cite numbering, render), at top
// level and inside a list item. It must never panic, and every problem
// must be located on a line of the document. A site template may fail on
// options it does not expect; that is an error, not a crash.
func FuzzWidgetOptions(f *testing.F) {
	for _, s := range []string{
		"",
		"homa-b: true\ncite: [simentalmendia2016]\n",
		"bands:\n  - {max: 1.0, label: \"A\"}\n  - {label: \"B\"}\n",
		"bands: [{max: .nan, label: x}, {label: y}]",
		"bands: [{max: 2}, {max: 1, label: y}, {label: ''}]",
		"title: [unclosed",
		"- a\n- b",
		"&a [*a]",
		"cite: {x: 1}",
		"cite: ['', '@', 'a b']",
		"? [a]\n: b",
		"\t- tab",
		"---\na: 1\n---\nb: 2",
		calcBase,
	} {
		f.Add(s)
	}
	md := newMarkdown(NewRegistry(testTemplates(f)), testBibliography(f))
	f.Fuzz(func(t *testing.T, body string) {
		for _, name := range []string{"homa-ir", "card", "calculator"} {
			doc := "Text.\n\n```widget " + name + "\n" + body + "\n```\n\n- ```widget " + name + "\n  " + body + "\n  ```\n"
			lines := strings.Count(doc, "\n") + 1
			_, list, _, _ := convertList(md, doc)
			for _, e := range list.Errors() {
				if e.Pos.Line < 1 || e.Pos.Line > lines {
					t.Errorf("problem outside the document (%d lines): %v", lines, e)
				}
			}
		}
	})
}
