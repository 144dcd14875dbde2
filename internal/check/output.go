package check

// The checks in this file catch a tree that is not what a build wrote:
// files changed, removed or added after the build, by hand, by a
// deployment step or by someone with write access to the server. A build
// vouches for its files in four ways, and each is verified:
//
//   - a published build (site.Publish) names every asset by a hash of its
//     bytes ("guidebook.3f9a1c2e.css") and gives every page's script and
//     stylesheet reference, and every part in the search manifest, a
//     Subresource Integrity hash: a changed asset no longer matches its
//     name, a changed or stripped integrity attribute no longer matches
//     the asset;
//   - the search manifest names every part of the index;
//   - a precompressed sibling (NAME.gz, NAME.br) holds NAME's bytes;
//   - every build writes 404.html.
//
// The tree is taken for a published build when any asset name carries the
// hash of its bytes or any reference carries an integrity hash: export
// and watch-mode trees have neither, and a tampered published tree keeps
// the rest of its fingerprints.

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"path"
	"regexp"
	"strings"

	"github.com/andybalholm/brotli"
	"golang.org/x/net/html"

	"guidebook/internal/publish"
	"guidebook/internal/search"
)

// subresource is a script or stylesheet a page loads from the site.
type subresource struct {
	page, link, target string
	integrity          string
	hasIntegrity       bool
}

// subresource records a script's src or a stylesheet's href (the
// elements SRI applies to) for the integrity checks.
func (c *checker) subresource(page string, n *html.Node, link, target string) {
	switch n.Data {
	case "script":
	case "link":
		if !loadsSubresource(attr(n, "rel")) {
			return
		}
	default:
		return
	}
	in, has := attrOK(n, "integrity")
	c.subs = append(c.subs, subresource{page: page, link: link, target: target, integrity: in, hasIntegrity: has})
}

func loadsSubresource(rel string) bool {
	for _, r := range strings.Fields(strings.ToLower(rel)) {
		if r == "stylesheet" || r == "preload" || r == "modulepreload" {
			return true
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val, true
		}
	}
	return "", false
}

// fingerprintName matches the hash render.Assets puts before an asset's
// extension: the first 4 bytes of its SHA-256, in hex.
var fingerprintName = regexp.MustCompile(`\.([0-9a-f]{8})(\.[^./]*)?$`)

// output runs the checks of this file over the tree's files (sorted).
func (c *checker) output(names []string) {
	if _, ok := c.files["404.html"]; !ok {
		c.problem("404.html", "", "missing: every build writes it, and hosts serve it for unknown URLs")
	}
	// Assets whose name carries a fingerprint: true when it matches.
	fingerprints := map[string]bool{}
	published := false
	for _, n := range names {
		m := fingerprintName.FindStringSubmatch(n)
		if m == nil || !strings.HasPrefix(n, "assets/") || isSibling(c.files, n) {
			continue
		}
		data, err := c.read(n)
		if err != nil {
			c.problem(n, "", "cannot read: "+err.Error())
			continue
		}
		sum := sha256.Sum256(data)
		fingerprints[n] = hex.EncodeToString(sum[:4]) == m[1]
		published = published || fingerprints[n]
	}
	for _, s := range c.subs {
		published = published || s.hasIntegrity
	}
	parts := c.searchManifests(names)
	for _, p := range parts {
		published = published || p.hasIntegrity
	}
	if published {
		for _, n := range names {
			if ok, shaped := fingerprints[n]; shaped && !ok {
				c.problem(n, "", "bytes do not match the fingerprint in its name: the file was changed after the build")
			}
		}
	}
	for _, s := range append(c.subs, parts...) {
		c.checkIntegrity(s, published, fingerprints)
	}
	c.siblings(names)
}

