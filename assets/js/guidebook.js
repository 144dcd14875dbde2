/* guidebook.js: contents drawer, touch and Escape behaviour for glossary and
   citation tooltips, watch-mode error overlay. A classic script (modules do not
   run from file://); each feature checks that its markup exists. */
(function () {
  "use strict";
  var d = document, root = d.documentElement;
  var TRIGGER = ".gb-term, .gb-cite", WRAP = ".gb-term-wrap, .gb-cite-wrap";
  function closest(t, sel) { return t && t.closest ? t.closest(sel) : null; }
  function each(sel, fn) { Array.prototype.forEach.call(d.querySelectorAll(sel), fn); }

  // Contents drawer (narrow screens only; CSS ignores gb-nav-open on wide ones).
  var toggle = d.querySelector(".gb-menu-toggle"), side = d.getElementById("gb-sidebar");
  function navOpen() { return root.classList.contains("gb-nav-open"); }
  function setNav(open, refocus) {
    if (!toggle || !side) return;
    root.classList.toggle("gb-nav-open", open);
    toggle.setAttribute("aria-expanded", String(open));
    if (open) {
      var a = side.querySelector('[aria-current="page"]') || side.querySelector("a");
      if (a) a.focus();
    } else if (refocus) toggle.focus();
  }
  if (toggle && side) {
    toggle.addEventListener("click", function () { setNav(!navOpen(), false); });
    // Tabbing out of the drawer closes it: the page behind the backdrop has focus then.
    d.addEventListener("focusin", function (e) {
      if (navOpen() && !side.contains(e.target) && e.target !== toggle) setNav(false, false);
    });
    if (window.matchMedia) {
      var wide = window.matchMedia("(min-width: 60em)");
      var onWide = function () { if (wide.matches && navOpen()) setNav(false, false); };
      if (wide.addEventListener) wide.addEventListener("change", onWide);
    }
  }

  // Tooltips: CSS shows them on hover and keyboard focus; JS adds tap-to-open
  // for touch and Escape-to-dismiss (WCAG 1.4.13).
  var lastPointer = "";
  d.addEventListener("pointerdown", function (e) { lastPointer = e.pointerType || ""; }, true);

  function closeTips(except) {
    each(".gb-tip-open", function (w) { if (w !== except) w.classList.remove("gb-tip-open"); });
  }

  // Keep a shown tip in the viewport: shift it left off the right edge, and
  // put it above the term when there is no room below.
  function place(w) {
    var tip = w.querySelector(".gb-tip");
    if (!tip || !window.requestAnimationFrame) return;
    window.requestAnimationFrame(function () {
      tip.style.left = "";
      w.classList.remove("gb-tip-above");
      var r = tip.getBoundingClientRect();
      if (!r.width) return;
      var vw = root.clientWidth, shift = 0;
      if (r.right > vw - 8) shift = vw - 8 - r.right;
      if (r.left + shift < 8) shift = 8 - r.left;
      if (shift) tip.style.left = shift + "px";
      var wr = w.getBoundingClientRect();
      if (r.bottom > window.innerHeight - 8 && wr.top - r.height - 14 > 0) w.classList.add("gb-tip-above");
    });
  }

  function undismiss(w) {
    if (w && !w.contains(d.activeElement) && !w.matches(":hover")) w.classList.remove("gb-tip-dismissed");
  }

  d.addEventListener("pointerover", function (e) {
    var w = closest(e.target, WRAP);
    if (w && !w.contains(e.relatedTarget)) place(w);
  });
  d.addEventListener("pointerout", function (e) {
    var w = closest(e.target, WRAP);
    if (w && !w.contains(e.relatedTarget)) undismiss(w);
  });
  d.addEventListener("focusin", function (e) {
    var w = closest(e.target, WRAP);
    if (w) place(w);
  });
  d.addEventListener("focusout", function (e) {
    var w = closest(e.target, WRAP);
    if (w && !w.contains(e.relatedTarget)) {
      // Mid-blur, activeElement is still the term.
      setTimeout(function () { undismiss(w); }, 0);
    }
  });

  d.addEventListener("click", function (e) {
    var t = e.target, trig = closest(t, TRIGGER), w = trig && closest(trig, WRAP);
    var type = e.pointerType || lastPointer;
    if (w && type === "touch" && !w.classList.contains("gb-tip-open")) {
      // First tap shows the definition; a second tap follows the link.
      e.preventDefault();
      closeTips(w);
      w.classList.remove("gb-tip-dismissed");
      w.classList.add("gb-tip-open");
      place(w);
      return;
    }
    if (!closest(t, WRAP)) closeTips(null);

    if (side && navOpen()) {
      if (closest(t, "#gb-sidebar a") || (!side.contains(t) && !(toggle && toggle.contains(t)))) setNav(false, false);
    }
    if (closest(t, "#gb-error-overlay button")) closeOverlay();
  });

  function closeOverlay() {
    var ov = d.getElementById("gb-error-overlay");
    return ov && !ov.hidden ? (ov.hidden = true) : false;
  }

  d.addEventListener("keydown", function (e) {
    if ((e.key !== "Escape" && e.key !== "Esc") || e.defaultPrevented) return;
    var hit = false, wraps = [];
    each(".gb-tip-open, .gb-term-wrap:hover, .gb-cite-wrap:hover", function (w) { wraps.push(w); });
    var fw = closest(d.activeElement, WRAP);
    if (fw) wraps.push(fw);
    wraps.forEach(function (w) {
      var tip = w.querySelector(".gb-tip");
      if (tip && tip.getClientRects().length) hit = true;
      w.classList.remove("gb-tip-open");
      w.classList.add("gb-tip-dismissed");
    });
    if (hit) { e.preventDefault(); return; }
    if (closeOverlay()) { e.preventDefault(); return; }
    if (navOpen()) { e.preventDefault(); setNav(false, true); }
  });

  // An alertdialog must take focus, so the close button is reachable at once.
  // After load: Chrome clears focus when it scrolls to the URL's #fragment.
  function focusOverlay() {
    var b = d.querySelector("#gb-error-overlay:not([hidden]) button");
    if (b) b.focus();
  }
  if (d.readyState === "complete") focusOverlay(); else window.addEventListener("load", focusOverlay);

  // A table that scrolls sideways must be reachable from the keyboard (WCAG 2.1.1).
  each(".gb-content > table, .gb-table-wrap", function (t) {
    if (t.scrollWidth > t.clientWidth + 1 && !t.hasAttribute("tabindex")) t.tabIndex = 0;
  });
})();
