// Field names, types and descriptions from the definition schemas (schemas/*.json, served by
// serve.mjs), for the code pane's completion and hover. Where the caret is in the document is
// worked out from indentation, which YAML and TOON block syntax share, or for JSON from the
// brackets and keys before it.

const cache = new Map();
const load = (kind) => {
  if (!cache.has(kind)) cache.set(kind, fetch(`/schemas/${kind}.json`).then((r) => (r.ok ? r.json() : null)));
  return cache.get(kind);
};

/** The schema a file is checked against, by its place in the workflow folder. */
export function schemaFor(path) {
  if (!/\.(ya?ml|toon|json)$/.test(path)) return null;
  const parts = path.split("/");
  if (parts.length === 2 && /^workflow\./.test(parts[1])) return "workflow";
  if (parts[1] === "activities") return "activity";
  if (parts[1] === "skills") return "skill";
  return null;
}

/** `$ref`s followed and the object or array branch of an `anyOf` taken. */
function resolve(root, schema) {
  for (let i = 0; schema && i < 16; i += 1) {
    if (schema.$ref) schema = root.$defs?.[schema.$ref.replace("#/$defs/", "")];
    else if (schema.anyOf || schema.oneOf) {
      const branches = (schema.anyOf ?? schema.oneOf).map((s) => resolve(root, s)).filter(Boolean);
      schema = branches.find((s) => s.properties || s.items) ?? branches[0];
      break;
    } else break;
  }
  return schema;
}

function typeText(root, schema) {
  if (!schema) return "";
  if (schema.$ref) return schema.$ref.replace("#/$defs/", "");
  if (schema.anyOf || schema.oneOf) return (schema.anyOf ?? schema.oneOf).map((s) => typeText(root, s)).join(" | ");
  if (schema.type === "array") return `${typeText(root, schema.items) || "value"}[]`;
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  return [].concat(schema.type ?? "value").join(" | ");
}

/** Where a key written after `prefix` (the text before it on its line) sits: the keys of its
 * ancestors, `[]` for an array item. `above` holds the lines above, nearest first. */
function pathAt(above, prefix) {
  const m = prefix.match(/^(\s*)(- )?/);
  const path = [];
  let limit = m[1].length;
  if (m[2]) path.push("[]");
  for (const line of above) {
    if (limit === 0) break;
    if (!line.trim() || line.trim().startsWith("#")) continue;
    const indent = line.length - line.trimStart().length;
    if (indent >= limit) continue;
    const rest = line.trimStart();
    if (rest.startsWith("- ")) {
      path.push("[]");
      limit = indent;
      continue;
    }
    const key = rest.match(/^([\w$]+)(\[\d+\])?\s*:/);
    if (key) path.push(key[1]);
    limit = indent;
  }
  return path.reverse();
}

/** Where the caret of a JSON document is, from the text before it: when it is where a key of
 * an object is written, the keys of that object's ancestors (`[]` for an array item) and the
 * part of the key already typed (`quoted` when its opening `"` is); otherwise null. */
export function jsonKeyAt(before) {
  const stack = [];
  for (let i = 0; i < before.length; i += 1) {
    const c = before[i];
    const top = stack.at(-1);
    if (c === '"') {
      let text = "";
      let j = i + 1;
      for (; j < before.length && before[j] !== '"'; j += 1) {
        if (before[j] === "\\") j += 1;
        text += before[j] ?? "";
      }
      if (j >= before.length) {
        return top?.object && top.key === null ? { path: jsonPath(stack), typed: text, quoted: true } : null;
      }
      if (top?.object && top.key === null) top.key = text;
      i = j;
    } else if (c === "{") stack.push({ object: true, key: null });
    else if (c === "[") stack.push({ object: false });
    else if (c === "}" || c === "]") stack.pop();
    else if (c === "," && top?.object) top.key = null;
  }
  const top = stack.at(-1);
  if (!top?.object || top.key !== null) return null;
  const typed = before.match(/[\w$]*$/)[0];
  return { path: jsonPath(stack), typed, quoted: false };
}

/** The keys leading to the innermost open object of `stack`. */
const jsonPath = (stack) => stack.slice(0, -1).map((e) => (e.object ? e.key : "[]"));

async function objectAt(kind, above, prefix) {
  return objectAtPath(kind, pathAt(above, prefix));
}

async function objectAtPath(kind, path) {
  const root = await load(kind);
  if (!root) return null;
  let schema = resolve(root, root);
  for (const step of path) {
    schema = resolve(root, step === "[]" ? schema?.items : schema?.properties?.[step]);
    if (!schema) return null;
  }
  return schema?.properties ? { root, schema } : null;
}

/** The fields of the object a key written after `prefix` belongs to. */
export async function fieldsAt(kind, above, prefix) {
  return fieldsOf(await objectAt(kind, above, prefix));
}

/** The fields of the object at `path` (keys, `[]` for array items) of a document of `kind`. */
export async function fieldsAtPath(kind, path) {
  return fieldsOf(await objectAtPath(kind, path));
}

function fieldsOf(found) {
  if (!found) return [];
  const { root, schema } = found;
  return Object.entries(schema.properties)
    .filter(([name]) => name !== "$schema")
    .map(([name, s]) => ({ name, type: typeText(root, s), description: s.description ?? resolve(root, s)?.description ?? "" }));
}

/** The field `name` written after `prefix`, or null when the object has no such field. */
export async function fieldAt(kind, above, prefix, name) {
  return (await fieldsAt(kind, above, prefix)).find((f) => f.name === name) ?? null;
}
