/* guidebook serve: the live-reload client. Watch mode adds it to every
   page's <head>; published and exported sites never load it. It listens
   to the server's Server-Sent Events (/__guidebook/events):
     reload {pages, all}  if this page is listed, fetch it and replace its
                          layout in place (see refresh); with all, reload
                          it, keeping the scroll position;
     css {assets}         swap the named stylesheets in place, no reload;
     error [problems]     show #gb-error-overlay (file:line: message);
                          pages stay as the last good build made them;
     warnings [findings]  author lint of the last good build: show them in
                          #gb-lint, a corner panel that blocks nothing
                          (none: remove it).
   On every (re)connect it asks /__guidebook/status, so a page loaded while
   the last build is broken shows the overlay, and a page that missed
   events (server restarted, laptop slept, a save while it was loading)
   reloads.
   A classic script with no dependencies, like the rest of the theme. */
(function () {
  "use strict";
  if (!window.EventSource || !window.fetch || !window.JSON) {
    return;
  }
  var base = "/__guidebook/";
  var here = location.pathname.replace(/index\.html$/, "");
  var scrollKey = "gb-scroll:" + here;
  // {instance, build} this page shows: stamped on the script by the
  // server, else the first status this page saw.
  var seen = null;
  var me = document.currentScript;
  if (me && me.getAttribute("data-build") !== null) {
    seen = {instance: me.getAttribute("data-instance"), build: Number(me.getAttribute("data-build"))};
  }

  function parse(s) {
    try {
      return JSON.parse(s);
    } catch (e) {
      return null;
    }
  }

  function ready(f) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", f);
    } else {
      f();
    }
  }

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, window.scrollX + "," + window.scrollY);
    } catch (e) { /* storage disabled: reload without keeping the place */ }
    location.reload();
  }

  // headKey lists what a page loads: when the new page loads the same
  // stylesheets and scripts, its layout can replace the old one in place.
  function headKey(doc) {
    var out = [], els = doc.querySelectorAll("link[rel~=stylesheet], script[src]");
    for (var i = 0; i < els.length; i++) {
      var u = els[i].getAttribute("href") || els[i].getAttribute("src");
      // The lint panel's stylesheet is this script's, not the page's.
      if (u !== base + "livereload.css") {
        out.push(u);
      }
    }
    return out.join("\n");
  }

  // refresh shows the new build of this page without a navigation: it
  // fetches the page and swaps in its .gb-layout and footer. A reload
  // would re-fetch and re-run every script and stylesheet (the search
  // index alone is megabytes in a large book) and repaint from the top,
  // which costs an author hundreds of milliseconds per save; the swap
  // keeps the scroll position, the search box and open details as they
  // are. Anything unusual falls back to a reload. The page's scripts
  // listen for "guidebook:swap" to enhance the new content.
  function refresh() {
    fetch(location.href, {cache: "no-store"}).then(function (r) {
      if (!r.ok) {
        throw new Error(r.status);
      }
      return r.text();
    }).then(function (text) {
      var doc = new DOMParser().parseFromString(text, "text/html");
      var parts = [".gb-layout", ".gb-footer"];
      if (headKey(doc) !== headKey(document) || doc.body.className !== document.body.className) {
        reload();
        return;
      }
      for (var i = 0; i < parts.length; i++) {
        if (!doc.querySelector(parts[i]) || !document.querySelector(parts[i])) {
          reload();
          return;
        }
      }
      removeOverlay();
      document.title = doc.title;
      for (i = 0; i < parts.length; i++) {
        document.querySelector(parts[i]).replaceWith(document.adoptNode(doc.querySelector(parts[i])));
      }
      document.dispatchEvent(new CustomEvent("guidebook:swap"));
    }).catch(reload);
  }

  function restoreScroll() {
    var v = null;
    try {
      v = sessionStorage.getItem(scrollKey);
      sessionStorage.removeItem(scrollKey);
    } catch (e) { /* storage disabled */ }
    if (v === null) {
      return;
    }
    var p = v.split(",");
    // "instant": the theme's smooth scrolling would animate from the top.
    window.scrollTo({left: Number(p[0]) || 0, top: Number(p[1]) || 0, behavior: "instant"});
  }

  function removeOverlay() {
    var old = document.getElementById("gb-error-overlay");
    if (old) {
      old.parentNode.removeChild(old);
    }
  }

  function showErrors(list) {
    ready(function () {
      removeOverlay();
      if (!list || !list.length) {
        return;
      }
      var d = document.createElement("div");
      d.id = "gb-error-overlay";
      d.setAttribute("role", "alertdialog");
      d.setAttribute("aria-label", "Build error");
      d.setAttribute("aria-describedby", "gb-error-overlay-list");
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Dismiss";
      close.addEventListener("click", removeOverlay);
      d.appendChild(close);
      var h = document.createElement("h2");
      h.textContent = "Build failed: " + list.length + (list.length === 1 ? " problem" : " problems");
      d.appendChild(h);
      var p = document.createElement("p");
      p.textContent = "This page shows the last good build. Fix the file and save: the page updates by itself.";
      d.appendChild(p);
      var ul = document.createElement("ul");
      ul.id = "gb-error-overlay-list";
      for (var i = 0; i < list.length; i++) {
        var e = list[i];
        var at = where(e);
        var li = document.createElement("li");
        if (at) {
          var code = document.createElement("code");
          code.textContent = at;
          li.appendChild(code);
          li.appendChild(document.createTextNode(": "));
        }
        li.appendChild(document.createTextNode(e.message || ""));
        ul.appendChild(li);
      }
      d.appendChild(ul);
      document.body.appendChild(d);
      close.focus({preventScroll: true});
    });
  }

  // where formats a problem's position as file:line:col.
  function where(e) {
    var w = e.file || "";
    if (e.line) {
      w += ":" + e.line + (e.col ? ":" + e.col : "");
    }
    return w;
  }

  // The lint panel's findings as one string: a panel the author
  // dismissed stays away until they change.
  var lintKey = "gb-lint-dismissed";

  function removeLint() {
    var old = document.getElementById("gb-lint");
    if (old) {
      old.parentNode.removeChild(old);
    }
  }

  function lintStyles() {
    if (!document.querySelector('link[href="' + base + 'livereload.css"]')) {
      var l = document.createElement("link");
      l.rel = "stylesheet";
      l.href = base + "livereload.css";
      document.head.appendChild(l);
    }
  }

  // showWarnings lists author lint's findings in #gb-lint. Unlike the
  // error overlay it is no dialog and takes no focus: the page it sits
  // on is up to date.
  function showWarnings(list) {
    ready(function () {
      removeLint();
      var key = JSON.stringify(list || []);
      var dismissed = null;
      try {
        dismissed = sessionStorage.getItem(lintKey);
      } catch (e) { /* storage disabled: show it every time */ }
      if (!list || !list.length || dismissed === key) {
        return;
      }
      lintStyles();
      var warnings = 0;
      for (var i = 0; i < list.length; i++) {
        if (list[i].severity !== "info") {
          warnings++;
        }
      }
      var notes = list.length - warnings;
      var d = document.createElement("aside");
      d.id = "gb-lint";
      d.setAttribute("aria-label", "Author lint");
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Dismiss";
      close.addEventListener("click", function () {
        try {
          sessionStorage.setItem(lintKey, key);
        } catch (e) { /* storage disabled */ }
        removeLint();
      });
      d.appendChild(close);
      var h = document.createElement("h2");
      var parts = [];
      if (warnings) {
        parts.push(warnings + (warnings === 1 ? " warning" : " warnings"));
      }
      if (notes) {
        parts.push(notes + (notes === 1 ? " note" : " notes"));
      }
      h.textContent = "Author lint: " + parts.join(", ");
      d.appendChild(h);
      var p = document.createElement("p");
      p.textContent = "The page is up to date. guidebook build --strict would fail on warnings.";
      d.appendChild(p);
      var ul = document.createElement("ul");
      for (i = 0; i < list.length; i++) {
        var e = list[i];
        var li = document.createElement("li");
        var code = document.createElement("code");
        code.textContent = where(e);
        li.appendChild(code);
        li.appendChild(document.createTextNode(": " + (e.severity || "warning") + ": " + (e.message || "") + (e.rule ? " [" + e.rule + "]" : "")));
        ul.appendChild(li);
      }
      d.appendChild(ul);
      document.body.appendChild(d);
    });
  }

  // swapCSS replaces each named stylesheet with a cache-busted copy and
  // removes the old one only once the new one has loaded, so the page
  // never shows unstyled.
  function swapCSS(names) {
    var links = document.querySelectorAll("link[rel~=stylesheet]");
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      var u = new URL(link.href, location.href);
      for (var j = 0; j < names.length; j++) {
        if (u.pathname === "/assets/" + names[j]) {
          var fresh = link.cloneNode(false);
          fresh.href = u.pathname + "?v=" + Date.now();
          fresh.addEventListener("load", (function (old) {
            return function () {
              if (old.parentNode) {
                old.parentNode.removeChild(old);
              }
            };
          })(link));
          link.parentNode.insertBefore(fresh, link.nextSibling);
        }
      }
    }
  }

  function checkStatus() {
    fetch(base + "status", {cache: "no-store"}).then(function (r) {
      return r.json();
    }).then(function (s) {
      if (seen && (s.instance !== seen.instance || s.build !== seen.build)) {
        reload();
        return;
      }
      seen = {instance: s.instance, build: s.build};
      // Says "connected and up to date" to anyone watching (the tests).
      document.documentElement.setAttribute("data-gb-live", String(s.build));
      showErrors(s.errors);
      showWarnings(s.warnings);
    }).catch(function () { /* server gone: EventSource retries */ });
  }

  window.addEventListener("load", restoreScroll);

  var es = new EventSource(base + "events");
  es.addEventListener("open", checkStatus);
  es.addEventListener("reload", function (ev) {
    var d = parse(ev.data) || {all: true};
    if (d.build !== undefined && seen) {
      seen.build = d.build;
    }
    // A change to everything (a template, the glossary) may reach beyond
    // the layout, into the header or the head: reload. One page's change
    // is swapped in place.
    if (d.all) {
      reload();
    } else if ((d.pages || []).indexOf(here) >= 0) {
      refresh();
    } else {
      removeOverlay();
    }
  });
  es.addEventListener("css", function (ev) {
    var d = parse(ev.data) || {};
    if (d.build !== undefined && seen) {
      seen.build = d.build;
    }
    removeOverlay();
    swapCSS(d.assets || []);
  });
  // A build's "error" event carries data; the EventSource's own error
  // event (connection lost) does not, and the browser retries by itself.
  es.addEventListener("error", function (ev) {
    if (typeof ev.data !== "string") {
      return;
    }
    var d = parse(ev.data);
    showErrors(Array.isArray(d) ? d : []);
  });
  es.addEventListener("warnings", function (ev) {
    var d = parse(ev.data);
    showWarnings(Array.isArray(d) ? d : []);
  });
  window.addEventListener("pagehide", function () {
    es.close();
  });
})();
