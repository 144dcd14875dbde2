// Package formula is the calculator's formula language: numbers, names
// (an input in its base unit, or a unit constant), + - * / ^, parentheses
// and the functions in funcs; nothing else. A formula is parsed once, at
// build time, into a Program in reverse Polish notation. Go evaluates that
// Program for the worked example and the script-free page; calculator.js
// evaluates the same Program from a data attribute with a fixed switch
// over the operators, so the browser never parses or evaluates a string.
//
// It is hand-written rather than an expression library because the page
// CSP forbids eval and Function, so the browser cannot run a library's
// compiled closures or bytecode: both sides must share one small compiled
// form that a fixed switch can run, and this language is just big enough
// for a clinical formula.
//
// Precedence, loosest first: + -; * /; unary -; ^ (right-associative),
// so -2^2 is -4 and 2^-1 is 0.5, as mathematicians write them.
package formula

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// funcs are the functions a formula may call, with how many arguments
// each takes (-1: two or more).
var funcs = map[string]int{
	"log10": 1, "ln": 1, "exp": 1, "sqrt": 1, "abs": 1,
	"min": -1, "max": -1,
}

// IsFunc reports whether name is a function of the language, and so
// cannot name an input, output or constant.
func IsFunc(name string) bool {
	_, ok := funcs[name]
	return ok
}

// Limits that keep a hostile formula from costing more than a sensible
// one: formulas are short, and nesting is the one thing that recurses.
const (
	maxFormulaLen = 2000
	maxDepth      = 64
)

// Op is one step of a Program: a number to push (Name empty), a name to
// push the value of, or an operator ("+", "-", "*", "/", "^", "neg", a
// function of funcs, or a comparison "<", "<=", ">", ">=") that pops its
// operands and pushes its result. min and max always take two operands;
// min(a, b, c) compiles to a b min c min.
type Op struct {
	Num  float64
	Name string
}

// Program is a compiled formula.
type Program []Op

// opArity is every operator a Program may hold, with its operand count.
var opArity = map[string]int{
	"+": 2, "-": 2, "*": 2, "/": 2, "^": 2, "neg": 1,
	"log10": 1, "ln": 1, "exp": 1, "sqrt": 1, "abs": 1, "min": 2, "max": 2,
	"<": 2, "<=": 2, ">": 2, ">=": 2,
}

// MarshalJSON writes the Program as the script reads it: numbers as JSON
// numbers, names and operators as strings (["glucose", 405, "/"]).
func (p Program) MarshalJSON() ([]byte, error) {
	items := make([]any, len(p))
	for i, op := range p {
		if op.Name != "" {
			items[i] = op.Name
		} else {
			items[i] = op.Num
		}
	}
	return json.Marshal(items)
}

// String writes the Program back as a fully parenthesised formula, which
// parses to the same Program (FuzzFormula holds it to that).
func (p Program) String() string {
	var st []string
	for _, op := range p {
		n, isOp := opArity[op.Name]
		switch {
		case op.Name == "":
			st = append(st, "("+strconv.FormatFloat(op.Num, 'g', -1, 64)+")")
		case !isOp:
			st = append(st, op.Name)
		case len(st) < n:
			return "<invalid program>"
		case op.Name == "neg":
			st[len(st)-1] = "(-" + st[len(st)-1] + ")"
		case n == 1:
			st[len(st)-1] = op.Name + "(" + st[len(st)-1] + ")"
		case isComparison(op.Name):
			// Only ever at the top of a condition, where CompileCondition
			// wants it bare.
			a, b := st[len(st)-2], st[len(st)-1]
			st = append(st[:len(st)-2], a+" "+op.Name+" "+b)
		case op.Name == "min" || op.Name == "max":
			a, b := st[len(st)-2], st[len(st)-1]
			st = append(st[:len(st)-2], op.Name+"("+a+", "+b+")")
		default:
			a, b := st[len(st)-2], st[len(st)-1]
			st = append(st[:len(st)-2], "("+a+" "+op.Name+" "+b+")")
		}
	}
	if len(st) != 1 {
		return "<invalid program>"
	}
	return st[0]
}

