package site

import (
	"bytes"
	"html/template"
	"sync"

	"github.com/klauspost/compress/s2"
)

// A one-shot published build keeps every chapter's body from the chapter
// loop until renderPages (a published page names the search index by its
// hash, known only once every chapter is rendered): the bodies were most
// of a 10,000-chapter build's heap. They wait compressed with S2
// (klauspost/compress, already the gzip encoder's module), which packs
// HTML several times smaller at a small fraction of the cost of rendering
// it.

// pack replaces the chapter's body by its compressed copy. s2.Encode
// needs room for the worst case, more than the body, so it encodes into a
// reused buffer and the copy kept is cut to size.
func (st *chapterState) pack() {
	buf := packBuffers.Get().(*[]byte)
	defer packBuffers.Put(buf)
	if n := s2.MaxEncodedLen(len(st.body)); cap(*buf) < n {
		*buf = make([]byte, n)
	}
	st.packed = bytes.Clone(s2.Encode(*buf, []byte(st.body)))
	st.body = ""
}

var packBuffers = sync.Pool{New: func() any { return new([]byte) }}

// content is the chapter's body, unpacked if it was packed.
func (st *chapterState) content() template.HTML {
	if st.packed == nil {
		return st.body
	}
	body, err := s2.Decode(nil, st.packed)
	if err != nil {
		panic("site: a packed chapter body does not decode: " + err.Error()) // our own bytes
	}
	return template.HTML(body)
}
