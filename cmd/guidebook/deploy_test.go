package main

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"guidebook/internal/output"
	"guidebook/internal/publish"
	"guidebook/internal/site"
	"guidebook/internal/testing/benchbook"
)

// The tests of the publishing recipes in README.md ("Publishing") and
// their samples under deploy/.

// Netlify's and Cloudflare Pages' _headers rules, as their documentation
// states them (docs.netlify.com/manage/routing/headers,
// developers.cloudflare.com/pages/configuration/headers): a URL pattern
// alone on a line, its "Name: value" headers indented below it, "#"
// comments; at most one splat per pattern; Cloudflare takes at most 100
// rules and lines of at most 2,000 characters.
const (
	maxHeaderRules = 100
	maxHeaderLine  = 2000
)

// hostRule is one rule of a _headers file.
type hostRule struct {
	pattern string
	headers http.Header
}

// headerName is an HTTP field name (RFC 9110 token).
var headerName = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")

// parseHostHeaders reads a _headers file the way the hosts document it,
// failing on anything they do not.
func parseHostHeaders(t *testing.T, data string) []hostRule {
	t.Helper()
	var rules []hostRule
	for i, line := range strings.Split(strings.TrimSuffix(data, "\n"), "\n") {
		at := fmt.Sprintf("_headers:%d", i+1)
		if len(line) > maxHeaderLine {
			t.Errorf("%s: %d characters; Cloudflare's limit is %d", at, len(line), maxHeaderLine)
		}
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
		case line[0] != ' ' && line[0] != '\t':
			if !strings.HasPrefix(line, "/") || strings.Count(line, "*") > 1 || strings.ContainsAny(line, " \t") {
				t.Errorf("%s: %q is not a URL pattern with at most one splat", at, line)
			}
			rules = append(rules, hostRule{pattern: line, headers: http.Header{}})
		default:
			name, value, ok := strings.Cut(trimmed, ":")
			if !ok || !headerName.MatchString(name) || strings.TrimSpace(value) == "" || len(rules) == 0 {
				t.Fatalf("%s: %q is not an indented \"Name: value\" header of a rule", at, line)
			}
			rules[len(rules)-1].headers.Add(name, strings.TrimSpace(value))
		}
	}
	if len(rules) > maxHeaderRules {
		t.Errorf("_headers has %d rules; Cloudflare Pages takes at most %d", len(rules), maxHeaderRules)
	}
	return rules
}

// checkHeaderPaths fails unless every pattern names files of the site
// (files: its paths relative to the site root, served under base).
func checkHeaderPaths(t *testing.T, rules []hostRule, base string, files map[string][]byte) {
	t.Helper()
	for _, r := range rules {
		rel, ok := strings.CutPrefix(r.pattern, base)
		if !ok {
			t.Errorf("_headers pattern %s is outside the site's path %s", r.pattern, base)
			continue
		}
		found := false
		if prefix, splat := strings.CutSuffix(rel, "*"); splat {
			for f := range files {
				found = found || strings.HasPrefix(f, prefix)
			}
		} else if rel == "" || strings.HasSuffix(rel, "/") {
			_, found = files[rel+"index.html"]
		} else {
			_, found = files[rel]
		}
		if !found {
			t.Errorf("_headers pattern %s names no file of the site", r.pattern)
		}
	}
}

// buildPublished builds the site at dir as "guidebook build" does, into
// memory.
func buildPublished(t *testing.T, dir, baseURL string) map[string][]byte {
	t.Helper()
	mem := output.NewMemory()
	if _, err := site.Build(site.Options{SiteDir: dir, BaseURL: baseURL, Mode: site.Publish},
		publish.Wrap(mem, publish.Options{BaseURL: baseURL, HostFiles: true})); err != nil {
		t.Fatal(err)
	}
	return mem.Files()
}

// TestHeadersFileFollowsHostRules: the _headers a build writes is what
// Netlify and Cloudflare Pages document, for the starter book at the
// root and under a base path, and for a book of many chapters.
func TestHeadersFileFollowsHostRules(t *testing.T) {
	large := t.TempDir()
	if err := benchbook.Generate(large, 150, benchbook.Options{NoWidgets: true, Terms: 20, References: 20}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, dir, baseURL, base string }{
		{"starter", newBook(t), "", "/"},
		{"starter under a path", newBook(t), "https://example.org/guide/", "/guide/"},
		{"150 chapters", large, "", "/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := buildPublished(t, tc.dir, tc.baseURL)
			rules := parseHostHeaders(t, string(files["_headers"]))
			checkHeaderPaths(t, rules, tc.base, files)
		})
	}
}
