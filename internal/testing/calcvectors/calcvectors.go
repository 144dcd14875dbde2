// Package calcvectors reads the calculator test vectors
// (internal/widgets/testdata/calc_vectors.json) that hold the Go
// evaluator (package calc) and calculator.js (the widgets' browser test)
// to the same results, so both tests read them through one set of types.
// The file stays where calculator.js's comment names it. It is a test
// helper, not part of the pipeline.
package calcvectors

import (
	"encoding/json"
	"os"
	"testing"
)

// Case is one computation: values as typed, in units, and what a reader
// must see.
type Case struct {
	Spec    string             `json:"spec"`
	Name    string             `json:"name"`
	Inputs  map[string]string  `json:"inputs"`
	Units   map[string]string  `json:"units"`
	Outputs map[string]*string `json:"outputs"`
	Bands   map[string]string  `json:"bands"`
	Codes   map[string]string  `json:"codes"`
	Errors  map[string]string  `json:"errors"`
	// Messages are the messages shown for an input's error or an
	// output without a value.
	Messages map[string]string `json:"messages"`
}

// Conversion is one unit switch: Shown is the converted text, nil when
// the field must be left as it is.
type Conversion struct {
	Spec  string  `json:"spec"`
	Name  string  `json:"name"`
	Input string  `json:"input"`
	Value string  `json:"value"`
	From  string  `json:"from"`
	To    string  `json:"to"`
	Shown *string `json:"shown"`
}

// File is the whole vectors file.
type File struct {
	Cases       []Case
	Conversions []Conversion
}

// Read reads the vectors file at path, failing the test if it is
// missing, malformed or has lost cases.
func Read(t testing.TB, path string) File {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f File
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) < 30 || len(f.Conversions) < 8 {
		t.Fatalf("only %d cases and %d conversions", len(f.Cases), len(f.Conversions))
	}
	return f
}
