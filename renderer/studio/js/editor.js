// The studio's editor: CodeMirror 6 over the plain form's textarea (progressive
// enhancement: without this script the form works as it is). Diagnostics as you type:
// the linter waits for a pause (debounce), cancels the previous request with an
// AbortController, and asks the studio to check the unsaved text in process.
// Rebuilt into ../static/editor.js by `npm run build:studio` (esbuild, minified).

import {EditorView, basicSetup} from "codemirror";
import {yaml} from "@codemirror/lang-yaml";
import {linter, lintGutter, forEachDiagnostic} from "@codemirror/lint";
import {autocompletion} from "@codemirror/autocomplete";
import {schemaCompletion} from "./schema-complete.js";

const DEBOUNCE_MS = 250;
// The citizen's view follows the cursor once it rests this long on a step.
const PREVIEW_DEBOUNCE_MS = 300;

function position(doc, line, column) {
  const l = doc.line(Math.min(Math.max(line, 1), doc.lines));
  return {line: l, from: l.from + Math.min(Math.max(column - 1, 0), l.length)};
}

function toDiagnostic(doc, f, labels) {
  const {line, from} = position(doc, f.line, f.column);
  const to = Math.min(from + f.length, line.to);
  return {
    from,
    to: Math.max(to, from),
    severity: f.severity,
    source: f.rule,
    message: f.message,
    renderMessage() {
      const box = document.createElement("div");
      box.className = "st-diag";
      const text = document.createElement("p");
      text.textContent = f.message;
      const why = document.createElement("p");
      why.className = "st-diag__rule";
      why.textContent = `${f.rule} : ${f.summary} — `;
      const link = document.createElement("a");
      link.href = f.docs;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = labels.doc;
      why.appendChild(link);
      box.append(text, why);
      return box;
    },
    actions: f.fixes.map((fix) => ({
      name: fix.label,
      apply(view) {
        if (fix.kind) { labels.applyEdit(view, fix); return; }
        const at = position(view.state.doc, fix.line, fix.column).from;
        view.dispatch({changes: {from: at, to: at + fix.length, insert: fix.text}});
      },
    })),
  };
}

function showFindings(data, list, counts, labels) {
  counts.textContent = labels.counts
    .replace("{errors}", data.counts.error)
    .replace("{warnings}", data.counts.warning)
    .replace("{infos}", data.counts.info);
  list.replaceChildren(...data.findings.map((f) => {
    const li = document.createElement("li");
    li.className = `st-finding st-finding--${f.severity}`;
    li.textContent = `${labels.where.replace("{line}", f.line).replace("{column}", f.column)} — ${f.message} [${f.rule}]`;
    return li;
  }));
}

function showCases(cases, box) {
  const line = (text, cls) => {
    const p = document.createElement("p");
    p.textContent = text;
    if (cls) p.className = cls;
    return p;
  };
  if (!cases) { box.replaceChildren(line(box.dataset.none)); return; }
  if (cases.blocked) { box.replaceChildren(line(box.dataset.blocked)); return; }
  const summary = box.dataset.summary.replace("{passed}", cases.cases - cases.failed)
    .replace("{total}", cases.cases).replace("{file}", cases.file);
  const list = document.createElement("ul");
  for (const p of cases.problems) {
    const li = document.createElement("li");
    li.className = "st-finding st-finding--error";
    li.textContent = `${cases.file} : ${box.dataset.where.replace("{line}", p.line).replace("{column}", p.column)} — ${p.message}`;
    list.appendChild(li);
  }
  box.replaceChildren(line(summary, cases.problems.length ? "st-bad" : ""), list);
}

