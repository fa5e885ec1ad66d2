#!/usr/bin/env node
// Validates Kubernetes objects against the OpenAPI schemas that kubernetes-models ships.
//
// usage: node validate.mjs [--json] [FILE|- ...]     (no FILE: read stdin)
//
// Input: multi-document YAML or JSON; a `kind: List` is expanded into its items.
// Each object is classified as
//   valid    its apiVersion+kind is a built-in Kubernetes kind and the object matches the schema;
//   invalid  schema errors (with JSON-pointer paths), a kind unknown in a known built-in group,
//            a missing apiVersion/kind/metadata.name, or the same object twice;
//   skipped  its group is not built into Kubernetes (a custom resource such as kuroku.dev WebApp or
//            monitoring.coreos.com ServiceMonitor): reported, never silently passed.
// Limitation: the shipped schemas do not forbid unknown fields, so a misspelled field name is not
// caught here (the API server's strict field validation would catch it).
//
// Exit code: 0 when nothing is invalid, 1 when any object is invalid, 2 on bad usage or unreadable
// or unparsable input.

import { readFile } from "node:fs/promises";
import { parseAllDocuments } from "yaml";

const args = process.argv.slice(2);
const json = args.includes("--json");
const inputs = args.filter((a) => a !== "--json");
if (inputs.some((a) => a.startsWith("--") || a === "-h")) {
  process.stderr.write("usage: node validate.mjs [--json] [FILE|- ...]\n");
  process.exit(2);
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads every source and parses it into plain objects; returns null after reporting a parse error. */
async function load(source) {
  let text;
  try {
    text = source === "-" ? await readStdin() : await readFile(source, "utf8");
  } catch (e) {
    process.stderr.write(`error: cannot read ${source}: ${e.message}\n`);
    return null;
  }
  const docs = parseAllDocuments(text, { prettyErrors: true });
  const objects = [];
  for (const [i, doc] of docs.entries()) {
    if (doc.errors.length > 0) {
      process.stderr.write(`error: ${source}: document ${i + 1} is not valid YAML: ${doc.errors[0].message}\n`);
      return null;
    }
    const value = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue; // an empty document (for example a template that rendered nothing)
    if (typeof value === "object" && !Array.isArray(value) && value.kind === "List" && Array.isArray(value.items)) {
      value.items.forEach((item, j) => objects.push({ source: `${source}#${i + 1}.items[${j}]`, value: item }));
    } else {
      objects.push({ source: `${source}#${i + 1}`, value });
    }
  }
  return objects;
}

const groupModules = new Map();

/** The kubernetes-models module of a group/version, or null when Kubernetes has no such built-in group. */
async function groupModule(apiVersion) {
  if (!groupModules.has(apiVersion)) {
    let mod = null;
    // An apiVersion is "v1" (core) or "group/version"; anything else cannot name a module.
    if (/^([a-z0-9.-]+\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(apiVersion)) {
      try {
        mod = await import(`kubernetes-models/${apiVersion}`);
      } catch (e) {
        if (e.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED" && e.code !== "ERR_MODULE_NOT_FOUND") throw e;
      }
    }
    groupModules.set(apiVersion, mod);
  }
  return groupModules.get(apiVersion);
}

function describeError(err) {
  const path = err.instancePath === "" ? "/" : err.instancePath;
  let message = err.message ?? err.keyword;
  if (err.keyword === "required") message = `missing required field "${err.params.missingProperty}"`;
  else if (err.keyword === "enum") message = `must be one of ${JSON.stringify(err.params.allowedValues)}`;
  else if (err.keyword === "type") message = `must be of type ${err.params.type}`;
  else if (err.keyword === "format") message = `must match format "${err.params.format}"`;
  return { path, message };
}

async function check(entry, seen) {
  const obj = entry.value;
  const result = { source: entry.source, apiVersion: null, kind: null, namespace: null, name: null, status: "valid", errors: [] };
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
    result.status = "invalid";
    result.errors.push({ path: "/", message: "a Kubernetes object must be a mapping" });
    return result;
  }
  result.apiVersion = typeof obj.apiVersion === "string" ? obj.apiVersion : null;
  result.kind = typeof obj.kind === "string" ? obj.kind : null;
  result.name = typeof obj.metadata?.name === "string" ? obj.metadata.name : null;
  result.namespace = typeof obj.metadata?.namespace === "string" ? obj.metadata.namespace : null;
  if (!result.apiVersion) result.errors.push({ path: "/apiVersion", message: "missing required field \"apiVersion\"" });
  if (!result.kind) result.errors.push({ path: "/kind", message: "missing required field \"kind\"" });
  if (!result.name && !obj.metadata?.generateName) {
    result.errors.push({ path: "/metadata/name", message: "missing required field \"name\"" });
  }
  if (result.apiVersion && result.kind && result.name) {
    const key = `${result.apiVersion}|${result.kind}|${result.namespace ?? ""}|${result.name}`;
    if (seen.has(key)) result.errors.push({ path: "/metadata/name", message: `duplicate object: same kind and name as ${seen.get(key)}` });
    else seen.set(key, entry.source);
  }
  if (result.apiVersion && result.kind) {
    const mod = await groupModule(result.apiVersion);
    if (mod === null) {
      if (result.errors.length === 0) {
        result.status = "skipped";
        result.reason = `${result.apiVersion} is not a built-in Kubernetes API; its schema is unknown here`;
        return result;
      }
    } else {
      const model = Object.values(mod).find(
        (m) => typeof m === "function" && m.kind === result.kind && m.apiVersion === result.apiVersion,
      );
      if (!model) {
        result.errors.push({ path: "/kind", message: `${result.apiVersion} has no kind "${result.kind}"` });
      } else {
        try {
          new model(obj).validate();
        } catch (e) {
          if (!Array.isArray(e.errors)) throw e;
          result.errors.push(...e.errors.map(describeError));
        }
      }
    }
  }
  if (result.errors.length > 0) result.status = "invalid";
  return result;
}

const sources = inputs.length === 0 ? ["-"] : inputs;
const entries = [];
for (const source of sources) {
  const objects = await load(source);
  if (objects === null) process.exit(2);
  entries.push(...objects);
}

const seen = new Map();
const results = [];
for (const entry of entries) results.push(await check(entry, seen));

const count = (status) => results.filter((r) => r.status === status).length;
const summary = { valid: count("valid"), invalid: count("invalid"), skipped: count("skipped") };
if (json) {
  process.stdout.write(JSON.stringify({ objects: results, summary }, null, 2) + "\n");
} else {
  for (const r of results) {
    const what = `${r.kind ?? "?"} ${r.namespace ? r.namespace + "/" : ""}${r.name ?? "?"} (${r.apiVersion ?? "?"}, ${r.source})`;
    if (r.status === "valid") process.stdout.write(`ok       ${what}\n`);
    else if (r.status === "skipped") process.stdout.write(`skipped  ${what}: ${r.reason}\n`);
    else {
      process.stdout.write(`INVALID  ${what}\n`);
      for (const e of r.errors) process.stdout.write(`           ${e.path}: ${e.message}\n`);
    }
  }
  process.stdout.write(`${summary.valid} valid, ${summary.invalid} invalid, ${summary.skipped} skipped\n`);
}
process.exit(summary.invalid > 0 ? 1 : 0);
