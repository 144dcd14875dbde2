package content

import (
	"bytes"
	"errors"
	"testing"

	"guidebook/internal/diag"
)

// FuzzFrontMatter feeds arbitrary bytes to the chapter decoder (front
// matter split, YAML parse, field decoding). Whatever the input, it must
// not panic, must return a chapter, and every problem must name the file
// and a line inside it, so the author can always find what to fix.
//
//	go test -run '^$' -fuzz '^FuzzFrontMatter$' -fuzztime 30s ./internal/content
//
// Seeds are in testdata/fuzz/FuzzFrontMatter.
func FuzzFrontMatter(f *testing.F) {
	for _, s := range []string{
		"",
		"Just a body.\n",
		"---\ntitle: A\norder: 2\n---\n\nBody.\n",
		"---\ntitle: A\norder: \"x\"\n---\n",
		"---\ntitle: [A\n---\n",
		"---\ntitle: A\n",
		"---\r\ntitle: A\r\n...\r\n",
		"---\n---\n",
		"---\n- a\n- b\n---\n",
		"---\ntitle: A\nglossary:\n  - term: T\n    aliases: [x, y]\n    definition: D\n    see: [U]\n  - 7\n---\n",
		"---\ntitle: A\ntitle: B\nparams: {a: [1, {b: c}]}\n---\n",
		"---\ntitle: &a [*a]\n---\n",
		"---\ntitle: !!binary aGk=\nid: ../../etc\n---\n",
		"\ufeff---\ntitle: A\n---\n",
		"---\ntitle: Caf\xe9\n---\n",
		"---\n\ttitle: tab\n---\n",
		"---\nkey: |\n  block\n  text\ncitations: 3\n---\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		ch, err := ParseChapter("ch.md", src)
		if ch == nil {
			t.Fatalf("no chapter returned (err %v)", err)
		}
		if err == nil {
			return
		}
		lines := bytes.Count(src, []byte{'\n'}) + 1
		var l diag.List
		l.Add(err)
		if l.Len() == 0 {
			t.Fatalf("error %v holds no problems", err)
		}
		for _, e := range l.Errors() {
			if e.Pos.File != "ch.md" {
				t.Errorf("problem %q does not name the file", e)
			}
			if e.Pos.Line < 1 || e.Pos.Line > lines {
				t.Errorf("problem %q: line %d is outside the file's %d lines", e, e.Pos.Line, lines)
			}
			if e.Msg == "" {
				t.Errorf("problem at %s has no message", e.Pos)
			}
		}
		var de *diag.Error
		var dl *diag.List
		if !errors.As(err, &de) && !errors.As(err, &dl) {
			t.Errorf("error %T is not located", err)
		}
	})
}
