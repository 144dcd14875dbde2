package publish

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"guidebook/internal/outdir"
	"io"
	"math/rand"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"guidebook/internal/output"
	"guidebook/internal/testing/filetree"
)

// putAll puts files into out in path order and commits.
func putAll(t *testing.T, out output.Output, files map[string][]byte) {
	t.Helper()
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := out.Put(n, files[n]); err != nil {
			t.Fatal(err)
		}
	}
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
}

// An author's own host files win; HostFiles adds no compressed copies
// (Precompress makes them on the way to disk).
func TestHostFilesRules(t *testing.T) {
	mem := output.NewMemory()
	putAll(t, HostFiles(mem, "https://example.org/"), map[string][]byte{
		"index.html":        []byte("<!doctype html><title>x</title><p>" + strings.Repeat("text ", 200)),
		"robots.txt":        []byte("User-agent: *\nDisallow: /private/\n"),
		"_headers":          []byte("/*\n  X-Frame-Options: DENY\n"),
		"search/index.html": []byte("<!doctype html><title>s</title>"),
	})
	out := struct{ Files map[string][]byte }{mem.Files()}
	if got := string(out.Files["robots.txt"]); got != "User-agent: *\nDisallow: /private/\n" {
		t.Errorf("author's robots.txt replaced: %q", got)
	}
	if got := string(out.Files["_headers"]); got != "/*\n  X-Frame-Options: DENY\n" {
		t.Errorf("author's _headers replaced: %q", got)
	}
	for p := range out.Files {
		if strings.HasSuffix(p, ".gz") || strings.HasSuffix(p, ".br") {
			t.Errorf("HostFiles added %s", p)
		}
	}
	if got := string(out.Files["sitemap.xml"]); !strings.Contains(got, "<loc>https://example.org/</loc>") || strings.Contains(got, "search") {
		t.Errorf("sitemap.xml = %s", got)
	}
}

// Precompress puts compressed copies of text files worth it, leaves out
// tiny and incompressible ones, keeps an author's own .gz, and a Dir
// without it writes exactly the files it is given.
func TestPrecompressRules(t *testing.T) {
	noise := make([]byte, 4096)
	rand.New(rand.NewSource(1)).Read(noise)
	page := []byte("<!doctype html><title>x</title><p>" + strings.Repeat("text ", 200))
	big := []byte(strings.Repeat("p{color:red}\n", 200_000)) // 2.8 MB: a wide brotli window
	files := map[string][]byte{
		"index.html":       page,
		"a/b/page.html":    page,
		"big.css":          big,
		"small.css":        []byte("p{color:red}"),
		"noise.txt":        noise,
		"image.png":        bytes.Repeat([]byte{0}, 2048),
		"own.js":           []byte(strings.Repeat("f();", 100)),
		"own.js.gz":        []byte("the author's own"),
		"_headers":         []byte(strings.Repeat("# x\n", 100)),
		"data/search.json": []byte(strings.Repeat(`{"t":"x"},`, 100)),
	}
	dir := filepath.Join(t.TempDir(), "public")
	putAll(t, Precompress(newDir(t, dir)), files)
	got := filetree.Read(t, dir)
	for _, p := range []string{"index.html", "a/b/page.html", "big.css", "data/search.json", "own.js"} {
		for _, ext := range []string{".gz", ".br"} {
			if p == "own.js" && ext == ".gz" {
				continue
			}
			z, ok := got[p+ext]
			if !ok {
				t.Errorf("missing %s%s", p, ext)
				continue
			}
			if d := decompress(t, p+ext, z); !bytes.Equal(d, files[p]) {
				t.Errorf("%s%s does not decompress to its original", p, ext)
			}
		}
	}
	if string(got["own.js.gz"]) != "the author's own" {
		t.Errorf("the author's own.js.gz was replaced: %q", got["own.js.gz"])
	}
	for _, p := range []string{"small.css.gz", "small.css.br", "noise.txt.gz", "noise.txt.br", "image.png.gz", "image.png.br", "_headers.gz", "_headers.br"} {
		if _, ok := got[p]; ok {
			t.Errorf("unexpected %s", p)
		}
	}
	// Every output also holds the marker that makes it guidebook's.
	if len(got) != 1+len(files)+2*5-1 {
		t.Errorf("wrote %d files, want %d", len(got), 1+len(files)+2*5-1)
	}

	plain := filepath.Join(t.TempDir(), "public")
	putAll(t, newDir(t, plain), files)
	if got := filetree.Read(t, plain); len(got) != 1+len(files) {
		t.Errorf("a bare Dir wrote %d files for %d and the marker", len(got), len(files))
	}
}

func decompress(t *testing.T, name string, z []byte) []byte {
	t.Helper()
	var r io.Reader
	if strings.HasSuffix(name, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(z))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		r = zr
	} else {
		r = brotli.NewReader(bytes.NewReader(z))
	}
	d, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return d
}

