package content

import (
	"bytes"
	"testing"
)

// BodyStart agrees with the loader: the body starts on the line after
// the closing "---" or "...", and a file without closed front matter
// starts at 0.
func TestBodyStartMatchesSplit(t *testing.T) {
	for _, src := range []string{
		"---\ntitle: T\n---\nBody\n",
		"---\r\ntitle: T\r\n...\r\n\r\nBody\r\n",
		"---\ntitle: T\n---",
		"No front matter\n---\n",
		"---\ntitle: T\n",
		"",
	} {
		off := BodyStart([]byte(src))
		_, _, bodyLine, err := splitFrontMatter("c.md", []byte(src))
		wantLine := 1
		if err == nil {
			wantLine = bodyLine
		}
		if got := 1 + bytes.Count([]byte(src[:off]), []byte("\n")); off > 0 && off < len(src) && got != wantLine || off == 0 && wantLine != 1 {
			t.Errorf("%q: BodyStart %d is on line %d, the loader's body starts on line %d", src, off, got, wantLine)
		}
	}
}
