package publish

import (
	"strings"
	"testing"
)

func TestCheckBaseURL(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{"", "", ""},
		{"https://example.org", "https://example.org/", ""},
		{"https://example.org/", "https://example.org/", ""},
		{"https://example.org/guide", "https://example.org/guide/", ""},
		{"HTTP://Example.org:8080/guide/", "http://Example.org:8080/guide/", ""},
		{"https://example.org/a%20b/", "https://example.org/a%20b/", ""},
		{"javascript:alert(1)//", "", "http or https"},
		{"JavaScript://example.org/%0aalert(1)", "", "http or https"},
		{"ftp://example.org/", "", "http or https"},
		{"data:text/html,x", "", "http or https"},
		{"//example.org/guide/", "", "http or https"},
		{"/guide/", "", "http or https"},
		{"example.org/guide/", "", "http or https"},
		{"https:example.org", "", "host"},
		{"https:///guide/", "", "host"},
		{"https://user:pw@example.org/", "", "user"},
		{"https://example.org/?q=1", "", "query"},
		{"https://example.org/?", "", "query"},
		{"https://example.org/#top", "", "fragment"},
		{"https://example.org/#", "", "fragment"},
		{"https://example.org/a/../b/", "", ". or .."},
		{"https://example.org/./", "", ". or .."},
		{"https://exa mple.org/", "", "not a URL"},
		{"https://example.org/\x1b[2J", "", "not a URL"},
		{"https://example.org:99999999999/", "", "port"},
		{"https://example.org:0/", "", "port"},
	} {
		got, err := CheckBaseURL(tc.in)
		if tc.err == "" {
			if err != nil || got != tc.want {
				t.Errorf("CheckBaseURL(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("CheckBaseURL(%q) = %q, %v; want an error about %q", tc.in, got, err, tc.err)
			continue
		}
		if strings.ContainsAny(err.Error(), "\x1b\n") {
			t.Errorf("CheckBaseURL(%q): control characters in the message %q", tc.in, err)
		}
	}
}
