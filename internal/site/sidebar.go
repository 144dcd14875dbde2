package site

import (
	"encoding/json"

	"guidebook/internal/content"
	"guidebook/internal/paths"
)

// sidebarScriptMin is the chapter count above which the sidebar's chapter
// list stops being written into every page. Listing every chapter on every
// page makes the output quadratic: profiling a 1,000-chapter book showed
// 60% of the build in executing those lists (a million links) and pages of
// ~100 KB. Above the threshold, as mdBook does with toc.js, the list ships
// once as a shared script (tocScript) that fills the sidebar in; each page
// still carries its own chapter (with its table of contents), its
// neighbours and a link to the home page's full list, so the sidebar works
// without JavaScript. Small books keep the fully server-side sidebar.
const sidebarScriptMin = 200

// tocAsset is the shared sidebar script's asset name.
const tocAsset = "toc.js"

// tocScript is a classic script (it must work from file://) holding every
// chapter's root-relative URL and title. At load it rebuilds the sidebar's
// chapter list, reusing the items the page rendered itself (so the current
// chapter keeps its table of contents and aria-current) and prefixing the
// others with the page's data-gb-root. JSON encoding escapes <, > and &, so
// a title cannot end the script.
func tocScript(book *content.Book, lk paths.Linker) []byte {
	list := make([][2]string, len(book.Chapters))
	for i, ch := range book.Chapters {
		list[i] = [2]string{lk.Rel("", ch.ID+"/"), ch.Title}
	}
	data, _ := json.Marshal(list)
	out := []byte("(function () {\n\"use strict\";\nvar chapters = ")
	out = append(out, data...)
	out = append(out, tocScriptCode...)
	return out
}

const tocScriptCode = `;
function fill() {
  var d = document, list = d.querySelector("#gb-sidebar .gb-book-toc");
  if (!list) return;
  var root = d.documentElement.getAttribute("data-gb-root") || "";
  var own = {}, items = list.children, i;
  for (i = 0; i < items.length; i++) {
    var a = items[i].querySelector("a");
    if (a) own[a.getAttribute("href")] = items[i];
  }
  var frag = d.createDocumentFragment();
  for (i = 0; i < chapters.length; i++) {
    var href = root + chapters[i][0], li = own[href];
    if (!li) {
      li = d.createElement("li");
      var link = d.createElement("a");
      link.setAttribute("href", href);
      link.textContent = chapters[i][1];
      li.appendChild(link);
    }
    frag.appendChild(li);
  }
  list.textContent = "";
  list.appendChild(frag);
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fill);
else fill();
// guidebook serve replaces the page's layout in place after an edit.
document.addEventListener("guidebook:swap", fill);
})();
`
