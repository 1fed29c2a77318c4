/*
 * parcours.js: progressive enhancement of the question pages.
 *
 * Without this script every page works: a question whose condition reads an earlier answer
 * of the same page comes on a follow-up page. With it, such a question is revealed in place
 * as the citizen answers, by evaluating the condition tree that the server serialised in
 * data-when (renderer/static/parcours-expr.js has the same semantics as the server's
 * evaluator). The server stays the authority: it re-evaluates everything on submission.
 * The agents' keying screen (renderer/agents/keying.py) uses it too.
 */
(function () {
  "use strict";

  function fieldsOf(wrapper) {
    return Array.prototype.filter.call(
      wrapper.querySelectorAll("input, select, textarea"),
      function (el) { return el.closest("[data-question]") === wrapper; }
    );
  }

  function number(text) {
    var clean = String(text).replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
    if (clean === "" || !/^[-+]?\d*\.?\d+$/.test(clean)) return null;
    return Number(clean);
  }

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) s = "0" + s;
    return s;
  }

  // The typed value of one question's control, as the evaluator takes it (null: unanswered).
  function valueOf(wrapper) {
    var type = wrapper.getAttribute("data-type");
    var name = wrapper.getAttribute("data-name");
    // A certified answer is shown, not an input: the server gives its value.
    if (wrapper.hasAttribute("data-certified")) return JSON.parse(wrapper.getAttribute("data-value"));
    var fields = fieldsOf(wrapper);
    var checked = fields.filter(function (el) { return el.checked; });
    var byName = {};
    fields.forEach(function (el) { byName[el.name] = el; });
    switch (type) {
      case "yesno":
        if (!checked.length) return null;
        return checked[0].value === "yes";
      case "choice":
        if (checked.length) return checked[0].value;
        var select = byName[name];
        return select && select.tagName === "SELECT" && select.value ? select.value : null;
      case "multichoice":
        return checked.map(function (el) { return el.value; });
      case "integer":
      case "decimal":
        return byName[name] ? number(byName[name].value) : null;
      case "date":
        var d = number((byName[name + "-day"] || {}).value || "");
        var m = number((byName[name + "-month"] || {}).value || "");
        var y = number((byName[name + "-year"] || {}).value || "");
        if (d === null || m === null || y === null || y < 1000) return null;
        var iso = pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2);
        return window.ParcoursExpr.parseDate(iso) ? iso : null;
      case "file":
        // The keying screen's box "in the scan" is an answer.
        if (checked.length) return "attached";
        var input = byName[name];
        if (input && input.files && input.files.length) return input.files[0].name;
        return wrapper.querySelector(".pc-file-current") ? "attached" : null;
      case "repeat":
        return Array.prototype.map.call(wrapper.querySelectorAll("[data-item]"), itemValues);
      case "info":
        return null;
      default:
        var el = byName[name];
        var text = el ? el.value.trim() : "";
        return text === "" ? null : text;
    }
  }

  function wrappersIn(scope) {
    return Array.prototype.filter.call(
      scope.querySelectorAll("[data-question]"),
      function (w) { return w.parentElement.closest("[data-item]") === scope.closest("[data-item]"); }
    );
  }

  function itemValues(item) {
    var values = {};
    wrappersIn(item).forEach(function (w) {
      if (w.hidden) return;
      var v = valueOf(w);
      if (v !== null) values[w.getAttribute("data-question")] = v;
    });
    return values;
  }

  function refresh(form) {
    var base = {};
    try { base = JSON.parse(form.getAttribute("data-env") || "{}"); } catch (e) { base = {}; }
    var today = form.getAttribute("data-today");
    // Revealing a question can reveal another: repeat until nothing changes.
    for (var pass = 0; pass < 6; pass++) {
      var changed = false;
      var page = Object.assign({}, base);
      wrappersIn(form).forEach(function (w) {
        if (w.hidden) return;
        var v = valueOf(w);
        if (v !== null) page[w.getAttribute("data-question")] = v;
      });
      Array.prototype.forEach.call(form.querySelectorAll("[data-when]"), function (w) {
        var tree;
        try { tree = JSON.parse(w.getAttribute("data-when")); } catch (e) { return; }
        var item = w.closest("[data-item]");
        var env = item ? Object.assign({}, page, itemValues(item)) : page;
        var show = window.ParcoursExpr.holds(tree, env, today);
        if (w.hidden === show) {
          w.hidden = !show;
          changed = true;
        }
      });
      if (!changed) break;
    }
  }

  function enhance(form) {
    var flag = document.createElement("input");
    flag.type = "hidden";
    flag.name = "_js";
    flag.value = "1";
    form.appendChild(flag);
    if (!window.ParcoursExpr || !form.querySelector("[data-when]")) return;
    refresh(form);
    form.addEventListener("input", function () { refresh(form); });
    form.addEventListener("change", function () { refresh(form); });
  }

  function preventDoubleClick() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-prevent-double-click]"),
      function (button) {
        var form = button.form;
        if (!form) return;
        form.addEventListener("submit", function (event) {
          if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
          form.setAttribute("data-sent", "1");
        });
      });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form.pc-form"), enhance);
    preventDoubleClick();
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