// checkIntegrity verifies one reference's integrity hash against the
// bytes of its target. In a published tree, a reference must carry one
// when the build would have written it: from one of its own pages, or to
// a fingerprinted asset.
func (c *checker) checkIntegrity(s subresource, published bool, fingerprints map[string]bool) {
	what := fmt.Sprintf("%q", s.link)
	if !s.hasIntegrity {
		// Every script and stylesheet of a page the build wrote has
		// a hash, and so has every reference to a fingerprinted asset;
		// an author's static page may load its own files without, and
		// the search manifest, which keeps one name while it changes
		// (theme.AddStable), has none.
		if _, shaped := fingerprints[s.target]; published && (shaped || c.generated[s.page]) && s.target != search.ManifestAsset {
			c.problem(s.page, "", what+" has no integrity hash: a published build gives every asset reference one")
		}
		return
	}
	if ok, shaped := fingerprints[s.target]; shaped && !ok && published {
		return // the asset itself is reported
	}
	digest := func(alg string, h func() hash.Hash) (string, error) {
		key := s.target + "\x00" + alg
		if d, ok := c.digests[key]; ok {
			return d, nil
		}
		data, err := c.read(s.target)
		if err != nil {
			return "", err
		}
		hh := h()
		hh.Write(data)
		d := base64.StdEncoding.EncodeToString(hh.Sum(nil))
		c.digests[key] = d
		return d, nil
	}
	msg, err := verifySRI(s.integrity, digest)
	if err != nil {
		c.problem(s.page, "", fmt.Sprintf("%s: cannot read %s: %v", what, s.target, err))
		return
	}
	if msg != "" {
		c.problem(s.page, "", fmt.Sprintf("%s: %s %s", what, msg, s.target))
	}
}

// verifySRI checks an integrity value the way a browser does: of the
// hashes it lists, those of the strongest supported algorithm count, and
// one of them must match the target's digest (base64, as SRI writes it).
// It returns "" when one does, else why not.
func verifySRI(integrity string, digest func(alg string, h func() hash.Hash) (string, error)) (string, error) {
	algs := []struct {
		name string
		h    func() hash.Hash
	}{{"sha512", sha512.New}, {"sha384", sha512.New384}, {"sha256", sha256.New}}
	for _, alg := range algs {
		var want []string
		for _, tok := range strings.Fields(integrity) {
			tok, _, _ = strings.Cut(tok, "?")
			if v, ok := strings.CutPrefix(tok, alg.name+"-"); ok {
				want = append(want, v)
			}
		}
		if len(want) == 0 {
			continue
		}
		got, err := digest(alg.name, alg.h)
		if err != nil {
			return "", err
		}
		for _, w := range want {
			if w == got {
				return "", nil
			}
		}
		return "integrity hash does not match the bytes of", nil
	}
	return "integrity value has no sha256, sha384 or sha512 hash for", nil
}

// searchManifests checks the tree's search manifest: each part it names
// must exist.
// It returns the parts, to be checked like a page's scripts.
func (c *checker) searchManifests(names []string) []subresource {
	var parts []subresource
	for _, n := range names {
		if !isSearchManifest(n) {
			continue
		}
		data, err := c.read(n)
		if err != nil {
			c.problem(n, "", "cannot read: "+err.Error())
			continue
		}
		m, err := search.ReadManifest(data)
		if err != nil {
			c.problem(n, "", "search manifest does not parse: "+err.Error())
			continue
		}
		for _, r := range m.Parts {
			p := path.Clean(r.Src)
			if _, ok := c.files[p]; !ok || !insideSite(p) {
				c.problem(n, "", fmt.Sprintf("names the search index part %q, which is missing", r.Src))
				continue
			}
			parts = append(parts, subresource{page: n, link: r.Src, target: p, integrity: r.Integrity, hasIntegrity: r.Integrity != ""})
		}
	}
	return parts
}

func insideSite(p string) bool {
	return p != ".." && !strings.HasPrefix(p, "../") && !strings.HasPrefix(p, "/")
}

