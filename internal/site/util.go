package site

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"

	"guidebook/internal/workers"
)

// parallel is workers.For by the name the stage functions (resolve,
// renderPages) call it.
func parallel(n, count int, f func(i int)) { workers.For(n, count, f) }

func hashBytes(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// hasher is hashStrings fed piece by piece, for keys made of tens of
// thousands of strings (a large glossary's back-links) that need not be
// collected first.
type hasher struct {
	h   hash.Hash
	buf []byte
}

func newHasher(ss ...string) *hasher {
	h := &hasher{h: sha256.New()}
	h.add(ss...)
	return h
}

func (h *hasher) add(ss ...string) {
	for _, s := range ss {
		h.buf = append(append(h.buf[:0], s...), 0)
		h.h.Write(h.buf)
	}
}

func (h *hasher) sum() string { return hex.EncodeToString(h.h.Sum(nil)) }

func hashStrings(ss ...string) string { return newHasher(ss...).sum() }

func dedup(ss []string) []string {
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}
