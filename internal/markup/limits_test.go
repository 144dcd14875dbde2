package markup

import (
	"strings"
	"testing"
)

func TestLimitsRefuseDeepNestingAndManyFootnotes(t *testing.T) {
	run := chapterPipeline(t)
	ok := "# Fine\n\n" + strings.Repeat("> ", MaxNesting) + "deep enough\n\n" + strings.Repeat("- 1. ", MaxNesting/2) + "also\n\n" +
		strings.Repeat("[a](a.md)", 5000) + "\n\n" + strings.Repeat("[a](a.md) ", 5000) + "\n\n" + strings.Repeat("[a](a.md)\n", 5000)
	if _, l := run([]byte(ok)); l.Len() != 0 {
		t.Errorf("nesting at the limit refused: %v", l.Err())
	}
	for _, c := range []struct{ src, want string }{
		{"Text.\n\n" + strings.Repeat("> ", MaxNesting+1) + "x\n", "a.md:3:201: block quotes and lists nested more than 100 deep"},
		{"Text.\n\n  " + strings.Repeat("- 1. * ", 40) + "x\n", "a.md:3:236: block quotes and lists nested more than 100 deep"},
		// CR-only line ends (diag counts lines by LF, hence no position).
		{"Text.\r\r" + strings.Repeat("> ", MaxNesting+1) + "x\r", "block quotes and lists nested more than 100 deep"},
		{"Text.\n\n" + strings.Repeat("[a](", 5000) + "\n", `too many links "](" without a space`},
		{"Text.\n\n" + strings.Repeat("[a](< ", 5000) + "\n", `too many links "](" without a space`},
		{strings.Repeat("x[^1]\n", MaxFootnotes+1) + "\n[^1]: n\n", "a.md:2001:2: 2002 footnote markers \"[^\"; the limit is 2000 per chapter"},
	} {
		body, l := run([]byte(c.src))
		if !strings.Contains(l.Error(), c.want) {
			t.Errorf("problems lack %q:\n%s", c.want, l.Error())
		}
		if len(body) != 0 {
			t.Errorf("a refused chapter rendered %d bytes", len(body))
		}
	}
}

// A term name has no '[': the innermost [[term:…]] is the reference, as
// the innermost [[…]] is the wikilink.
func TestInnermostTermReferenceWins(t *testing.T) {
	body, l := chapterPipeline(t)([]byte("See [[term:nope [[term:Insulin]] and [[nope [[b#section]].\n"))
	if l.Len() != 0 {
		t.Errorf("problems: %v", l.Err())
	}
	for _, want := range []string{`class="gb-term"`, `href="../b/#section"`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("body lacks %s:\n%s", want, body)
		}
	}
}

// TestFewDestinationsWithinBudget: tooManyDestinations skips its pass
// when a chapter has at most budget/len(src) "](" (each read costs at most
// len(src)); the pass agrees on the shapes that cost the most per "](":
// every read open until the chapter's last byte.
func TestFewDestinationsWithinBudget(t *testing.T) {
	const n = 1 << 20
	budget := 64*n + 1<<20
	k := budget / n
	for _, open := range []string{"[a](", "[a](<"} {
		src := []byte(strings.Repeat(open, k) + strings.Repeat("x", n-k*len(open)-1) + "\n")
		if got := tooManyDestinations(src); got != -1 {
			t.Errorf("%q x %d: %d, want -1", open, k, got)
		}
		if got := destinationsPast(src, budget); got != -1 {
			t.Errorf("%q x %d: the pass refuses at %d what the count lets through", open, k, got)
		}
		// The shape is a worst case: half the budget and the pass refuses.
		if got := destinationsPast(src, budget/2); got == -1 {
			t.Errorf("%q x %d: the pass costs less than half its budget", open, k)
		}
	}
}