// isSearchManifest: the manifest is a stable asset (theme.AddStable),
// published under its own name.
func isSearchManifest(name string) bool { return name == search.ManifestAsset }

// Precompressed siblings: a build writes NAME.gz and NAME.br beside each
// text file publish.Precompressible says is worth it, each only when it
// is smaller than NAME.

var siblingExts = []string{".gz", ".br"}

// isSibling reports whether name is the compressed copy of another file
// of the tree.
func isSibling(files map[string][]byte, name string) bool {
	for _, ext := range siblingExts {
		if orig, ok := strings.CutSuffix(name, ext); ok {
			if _, ok := files[orig]; ok {
				return true
			}
		}
	}
	return false
}

// siblings checks the precompressed copies: each must decompress to its
// original, exactly. A copy is left out when compressing does not make
// the file smaller, so a missing one is reported only when it would
// have been clearly smaller: in a tree that has siblings at all, for a
// text file whose compressed form (estimated with gzip) saves a tenth.
func (c *checker) siblings(names []string) {
	precompressed := false
	for _, n := range names {
		for _, ext := range siblingExts {
			orig, ok := strings.CutSuffix(n, ext)
			if !ok {
				continue
			}
			if _, ok := c.files[orig]; !ok {
				if publish.Compressible(orig) {
					c.problem(n, "", "compressed copy of "+orig+", which is missing")
				}
				continue
			}
			precompressed = true
			c.checkSibling(orig, n, ext)
		}
	}
	if !precompressed {
		return
	}
	for _, n := range names {
		if !publish.Compressible(n) {
			continue
		}
		var missing []string
		for _, ext := range siblingExts {
			if _, ok := c.files[n+ext]; !ok {
				missing = append(missing, n+ext)
			}
		}
		if len(missing) == 0 {
			continue
		}
		data, err := c.read(n)
		if err != nil || !publish.Precompressible(n, len(data)) || !clearlyCompressible(data) {
			continue
		}
		for _, m := range missing {
			c.problem(m, "", "missing: the build writes it beside "+n+", which compresses well")
		}
	}
}

// checkSibling verifies that the compressed copy sib decompresses to
// orig's bytes. It reads at most one byte more than orig holds, so a
// copy that would inflate without end costs no more than orig.
func (c *checker) checkSibling(orig, sib, ext string) {
	want, err := c.read(orig)
	if err != nil {
		c.problem(orig, "", "cannot read: "+err.Error())
		return
	}
	z, err := c.read(sib)
	if err != nil {
		c.problem(sib, "", "cannot read: "+err.Error())
		return
	}
	var r io.Reader
	if ext == ".gz" {
		gr, err := gzip.NewReader(bytes.NewReader(z))
		if err != nil {
			c.problem(sib, "", "corrupt gzip data: "+err.Error())
			return
		}
		r = gr
	} else {
		r = brotli.NewReader(bytes.NewReader(z))
	}
	// Asking for one byte more than the original reads the stream to its
	// end (where gzip verifies its checksum) or shows it is too long.
	got := make([]byte, len(want)+1)
	n := 0
	for err = nil; n < len(got) && err == nil; {
		var m int
		m, err = r.Read(got[n:])
		n += m
	}
	got = got[:n]
	if err == io.EOF {
		err = nil
	}
	switch {
	case err != nil:
		c.problem(sib, "", fmt.Sprintf("corrupt %s data: %v", map[string]string{".gz": "gzip", ".br": "brotli"}[ext], err))
	case !bytes.Equal(got, want):
		c.problem(sib, "", "does not decompress to the bytes of "+orig)
	}
}

// clearlyCompressible reports whether gzip at its fastest level saves at
// least a tenth of data: then the build's own encoders (gzip at a
// higher level, brotli) made both copies smaller for certain.
func clearlyCompressible(data []byte) bool {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
	w.Write(data)
	w.Close()
	return b.Len() <= len(data)-len(data)/10
}
