package calc

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
)

// Error codes of an input, shared with calculator.js and homa-ir.js and
// the vectors both are tested against.
const (
	CodeEmpty    = "empty"
	CodeNotANum  = "not-a-number"
	CodeNegative = "negative"
	CodeZero     = "zero"
	CodeTooLow   = "too-low"
	CodeTooHigh  = "too-high"
	CodeUnit     = "unit"
)

// FieldError is one invalid input: Field is its id ("glucose"), Code
// one of the codes above, Message what the reader sees.
type FieldError struct {
	Field, Code, Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// number is what ParseNumber accepts: decimals with a point or a comma,
// optionally in exponent notation ("1e2", "5,4E-1"). Every number however
// written then meets the same range check, so "1e9" is implausibly high
// exactly as "1000000000" is. Thousands separators, "Infinity" and hex are
// refused because a reader never means them; homa-ir.js uses the same
// pattern.
var number = regexp.MustCompile(`^[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?$`)

// ParseNumber reads a typed number. Its error's text is the error code
// (CodeEmpty or CodeNotANum). A number beyond float64's range is ±Inf,
// as JavaScript's parseFloat reads it, and the range check calls it
// implausibly high (or negative).
func ParseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New(CodeEmpty)
	}
	if !number.MatchString(s) {
		return 0, errors.New(CodeNotANum)
	}
	v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, errors.New(CodeNotANum)
	}
	return v, nil
}