// A compressor reused across files gives the bytes a fresh one gives:
// which worker compresses which file must not show in the output.
func TestCompressorReuseIsDeterministic(t *testing.T) {
	inputs := [][]byte{
		[]byte(strings.Repeat("<p>Insulin sensitivity, page one. ", 3000)),
		[]byte(strings.Repeat("<p>A shorter page about glucose. ", 40)),
		[]byte(strings.Repeat("body{margin:0}\n.x{color:#333}\n", 30000)),
		[]byte(strings.Repeat("<p>Insulin sensitivity, page one. ", 2999) + "<p>end"),
	}
	used := newCompressor()
	for _, pass := range []string{"first", "second"} {
		for i, in := range inputs {
			for _, kind := range []string{"gzip", "brotli"} {
				fresh := newCompressor()
				want := compressWith(t, fresh, kind, in)
				if got := compressWith(t, used, kind, in); !bytes.Equal(got, want) {
					t.Errorf("%s pass, input %d, %s: a reused compressor gave %d bytes, a fresh one %d", pass, i, kind, len(got), len(want))
				}
			}
		}
	}
}

func compressWith(t *testing.T, c *compressor, kind string, in []byte) []byte {
	t.Helper()
	f := c.gzip
	if kind == "brotli" {
		f = c.brotli
	}
	z, err := f(in)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Clone(z)
}

func TestBrotliWindow(t *testing.T) {
	for _, tc := range []struct{ n, lg int }{
		{0, 17}, {257, 17}, {20_000, 17}, {1<<17 - 16, 17}, {1<<17 - 15, 18},
		{1 << 18, 19}, {1<<20 - 16, 20}, {1<<20 - 15, 20}, {100 << 20, 20},
	} {
		if got := brotliWindow(tc.n); got != tc.lg {
			t.Errorf("brotliWindow(%d) = %d, want %d", tc.n, got, tc.lg)
		}
	}
}

func newDir(t *testing.T, dir string) *output.Dir {
	t.Helper()
	d, err := output.NewDir(dir, outdir.Rule{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// An author's own NAME.gz wins over the compressed sibling of NAME,
// whichever is put first.
func TestAuthorsCompressedFileWins(t *testing.T) {
	page := bytes.Repeat([]byte("<p>insulin sensitivity</p>\n"), 100)
	own := []byte("the author's own gzip file")
	for _, authorFirst := range []bool{false, true} {
		dir := filepath.Join(t.TempDir(), "public")
		out := Precompress(newDir(t, dir))
		puts := []func() error{
			func() error { return out.Put("a/index.html", page) },
			func() error { return out.Put("a/index.html.gz", own) },
		}
		if authorFirst {
			puts[0], puts[1] = puts[1], puts[0]
		}
		for _, put := range puts {
			if err := put(); err != nil {
				t.Fatal(err)
			}
		}
		if err := out.Put("../escape.html", page); err == nil {
			t.Error("a Put outside the stage succeeded")
		}
		if err := out.Commit(); err != nil {
			t.Fatal(err)
		}
		files := filetree.Read(t, dir)
		if !bytes.Equal(files["a/index.html.gz"], own) {
			t.Errorf("author first %v: index.html.gz is not the author's file", authorFirst)
		}
		if _, ok := files["a/index.html.br"]; !ok {
			t.Errorf("author first %v: no brotli sibling", authorFirst)
		}
	}
}

// A large file's two siblings are made at once when a compressor is idle,
// or one after the other when none is: the bytes are the same either way,
// those a fresh compressor makes.
func TestPrecompressLargeFile(t *testing.T) {
	var sb strings.Builder
	for i := 0; sb.Len() < 3*splitMin; i++ {
		fmt.Fprintf(&sb, "<p>Paragraph %d about insulin sensitivity and the liver.</p>\n", i)
	}
	data := []byte(sb.String())
	for _, busy := range []bool{false, true} {
		mem := output.NewMemory()
		out := Precompress(mem)
		if busy {
			// Every other compressor taken: the siblings are made in turn.
			p := out.(*precompressing)
			for range cap(p.comps) - 1 {
				c := <-p.comps
				defer func() { p.comps <- c }()
			}
		}
		if err := out.Put("assets/search/0.js", data); err != nil {
			t.Fatal(err)
		}
		for ext, kind := range map[string]string{".gz": "gzip", ".br": "brotli"} {
			want := compressWith(t, newCompressor(), kind, data)
			if got := mem.Files()["assets/search/0.js"+ext]; !bytes.Equal(got, want) {
				t.Errorf("busy %v: %s differs from a fresh compressor's (%d, %d bytes)", busy, ext, len(got), len(want))
			}
		}
	}
}

// The publishing steps say their Output is done with Put's bytes when
// Put returns only when the Output they wrap is (output.Copier): a
// folder is, memory (serve, check, the single file's join) is not.
func TestCopiesOnPutPassesOn(t *testing.T) {
	opts := Options{BaseURL: "https://example.org/", Minify: true, HostFiles: true, Precompress: true}
	dir := newDir(t, filepath.Join(t.TempDir(), "public"))
	defer dir.Abort()
	if !output.CopiesOnPut(Wrap(dir, opts)) {
		t.Error("the steps over a folder do not pass on that it copies")
	}
	if output.CopiesOnPut(Wrap(output.NewMemory(), opts)) {
		t.Error("the steps over memory say it copies")
	}
}
