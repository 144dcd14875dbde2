package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"guidebook/internal/theme"
)

// Index makes the index's parts and manifest as theme assets, and
// remembers what each part was made of, so a rebuild adds (and hashes)
// only the parts whose chapters' entries changed.
type Index struct {
	parts []partKey
}

// partKey identifies a part's input: its chapters' encoded entries,
// compared by identity (a re-rendered chapter gets a new piece), or, for
// the parts of the book's own pages, ver: the glossary version for the
// terms part, the encoded entries for the references part.
type partKey struct {
	pieces [][]byte
	ver    string
}

func (k partKey) equal(o partKey) bool {
	if k.ver != o.ver || len(k.pieces) != len(o.pieces) {
		return false
	}
	for i, p := range k.pieces {
		q := o.pieces[i]
		if len(p) != len(q) || len(p) > 0 && &p[0] != &q[0] {
			return false
		}
	}
	return true
}

// Input is what one build's index is made of.
type Input struct {
	Chapters [][]byte // each chapter's entries, Encoded, in reading order
	// Terms makes the glossary's entries; it is called only when
	// TermsVersion differs from the last build's.
	Terms        func() []Doc
	TermsVersion string
	// References, if set, makes the entries of the references page and
	// each work on it (see ReferenceDocs); it is called only when
	// ReferencesVersion differs from the last build's, which must name
	// everything they show.
	References        func() []Doc
	ReferencesVersion string
	Integrity         bool // the manifest names each part's SRI hash (published sites)
	// Parallel runs f(0) … f(n-1) on the build's workers: the parts of a
	// large book are megabytes to copy and, for a published site, hash.
	Parallel func(n int, f func(i int))
	// Discard is for a build that updates the index once: each element of
	// Chapters is set to nil as soon as its part is made, so the book's
	// text is not held twice (entries and parts) at the end of a large
	// build, and nothing is remembered for a next Update.
	Discard bool
	// Keys, where set, identify each chapter's entries (one per element
	// of Chapters) across builds: a part whose chapters' keys (or, for
	// the glossary's and the references' parts, versions) are those of a
	// part an earlier build made is not made again when Reuse gives it
	// back, its bytes described (theme.Asset's Load, Sum and Size), and
	// Made hears of each part made, under its key, to keep it for a later
	// build (the build cache).
	Keys  []string
	Reuse func(key string) (*theme.Asset, bool)
	Made  func(key string, part *theme.Asset)
	// Done, where set, hears of each part as soon as it is made or taken
	// back, from the worker that made it: a one-shot build writes it at
	// once and lets its bytes go, rather than hold every part (all of a
	// large book's text) until the manifest is made.
	Done func(part *theme.Asset)
}

// Update adds to assets the parts that changed and the manifest: parts of
// PartChapters chapters in reading order, then one of glossary terms,
// then one of the references.
func (x *Index) Update(assets *theme.Assets, in Input) {
	var keys []partKey
	for i := 0; i < len(in.Chapters); i += PartChapters {
		keys = append(keys, partKey{pieces: in.Chapters[i:min(i+PartChapters, len(in.Chapters))]})
	}
	termsPart := len(keys)
	keys = append(keys, partKey{ver: "glossary " + in.TermsVersion}, partKey{ver: "references " + in.ReferencesVersion})

	var changed []int
	for i, k := range keys {
		if _, ok := assets.Get(PartAsset(i)); ok && i < len(x.parts) && k.equal(x.parts[i]) {
			continue
		}
		changed = append(changed, i)
	}
	made := make([]*theme.Asset, len(changed))
	in.Parallel(len(changed), func(j int) {
		i := changed[j]
		made[j] = in.makePart(assets, i, keys[i], termsPart)
		if in.Done != nil {
			in.Done(made[j])
		}
		if in.Discard && made[j].Data != nil {
			clear(keys[i].pieces) // the caller's Chapters elements
		}
	})
	for _, as := range made {
		assets.Put(as)
	}
	for i := len(keys); i < len(x.parts); i++ {
		assets.Remove(PartAsset(i)) // the book got shorter
	}
	// Chapter keys alias the caller's slice: keep a copy.
	x.parts = nil
	if !in.Discard {
		for _, k := range keys {
			x.parts = append(x.parts, partKey{pieces: append([][]byte(nil), k.pieces...), ver: k.ver})
		}
	}

	var m Manifest
	var names []string
	for i := range keys {
		names = append(names, PartAsset(i))
		a, _ := assets.Get(PartAsset(i))
		r := PartRef{Src: a.Path}
		if in.Integrity {
			r.Integrity = a.Integrity
		}
		m.Parts = append(m.Parts, r)
	}
	data := m.script()
	ma, ok := assets.Get(ManifestAsset)
	if !ok || string(ma.Data) != string(data) {
		ma = assets.AddStable(ManifestAsset, data)
	}
	ma.Refs = names // search.js loads the parts the manifest names
}

