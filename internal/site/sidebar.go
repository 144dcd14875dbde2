package site

import (
	"guidebook/internal/content"
	"guidebook/internal/paths"
	"guidebook/internal/theme"
)

// sidebarScriptMin is the chapter count above which the sidebar's chapter
// list stops being written into every page. Listing every chapter on every
// page makes the output quadratic (bench/README.md, "The sidebar of a
// large book", has the profile). Above the threshold, as mdBook does with toc.js, the list ships
// once as a shared script (tocScript) that fills the sidebar in; each page
// still carries its own chapter (with its table of contents), its
// neighbours and a link to the home page's full list, so the sidebar works
// without JavaScript. Small books keep the fully server-side sidebar.
const sidebarScriptMin = 200

// tocAsset is the shared sidebar script's asset name in the output;
// tocSource is the theme's asset it is made from (assets/js/toc.js,
// overridable like every asset), which the build takes out of the theme
// because it is not served as it is.
const (
	tocAsset  = "toc.js"
	tocSource = "js/toc.js"
)

// tocScript is the theme's toc.js with every chapter's root-relative URL
// and title filled in (theme.TOCScript).
func tocScript(code []byte, book *content.Book, lk paths.Linker) []byte {
	list := make([][2]string, len(book.Chapters))
	for i, ch := range book.Chapters {
		list[i] = [2]string{lk.Rel("", ch.ID+"/"), ch.Title}
	}
	return theme.TOCScript(code, list)
}