// Eval runs the Program with the names' values. Arithmetic follows IEEE
// 754 as JavaScript does (1/0 is +Inf, ln(-1) NaN); a comparison gives 1
// or 0. A name without a value, or a malformed Program, gives NaN.
func (p Program) Eval(env map[string]float64) float64 {
	st := make([]float64, 0, 8)
	for _, op := range p {
		if op.Name == "" {
			st = append(st, op.Num)
			continue
		}
		n, isOp := opArity[op.Name]
		if !isOp {
			v, ok := env[op.Name]
			if !ok {
				return math.NaN()
			}
			st = append(st, v)
			continue
		}
		if len(st) < n {
			return math.NaN()
		}
		if n == 1 {
			st[len(st)-1] = apply1(op.Name, st[len(st)-1])
			continue
		}
		a, b := st[len(st)-2], st[len(st)-1]
		st = append(st[:len(st)-2], apply2(op.Name, a, b))
	}
	if len(st) != 1 {
		return math.NaN()
	}
	return st[0]
}

func apply1(name string, x float64) float64 {
	switch name {
	case "neg":
		return -x
	case "log10":
		return math.Log10(x)
	case "ln":
		return math.Log(x)
	case "exp":
		return math.Exp(x)
	case "sqrt":
		return math.Sqrt(x)
	case "abs":
		return math.Abs(x)
	}
	return math.NaN()
}

func apply2(name string, a, b float64) float64 {
	switch name {
	case "+":
		return a + b
	case "-":
		return a - b
	case "*":
		return a * b
	case "/":
		return a / b
	case "^":
		return pow(a, b)
	case "min":
		return math.Min(a, b)
	case "max":
		return math.Max(a, b)
	}
	if math.IsNaN(a) || math.IsNaN(b) {
		return 0 // as JavaScript's comparisons: false
	}
	var r bool
	switch name {
	case "<":
		r = a < b
	case "<=":
		r = a <= b
	case ">":
		r = a > b
	case ">=":
		r = a >= b
	}
	if r {
		return 1
	}
	return 0
}

// pow is JavaScript's ** (ECMA-262 Number::exponentiate), which differs
// from math.Pow where the exponent is NaN or the base ±1 meets an infinite
// exponent: both are NaN there, 1 in Go.
func pow(x, y float64) float64 {
	if math.IsNaN(y) || (x == 1 || x == -1) && math.IsInf(y, 0) {
		return math.NaN()
	}
	return math.Pow(x, y)
}

// Error is a formula problem at Pos, a byte offset into the formula.
type Error struct {
	Pos int
	Msg string
}

func (e *Error) Error() string { return e.Msg }

// Column is Pos in characters, for a YAML column.
func (e *Error) Column(formula string) int {
	if e.Pos > len(formula) {
		return utf8.RuneCountInString(formula)
	}
	return utf8.RuneCountInString(formula[:e.Pos])
}

type token struct {
	kind byte // 'n' number, 'i' name, 'o' operator or punctuation, 0 end
	text string
	num  float64
	pos  int
}

// lex splits a formula into tokens, ending with an end token at len(s).
func lex(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		if s[i] == ' ' || s[i] == '\t' {
			i++
			continue
		}
		t, err := lexToken(s, i)
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
		i += len(t.text)
	}
	return append(toks, token{pos: len(s)}), nil
}

