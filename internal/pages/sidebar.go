package pages

import (
	"guidebook/internal/content"
	"guidebook/internal/paths"
	"guidebook/internal/theme"
)

// LargeBook is the chapter count above which the sidebar's chapter list
// stops being written into every page. Listing every chapter on every
// page makes the output quadratic (bench/README.md, "The sidebar of a
// large book", has the profile). Above it, as mdBook does with toc.js,
// the list ships once as a shared script (TOCScript) that fills the
// sidebar in; each page still carries its own chapter (with its table of
// contents), its neighbours and a link to the home page's full list, so
// the sidebar works without JavaScript. Small books keep the fully
// server-side sidebar.
const LargeBook = 200

// TOCAsset is the shared sidebar script's asset name in the output;
// TOCSource is the theme's asset it is made from (assets/js/toc.js,
// overridable like every asset), which the build takes out of the theme
// because it is not served as it is.
const (
	TOCAsset  = "toc.js"
	TOCSource = "js/toc.js"
)

// TOCScript is the theme's toc.js with every chapter's root-relative URL
// and title filled in (theme.TOCScript).
func TOCScript(code []byte, book *content.Book, lk paths.Linker) []byte {
	list := make([][2]string, len(book.Chapters))
	for i, ch := range book.Chapters {
		list[i] = [2]string{lk.Rel("", ch.ID+"/"), ch.Title}
	}
	return theme.TOCScript(code, list)
}

// Sidebar fills in page p's sidebar: the chapters, the glossary and the
// references, the current one marked. cur is the index of p's chapter in
// chapters, or -1. A large book's page lists its own chapter and its
// neighbours (the home page lists them all in its main column, toc.js
// the rest). Only those: a list of every chapter on every page would
// make the build quadratic again.
func Sidebar(p *theme.Page, chapters []*content.Chapter, cur int) {
	trim := len(chapters) > LargeBook && p.Kind != "home"
	from, to := 0, len(chapters)
	if trim {
		from, to = max(cur-1, 0), min(cur+2, len(chapters))
		if cur < 0 {
			to = 0
		}
	}
	for i := from; i < to; i++ {
		ch := chapters[i]
		p.Chapters = append(p.Chapters, &theme.Link{Title: ch.Title, URL: p.URL(ch.ID + "/"), Summary: ch.Summary, Number: i + 1, Current: p.Dir == ch.ID+"/"})
	}
	p.Extras = []*theme.Link{
		{Title: "Glossary", URL: p.URL("glossary/"), Current: p.Kind == "glossary"},
		{Title: "References", URL: p.URL("references/"), Current: p.Kind == "references"},
	}
	if trim {
		p.Scripts = append(p.Scripts, TOCAsset)
		p.Extras = append(p.Extras, &theme.Link{Title: "All chapters", URL: p.URL("")})
	}
}
