/* guidebook declarative calculator. A classic script (ES modules do not run
   from file://) that enhances every figure.gb-widget-calculator: it reads the
   compiled calculator from the figure's data-calc (internal/widgets
   CalcSpec.JSON), reveals the form the template ships hidden, computes on
   every input and keeps the state in the URL hash
   (#calculator-1:tg=150,tg-u=mgdl,glucose=90) so a result can be shared.

   Formulas arrive compiled, as reverse Polish programs (["tg", "glucose",
   "*", 2, "/", "ln"]); run() executes them with a fixed switch over the
   operators the formula language has. Nothing here parses or evaluates a
   string as code, so the page CSP stays strict. The semantics mirror
   internal/formula and internal/widgets/calc_eval.go, and both are held to
   internal/widgets/testdata/calc_vectors.json. window.guidebookCalc exposes
   the pure functions for those tests. */
(function () {
  "use strict";

  // The same pattern as widgets.ParseNumber: a point or a comma, an
  // optional exponent, every number however written range-checked.
  var NUMBER = /^[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?$/;
  // Beyond this an output has no value (widgets.maxShown).
  var MAX_SHOWN = 1e15;
  var has = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };

  // pow is Go's widgets.pow, which is JavaScript's **.
  function apply1(op, x) {
    switch (op) {
      case "neg": return -x;
      case "log10": return Math.log10(x);
      case "ln": return Math.log(x);
      case "exp": return Math.exp(x);
      case "sqrt": return Math.sqrt(x);
      case "abs": return Math.abs(x);
    }
    return NaN;
  }
  function apply2(op, a, b) {
    switch (op) {
      case "+": return a + b;
      case "-": return a - b;
      case "*": return a * b;
      case "/": return a / b;
      case "^": return Math.pow(a, b);
      case "min": return Math.min(a, b);
      case "max": return Math.max(a, b);
      case "<": return a < b ? 1 : 0;
      case "<=": return a <= b ? 1 : 0;
      case ">": return a > b ? 1 : 0;
      case ">=": return a >= b ? 1 : 0;
    }
    return NaN;
  }
  var ARITY = { "+": 2, "-": 2, "*": 2, "/": 2, "^": 2, "neg": 1, "log10": 1, "ln": 1, "exp": 1,
    "sqrt": 1, "abs": 1, "min": 2, "max": 2, "<": 2, "<=": 2, ">": 2, ">=": 2 };

  // run executes a compiled program with env's values (widgets.Program.Eval).
  function run(program, env) {
    var st = [];
    for (var k = 0; k < program.length; k++) {
      var op = program[k];
      if (typeof op === "number") { st.push(op); continue; }
      if (!has(ARITY, op)) {
        if (!has(env, op)) return NaN;
        st.push(env[op]);
        continue;
      }
      if (st.length < ARITY[op]) return NaN;
      if (ARITY[op] === 1) { st[st.length - 1] = apply1(op, st[st.length - 1]); continue; }
      var b = st.pop(), a = st.pop();
      st.push(apply2(op, a, b));
    }
    return st.length === 1 ? st[0] : NaN;
  }

  // roundHalfUp and fixed are widgets.roundHalfUp and FormatFixed.
  function roundHalfUp(v, d) {
    var p = Math.pow(10, d);
    var r = Math.floor(v * p + 0.5) / p;
    return r === 0 ? 0 : r;
  }
  function fixed(v, d) { return roundHalfUp(v, d).toFixed(d); }

  function parseNumber(text) {
    var s = String(text == null ? "" : text).replace(/^\s+|\s+$/g, "");
    if (s === "") return { code: "empty" };
    if (!NUMBER.test(s)) return { code: "not-a-number" };
    var v = parseFloat(s.replace(",", "."));
    return isNaN(v) ? { code: "not-a-number" } : { value: v };
  }

  function unitOf(input, id) {
    for (var k = 0; k < input.units.length; k++) if (input.units[k].id === id) return input.units[k];
    return null;
  }

  // readInput is widgets.readInput: {base, unit} or {code, message}.
  function readInput(input, text, unitID) {
    var n = parseNumber(text);
    var code = n.code || "";
    var u = null;
    if (!code) {
      u = unitOf(input, unitID);
      if (!u) code = "unit";
    }
    if (!code) {
      var v = n.value;
      var lo = u.min == null ? -Infinity : u.min, hi = u.max == null ? Infinity : u.max;
      if (v < lo && v < 0 && lo >= 0) code = "negative";
      else if (v < lo && v === 0 && lo > 0) code = "zero";
      else if (v < lo) code = "too-low";
      else if (v > hi) code = "too-high";
      else return { base: v * u.factor + u.offset, value: v, unit: u };
    }
    return { code: code, message: input.messages[code] };
  }

  function outcome(out, env) {
    if (out.undefined && run(out.undefined.when, env) === 1) {
      return { code: "undefined", message: out.undefined.message };
    }
    var v = run(out.program, env);
    var r = roundHalfUp(v, out.decimals);
    if (!isFinite(v) || Math.abs(r) >= MAX_SHOWN) return { value: v, code: "no-value", message: out.noValue };
    var band = "";
    for (var k = 0; k < out.bands.length; k++) {
      var b = out.bands[k];
      if ((b.min == null || r >= b.min) && (b.max == null || r < b.max)) { band = b.label; break; }
    }
    return { value: v, text: fixed(v, out.decimals), band: band };
  }

  // compute(spec, texts, units) is widgets.CalcSpec.Compute: texts and
  // units by input id (a missing unit is the default), giving {ok,
  // errors: {id: {code, message}}, outputs: {id: {value, text, band} or
  // {code, message}}}.
  function compute(spec, texts, units) {
    var env = Object.create(null), errors = {}, outputs = {}, ok = true;
    for (var k = 0; k < spec.inputs.length; k++) {
      var input = spec.inputs[k];
      var unit = units && has(units, input.id) ? units[input.id] : input.unit;
      var r = readInput(input, texts[input.id], unit);
      if (r.code) { errors[input.id] = r; ok = false; continue; }
      env[input.id] = r.base;
      for (var c in r.unit.constants) if (has(r.unit.constants, c)) env[c] = r.unit.constants[c];
    }
    if (ok) {
      for (var j = 0; j < spec.outputs.length; j++) outputs[spec.outputs[j].id] = outcome(spec.outputs[j], env);
    }
    return { ok: ok, errors: errors, outputs: outputs };
  }

  // convertText is widgets.CalcSpec.ConvertInput: {ok, text, exact}, or
  // {ok: false, text} when the field is left as it is.
  function convertText(spec, id, text, from, to) {
    var input = null;
    for (var k = 0; k < spec.inputs.length; k++) if (spec.inputs[k].id === id) input = spec.inputs[k];
    var t = input && unitOf(input, to);
    if (!t) return { ok: false, text: text };
    var r = readInput(input, text, from);
    if (r.code || r.unit.id === to) return { ok: false, text: text };
    var exact = (r.base - t.offset) / t.factor;
    return { ok: true, text: String(roundHalfUp(exact, t.decimals)), exact: exact };
  }

  window.guidebookCalc = { run: run, compute: compute, convertText: convertText, fixed: fixed };

  // shareName: see homa-ir.js; the calculator's links work the same way.
  function shareName(fig) {
    var link = fig.getAttribute("data-link");
    return link && fig.id === "gb-" + link ? link : fig.id;
  }

  function readHash(fig) {
    var h = window.location.hash.slice(1);
    var names = [shareName(fig), fig.id], rest = null;
    for (var k = 0; k < names.length && rest === null; k++) {
      if (h.slice(0, names[k].length + 1) === names[k] + ":") rest = h.slice(names[k].length + 1);
    }
    if (rest === null) return null;
    var state = {};
    var pairs = rest.split(",");
    for (var j = 0; j < pairs.length; j++) {
      var eq = pairs[j].indexOf("=");
      if (eq < 1) continue;
      try { state[pairs[j].slice(0, eq)] = decodeURIComponent(pairs[j].slice(eq + 1)); } catch (e) { /* mangled: skip */ }
    }
    return state;
  }

  function enhance(fig) {
    var form = fig.querySelector(".gb-calc-form");
    if (!fig.id || !form || fig.getAttribute("data-gb-ready")) return;
    var spec;
    try { spec = JSON.parse(fig.getAttribute("data-calc")); } catch (e) { return; }
    fig.setAttribute("data-gb-ready", "");
    var id = fig.id;
    function el(suffix) { return document.getElementById(id + "-" + suffix); }
    var fields = spec.inputs.map(function (input) {
      return { input: input, box: el("in-" + input.id), select: el("in-" + input.id + "-unit"),
        msg: el("in-" + input.id + "-msg"), note: el("in-" + input.id + "-note"),
        unitValue: input.unit, touched: false, last: null };
    });
    var status = el("status");
    function unitOf_(f) { return f.select ? f.select.value : f.input.unit; }
    function setText(node, text) { if (node) node.textContent = text; }
    function setNote(f, text) { if (f.note) { f.note.textContent = text; f.note.hidden = !text; } }

    function show(f, err) {
      if (err && (f.touched || err.code !== "empty")) {
        f.box.setAttribute("aria-invalid", "true");
        f.box.setAttribute("aria-describedby", f.msg.id);
        f.msg.textContent = err.message;
        f.msg.hidden = false;
      } else {
        f.box.removeAttribute("aria-invalid");
        f.box.removeAttribute("aria-describedby");
        f.msg.textContent = "";
        f.msg.hidden = true;
      }
    }

    function writeHash() {
      var parts = [];
      fields.forEach(function (f) {
        // A decimal comma would collide with the pair separator.
        parts.push(f.input.id + "=" + encodeURIComponent(f.box.value.replace(",", ".")));
        if (f.select) parts.push(f.input.id + "-u=" + encodeURIComponent(f.select.value));
      });
      var hash = "#" + shareName(fig) + ":" + parts.join(",");
      if (window.location.hash === hash) return;
      try { window.history.replaceState(window.history.state, "", hash); } catch (e) { /* file:// may refuse */ }
    }

    function update(save) {
      var texts = {}, units = {};
      fields.forEach(function (f) { texts[f.input.id] = f.box.value; units[f.input.id] = unitOf_(f); });
      var r = compute(spec, texts, units);
      fields.forEach(function (f) { show(f, r.errors[f.input.id]); });
      spec.outputs.forEach(function (o) {
        var oc = r.outputs[o.id];
        var text = "", band = "";
        if (oc) {
          text = oc.code ? oc.message : oc.text + (o.unit ? " " + o.unit : "");
          band = oc.band || "";
        }
        setText(el("out-" + o.id), text);
        setText(el("out-" + o.id + "-band"), band);
      });
      if (r.ok) {
        setText(status, "Educational estimate only, not a diagnosis.");
      } else {
        var empty = fields.every(function (f) { return !r.errors[f.input.id] || r.errors[f.input.id].code === "empty"; });
        setText(status, empty ? "Enter every value to see the results." : "Correct the marked value to see the results.");
      }
      if (save) writeHash();
    }

    // convert rewrites a field's value in its new unit and says so beside
    // it; switching back converts the exact value, not the rounded one.
    function convert(f, from, to) {
      var text = f.box.value, r;
      var t = unitOf(f.input, to);
      if (f.last && f.last.unit === from && f.last.text === text && t) {
        var exact = (f.last.exact * unitOf(f.input, from).factor + unitOf(f.input, from).offset - t.offset) / t.factor;
        r = { ok: true, text: String(roundHalfUp(exact, t.decimals)), exact: exact };
      } else {
        r = convertText(spec, f.input.id, text, from, to);
      }
      if (!r.ok) { f.last = null; setNote(f, ""); return; }
      var typed = text.replace(/^\s+|\s+$/g, "");
      var fromLabel = unitOf(f.input, from).label;
      f.box.value = r.text;
      f.last = { unit: to, text: r.text, exact: r.exact };
      setNote(f, "Converted " + typed + " " + fromLabel + " to " + r.text + " " + t.label +
        ". If " + typed + " was already in " + t.label + ", type it again.");
    }

    function restore() {
      var st = readHash(fig);
      if (!st) return false;
      fields.forEach(function (f) {
        if (has(st, f.input.id)) { f.box.value = st[f.input.id]; f.touched = true; }
        var u = st[f.input.id + "-u"];
        if (f.select && u != null && unitOf(f.input, u)) f.select.value = u;
        f.unitValue = unitOf_(f);
        f.last = null;
        setNote(f, "");
      });
      return true;
    }

    fields.forEach(function (f) {
      f.box.addEventListener("input", function () { f.touched = true; setNote(f, ""); update(true); });
      if (f.select) {
        f.select.addEventListener("change", function () {
          var from = f.unitValue;
          f.unitValue = f.select.value;
          if (from !== f.unitValue) convert(f, from, f.unitValue);
          update(true);
        });
      }
    });
    // reveal does for a shared link what the browser does for a fragment
    // link, which it cannot here (no element has the id "name:tg=...").
    function reveal() {
      var whole = fig.getBoundingClientRect().height <= window.innerHeight;
      (whole ? fig : form).scrollIntoView({ block: "start" });
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); update(true); });
    window.addEventListener("hashchange", function () { if (restore()) { update(false); reveal(); } });
    var shared = restore();
    form.hidden = false;
    update(false);
    if (shared) reveal();
  }

  function init() {
    var figs = document.querySelectorAll("figure.gb-widget-calculator");
    for (var k = 0; k < figs.length; k++) enhance(figs[k]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  document.addEventListener("guidebook:swap", init);
})();
