/*
 * parcours-expr.js: evaluate a journey expression in the browser.
 *
 * The tree is the JSON made by designer.expressions.to_json on the server; the
 * semantics are exactly those of designer/expressions/evaluator.py (the test
 * suite runs both on the same cases):
 *   - null is "unanswered" and "unknown"; logic is three-valued as in SQL;
 *   - `x == null` / `x != null` (with the literal null) test presence;
 *   - answered(x) is false for null, "" and {}; an empty list is an answer
 *     (designer/presence.py: "none" is an answer to a list question);
 *   - a value of the wrong kind gives null, never an exception.
 * Answers: booleans, numbers, strings, arrays of strings (multichoice), arrays
 * of objects (repeat items); a date is its ISO text "YYYY-MM-DD". `today` is
 * also ISO text. A date result is returned as ISO text.
 *
 * No eval and no Function constructor: the tree is walked. Works in browsers (global
 * ParcoursExpr) and in node (module.exports).
 */
(function (root) {
  "use strict";

  var ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

  function isLeap(y) {
    return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  }

  function daysInMonth(y, m) {
    return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  }

  // Days since 1970-01-01 in the proleptic Gregorian calendar, by arithmetic
  // (Date.UTC maps years 0-99 to 1900-1999, so it is not used).
  function dayNumber(y, m, d) {
    y -= m <= 2 ? 1 : 0;
    var era = Math.floor(y / 400);
    var yoe = y - era * 400;
    var mp = (m + 9) % 12;
    var doy = Math.floor((153 * mp + 2) / 5) + d - 1;
    var doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
    return era * 146097 + doe - 719468;
  }

  function DateValue(iso, y, m, d) {
    this.iso = iso;
    this.y = y;
    this.m = m;
    this.d = d;
    this.days = dayNumber(y, m, d);
  }

  // The date written "YYYY-MM-DD", or null when the text is not a real date.
  function parseDate(text) {
    if (typeof text !== "string") return null;
    var match = ISO.exec(text);
    if (!match) return null;
    var y = +match[1], m = +match[2], d = +match[3];
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
    return new DateValue(text, y, m, d);
  }

  function kind(v) {
    if (v === null || v === undefined) return "null";
    if (typeof v === "boolean") return "bool";
    if (typeof v === "number") return "number";
    if (typeof v === "string") return "string";
    if (v instanceof DateValue) return "date";
    if (Array.isArray(v)) return "list";
    if (typeof v === "object") return "item";
    return "other";
  }

  // An answer as the evaluator computes with it: ISO text becomes a date.
  function fromAnswer(v) {
    if (v === undefined) return null;
    if (typeof v === "string") {
      var date = parseDate(v);
      return date === null ? v : date;
    }
    return v;
  }

  var SCALARS = { bool: true, number: true, string: true, date: true };

  function equal(a, b) {
    var ka = kind(a), kb = kind(b);
    // An answer that merely looks like a date still equals the same text.
    if (ka === "date" && kb === "string") return a.iso === b;
    if (ka === "string" && kb === "date") return a === b.iso;
    if (ka !== kb || ka === "item" || ka === "other") return null;
    if (ka === "list") {
      // In order, element by element; a null or a nested structure: unknown.
      var all = a.concat(b), i;
      for (i = 0; i < all.length; i++) {
        if (!SCALARS[kind(all[i])]) return null;
      }
      if (a.length !== b.length) return false;
      for (i = 0; i < a.length; i++) {
        var kx = kind(a[i]);
        if (kx !== kind(b[i])) return false;
        if (kx === "date" ? a[i].days !== b[i].days : a[i] !== b[i]) return false;
      }
      return true;
    }
    if (ka === "date") return a.days === b.days;
    return a === b;
  }

  function order(op, a, b) {
    var ka = kind(a), kb = kind(b);
    if (ka !== kb || (ka !== "number" && ka !== "date")) return null;
    if (ka === "date") {
      a = a.days;
      b = b.days;
    }
    if (op === "<") return a < b;
    if (op === "<=") return a <= b;
    if (op === ">") return a > b;
    return a >= b;
  }

  function member(item, container) {
    if (item === null || kind(container) !== "list") return null;
    var sawNull = false;
    for (var i = 0; i < container.length; i++) {
      var element = fromAnswer(container[i]);
      if (element === null) {
        sawNull = true;
        continue;
      }
      if (equal(item, element) === true) return true;
    }
    return sawNull ? null : false;
  }

  function yearsBetween(a, b) {
    if (b.days < a.days) return -yearsBetween(b, a);
    var years = b.y - a.y;
    if (b.m < a.m || (b.m === a.m && b.d < a.d)) years -= 1;
    return years;
  }

  function and(values) {
    var allTrue = true;
    for (var i = 0; i < values.length; i++) {
      if (values[i] === false) return false;
      if (values[i] !== true) allTrue = false;
    }
    return allTrue ? true : null;
  }

  function or(values) {
    var allFalse = true;
    for (var i = 0; i < values.length; i++) {
      if (values[i] === true) return true;
      if (values[i] !== false) allFalse = false;
    }
    return allFalse ? false : null;
  }

  function isNullLiteral(node) {
    return node.k === "lit" && node.v === null;
  }

  function arithmetic(op, a, b) {
    if (kind(a) !== "number" || kind(b) !== "number") return null;
    if (op === "+") return a + b;
    if (op === "-") return a - b;
    if (op === "*") return a * b;
    if (b === 0) return null;
    return a / b;
  }

  function lookup(answers, id) {
    if (answers === null || typeof answers !== "object") return null;
    if (!Object.prototype.hasOwnProperty.call(answers, id)) return null;
    return fromAnswer(answers[id]);
  }

  function Evaluator(answers, today) {
    this.answers = answers;
    this.today = today;
  }

  Evaluator.prototype.value = function (node) {
    var self = this;
    var values, i;
    switch (node.k) {
      case "lit":
        return node.v;
      case "name":
        return lookup(this.answers, node.id);
      case "list":
        return node.items.map(function (item) { return self.value(item); });
      case "not": {
        var v = this.value(node.x);
        return typeof v === "boolean" ? !v : null;
      }
      case "neg": {
        var n = this.value(node.x);
        return kind(n) === "number" ? -n : null;
      }
      case "and":
      case "or":
        values = node.xs.map(function (x) { return self.value(x); });
        return node.k === "and" ? and(values) : or(values);
      case "cmp":
        return this.compare(node);
      case "bin":
        return arithmetic(node.op, this.value(node.left), this.value(node.right));
      case "call":
        return this.call(node);
      default:
        throw new Error("parcours-expr: unknown node kind " + node.k);
    }
  };

  Evaluator.prototype.compare = function (node) {
    var operands = [node.left].concat(node.rights);
    var self = this;
    var values = operands.map(function (x) { return self.value(x); });
    var results = [];
    for (var i = 0; i < node.ops.length; i++) {
      var op = node.ops[i], a = values[i], b = values[i + 1];
      if ((op === "==" || op === "!=") &&
          (isNullLiteral(operands[i]) || isNullLiteral(operands[i + 1]))) {
        var same = (a === null) === (b === null);
        results.push(op === "==" ? same : !same);
        continue;
      }
      if (a === null || b === null) {
        results.push(null);
        continue;
      }
      if (op === "==" || op === "!=") {
        var eq = equal(a, b);
        results.push(eq === null || op === "==" ? eq : !eq);
      } else if (op === "in" || op === "not in") {
        var found = member(a, b);
        results.push(found === null || op === "in" ? found : !found);
      } else {
        results.push(order(op, a, b));
      }
    }
    return and(results);
  };

  Evaluator.prototype.call = function (node) {
    var f = node.f;
    if (f === "today") return this.today;
    if (f === "date") return parseDate(node.args[0].v);
    if (f === "answered") {
      var arg = node.args[0];
      var value = arg.k === "name" ? lookup(this.answers, arg.id) : null;
      if (value === null) return false;
      if (typeof value === "string" && value.length === 0) return false;
      if (kind(value) === "item" && Object.keys(value).length === 0) return false;
      return true;
    }
    var self = this;
    var args = node.args.map(function (x) { return self.value(x); });
    if (f === "len") return kind(args[0]) === "list" ? args[0].length : null;
    for (var i = 0; i < args.length; i++) {
      if (kind(args[i]) !== "date") return null;
    }
    if (f === "age") return yearsBetween(args[0], this.today);
    if (f === "years_between") return yearsBetween(args[0], args[1]);
    if (f === "days_between") return args[1].days - args[0].days;
    throw new Error("parcours-expr: unknown function " + f);
  };

  function exportValue(v) {
    if (v instanceof DateValue) return v.iso;
    if (Array.isArray(v)) return v.map(exportValue);
    return v === undefined ? null : v;
  }

  /*
   * The value of a to_json tree given the answers: true/false/null for a
   * condition, a number, a string, an ISO date, a list. `todayIso` is
   * "YYYY-MM-DD" (the server's date, so that both sides agree).
   */
  function evaluate(tree, answers, todayIso) {
    var today = parseDate(todayIso);
    if (today === null) throw new Error("parcours-expr: today must be YYYY-MM-DD");
    return exportValue(new Evaluator(answers || {}, today).value(tree));
  }

  /* Whether a condition holds: unknown counts as false. */
  function holds(tree, answers, todayIso) {
    return evaluate(tree, answers, todayIso) === true;
  }

  var api = { evaluate: evaluate, holds: holds, parseDate: parseDate };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  }
  if (root) {
    root.ParcoursExpr = api;
  }
})(typeof window !== "undefined" ? window : typeof globalThis !== "undefined" ? globalThis : null);