// makePart makes part i from k, or takes it back from Reuse
// (Input.Keys); termsPart is the glossary's part, the references' is next.
func (in *Input) makePart(assets *theme.Assets, i int, k partKey, termsPart int) *theme.Asset {
	pieces := func() [][]byte {
		switch i {
		case termsPart:
			return [][]byte{Encode(in.Terms())}
		case termsPart + 1:
			var refs []Doc
			if in.References != nil {
				refs = in.References()
			}
			return [][]byte{Encode(refs)}
		}
		return k.pieces
	}
	key := in.reuseKey(i, k, i >= termsPart)
	if key == "" {
		return assets.Prepare(PartAsset(i), part(i, pieces()))
	}
	if as, ok := in.Reuse(key); ok {
		as.Name, as.Data = PartAsset(i), nil
		as.Load = func() []byte { return part(i, pieces()) }
		return as
	}
	as := assets.Prepare(PartAsset(i), part(i, pieces()))
	in.Made(key, as)
	return as
}

// reuseKey identifies part i across builds: a chapter part by its
// chapters' Keys, a part of the book's own pages (book) by its version;
// "" without Keys.
func (in *Input) reuseKey(i int, k partKey, book bool) string {
	if in.Keys == nil {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "search part %d of %d chapters\x00", i, PartChapters)
	if book {
		fmt.Fprintf(h, "%d:%s\x00", len(k.ver), k.ver)
	} else {
		first := i * PartChapters
		for _, key := range in.Keys[first:min(first+PartChapters, len(in.Keys))] {
			fmt.Fprintf(h, "%d:%s\x00", len(key), key)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// PartAsset is part i's asset name.
func PartAsset(i int) string { return fmt.Sprintf("search/%d.js", i) }

// part is part i as a script: the entries of its pieces, each followed by
// a comma, become the i-th array of window.guidebookSearchParts. The part
// is assembled in one allocation: the parts of a large book hold every
// word of it.
func part(i int, pieces [][]byte) []byte {
	head := fmt.Sprintf("%s[%d] = [", partStart, i)
	const tail = "];\n"
	n := len(head) + len(tail)
	for _, p := range pieces {
		n += len(p)
	}
	out := make([]byte, 0, n)
	out = append(out, head...)
	for _, p := range pieces {
		out = append(out, p...)
	}
	out = bytes.TrimSuffix(out, []byte(","))
	return append(out, tail...)
}

// Manifest is what search-index.js holds: the parts search.js loads (as
// classic scripts, which work from file://) the first time a reader
// searches, or, in a page that cannot load more scripts, the entries
// themselves (InlineScript).
type Manifest struct {
	Parts []PartRef `json:"parts"`
	Docs  []Doc     `json:"-"` // read from "docs"; written by InlineScript only
}

// PartRef names one part.
type PartRef struct {
	Src       string `json:"src"`                 // relative to the site root
	Integrity string `json:"integrity,omitempty"` // published sites only
}

func (m Manifest) script() []byte {
	data, _ := json.Marshal(m)
	return append(append([]byte(manifestStart), data...), ";\n"...)
}

// ErrNotIndex is returned by ReadManifest for a script that is not the
// search index's manifest.
var ErrNotIndex = errors.New("not the search index")

// ReadManifest decodes a manifest the build wrote; ErrNotIndex when data
// is some other script.
func ReadManifest(data []byte) (*Manifest, error) {
	rest, ok := bytes.CutPrefix(bytes.TrimSpace(data), []byte(manifestStart))
	if !ok {
		return nil, ErrNotIndex
	}
	var m struct {
		Parts []PartRef `json:"parts"`
		Docs  []Doc     `json:"docs"`
	}
	if err := json.Unmarshal(bytes.TrimSuffix(rest, []byte(";")), &m); err != nil {
		return nil, fmt.Errorf("search index manifest: %w", err)
	}
	return &Manifest{Parts: m.Parts, Docs: m.Docs}, nil
}

// ReadPart decodes a part the build wrote.
func ReadPart(data []byte) ([]Doc, error) {
	rest, ok := bytes.CutPrefix(bytes.TrimSpace(data), []byte(partStart+"["))
	if ok {
		var n []byte
		n, rest, ok = bytes.Cut(rest, []byte("] = "))
		_, err := strconv.Atoi(string(n))
		ok = ok && err == nil
	}
	if !ok {
		return nil, errors.New("not a search index part")
	}
	var docs []Doc
	if err := json.Unmarshal(bytes.TrimSuffix(rest, []byte(";")), &docs); err != nil {
		return nil, err
	}
	return docs, nil
}

// InlineScript is the whole index as one script, for a page that cannot
// load more scripts (the single-file export): search.js reads its docs
// when there are no parts.
func InlineScript(docs []Doc) []byte {
	// The keys in sorted order, as the index the single file has
	// always carried.
	type inline struct {
		C string `json:"c"`
		H string `json:"h"`
		K string `json:"k"`
		T string `json:"t"`
		U string `json:"u"`
	}
	all := struct {
		Docs []inline `json:"docs"`
	}{Docs: []inline{}}
	for _, d := range docs {
		all.Docs = append(all.Docs, inline{C: d.C, H: d.H, K: d.K, T: d.T, U: d.U})
	}
	data, _ := json.Marshal(all)
	return append(append([]byte(manifestStart), data...), ";\n"...)
}
