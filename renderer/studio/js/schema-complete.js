// Completion of journey YAML from the journey JSON Schema (schemas/journey.schema.json,
// served by the studio at /-/schema.json): key names where a key is typed, enumerated
// values after a key (question types…), and the journey's step and outcome ids after
// `goto:` and `start:` (from the last check of the text).

const KEY_LINE = /^(\s*)(-\s+)?([\w-]*)$/;
const VALUE_LINE = /^(\s*)(-\s+)?([\w-]+):\s+([\w-]*)$/;
const ANY_KEY = /^(\s*)(-\s+)?([\w.-]+)\s*:(.*)$/;

function resolve(schema, node) {
  let n = node;
  for (let i = 0; n && n.$ref && i < 20; i++) {
    n = schema.$defs[n.$ref.replace("#/$defs/", "")];
  }
  return n || {};
}

// Every concrete variant a node may be (anyOf/oneOf flattened, refs resolved).
function variants(schema, node) {
  const n = resolve(schema, node);
  const alts = n.anyOf || n.oneOf;
  if (!alts) return [n];
  return alts.flatMap((a) => variants(schema, a));
}

function child(schema, nodes, key) {
  const out = [];
  for (const node of nodes) {
    if (key === "[]") {
      if (node.items) out.push(...variants(schema, node.items));
      continue;
    }
    if (node.properties && node.properties[key]) {
      out.push(...variants(schema, node.properties[key]));
      continue;
    }
    if (node.patternProperties) {
      for (const [pattern, sub] of Object.entries(node.patternProperties)) {
        if (pattern !== "^x-" && new RegExp(pattern).test(key)) {
          out.push(...variants(schema, sub));
          break;
        }
      }
    }
  }
  return out;
}

function indentOf(text) {
  const m = /^(\s*)(-\s+)?/.exec(text);
  return m[1].length + (m[2] ? m[2].length : 0);
}

// The YAML path of the mapping the cursor's line belongs to: ["steps", "a", "next", "[]"].
// Also the `type:` written beside the cursor (it chooses the question's variant).
function context(doc, lineNumber, lineText) {
  const path = [];
  let indent = indentOf(lineText);
  let type = null;
  if (/^\s*-\s/.test(lineText)) path.unshift("[]");
  const mine = indent;
  for (let n = lineNumber - 1; n >= 1 && indent > 0; n--) {
    const text = doc.line(n).text;
    if (!text.trim() || text.trim().startsWith("#")) continue;
    const item = /^(\s*)-\s/.exec(text);
    const bare = item ? item[1].length : /^\s*/.exec(text)[0].length;
    const m = ANY_KEY.exec(text);
    if (indentOf(text) === mine && item === null && m && m[3] === "type" && indent === mine) {
      type = m[4].trim();
    }
    if (item && bare < indent && indentOf(text) === indent && path[0] !== "[]") {
      // a sibling key on the item's own line: `- goto: x` while we are on `when:`
      if (m && m[3] === "type") type = m[4].trim();
      path.unshift("[]");
      indent = bare;
      continue;
    }
    if (bare < indent && m && !m[4].trim()) {
      path.unshift(m[3]);
      indent = bare;
    } else if (item && bare < indent) {
      indent = bare;
    }
  }
  return {path, type};
}

function nodesAt(schema, path) {
  let nodes = variants(schema, schema);
  for (const key of path) nodes = child(schema, nodes, key);
  return nodes;
}

function byType(nodes, type) {
  if (!type) return nodes;
  const kept = nodes.filter((n) => {
    const t = n.properties && n.properties.type;
    return t && (t.const === type || (t.enum && t.enum.includes(type)));
  });
  return kept.length ? kept : nodes;
}

function enumValues(schema, nodes) {
  const out = new Set();
  for (const n of nodes) {
    for (const v of variants(schema, n)) {
      if (v.const !== undefined) out.add(String(v.const));
      for (const e of v.enum || []) out.add(String(e));
    }
  }
  return [...out];
}

export function schemaCompletion(getSchema, getIds) {
  return (ctx) => {
    const schema = getSchema();
    const line = ctx.state.doc.lineAt(ctx.pos);
    const before = line.text.slice(0, ctx.pos - line.from);
    const value = VALUE_LINE.exec(before);
    if (value) {
      const key = value[3];
      const from = ctx.pos - value[4].length;
      if (key === "goto" || key === "start") {
        const ids = getIds();
        const options = [...ids.steps.map((id) => ({label: id, type: "class", detail: "étape"})),
          ...ids.outcomes.map((id) => ({label: id, type: "constant", detail: "issue"}))];
        return {from, options, validFor: /^[\w-]*$/};
      }
      if (!schema) return null;
      const {path, type} = context(ctx.state.doc, line.number, line.text);
      const nodes = child(schema, byType(nodesAt(schema, path), type), key);
      const values = enumValues(schema, nodes);
      if (!values.length) return null;
      return {from, options: values.map((v) => ({label: v, type: "enum"})), validFor: /^[\w-]*$/};
    }
    const keyMatch = KEY_LINE.exec(before);
    if (!keyMatch || !schema || (!ctx.explicit && !keyMatch[3])) return null;
    const {path, type} = context(ctx.state.doc, line.number, line.text);
    const nodes = byType(nodesAt(schema, path), type);
    const options = [];
    const seen = new Set();
    for (const n of nodes) {
      for (const [key, sub] of Object.entries(n.properties || {})) {
        if (seen.has(key)) continue;
        seen.add(key);
        const info = resolve(schema, sub).description || sub.description || "";
        options.push({label: key, apply: `${key}: `, type: "property", info});
      }
    }
    if (!options.length) return null;
    return {from: ctx.pos - keyMatch[3].length, options, validFor: /^[\w-]*$/};
  };
}

export const _forTests = {context, nodesAt};
