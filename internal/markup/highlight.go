package markup

import (
	"reflect"
	"sync"
	"time"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/dlclark/regexp2/v2"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// matchTimeout replaces chroma's match timeout on the rules of every lexer
// a chapter's code blocks use. Chroma gives each rule a 250 ms wall-clock
// timeout and treats a match that times out as no match, so on a loaded
// machine (a starved goroutine, or regexp2's coarse clock catching up
// after a stall) a code block comes out with other token classes than on
// a quiet one, and two builds of the same sources differ. The timeout is
// not configurable in chroma, so it is raised here before a lexer first
// runs: far beyond any stall, still a stop for a runaway backtracking
// match. Lexers that another lexer delegates to while it runs (JavaScript
// inside HTML) keep chroma's timeout.
const matchTimeout = 10 * time.Second

// lexerTimeouts raises matchTimeout on each lexer once, before its first
// use: the rules are shared by every goroutine highlighting with it.
var lexerTimeouts struct {
	mu   sync.Mutex
	done map[*chroma.RegexLexer]*sync.Once
}

// lexerCache memoizes lexers.Get by language name, misses included:
// chroma's registry is fixed after package init, and a name that is not
// a lexer's name or alias (a widget block, "mermaid") makes Get try every
// lexer's filename patterns, twice.
var lexerCache sync.Map // string → chroma.Lexer (nil for none)

// lexerFor is lexers.Get(lang), looked up once per name.
func lexerFor(lang string) chroma.Lexer {
	if l, ok := lexerCache.Load(lang); ok {
		l, _ := l.(chroma.Lexer)
		return l
	}
	l := lexers.Get(lang)
	lexerCache.Store(lang, l)
	return l
}

// steadyLexer compiles the lexer the code renderer will pick for lang
// and raises its rules' timeout.
func steadyLexer(lang string) {
	l, ok := lexerFor(lang).(*chroma.RegexLexer)
	if !ok {
		return
	}
	lexerTimeouts.mu.Lock()
	if lexerTimeouts.done == nil {
		lexerTimeouts.done = map[*chroma.RegexLexer]*sync.Once{}
	}
	once := lexerTimeouts.done[l]
	if once == nil {
		once = new(sync.Once)
		lexerTimeouts.done[l] = once
	}
	lexerTimeouts.mu.Unlock()
	once.Do(func() {
		if _, err := l.Tokenise(nil, ""); err == nil { // compiles the rules
			setMatchTimeouts(l, matchTimeout)
		}
	})
}

// setMatchTimeouts sets the timeout of every compiled rule of l.
func setMatchTimeouts(l *chroma.RegexLexer, d time.Duration) {
	for _, re := range ruleRegexps(l) {
		re.MatchTimeout = d
	}
}

// ruleRegexps are l's compiled rules' regular expressions. The rules are
// unexported (RegexLexer.rules, a CompiledRules), but each rule's Regexp
// is an exported *regexp2.Regexp, reached through reflection;
// TestLexerTimeoutRaised fails if a chroma upgrade moves them.
func ruleRegexps(l *chroma.RegexLexer) []*regexp2.Regexp {
	rules := reflect.ValueOf(l).Elem().FieldByName("rules")
	if !rules.IsValid() || rules.Kind() != reflect.Map {
		return nil
	}
	var out []*regexp2.Regexp
	for it := rules.MapRange(); it.Next(); {
		list := it.Value()
		for i := range list.Len() {
			re := list.Index(i).Elem().FieldByName("Regexp")
			if re.IsValid() && !re.IsNil() {
				out = append(out, (*regexp2.Regexp)(re.UnsafePointer()))
			}
		}
	}
	return out
}

// steadyHighlighting is the parser step that readies the lexer of every
// fenced code block before the renderer highlights it.
type steadyHighlighting struct{}

func (steadyHighlighting) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if cb, ok := n.(*ast.FencedCodeBlock); ok && entering {
			if lang := cb.Language(src); len(lang) > 0 {
				steadyLexer(string(lang))
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}
