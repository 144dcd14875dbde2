package glossary

import (
	"reflect"
	"testing"
)

// The matcher searches with an NFA until it has searched dfaAfter bytes,
// then with a DFA: both must find the same occurrences, or a chapter's
// links would depend on how much text the build parsed before it.
func TestAutomataFindTheSame(t *testing.T) {
	g, names := benchGlossary(t)
	text := benchText(256<<10, names)
	nfa, dfa := &matcher{byKey: g.m.byKey, terms: g.m.terms, keys: g.m.keys}, &matcher{byKey: g.m.byKey, terms: g.m.terms, keys: g.m.keys}
	dfa.scanned.Store(dfaAfter)
	got, _ := nfa.find(text, nil)
	want, _ := dfa.find(text, nil)
	if nfa.dfa.Load() != nil || dfa.dfa.Load() == nil {
		t.Fatal("the matchers did not search with the automata meant")
	}
	if len(want) < 100 || !reflect.DeepEqual(got, want) {
		t.Errorf("NFA found %d occurrences, DFA %d, or not the same ones", len(got), len(want))
	}
	// Past dfaAfter, the NFA's matcher moves to the DFA.
	nfa.scanned.Store(dfaAfter)
	nfa.find(text, nil)
	if nfa.dfa.Load() == nil {
		t.Error("the DFA was not built after dfaAfter bytes")
	}
}
