package widgets

import (
	"testing"

	"guidebook/internal/testing/goldentest"
)

// TestGolden renders each case of testdata/*.txt with widgets and citations
// enabled and compares the HTML and the located problems. Run with -update
// after an intended change and review the diff.
func TestGolden(t *testing.T) {
	md := newMarkdown(NewRegistry(testTemplates(t)), testBibliography(t))
	goldentest.Run(t, "testdata/*.txt", func(t *testing.T, c *goldentest.Case) (string, string) {
		html, errs, _ := convert(t, md, c.Markdown)
		return html, errs
	})
}
