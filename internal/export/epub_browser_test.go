package export

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"guidebook/internal/testing/browsertest"
)

// TestEPUBChapterInChromium opens a chapter of the guide's EPUB, unzipped,
// as the XHTML it is, and follows what a reader without pop-ups follows:
// a glossary term's and a citation's noteref to its footnote, which
// renders with the definition or the work, the footnote's back-link to
// the text, and every link of the chapter to a document and anchor that
// exist.
func TestEPUBChapterInChromium(t *testing.T) {
	_, files := unzipped(t, guideEPUB(t))
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := offlineTab(t)
	chapter := "file://" + dir + "/EPUB/intermediate/index.xhtml"
	browsertest.Run(t, ctx, chromedp.Navigate(chapter))
	if got := eval[string](t, ctx, `document.contentType + " " + document.getElementsByTagName("parsererror").length`); got != "application/xhtml+xml 0" {
		t.Fatalf("the chapter is not read as well-formed XHTML: %s", got)
	}
	if n := eval[int](t, ctx, `document.styleSheets.length`); n != 2 {
		t.Errorf("chapter has %d stylesheets, want epub.css and chroma.css", n)
	}

	for _, c := range []struct{ what, sel, want string }{
		// A definition, with a link to the glossary entry.
		{"glossary term", "a.gb-term[role=doc-noteref]", `/^\S.*: .{10,} In the glossary$/.test(n.textContent)`},
		// The work, as the chapter's bibliography lists it.
		{"citation", "a.gb-cite[role=doc-noteref]", `n.textContent.includes(document.getElementById(n.id.replace("gb-cnote-", "gb-ref-")).textContent)`},
	} {
		t.Run(c.what, func(t *testing.T) { followNote(t, ctx, chapter, c.sel, c.want) })
	}

	// Every link of the chapter reaches an existing document and anchor.
	links := eval[[]string](t, ctx, `[...new Set([...document.querySelectorAll("a[href]")].map(a => a.href).filter(h => h.startsWith("file:")))]`)
	byDoc := map[string][]string{}
	for _, l := range links {
		doc, frag, _ := strings.Cut(l, "#")
		byDoc[doc] = append(byDoc[doc], frag)
	}
	if len(byDoc) < 3 {
		t.Errorf("the chapter links %d documents; the guide's links to the glossary and other chapters", len(byDoc))
	}
	for doc, frags := range byDoc {
		browsertest.Run(t, ctx, chromedp.Navigate(doc))
		missing := eval[[]string](t, ctx, fmt.Sprintf(`(%s).filter(f => f && !document.getElementById(decodeURIComponent(f)))`, jsList(frags)))
		if eval[string](t, ctx, `document.contentType`) != "application/xhtml+xml" || len(missing) > 0 {
			t.Errorf("%s: not an XHTML document, or no anchors %v", doc, missing)
		}
	}
}

// followNote clicks the first noteref matching sel on the chapter page:
// the footnote it leads to must render and read like one (want, a
// JavaScript test of the note n), and its back-link must return to the
// noteref.
func followNote(t *testing.T, ctx context.Context, chapter, sel, want string) {
	browsertest.Run(t, ctx, chromedp.Navigate(chapter))
	ref := eval[[]string](t, ctx, fmt.Sprintf(`(() => { const a = document.querySelector(%q); return a ? [a.id, a.getAttribute("href")] : ["", ""]; })()`, sel))
	if ref[1] == "" {
		t.Fatalf("no %s on the page", sel)
	}
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(sel)))
	waitFor(t, ctx, "the footnote", fmt.Sprintf(`location.hash === %q`, ref[1]))
	note := eval[[]string](t, ctx, `(() => {
		const n = document.getElementById(location.hash.slice(1));
		const r = n.getBoundingClientRect();
		return [n.localName, n.getAttributeNS("http://www.idpf.org/2007/ops", "type"), getComputedStyle(n).display, String(r.height > 0), String(`+want+`), n.textContent];
	})()`)
	if note[0] != "aside" || note[1] != "footnote" || note[2] == "none" || note[3] != "true" || note[4] != "true" {
		t.Errorf("%s leads to %v", ref[1], note)
	}
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(ref[1]+` a[role=doc-backlink]`)))
	waitFor(t, ctx, "the back-link", fmt.Sprintf(`location.hash === %q`, "#"+ref[0]))
}

func jsList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ",") + "]"
}
