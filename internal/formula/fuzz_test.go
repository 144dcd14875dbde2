package formula

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
)

// FuzzFormula holds the expression language's parser and evaluator to
// their promises on any text: no panic; an error lies inside the formula;
// a compiled Program is well formed (every operator has its operands, one
// value is left), marshals to JSON for the script, reads only declared
// names, and writes back (String) to a formula that compiles to the same
// Program.
func FuzzFormula(f *testing.F) {
	for _, s := range []string{
		"a * b / 405", "1 / (log10(a) + log10(b))", "ln(a * b / 2)", "-a ^ 2 + 2 ^ -1",
		"min(a, b, 3) * max(abs(a), sqrt(b))", "exp(1e308)", "((((a))))", "a <= 3.5", "a.b", "a(", "1e", ".5e-3",
		"pow(a, 2)", "constructor", "a[0]", "a +", strings.Repeat("(", 100) + "a" + strings.Repeat(")", 100), "1 /// 2", "é",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	names := map[string]bool{"a": true, "b": true}
	f.Fuzz(func(t *testing.T, src string, condition bool) {
		compile := Compile
		if condition {
			compile = CompileCondition
		}
		p, err := compile(src, names)
		if err != nil {
			e, ok := err.(*Error)
			if !ok || e.Pos < 0 || e.Pos > len(src) || e.Msg == "" {
				t.Fatalf("error %#v for %q", err, src)
			}
			return
		}
		depth := 0
		for _, op := range p {
			n, isOp := opArity[op.Name]
			switch {
			case op.Name == "":
				if math.IsNaN(op.Num) || math.IsInf(op.Num, 0) {
					t.Fatalf("%q: non-finite constant %v", src, op.Num)
				}
				depth++
			case !isOp:
				if !names[op.Name] {
					t.Fatalf("%q reads undeclared %q", src, op.Name)
				}
				depth++
			default:
				if depth < n {
					t.Fatalf("%q: %s lacks operands in %v", src, op.Name, p)
				}
				depth -= n - 1
			}
		}
		if depth != 1 {
			t.Fatalf("%q leaves %d values: %v", src, depth, p)
		}
		if _, err := json.Marshal(p); err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		_ = p.Eval(map[string]float64{"a": 2, "b": -0.5})
		again, err := compile(p.String(), names)
		if e, ok := err.(*Error); ok && strings.Contains(e.Msg, "levels deep") {
			return // String's parentheses nest deeper than the formula did
		}
		if err != nil || !reflect.DeepEqual(again, p) {
			t.Fatalf("%q wrote back as %q, which compiles to %v (%v), not %v", src, p.String(), again, err, p)
		}
	})
}
