package markup

import (
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"

	"guidebook/internal/diag"
)

// A chapter's code block highlights with a lexer whose rules no longer
// give up after chroma's 250 ms: under load a timed-out rule silently
// turned `int` from a type keyword into a name, and two builds of one
// book differed (TestBuildMatchesKeptBuild caught it).
func TestLexerTimeoutRaised(t *testing.T) {
	md := New(Options{})
	src := "# T\n\n```go\nfunc f(x int) int { return x * 2 }\n```\n"
	Parse(md, &diag.Source{File: "a.md", Src: []byte(src), List: &diag.List{}}, nil)
	l, ok := lexers.Get("go").(*chroma.RegexLexer)
	if !ok {
		t.Fatal("the Go lexer is not a RegexLexer")
	}
	var short []time.Duration
	res := ruleRegexps(l)
	for _, re := range res {
		if re.MatchTimeout < matchTimeout {
			short = append(short, re.MatchTimeout)
		}
	}
	n := len(res)
	if n == 0 {
		t.Fatal("no compiled rules found: chroma's RegexLexer changed shape")
	}
	if len(short) > 0 {
		t.Errorf("%d of %d rules keep a short match timeout (%v)", len(short), n, short[0])
	}
}
