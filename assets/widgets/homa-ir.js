/* guidebook HOMA-IR calculator. A classic script (ES modules do not run from
   file://) that enhances every figure.gb-widget-homa-ir on the page: it
   reveals the form the template ships hidden, computes on every input and
   keeps the state in the URL hash (#homa-ir-1:g=90,gu=mgdl,i=10,iu=uUml,
   the figure's data-link before the colon) so a
   result can be shared. The formulas and validation mirror
   internal/widgets/homa.go; both are tested against
   internal/widgets/testdata/homa_vectors.json. The pure function is exported
   as window.guidebookHoma.compute. */
(function () {
  "use strict";

  // Decimals with a point or a comma, optionally in exponent notation:
  // every number however written meets the same range check (homa.go).
  var NUMBER = /^[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?$/;
  var MGDL_PER_MMOL = 18.016;
  var PMOL_PER_UU = 6;
  var HOMA_B_MIN_MMOL = 3.5;
  // Inclusive plausibility bounds per unit as entered (see homa.go).
  var BOUNDS = {
    glucose: { mgdl: [20, 600], mmoll: [1.1, 33.3] },
    insulin: { uUml: [0.5, 300], pmoll: [3, 1800] }
  };
  // Must equal widgets.DefaultHOMABands; the shared vectors check it.
  var DEFAULT_BANDS = [
    { max: 1.0, label: "Suggests good insulin sensitivity" },
    { max: 1.9, label: "In the range commonly read as normal" },
    { max: 2.9, label: "May indicate early insulin resistance" },
    { label: "May indicate significant insulin resistance" }
  ];
  var MESSAGES = {
    glucose: {
      "empty": "Enter your fasting glucose.",
      "not-a-number": "Glucose must be a number, such as 90 or 5.0.",
      "negative": "Glucose cannot be negative.",
      "zero": "Glucose cannot be zero.",
      "too-low": "This glucose value is implausibly low (below 20 mg/dL, 1.1 mmol/L). Check the value and the unit.",
      "too-high": "This glucose value is implausibly high (above 600 mg/dL, 33.3 mmol/L). Check the value and the unit.",
      "unit": "Choose a glucose unit."
    },
    insulin: {
      "empty": "Enter your fasting insulin.",
      "not-a-number": "Insulin must be a number, such as 10 or 60.",
      "negative": "Insulin cannot be negative.",
      "zero": "Insulin cannot be zero.",
      "too-low": "This insulin value is implausibly low (below 0.5 µU/mL, 3 pmol/L). Check the value and the unit.",
      "too-high": "This insulin value is implausibly high (above 300 µU/mL, 1800 pmol/L). Check the value and the unit.",
      "unit": "Choose an insulin unit."
    }
  };

  function check(field, text, unit) {
    var s = String(text == null ? "" : text).replace(/^\s+|\s+$/g, "");
    var code = "";
    var v = NaN;
    var b = Object.prototype.hasOwnProperty.call(BOUNDS[field], unit) ? BOUNDS[field][unit] : null;
    if (s === "") code = "empty";
    else if (!NUMBER.test(s)) code = "not-a-number";
    else {
      // Beyond float64 parseFloat gives ±Infinity, which the bounds catch.
      v = parseFloat(s.replace(",", "."));
      if (isNaN(v)) code = "not-a-number";
      else if (!b) code = "unit";
      else if (v < 0) code = "negative";
      else if (v === 0) code = "zero";
      else if (v < b[0]) code = "too-low";
      else if (v > b[1]) code = "too-high";
    }
    return code ? { code: code, message: MESSAGES[field][code] } : { value: v };
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
    var c = check(field, text, from);
    if (c.code || !units[from] || !units[to] || !isFinite(units[from].perBase) || !isFinite(units[to].perBase)) {
      return { ok: false, text: text };
    }
    var exact = convertValue(c.value, from, to, units);
    return { ok: true, text: formatIn(exact, units[to]), exact: exact };
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
    var gc = check("glucose", g, gu);
    var ic = check("insulin", i, iu);
    var errors = {};
    if (gc.code) errors.glucose = gc;
    if (ic.code) errors.insulin = ic;
    if (gc.code || ic.code) return { ok: false, errors: errors };
    var insulinUU = iu === "pmoll" ? ic.value / PMOL_PER_UU : ic.value;
    var mgdl, mmol, homaIR;
    if (gu === "mmoll") {
      mmol = gc.value; mgdl = mmol * MGDL_PER_MMOL;
      homaIR = mmol * insulinUU / 22.5;
    } else {
      mgdl = gc.value; mmol = mgdl / MGDL_PER_MMOL;
      homaIR = mgdl * insulinUU / 405;
    }
    var quicki = 1 / (Math.log(insulinUU) / Math.LN10 + Math.log(mgdl) / Math.LN10);
    var homaB = mmol > HOMA_B_MIN_MMOL ? 20 * insulinUU / (mmol - HOMA_B_MIN_MMOL) : null;
    return {
      ok: true,
      errors: errors,
      homaIR: homaIR,
      quicki: quicki,
      homaB: homaB,
      band: bandFor(homaIR, bands),
      text: {
        homaIR: round2(homaIR).toFixed(2),
        quicki: quicki.toFixed(3),
        homaB: homaB == null ? "" : homaB.toFixed(1)
      }
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