// lexToken reads the token that starts at i.
func lexToken(s string, i int) (token, error) {
	c := s[i]
	switch {
	case c >= '0' && c <= '9' || c == '.':
		j := scanNumber(s, i)
		v, err := strconv.ParseFloat(s[i:j], 64)
		if err != nil || math.IsInf(v, 0) {
			return token{}, &Error{i, fmt.Sprintf("%q is not a number the formula can use", s[i:j])}
		}
		return token{kind: 'n', text: s[i:j], num: v, pos: i}, nil
	case isNameByte(c, false):
		j := i + 1
		for j < len(s) && isNameByte(s[j], true) {
			j++
		}
		return token{kind: 'i', text: s[i:j], pos: i}, nil
	case strings.HasPrefix(s[i:], "<=") || strings.HasPrefix(s[i:], ">="):
		return token{kind: 'o', text: s[i : i+2], pos: i}, nil
	case strings.IndexByte("+-*/^(),<>", c) >= 0:
		return token{kind: 'o', text: s[i : i+1], pos: i}, nil
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return token{}, &Error{i, fmt.Sprintf("unexpected %q: a formula has numbers, names, + - * / ^, parentheses and the functions %s", r, funcList())}
}

// isNameByte reports whether c may be in a name: a letter or _, or, past
// the first character, a digit.
func isNameByte(c byte, digitOK bool) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || digitOK && c >= '0' && c <= '9'
}

// scanNumber returns the end of the number starting at i: digits with an
// optional point and decimals, and an optional exponent.
func scanNumber(s string, i int) int {
	digits := func(j int) int {
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		return j
	}
	j := digits(i)
	if j < len(s) && s[j] == '.' {
		j = digits(j + 1)
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		k := j + 1
		if k < len(s) && (s[k] == '+' || s[k] == '-') {
			k++
		}
		if e := digits(k); e > k {
			j = e
		}
	}
	return j
}

func funcList() string {
	return "log10, ln, exp, sqrt, min, max and abs"
}

// exprParser is a recursive-descent parser that emits the Program as it
// goes. names are the names a formula may read; compare allows one
// comparison at the top (an output's "undefined when" rule).
type exprParser struct {
	toks  []token
	i     int
	out   Program
	names map[string]bool
	depth int
}

// Compile parses a formula over names into a Program.
func Compile(src string, names map[string]bool) (Program, error) {
	return compile(src, names, false)
}

// CompileCondition parses "expr OP expr" where OP is <, <=, > or >=.
func CompileCondition(src string, names map[string]bool) (Program, error) {
	return compile(src, names, true)
}

