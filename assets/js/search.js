/* search.js: full-text search over window.guidebookSearch, which search-index.js
   defines as a classic script so search works from file://. The index is either
   inline ({docs}: the single-file export) or a list of parts ({parts: [{src,
   integrity}]}) that are loaded, as classic scripts, the first time the reader
   focuses or uses the search box; each part fills window.guidebookSearchParts[i].
   Index text reaches the page only through textContent, never as HTML. */
(function () {
  "use strict";
  var d = document, input = d.getElementById("gb-search-input"), panel = d.getElementById("gb-search-results");
  if (!input || !panel) return;
  var form = input.form || panel.parentNode, root = d.documentElement.getAttribute("data-gb-root") || "";
  var MARKS = /[\u0300-\u036f]/g, WORD, prep = null, timer = 0, last = "";
  try { WORD = new RegExp("[\\p{L}\\p{N}]+", "gu"); } catch (err) { WORD = /[a-z0-9\u00c0-\u024f]+/g; }
  function el(tag, cls) { var e = d.createElement(tag); if (cls) e.className = cls; return e; }

  // The live status is made before any result exists: screen readers ignore
  // regions that appear together with their first message.
  var status = el("p", "gb-search-status"), page = null, help = d.querySelector(".gb-search-help");
  status.setAttribute("role", "status");
  if (help && d.body.classList.contains("gb-kind-search")) {
    // On the search page results fill the article, not a drop-down.
    page = el("div", "gb-search-page-results");
    help.parentNode.insertBefore(page, help.nextSibling);
    help.parentNode.insertBefore(status, page);
  } else {
    status.className += " gb-visually-hidden";
    form.appendChild(status);
  }
  var out = page || panel, limit = page ? 50 : 10;

  function fold(s) { return String(s || "").normalize("NFD").replace(MARKS, "").toLowerCase(); }
  function words(s) { return fold(s).match(WORD) || []; }

  // load fetches the index's parts once, in parallel, and calls then()
  // when they are all in (it reports a part that fails in the status).
  var loading = false, waiting = [];
  function load(then) {
    var ix = window.guidebookSearch;
    if (!ix || ix.docs || !ix.parts) { if (then) then(); return; }
    if (then) waiting.push(then);
    if (loading) return;
    loading = true;
    var left = ix.parts.length, failed = false;
    window.guidebookSearchParts = window.guidebookSearchParts || [];
    ix.parts.forEach(function (p) {
      var s = d.createElement("script");
      s.src = root + p.src;
      if (p.integrity) s.integrity = p.integrity;
      s.onload = s.onerror = function (e) {
        if (e.type === "error") failed = true;
        if (--left) return;
        if (failed) { status.textContent = "The search index could not be loaded."; loading = false; waiting = []; return; }
        var all = [];
        window.guidebookSearchParts.forEach(function (list) { all = all.concat(list || []); });
        ix.docs = all;
        var w = waiting;
        waiting = [];
        w.forEach(function (f) { f(); });
      };
      d.head.appendChild(s);
    });
  }

  function docs() {
    var ix = window.guidebookSearch, src = ix && ix.docs;
    if (!src || !src.length) return null;
    if (!prep || prep.src !== src) prep = { src: src, list: src.map(function (x) {
      x = x || {};
      var h = words(x.h);
      return { d: x, h: h, c: words(x.c), t: words(x.t), hs: h.join(" ") };
    }) };
    return prep.list;
  }

  function count(toks, q, prefix) {
    for (var n = 0, i = 0; i < toks.length; i++) if (prefix ? toks[i].lastIndexOf(q, 0) === 0 : toks[i] === q) n++;
    return n;
  }

  // Every word must occur (the last as a prefix: it may be half typed).
  // Heading hits outrank glossary entries, which outrank body text.
  function search(qs) {
    var list = docs(), res = [];
    if (!list) return null;
    list.forEach(function (e, i) {
      for (var s = 0, j = 0; j < qs.length; j++) {
        var p = j === qs.length - 1, h = count(e.h, qs[j], p), c = count(e.c, qs[j], p), b = count(e.t, qs[j], p);
        if (!h && !c && !b) return;
        s += h * 100 + c * 10 + Math.min(b, 20);
      }
      res.push({ e: e, s: s + (e.hs === qs.join(" ") ? 200 : 0) + (e.d.k === "term" ? 50 : 0), i: i });
    });
    return res.sort(function (a, b) { return b.s - a.s || a.i - b.i; });
  }

  // Appends text to box with query hits in <mark>; with max, only about max
  // characters around the first hit. Folding is done per character so that a
  // hit found in folded text maps back to the text as written.
  function marked(box, text, qs, max) {
    text = String(text || "");
    var f = "", m = [], i, k, c, mt, hits = [], re = new RegExp(WORD.source, WORD.flags);
    for (i = 0; i < text.length; i++) {
      c = fold(text.charAt(i));
      for (k = 0; k < c.length; k++) m.push(i);
      f += c;
    }
    m.push(text.length);
    while ((mt = re.exec(f))) {
      for (k = 0, i = 0; i < qs.length; i++) if (qs[i].length > k && mt[0].lastIndexOf(qs[i], 0) === 0) k = qs[i].length;
      if (k) hits.push([m[mt.index], m[mt.index + k]]);
    }
    var from = 0, to = text.length, pos;
    if (max && to > max) {
      c = hits.length ? hits[0][0] : 0;
      from = Math.max(0, c - 50);
      i = text.indexOf(" ", from);
      if (from && i > -1 && i < c) from = i + 1;
      to = Math.min(to, from + max);
      i = text.lastIndexOf(" ", to);
      if (to < text.length && i > from + max / 2) to = i;
    }
    pos = from;
    if (from) box.appendChild(d.createTextNode("…"));
    hits.forEach(function (h) {
      if (h[0] < pos || h[1] > to) return;
      box.appendChild(d.createTextNode(text.slice(pos, h[0])));
      box.appendChild(el("mark")).textContent = text.slice(h[0], h[1]);
      pos = h[1];
    });
    box.appendChild(d.createTextNode(text.slice(pos, to) + (to < text.length ? "…" : "")));
  }

  function show(on) { if (!page) panel.hidden = !on; }

  function run() {
    clearTimeout(timer);
    var ix = window.guidebookSearch;
    if (ix && ix.parts && !ix.docs) {
      if (input.value.trim()) status.textContent = "Loading the search index\u2026";
      return load(run);
    }
    var q = input.value, qs = words(q).filter(function (w, i, a) { return a.indexOf(w) === i; }), res = qs.length ? search(qs) : [];
    if (!res) return; // no index here: leave the form to submit as without JS
    last = q;
    out.textContent = "";
    if (!qs.length) { show(false); status.textContent = ""; return; }
    var n = res.length, ul = out.appendChild(el(n ? "ul" : "p", n ? "gb-search-list" : "gb-search-empty"));
    if (!n) ul.textContent = "No results for \u201c" + q.trim() + "\u201d.";
    res.slice(0, limit).forEach(function (r) {
      var x = r.e.d, a = ul.appendChild(el("li")).appendChild(el("a", "gb-search-hit")), t = a.appendChild(el("span", "gb-search-title"));
      var h = String(x.h || ""), c = String(x.c || "");
      a.href = root + String(x.u || "");
      if (c && c !== h) t.textContent = c + " \u2014 ";
      marked(t, h || c, qs, 0);
      marked(a.appendChild(el("span", "gb-search-snippet")), x.t, qs, 160);
    });
    status.textContent = !n ? "No results" : n > limit ? "Showing " + limit + " of " + n + " results" : n + (n > 1 ? " results" : " result");
    show(true);
  }

  function links() { return Array.prototype.slice.call(out.querySelectorAll("a.gb-search-hit")); }
  function isEsc(e) { return e.key === "Escape" || e.key === "Esc"; }

  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 80); });
  // dismissed is set while Escape hands the focus back to the box, so that
  // the focus handler does not reopen the panel Escape just closed.
  var dismissed = false;
  input.addEventListener("focus", function () {
    load(null); // most readers who focus the box go on to type: start now
    if (!dismissed && input.value && input.value === last && out.firstChild) show(true);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key !== "ArrowDown" && e.key !== "Enter" && !isEsc(e)) return;
    if (isEsc(e)) {
      if (!page && !panel.hidden) show(false);
      else if (input.value) { input.value = ""; run(); }
      else return;
      return e.preventDefault();
    }
    if (!docs()) return;
    if (input.value !== last) run();
    var l = links();
    if (e.key === "Enter") e.preventDefault();
    if (!l.length || (page && e.key === "Enter")) return;
    e.preventDefault();
    show(true);
    if (e.key === "Enter") l[0].click(); else l[0].focus();
  });
  out.addEventListener("keydown", function (e) {
    var l = links(), i = l.indexOf(d.activeElement);
    if (i < 0) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      i += e.key === "ArrowDown" ? 1 : -1;
      (i < 0 ? input : l[Math.min(i, l.length - 1)]).focus();
    } else if (isEsc(e)) {
      e.preventDefault();
      show(false);
      dismissed = true;
      input.focus();
      dismissed = false;
    }
  });
  out.addEventListener("click", function (e) { if (e.target.closest && e.target.closest("a")) show(false); });
  // Pointer, not focusout: some browsers do not focus a clicked link, and the panel must outlive that click.
  d.addEventListener("pointerdown", function (e) { if (!form.contains(e.target)) show(false); });
  form.addEventListener("focusout", function (e) { if (e.relatedTarget && !form.contains(e.relatedTarget)) show(false); });

  // Without JS the form submits to the search page with ?q=; pick it up there.
  var m = /[?&]q=([^&#]*)/.exec(location.search);
  if (m) {
    try { input.value = decodeURIComponent(m[1].replace(/\+/g, " ")); } catch (err) { input.value = ""; }
    if (input.value) run();
  }
})();
