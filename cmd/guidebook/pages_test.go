package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"guidebook/internal/outdir"
)

// pagesWorkflow is README.md's GitHub Pages recipe.
const pagesWorkflow = "../../deploy/github-pages.yml"

type workflow struct {
	Permissions map[string]string `yaml:"permissions"`
	Jobs        map[string]struct {
		Needs string `yaml:"needs"`
		Steps []struct {
			ID   string            `yaml:"id"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// shellWords splits a one-line command as sh would, for the quoting the
// workflow uses (double quotes, no escapes).
func shellWords(s string) []string {
	var words []string
	var w strings.Builder
	inWord, quoted := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted, inWord = !quoted, true
		case (r == ' ' || r == '\t') && !quoted:
			if inWord {
				words = append(words, w.String())
				w.Reset()
			}
			inWord = false
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}

// TestPagesWorkflowBuildsAndUploadsPublic: the sample workflow runs the
// README's build (its flags accepted by this guidebook, with the address
// configure-pages gives), uploads the folder that build writes, and
// deploys it with the permissions GitHub Pages asks for.
func TestPagesWorkflowBuildsAndUploadsPublic(t *testing.T) {
	data, err := os.ReadFile(pagesWorkflow)
	if err != nil {
		t.Fatal(err)
	}
	var wf workflow
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	if wf.Permissions["pages"] != "write" || wf.Permissions["id-token"] != "write" {
		t.Errorf("permissions %v: deploy-pages needs pages and id-token write", wf.Permissions)
	}
	var build []string
	var uploaded string
	for _, s := range wf.Jobs["build"].Steps {
		if strings.Contains(s.Run, "guidebook build") {
			cmd := strings.ReplaceAll(s.Run, "${{ steps.pages.outputs.base_url }}", "https://octo.github.io/guide")
			build = shellWords(strings.TrimSpace(cmd))
		}
		if strings.HasPrefix(s.Uses, "actions/upload-pages-artifact@") {
			uploaded = s.With["path"]
		}
	}
	prefix := []string{"go", "run", "./cmd/guidebook", "build"}
	if len(build) < len(prefix) || !slices.Equal(build[:len(prefix)], prefix) {
		t.Fatalf("the build step runs %q, not README.md's %q", build, strings.Join(prefix, " "))
	}
	site := newBook(t)
	args := append([]string{"build", "--src", site}, build[len(prefix):]...)
	if code, _, errOut := runCLI(args...); code != 0 {
		t.Fatalf("guidebook %q: exit %d\n%s", args, code, errOut)
	}
	if uploaded == "" {
		t.Fatal("no actions/upload-pages-artifact step")
	}
	if _, err := os.Stat(filepath.Join(site, uploaded, "index.html")); err != nil {
		t.Errorf("the workflow uploads %s, which the build did not write: %v", uploaded, err)
	}
	if sitemap, err := os.ReadFile(filepath.Join(site, uploaded, "sitemap.xml")); err != nil || !strings.Contains(string(sitemap), "https://octo.github.io/guide/introduction/") {
		t.Errorf("sitemap.xml does not use the Pages address: %v", err)
	}
	deploy := wf.Jobs["deploy"]
	if deploy.Needs != "build" || len(deploy.Steps) != 1 || !strings.HasPrefix(deploy.Steps[0].Uses, "actions/deploy-pages@") {
		t.Errorf("the deploy job should run actions/deploy-pages after build: %+v", deploy)
	}
}

// TestBuildNeedsNoJekyllOptOut: Jekyll, which GitHub Pages runs on a site
// published from a branch, drops files and folders whose names start with
// "_", ".", "#" or "~". A build holds only three such files, all for other
// readers than GitHub Pages (the marker and manifest for the next build,
// _headers for Netlify and Cloudflare), so the README's recipe needs no .nojekyll
// file either way.
func TestBuildNeedsNoJekyllOptOut(t *testing.T) {
	site := newBook(t)
	if code, _, errOut := runCLI("build", "--src", site); code != 0 {
		t.Fatal(errOut)
	}
	public := filepath.Join(site, "public")
	var dropped []string
	filepath.WalkDir(public, func(p string, _ os.DirEntry, err error) error {
		if rel, _ := filepath.Rel(public, p); rel != "." && strings.ContainsAny(filepath.Base(p)[:1], "_.#~") {
			dropped = append(dropped, filepath.ToSlash(rel))
		}
		return err
	})
	if want := []string{outdir.ManifestName, outdir.Marker, "_headers"}; !slices.Equal(dropped, want) {
		t.Errorf("Jekyll would drop %v; want only %v", dropped, want)
	}
}
