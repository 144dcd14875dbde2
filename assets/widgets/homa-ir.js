/* guidebook HOMA-IR calculator. A classic script (ES modules do not run from
   file://) that enhances every figure.gb-widget-homa-ir on the page: it
   reveals the form the template ships hidden, computes on every input and
   keeps the state in the URL hash (#homa-ir-1:g=90,gu=mgdl,i=10,iu=uUml,
   the figure's data-link before the colon) so a result can be shared. Its
   numbers and validation come from calculator.js's evaluator running the
   compiled HOMA-IR spec (internal/widgets/homa-ir.yaml) in data-calc, the
   same spec homa.go evaluates; both are tested against
   internal/widgets/testdata/homa_vectors.json. The pure function is
   exported as window.guidebookHoma.compute. */
(function () {
  "use strict";

  // Must equal widgets.DefaultHOMABands; the shared vectors check it.
  var DEFAULT_BANDS = [
    { max: 1.0, label: "Suggests good insulin sensitivity" },
    { max: 1.9, label: "In the range commonly read as normal" },
    { max: 2.9, label: "May indicate early insulin resistance" },
    { label: "May indicate significant insulin resistance" }
  ];

  // The numbers come from the shared calculator evaluator
  // (calculator.js, loaded before this script) running the compiled
  // HOMA-IR spec (internal/widgets/homa-ir.yaml) that every figure carries
  // in data-calc: the same formulas, units, ranges and messages Go uses.
  var SPEC = null;
  function spec() {
    if (!SPEC) {
      var fig = document.querySelector("figure.gb-widget-homa-ir[data-calc]");
      SPEC = JSON.parse(fig.getAttribute("data-calc"));
    }
    return SPEC;
  }

  function round2(v) { return Math.round(v * 100) / 100; }

  // unitsOf reads a unit <select>'s conversions from its options' data
  // attributes (widgets.Unit): {value: {perBase, decimals, label}}, so the
  // factors have one source, the Go constants the formulas use.
  function unitsOf(select) {
    var units = {};
    for (var k = 0; k < select.options.length; k++) {
      var o = select.options[k];
      units[o.value] = {
        perBase: parseFloat(o.getAttribute("data-per-base")),
        decimals: parseInt(o.getAttribute("data-decimals"), 10),
        label: o.textContent
      };
    }
    return units;
  }

  // formatIn writes a converted value with its unit's decimals, trailing
  // zeros dropped ("5.55", "100"), as widgets.FormatIn does.
  function formatIn(v, unit) {
    var p = Math.pow(10, unit.decimals);
    return String(Math.round(v * p) / p);
  }

  function convertValue(v, from, to, units) {
    return from === to ? v : v / units[from].perBase * units[to].perBase;
  }

  // convertText is what switching a field's unit does to its text (see
  // widgets.ConvertText): a value valid and plausible in the old unit is
  // converted, {ok, text, exact}; anything else (empty, not a number, or
  // out of range, which may well be a value already typed in the new unit)
  // is left as it is, {ok: false, text}.
  function convertText(field, text, from, to, units) {
    if (!units[from] || !units[to]) return { ok: false, text: text };
    return window.guidebookCalc.convertText(spec(), field, text, from, to);
  }

  function bandFor(homaIR, bands) {
    var v = round2(homaIR);
    bands = bands || DEFAULT_BANDS;
    for (var k = 0; k < bands.length; k++) {
      if (bands[k].max == null || v < bands[k].max) return bands[k].label;
    }
    return "";
  }

  // compute(glucose, glucoseUnit, insulin, insulinUnit[, bands]) takes the
  // values as typed and returns {ok, errors: {glucose|insulin: {code,
  // message}}, homaIR, quicki, homaB (null when undefined), band, text}.
  function compute(g, gu, i, iu, bands) {
    var r = window.guidebookCalc.compute(spec(), { glucose: g, insulin: i }, { glucose: gu, insulin: iu });
    if (!r.ok) return { ok: false, errors: r.errors };
    var ir = r.outputs.homa_ir, q = r.outputs.quicki, b = r.outputs.homa_b;
    return {
      ok: true,
      errors: {},
      homaIR: ir.value,
      quicki: q.value,
      homaB: b.code ? null : b.value,
      band: bandFor(ir.value, bands),
      text: { homaIR: ir.text, quicki: q.text, homaB: b.code ? "" : b.text }
    };
  }

  window.guidebookHoma = {
    compute: compute, bandFor: bandFor, DEFAULT_BANDS: DEFAULT_BANDS,
    unitsOf: unitsOf, formatIn: formatIn, convertValue: convertValue, convertText: convertText
  };

  // shareName is the name a figure's shared links use: its data-link
  // ("homa-ir-1", the id widgets had before they took the reserved "gb-"
  // prefix, so links shared then keep working), or its id when a single-
  // file export renamed it apart from the link name.
  function shareName(fig) {
    var link = fig.getAttribute("data-link");
    return link && fig.id === "gb-" + link ? link : fig.id;
  }

  function readHash(fig) {
    var h = window.location.hash.slice(1);
    var names = [shareName(fig), fig.id];
    var rest = null;
    for (var k = 0; k < names.length && rest === null; k++) {
      if (h.slice(0, names[k].length + 1) === names[k] + ":") rest = h.slice(names[k].length + 1);
    }
    if (rest === null) return null;
    var state = {};
    var pairs = rest.split(",");
    for (var k = 0; k < pairs.length; k++) {
      var eq = pairs[k].indexOf("=");
      if (eq < 1) continue;
      try {
        state[pairs[k].slice(0, eq)] = decodeURIComponent(pairs[k].slice(eq + 1));
      } catch (e) { /* a mangled shared link: ignore that value */ }
    }
    return state;
  }

  function writeHash(name, st) {
    var parts = [];
    var keys = ["g", "gu", "i", "iu"];
    for (var k = 0; k < keys.length; k++) {
      // A decimal comma would collide with the pair separator.
      parts.push(keys[k] + "=" + encodeURIComponent(String(st[keys[k]]).replace(",", ".")));
    }
    var hash = "#" + name + ":" + parts.join(",");
    if (window.location.hash === hash) return;
    try {
      // replaceState: typing must not fill the back button's history.
      window.history.replaceState(window.history.state, "", hash);
    } catch (e) { /* some file:// setups refuse; sharing is a nicety */ }
  }

  function enhance(fig) {
    var id = fig.id;
    var form = fig.querySelector(".gb-homa-form");
    if (!id || !form || fig.getAttribute("data-gb-ready")) return;
    fig.setAttribute("data-gb-ready", "");
    function el(suffix) { return document.getElementById(id + "-" + suffix); }
    // unitValue is the unit the field's value is in (a change event only
    // tells the new one); last is the field's latest conversion, so that
    // switching back converts its exact value instead of a rounded one.
    var fields = {
      glucose: { input: el("g"), unit: el("gu"), msg: el("g-msg"), note: el("g-note"), touched: false, last: null },
      insulin: { input: el("i"), unit: el("iu"), msg: el("i-msg"), note: el("i-note"), touched: false, last: null }
    };
    if (!fields.glucose.input || !fields.insulin.input) return;
    var out = { ir: el("ir"), quicki: el("quicki"), band: el("band"), homab: el("homab") };
    var status = el("status");
    var bands = null;
    try { bands = JSON.parse(fig.getAttribute("data-bands") || "null"); } catch (e) { bands = null; }

    function setText(node, text) { if (node) node.textContent = text; }

    function show(name, err) {
      var f = fields[name];
      if (err && (f.touched || err.code !== "empty")) {
        f.input.setAttribute("aria-invalid", "true");
        f.input.setAttribute("aria-describedby", f.msg.id);
        f.msg.textContent = err.message;
        f.msg.hidden = false;
      } else {
        f.input.removeAttribute("aria-invalid");
        f.input.removeAttribute("aria-describedby");
        f.msg.textContent = "";
        f.msg.hidden = true;
      }
    }

    function setNote(f, text) {
      if (!f.note) return;
      f.note.textContent = text;
      f.note.hidden = !text;
    }

    // convert rewrites a field's value in its new unit, saying so beside
    // it: a reader who typed the value for the new unit sees the change.
    function convert(name, from, to) {
      var f = fields[name];
      var units = unitsOf(f.unit);
      var text = f.input.value;
      var r;
      if (f.last && f.last.unit === from && f.last.text === text && units[to]) {
        var exact = convertValue(f.last.exact, from, to, units);
        r = { ok: true, text: formatIn(exact, units[to]), exact: exact };
      } else {
        r = convertText(name, text, from, to, units);
      }
      if (!r.ok) { f.last = null; setNote(f, ""); return; }
      var typed = text.replace(/^\s+|\s+$/g, "");
      f.input.value = r.text;
      f.last = { unit: to, text: r.text, exact: r.exact };
      setNote(f, "Converted " + typed + " " + units[from].label + " to " + r.text + " " + units[to].label +
        ". If " + typed + " was already in " + units[to].label + ", type it again.");
    }

    function update(save) {
      var r = compute(fields.glucose.input.value, fields.glucose.unit.value,
        fields.insulin.input.value, fields.insulin.unit.value, bands);
      show("glucose", r.errors.glucose);
      show("insulin", r.errors.insulin);
      if (r.ok) {
        setText(out.ir, r.text.homaIR);
        setText(out.quicki, r.text.quicki);
        setText(out.band, r.band);
        setText(out.homab, r.homaB == null ? "undefined: glucose is 3.5 mmol/L (63 mg/dL) or lower" : r.text.homaB + " %");
        setText(status, "Educational estimate only, not a diagnosis.");
      } else {
        setText(out.ir, ""); setText(out.quicki, ""); setText(out.band, ""); setText(out.homab, "");
        var empty = (!r.errors.glucose || r.errors.glucose.code === "empty") &&
          (!r.errors.insulin || r.errors.insulin.code === "empty");
        setText(status, empty ? "Enter both values to see the results." : "Correct the marked value to see the results.");
      }
      if (save) {
        writeHash(shareName(fig), {
          g: fields.glucose.input.value, gu: fields.glucose.unit.value,
          i: fields.insulin.input.value, iu: fields.insulin.unit.value
        });
      }
    }

    function restore() {
      var st = readHash(fig);
      if (!st) return false;
      function setSelect(sel, v) {
        for (var k = 0; k < sel.options.length; k++) {
          if (sel.options[k].value === v) { sel.value = v; return; }
        }
      }
      if (st.g != null) { fields.glucose.input.value = st.g; fields.glucose.touched = true; }
      if (st.i != null) { fields.insulin.input.value = st.i; fields.insulin.touched = true; }
      if (st.gu != null) setSelect(fields.glucose.unit, st.gu);
      if (st.iu != null) setSelect(fields.insulin.unit, st.iu);
      settle();
      return true;
    }

    // settle takes the fields as they are as the starting point of later
    // unit switches (after load or a restored link).
    function settle() {
      ["glucose", "insulin"].forEach(function (name) {
        var f = fields[name];
        f.unitValue = f.unit.value;
        f.last = null;
        setNote(f, "");
      });
    }

    ["glucose", "insulin"].forEach(function (name) {
      var f = fields[name];
      f.input.addEventListener("input", function () { f.touched = true; setNote(f, ""); update(true); });
      f.unit.addEventListener("change", function () {
        var from = f.unitValue;
        f.unitValue = f.unit.value;
        if (from !== f.unitValue) convert(name, from, f.unitValue);
        update(true);
      });
    });
    settle();
    // reveal does for a shared link what the browser does for a fragment
    // link, which it cannot here (no element has the id "homa-ir-1:g=..."):
    // it scrolls to the calculator, or to its form and results when the
    // whole figure is taller than the window.
    function reveal() {
      var whole = fig.getBoundingClientRect().height <= window.innerHeight;
      (whole ? fig : form).scrollIntoView({ block: "start" });
    }

    form.addEventListener("submit", function (e) { e.preventDefault(); update(true); });
    window.addEventListener("hashchange", function () {
      if (restore()) { update(false); reveal(); }
    });
    var shared = restore();
    form.hidden = false;
    update(false);
    if (shared) reveal();
  }

  function init() {
    var figs = document.querySelectorAll("figure.gb-widget-homa-ir");
    for (var k = 0; k < figs.length; k++) enhance(figs[k]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  // guidebook serve replaces the page's content in place after an edit.
  document.addEventListener("guidebook:swap", init);
})();