function start(form) {
  const textarea = form.querySelector("textarea[name=text]");
  const list = document.getElementById("findings");
  const counts = document.getElementById("counts");
  const labels = JSON.parse(form.dataset.labels);
  const path = form.dataset.path;
  const csrf = form.dataset.csrf;
  let ids = {steps: [], outcomes: [], questions: []};
  let schema = null;
  let controller = null;
  fetch("/-/schema.json", {credentials: "same-origin"})
    .then((r) => r.json()).then((s) => { schema = s; }).catch(() => {});

  async function check(view) {
    if (controller) controller.abort();
    controller = new AbortController();
    const doc = view.state.doc;
    let data;
    try {
      const response = await fetch("/-/check", {
        method: "POST",
        credentials: "same-origin",
        signal: controller.signal,
        headers: {"content-type": "application/json", "x-csrf-token": csrf},
        body: JSON.stringify({path, text: doc.toString()}),
      });
      if (!response.ok) return [];
      data = await response.json();
    } catch (e) {
      return []; // cancelled by a newer request: the linter drops a stale answer anyway
    }
    ids = data.ids;
    regions = data.regions || [];
    if (list && counts) showFindings(data, list, counts, labels);
    const casesBox = document.getElementById("cases");
    if (casesBox) showCases(data.cases, casesBox);
    refreshGraph(doc.toString());
    followCursor(view.state);
    form.dataset.checked = String(Number(form.dataset.checked || 0) + 1);
    return data.findings.map((f) => toDiagnostic(doc, f, labels));
  }

  // The citizen's view: the page of the step the cursor is in, drawn by the studio from
  // the unsaved text (the plain form's preview, posted into a sandboxed frame).
  const citizen = document.getElementById("citizen-view");
  const citizenForm = document.getElementById("citizen-form");
  const citizenStep = document.getElementById("citizen-step");
  const langSelect = document.getElementById("p-lang");
  const caseSelect = document.getElementById("p-case");
  let regions = [];
  let shown = {step: null, text: null, lang: null};
  let previewTimer = null;

  function stepAt(state) {
    const line = state.doc.lineAt(state.selection.main.head).number;
    let step = null;
    for (const [at, id] of regions) {
      if (at > line) break;
      step = id;
    }
    return step;
  }

  function followCursor(state) {
    if (!citizen || !citizenForm) return;
    // Outside any step (the journey's other keys): the page shown stays (at first, the
    // first step's).
    const step = stepAt(state) || shown.step || ids.steps[0];
    if (!step) return;
    clearTimeout(previewTimer);
    previewTimer = setTimeout(() => {
      const text = state.doc.toString();
      const lang = langSelect ? langSelect.value : "fr";
      const persona = caseSelect ? caseSelect.value : "";
      if (step === shown.step && text === shown.text && lang === shown.lang &&
          persona === shown.persona) return;
      shown = {step, text, lang, persona};
      citizenForm.elements.text.value = text;
      citizenForm.elements.preview_step.value = step;
      citizenForm.elements.preview_lang.value = lang;
      citizenForm.elements.preview_case.value = persona;
      citizenForm.submit();
      citizenStep.textContent = citizenStep.dataset.label.replace("{step}", step);
      citizen.dataset.step = step;
      citizen.dataset.previews = String(Number(citizen.dataset.previews || 0) + 1);
    }, PREVIEW_DEBOUNCE_MS);
  }

  // An edit fix is computed by the studio on the text as it is now (ruamel.yaml keeps the
  // rest of it); dropped if the text changed in the meantime.
  labels.applyEdit = async (view, fix) => {
    const text = view.state.doc.toString();
    const response = await fetch("/-/fix", {
      method: "POST",
      credentials: "same-origin",
      headers: {"content-type": "application/json", "x-csrf-token": csrf},
      body: JSON.stringify({path, text, fix: {kind: fix.kind, step: fix.step,
                                              question: fix.question, target: fix.target}}),
    });
    const data = await response.json();
    if (!response.ok) { if (counts) counts.textContent = data.error || ""; return; }
    if (view.state.doc.toString() !== text) return;
    const at = position(view.state.doc, data.line, data.column).from;
    const change = {from: at, to: at + data.length, insert: data.text};
    const spec = {changes: change};
    const todo = data.select ? data.text.indexOf(data.select) : -1;
    if (todo >= 0) spec.selection = {anchor: at + todo, head: at + todo + data.select.length};
    view.dispatch(spec);
    view.focus();
    form.dataset.fixes = String(Number(form.dataset.fixes || 0) + 1);
  };

  const graph = document.getElementById("graph");
  let graphController = null;

  function highlight(state) {
    if (!graph) return;
    const line = state.doc.lineAt(state.selection.main.head).number;
    let best = null;
    for (const box of graph.querySelectorAll("[data-line]")) {
      box.classList.remove("current");
      const at = Number(box.dataset.line);
      if (at <= line && (!best || at > Number(best.dataset.line))) best = box;
    }
    if (best) best.classList.add("current");
  }

  function goToLine(line) {
    const l = view.state.doc.line(Math.min(Math.max(line, 1), view.state.doc.lines));
    view.dispatch({selection: {anchor: l.from}, scrollIntoView: true});
    view.focus();
  }

  const figures = document.getElementById("figures");
  let figuresController = null;
  const query = location.search.includes("lang=en") ? "?lang=en" : "";

  // A fragment drawn by the studio (its own escaped template) for the unsaved text.
  async function fragment(url, text, controller) {
    const response = await fetch(url + query, {
      method: "POST",
      credentials: "same-origin",
      signal: controller.signal,
      headers: {"content-type": "application/json", "x-csrf-token": csrf},
      body: JSON.stringify({path, text}),
    });
    return response.ok ? response.text() : null;
  }

  async function refreshGraph(text) {
    if (graph) {
      if (graphController) graphController.abort();
      graphController = new AbortController();
      try {
        const html = await fragment("/-/graph", text, graphController);
        if (html !== null) { graph.innerHTML = html; highlight(view.state); }
      } catch (e) { /* cancelled by a newer text */ }
    }
    if (figures) {
      if (figuresController) figuresController.abort();
      figuresController = new AbortController();
      try {
        const html = await fragment("/-/figures", text, figuresController);
        if (html !== null) figures.innerHTML = html;
      } catch (e) { /* cancelled by a newer text */ }
    }
  }

  if (graph) {
    graph.addEventListener("click", (event) => {
      const box = event.target.closest("[data-line]");
      if (!box) return;
      event.preventDefault();
      goToLine(Number(box.dataset.line));
    });
  }

  const view = new EditorView({
    doc: textarea.value,
    extensions: [
      basicSetup,
      EditorView.cspNonce.of(form.dataset.nonce || ""),
      yaml(),
      lintGutter(),
      linter(check, {delay: DEBOUNCE_MS}),
      autocompletion({override: [schemaCompletion(() => schema, () => ids)]}),
      EditorView.contentAttributes.of({"aria-label": labels.label, tabindex: "0",
                                       "aria-describedby": "text-hint"}),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) textarea.value = update.state.doc.toString();
        if (update.selectionSet || update.docChanged) {
          highlight(update.state);
          followCursor(update.state);
        }
      }),
    ],
  });
  textarea.hidden = true;
  if (citizen) {
    citizen.hidden = false;
    if (langSelect) langSelect.addEventListener("change", () => followCursor(view.state));
    if (caseSelect) caseSelect.addEventListener("change", () => followCursor(view.state));
  }
  textarea.after(view.dom);
  form.addEventListener("submit", () => { textarea.value = view.state.doc.toString(); });
  const anchor = /^#L(\d+)$/.exec(location.hash);
  if (anchor) goToLine(Number(anchor[1]));
  // For the browser tests: the diagnostics the editor holds, by line.
  window.parcoursStudio = {
    view,
    markers() {
      const out = [];
      forEachDiagnostic(view.state, (d, from) => {
        out.push({line: view.state.doc.lineAt(from).number, severity: d.severity,
                  rule: d.source, message: d.message});
      });
      return out;
    },
  };
}

const form = document.getElementById("editor-form");
if (form) start(form);
