package markup

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/util"
)

// TestEmailLocalCoversGoldmark: every byte goldmark accepts in an e-mail
// address's local part is in emailLocal, and '@' is not, so mayLinkify
// declines only words goldmark's parser would decline too.
func TestEmailLocalCoversGoldmark(t *testing.T) {
	for c := range 256 {
		if util.FindEmailIndex([]byte{byte(c), '@', 'a', '.', 'b', 'c'}) >= 0 && !emailLocal[c] {
			t.Errorf("goldmark takes %q in a local part; emailLocal does not", byte(c))
		}
	}
	if emailLocal['@'] {
		t.Error("emailLocal holds '@'")
	}
}

// TestQuickLinkifyMatchesLinkify renders text made of URL, address and
// emphasis pieces with extension.Linkify and with linkify: the pages are
// the same.
func TestQuickLinkifyMatchesLinkify(t *testing.T) {
	plain := goldmark.New(goldmark.WithExtensions(extension.Linkify))
	quick := goldmark.New(goldmark.WithExtensions(linkify{}))
	pieces := []string{"http://", "https://", "ftp:", "www.", "a", "b", "x.com", "@", ".", " ", "*", "_", "~", "(", ")",
		"\n", "-", ":", "h", "w", "f", "é", "[", "]", "<", ">", "&", "!", "+", "\t", "`", "\\", "/"}
	cases := []string{"mail me@example.com or www.example.com.", "(https://example.com/a_(b)) *a@b.co* _www.x.org_",
		"~~http://x.y~~ f@x.org h@ www", "@a.b a@ a@b a@b.c- a@b.c."}
	r := rand.New(rand.NewPCG(7, 8))
	for range 3000 {
		var b strings.Builder
		for range r.IntN(40) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		cases = append(cases, b.String())
	}
	for _, src := range cases {
		var want, got bytes.Buffer
		if err := plain.Convert([]byte(src), &want); err != nil {
			t.Fatal(err)
		}
		if err := quick.Convert([]byte(src), &got); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("%q:\n got %s\nwant %s", src, got.String(), want.String())
		}
	}
}
