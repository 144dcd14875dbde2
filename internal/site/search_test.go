package site

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"guidebook/internal/search"
	"guidebook/internal/testing/benchbook"
)

// readSearchIndex decodes the manifest and every part of a build's index,
// through the search package's readers (the single-file export's way).
func readSearchIndex(t *testing.T, out *Output) (parts []string, docs [][]search.Doc) {
	t.Helper()
	m, err := search.ReadManifest(out.Files[search.ManifestAsset])
	if err != nil {
		t.Fatalf("manifest: %v", err)
	}
	for i, p := range m.Parts {
		if want := "assets/" + search.PartAsset(i); p.Src != want {
			t.Errorf("part %d is %s, want %s", i, p.Src, want)
		}
		d, err := search.ReadPart(out.Files[p.Src])
		if err != nil {
			t.Fatalf("part %d (%s): %v: %.200q", i, p.Src, err, out.Files[p.Src])
		}
		parts = append(parts, p.Src)
		docs = append(docs, d)
	}
	return parts, docs
}

// TestSearchIndexParts checks the index of a 120-chapter book: three parts
// of chapters in reading order, one of glossary terms and one of the
// references page and its works; an edit rebuilds
// only its chapter's part; a shorter book drops the parts it no longer
// needs.
func TestSearchIndexParts(t *testing.T) {
	dir := t.TempDir()
	if err := benchbook.Generate(dir, 120, benchbook.Options{NoWidgets: true}); err != nil {
		t.Fatal(err)
	}
	b := NewBuilder(Options{SiteDir: dir, Mode: Serve})
	out, err := b.buildMem()
	if err != nil {
		t.Fatal(err)
	}
	parts, docs := readSearchIndex(t, out)
	if len(parts) != 5 {
		t.Fatalf("%d parts, want 5 (3 x 50 chapters, the terms, the references): %v", len(parts), parts)
	}
	for i, want := range []string{"chapter-0001/", "chapter-0051/", "chapter-0101/"} {
		if len(docs[i]) == 0 || docs[i][0].U != want {
			t.Errorf("part %d starts with %+v, want %s", i, docs[i][:min(1, len(docs[i]))], want)
		}
	}
	last := docs[2][len(docs[2])-1].U
	if !strings.HasPrefix(last, "chapter-0120/") {
		t.Errorf("part 2 ends at %s, want chapter-0120", last)
	}
	if len(docs[3]) != 200 || docs[3][0].K != "term" {
		t.Errorf("terms part: %d entries, first %+v", len(docs[3]), docs[3][0])
	}
	if len(docs[4]) < 2 || docs[4][0] != (search.Doc{U: "references/", C: "References", H: "References", K: "page"}) || docs[4][1].K != "reference" || !strings.HasPrefix(docs[4][1].U, "references/#gb-ref-") {
		t.Errorf("references part: %d entries, starting %+v", len(docs[4]), docs[4][:min(2, len(docs[4]))])
	}

	// An edit in chapter 60 rebuilds part 1 only.
	file := benchbook.ChapterPath(dir, 60)
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, append(src, "\nA zanzibarian paragraph.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	out2, err := b.buildMem()
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range parts {
		same := &out.Files[p][0] == &out2.Files[p][0]
		if same != (i != 1) {
			t.Errorf("part %d re-made: %v, want %v", i, !same, i == 1)
		}
	}
	_, docs2 := readSearchIndex(t, out2)
	if !strings.Contains(fmt.Sprint(docs2[1]), "zanzibarian") {
		t.Error("the edit is not in part 1")
	}

	// 40 chapters (rewritten to link among themselves): one part of
	// chapters, the terms and the references.
	if err := benchbook.Generate(dir, 40, benchbook.Options{NoWidgets: true}); err != nil {
		t.Fatal(err)
	}
	for i := 41; i <= 120; i++ {
		if err := os.Remove(benchbook.ChapterPath(dir, i)); err != nil {
			t.Fatal(err)
		}
	}
	out3, err := b.buildMem()
	if err != nil {
		t.Fatal(err)
	}
	parts3, _ := readSearchIndex(t, out3)
	if len(parts3) != 3 {
		t.Fatalf("%d parts after shrinking, want 3", len(parts3))
	}
	for p := range out3.Files {
		if strings.HasPrefix(p, "assets/search/") && p != parts3[0] && p != parts3[1] && p != parts3[2] {
			t.Errorf("stale part %s still in the output", p)
		}
	}
}
