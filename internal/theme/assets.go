package theme

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strings"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/css"

	"guidebook"
	"guidebook/internal/srcfile"
)

// Asset is one file under assets/ in the output.
type Asset struct {
	Name      string // logical name, e.g. "css/guidebook.css"
	Path      string // output path relative to the site root, e.g. "assets/css/guidebook.3f9a1c2e.css"
	Data      []byte
	Integrity string // "sha384-…"; only with fingerprints (published sites), the one place SRI is used
	// Refs are the logical names of the assets this one makes a browser
	// load: a stylesheet's url()s, a search manifest's parts.
	Refs []string
	// Load, set where Data is nil, makes the bytes of an asset that an
	// earlier build made and the build cache described: Sum (SHA-256) and
	// Size let the writer keep the file its output already holds
	// (output.Keeper), so the bytes are made only when it cannot.
	Load func() []byte
	Sum  [32]byte
	Size int64
}

// Bytes returns the asset's bytes, made by Load if they are not at hand.
func (a *Asset) Bytes() []byte {
	if a.Data == nil && a.Load != nil {
		return a.Load()
	}
	return a.Data
}

// Assets is the manifest of every asset a page may reference. Which of
// them a build publishes follows from the pages: those a page uses
// (render.Page.Uses) and what they load (Published). A file under assets/
// that no page links, such as watch mode's livereload.js, is not
// published.
type Assets struct {
	fingerprint bool
	byName      map[string]*Asset
}

// NewAssets starts a manifest. With fingerprint, each file's output name
// carries a hash of its content so a CDN can cache it forever.
func NewAssets(fingerprint bool) *Assets {
	return &Assets{fingerprint: fingerprint, byName: map[string]*Asset{}}
}

// LoadAssets reads the embedded assets and then siteDir/assets, whose files
// replace embedded ones of the same name.
func LoadAssets(siteDir string, fingerprint bool) (*Assets, error) {
	a := NewAssets(fingerprint)
	err := fs.WalkDir(guidebook.Files, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := guidebook.Files.ReadFile(p)
		a.Add(strings.TrimPrefix(p, "assets/"), data)
		return err
	})
	if err != nil {
		return nil, err
	}
	if siteDir == "" {
		return a, nil
	}
	err = walkSiteDir(siteDir, "assets", srcfile.MaxStatic, func(name string, data []byte) { a.Add(name, data) })
	return a, err
}

// Add puts (or replaces) an asset.
func (a *Assets) Add(name string, data []byte) *Asset {
	as := a.Prepare(name, data)
	a.Put(as)
	return as
}

// AddStable puts (or replaces) a generated asset whose content changes
// with the book, such as the search manifest, at a name of its own
// outside assets/: a page that names it then stays the same bytes when
// only the book's other pages changed (a fingerprint would change every
// page, and so every page's cache entry and compressed copies, on any
// edit), and hosts revalidate it instead of keeping it a year as they
// keep assets/. Hence no fingerprint and no integrity value: its bytes
// are not known when the pages are made.
func (a *Assets) AddStable(name string, data []byte) *Asset {
	as := &Asset{Name: name, Path: name, Data: data}
	a.Put(as)
	return as
}

// Put adds an asset made by Prepare.
func (a *Assets) Put(as *Asset) { a.byName[as.Name] = as }

// Prepare makes the asset Add would add, without adding it: it is safe for
// concurrent use, so that large generated assets (a search index's parts)
// are hashed in parallel and then Put one by one.
func (a *Assets) Prepare(name string, data []byte) *Asset {
	out := path.Join("assets", name)
	if a.fingerprint {
		sum := sha256.Sum256(data)
		ext := path.Ext(out)
		out = strings.TrimSuffix(out, ext) + "." + hex.EncodeToString(sum[:4]) + ext
	}
	as := &Asset{Name: name, Path: out, Data: data}
	if path.Ext(name) == ".css" {
		as.Refs = cssRefs(name, data)
	}
	if a.fingerprint {
		// Skipped otherwise: hashing the multi-megabyte search index of a
		// large book on every watch-mode rebuild cost milliseconds.
		h := sha512.Sum384(data)
		as.Integrity = "sha384-" + base64.StdEncoding.EncodeToString(h[:])
	}
	return as
}

// Remove drops an asset, for generated ones a new build no longer makes.
func (a *Assets) Remove(name string) { delete(a.byName, name) }

// Get returns an asset by logical name.
func (a *Assets) Get(name string) (*Asset, bool) {
	as, ok := a.byName[name]
	return as, ok
}

// Published returns the assets named in used and every asset they load
// (Refs), transitively, sorted by output path: the assets a build writes.
func (a *Assets) Published(used map[string]bool) []*Asset {
	seen := map[string]bool{}
	var out []*Asset
	var visit func(name string)
	visit = func(name string) {
		as, ok := a.byName[name]
		if !ok || seen[name] {
			return
		}
		seen[name] = true
		out = append(out, as)
		for _, r := range as.Refs {
			visit(r)
		}
	}
	for name := range used {
		visit(name)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// cssRefs returns the logical names of the local files a stylesheet's
// url()s name, relative to the stylesheet (a font beside it, say).
func cssRefs(name string, data []byte) []string {
	var refs []string
	l := css.NewLexer(parse.NewInputBytes(data))
	for {
		tt, text := l.Next()
		if tt == css.ErrorToken {
			return refs
		}
		if tt != css.URLToken {
			continue
		}
		ref := string(text)
		ref = strings.TrimSpace(ref[len("url(") : len(ref)-1])
		ref = strings.Trim(ref, `"'`)
		u, err := url.Parse(ref)
		if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" || strings.HasPrefix(u.Path, "/") {
			continue
		}
		refs = append(refs, path.Join(path.Dir(name), u.Path))
	}
}

// All returns the assets sorted by output path.
func (a *Assets) All() []*Asset {
	out := make([]*Asset, 0, len(a.byName))
	for _, as := range a.byName {
		out = append(out, as)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// ChromaCSS returns the stylesheet for class-based highlighting: a light
// style, and a dark one under prefers-color-scheme so code follows the
// site's dark mode.
func ChromaCSS() ([]byte, error) {
	var b bytes.Buffer
	f := chromahtml.New(chromahtml.WithClasses(true))
	b.WriteString("/* Generated by guidebook from chroma styles github and github-dark. */\n")
	if err := f.WriteCSS(&b, styleOr("github")); err != nil {
		return nil, err
	}
	b.WriteString("@media (prefers-color-scheme: dark) {\n")
	if err := f.WriteCSS(&b, styleOr("github-dark")); err != nil {
		return nil, err
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}

func styleOr(name string) *chroma.Style {
	if s := styles.Get(name); s != nil {
		return s
	}
	return styles.Fallback
}
