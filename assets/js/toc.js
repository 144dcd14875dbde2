(function () {
"use strict";
var chapters = [];
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