func compile(src string, names map[string]bool, condition bool) (Program, error) {
	if strings.TrimSpace(src) == "" {
		return nil, &Error{0, "the formula is empty"}
	}
	if len(src) > maxFormulaLen {
		return nil, &Error{0, fmt.Sprintf("the formula is longer than %d characters", maxFormulaLen)}
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &exprParser{toks: toks, names: names}
	if err := p.sum(); err != nil {
		return nil, err
	}
	if condition {
		t := p.peek()
		if t.kind != 'o' || !isComparison(t.text) {
			return nil, &Error{t.pos, "expected a comparison (<, <=, > or >=), such as glucose <= 63"}
		}
		p.i++
		if err := p.sum(); err != nil {
			return nil, err
		}
		p.out = append(p.out, Op{Name: t.text})
	}
	if t := p.peek(); t.kind != 0 {
		if t.kind == 'o' && isComparison(t.text) && !condition {
			return nil, &Error{t.pos, "a formula cannot compare values; say when an output is undefined with undefined: {when: ...}"}
		}
		return nil, &Error{t.pos, fmt.Sprintf("unexpected %q after a complete formula", t.text)}
	}
	return p.out, nil
}

func isComparison(s string) bool { return s == "<" || s == "<=" || s == ">" || s == ">=" }

func (p *exprParser) peek() token { return p.toks[p.i] }

func (p *exprParser) isOp(s string) bool {
	t := p.peek()
	return t.kind == 'o' && t.text == s
}

func (p *exprParser) sum() error {
	if err := p.product(); err != nil {
		return err
	}
	for p.isOp("+") || p.isOp("-") {
		op := p.peek().text
		p.i++
		if err := p.product(); err != nil {
			return err
		}
		p.out = append(p.out, Op{Name: op})
	}
	return nil
}

func (p *exprParser) product() error {
	if err := p.unary(); err != nil {
		return err
	}
	for p.isOp("*") || p.isOp("/") {
		op := p.peek().text
		p.i++
		if err := p.unary(); err != nil {
			return err
		}
		p.out = append(p.out, Op{Name: op})
	}
	return nil
}

func (p *exprParser) unary() error {
	if p.depth++; p.depth > maxDepth {
		return &Error{p.peek().pos, fmt.Sprintf("the formula nests more than %d levels deep", maxDepth)}
	}
	defer func() { p.depth-- }()
	switch {
	case p.isOp("-"):
		p.i++
		if err := p.unary(); err != nil {
			return err
		}
		p.out = append(p.out, Op{Name: "neg"})
		return nil
	case p.isOp("+"):
		p.i++
		return p.unary()
	}
	return p.power()
}

func (p *exprParser) power() error {
	if err := p.primary(); err != nil {
		return err
	}
	if p.isOp("^") {
		p.i++
		if err := p.unary(); err != nil {
			return err
		}
		p.out = append(p.out, Op{Name: "^"})
	}
	return nil
}

func (p *exprParser) primary() error {
	t := p.peek()
	switch {
	case t.kind == 'n':
		p.i++
		p.out = append(p.out, Op{Num: t.num})
		return nil
	case t.kind == 'i':
		p.i++
		if p.isOp("(") {
			return p.call(t)
		}
		if _, isFunc := funcs[t.text]; isFunc {
			return &Error{t.pos, fmt.Sprintf("%s is a function: write %s(...)", t.text, t.text)}
		}
		if !p.names[t.text] {
			return &Error{t.pos, fmt.Sprintf("unknown name %q: a formula can use %s", t.text, nameList(p.names))}
		}
		p.out = append(p.out, Op{Name: t.text})
		return nil
	case p.isOp("("):
		p.i++
		if err := p.sum(); err != nil {
			return err
		}
		if !p.isOp(")") {
			return &Error{p.peek().pos, "missing ) to close the ( " + fmt.Sprintf("at column %d", t.pos+1)}
		}
		p.i++
		return nil
	case t.kind == 0:
		return &Error{t.pos, "the formula ends where a number, name or ( was expected"}
	}
	return &Error{t.pos, fmt.Sprintf("unexpected %q where a number, name or ( was expected", t.text)}
}

func (p *exprParser) call(name token) error {
	arity, ok := funcs[name.text]
	if !ok {
		if p.names[name.text] {
			return &Error{name.pos, fmt.Sprintf("%s is a name, not a function", name.text)}
		}
		return &Error{name.pos, fmt.Sprintf("unknown function %q: a formula can call %s", name.text, funcList())}
	}
	open := p.peek()
	p.i++ // (
	args := 0
	for {
		if err := p.sum(); err != nil {
			return err
		}
		args++
		if arity == -1 && args >= 2 {
			p.out = append(p.out, Op{Name: name.text}) // min(a, b, c): a b min c min
		}
		if p.isOp(",") {
			p.i++
			continue
		}
		if !p.isOp(")") {
			return &Error{p.peek().pos, fmt.Sprintf("missing ) to close %s( at column %d", name.text, open.pos+1)}
		}
		p.i++
		break
	}
	switch {
	case arity == 1 && args != 1:
		return &Error{name.pos, fmt.Sprintf("%s takes one value, not %d", name.text, args)}
	case arity == -1 && args < 2:
		return &Error{name.pos, fmt.Sprintf("%s takes two or more values", name.text)}
	}
	if arity == 1 {
		p.out = append(p.out, Op{Name: name.text})
	}
	return nil
}

// nameList writes the names a formula may use, sorted, for a message.
func nameList(names map[string]bool) string {
	if len(names) == 0 {
		return "no names here, only numbers"
	}
	list := make([]string, 0, len(names))
	for n := range names {
		list = append(list, n)
	}
	sort.Strings(list)
	return strings.Join(list, ", ")
}
