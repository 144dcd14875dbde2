package main

import (
	"io"
	"strings"
	"testing"
)

// A panic anywhere below run is a guidebook bug: the user gets one line
// saying so and asking for a report, exit status 3, and no goroutine dump
// unless GUIDEBOOK_TRACE asks for one. The panics come from a command that
// exists only in this test.
func TestPanicBecomesMessage(t *testing.T) {
	register(&command{name: "test-panic", synopsis: "test-panic", summary: "panics (test only)",
		run: func(args []string, _, _ io.Writer) int {
			if len(args) > 0 && args[0] == "nil" {
				var m map[string]*command
				return len(m["x"].name) // nil pointer dereference, as a real bug would be
			}
			panic("boom")
		}})
	t.Cleanup(func() { delete(commands, "test-panic") })

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"test-panic"}, "guidebook: internal error: boom\n"},
		{[]string{"test-panic", "nil"}, "guidebook: internal error: runtime error: invalid memory address or nil pointer dereference\n"},
	} {
		code, stdout, stderr := runCLI(c.args...)
		if code != 3 {
			t.Errorf("%v: exit %d, want 3", c.args, code)
		}
		if stdout != "" {
			t.Errorf("%v: stdout %q", c.args, stdout)
		}
		if !strings.HasPrefix(stderr, c.want) || !strings.Contains(stderr, "This is a bug in guidebook; please report it") {
			t.Errorf("%v: stderr %q", c.args, stderr)
		}
		if strings.Contains(stderr, "goroutine") || strings.Count(stderr, "\n") != 2 {
			t.Errorf("%v: the user saw more than the message:\n%s", c.args, stderr)
		}
	}

	t.Setenv("GUIDEBOOK_TRACE", "1")
	code, _, stderr := runCLI("test-panic")
	if code != 3 || !strings.Contains(stderr, "goroutine") || !strings.Contains(stderr, "panic_test.go") {
		t.Errorf("GUIDEBOOK_TRACE=1: exit %d, no stack trace pointing at the panic:\n%s", code, stderr)
	}
}
