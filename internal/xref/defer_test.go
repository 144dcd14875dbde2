package xref

import (
	"runtime"
	"strings"
	"testing"
	"weak"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"guidebook/internal/diag"
	"guidebook/internal/paths"
)

// A deferred fragment check keeps the position of its link, not the
// chapter's source: a one-shot build of a large book resolves every
// chapter before CheckFragments, and holding each chapter's bytes (through
// its diag.Source) until then kept the whole book in memory.
func TestDeferredFragmentsDoNotKeepSource(t *testing.T) {
	list := &diag.List{}
	ix, a := resolveDeferred(t, list)
	runtime.GC()
	runtime.GC()
	if a.Value() != nil {
		t.Error("the chapter's source is still reachable after Resolve")
	}
	ix.CheckFragments()
	if got, want := list.Error(), "a.md:3:2: broken link: b.md has no heading or anchor #gone"; !strings.Contains(got, want) {
		t.Errorf("errors lack %q:\n%s", want, got)
	}
}

// resolveDeferred parses and resolves a chapter with a broken fragment
// under DeferFragments, and returns a weak pointer to its source.
func resolveDeferred(t *testing.T, list *diag.List) (*Index, weak.Pointer[byte]) {
	t.Helper()
	src := []byte("# A\n\n[y](b.md#gone)\n")
	md := goldmark.New(goldmark.WithExtensions(Extender{}))
	pc := parser.NewContext()
	s := &diag.Source{File: "a.md", Src: src, List: list}
	diag.WithSource(pc, s)
	md.Parser().Parse(text.NewReader(s.Src), parser.WithContext(pc))
	a := &Target{ID: "a", File: "a.md", Dir: "a/", Anchors: map[string]bool{}}
	b := &Target{ID: "b", File: "b.md", Dir: "b/", Anchors: map[string]bool{}}
	ix := NewIndex([]*Target{a, b}, nil, paths.Linker{})
	ix.DeferFragments()
	ix.Resolve(a, DocOf(pc), s)
	return ix, weak.Make(&src[0])
}
