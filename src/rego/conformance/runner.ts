// Runs OPA's conformance cases (YAML files of `cases:`) the way OPA's own test runner does:
// modules are test-<i>.rego, data is the store, input (or input_term) the input; the query's
// solutions are compared with want_result as a set of binding objects (values sorted first with
// sort_bindings), and expected errors by code and message substring.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Term } from '../ast.js';
import { RegoError, RegoErrors } from '../errors.js';
import { prepare } from '../index.js';
import { parseTerm } from '../parser.js';
import { canonical, compare, fromJSON, RObject, RSet, toJSON, type Value } from '../value.js';

export interface ConformanceCase {
  note: string;
  query: string;
  modules?: string[];
  data?: unknown;
  input?: unknown;
  input_term?: string;
  want_result?: Record<string, unknown>[];
  want_error_code?: string;
  want_error?: string;
  strict_error?: boolean;
  sort_bindings?: boolean;
}

export interface CaseResult {
  /** File relative to the suite root. */
  file: string;
  /** Top-level directory of the file. */
  dir: string;
  note: string;
  pass: boolean;
  reason?: string;
}

function yamlFiles(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (name.endsWith('.yaml') || name.endsWith('.yml')) out.push(p);
  }
  return out;
}

export function loadCases(root: string): { file: string; dir: string; c: ConformanceCase }[] {
  const out: { file: string; dir: string; c: ConformanceCase }[] = [];
  for (const f of yamlFiles(root, [])) {
    const rel = path.relative(root, f);
    const dir = rel.split(path.sep)[0] ?? rel;
    const doc = parseYaml(readFileSync(f, 'utf8'), { intAsBigInt: false }) as { cases?: ConformanceCase[] } | null;
    for (const c of doc?.cases ?? []) out.push({ file: rel, dir, c });
  }
  return out;
}

/** A constant Rego term (input_term) as a value. */
function termValue(t: Term): Value {
  switch (t.type) {
    case 'null':
      return null;
    case 'boolean':
    case 'number':
    case 'string':
      return t.value;
    case 'array':
      return t.items.map(termValue);
    case 'set':
      return RSet.from(t.items.map(termValue));
    case 'object':
      return RObject.from(t.items.map(([k, v]) => [termValue(k), termValue(v)] as [Value, Value]));
    default:
      throw new Error(`input_term is not a constant (${t.type})`);
  }
}

/** A binding object in canonical text form; array values sorted when asked (sort_bindings). */
function bindingKey(b: Record<string, unknown>, sort: boolean): string {
  const o = new RObject();
  for (const [k, v] of Object.entries(b)) {
    let val = fromJSON(v);
    if (sort && Array.isArray(val)) val = [...val].sort(compare);
    o.set(k, val);
  }
  return canonical(o);
}

function errorText(e: unknown): { code: string; text: string } {
  if (e instanceof RegoErrors) {
    const n = e.errors.length;
    const head = n === 1 ? '1 error occurred: ' : `${n} errors occurred:\n`;
    return { code: e.code, text: head + e.errors.map((x) => x.toString()).join('\n') };
  }
  if (e instanceof RegoError) return { code: e.code, text: e.toString() };
  return { code: 'crash', text: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}

export function runCase(c: ConformanceCase): { pass: boolean; reason?: string } {
  const wantsError = c.want_error_code !== undefined || c.want_error !== undefined;
  const strict = c.strict_error === true;
  let rows: Record<string, Value>[];
  try {
    const modules = (c.modules ?? []).map((text, i) => ({ file: `test-${i}.rego`, text }));
    const policy = prepare(modules, { data: c.data ?? {}, strictBuiltinErrors: strict });
    let input: unknown;
    if (c.input_term !== undefined) input = termValue(parseTerm(c.input_term));
    else if ('input' in c) input = c.input;
    rows = policy.query(c.query, input, { strictBuiltinErrors: strict, nowNs: BigInt(Date.now()) * 1_000_000n });
  } catch (e) {
    const { code, text } = errorText(e);
    if (code === 'crash') return { pass: false, reason: `crash: ${text}` };
    if (!wantsError) return { pass: false, reason: `unexpected error: ${text}` };
    if (c.want_error_code !== undefined && c.want_error_code !== code) {
      return { pass: false, reason: `want error code ${c.want_error_code}, got ${text}` };
    }
    if (c.want_error !== undefined && !text.includes(c.want_error)) {
      return { pass: false, reason: `want error containing ${JSON.stringify(c.want_error)}, got ${text}` };
    }
    return { pass: true };
  }
  if (wantsError) {
    return {
      pass: false,
      reason: `want error ${c.want_error_code ?? ''} ${c.want_error ?? ''}, got ${JSON.stringify(rows.map((r) => toJSONRow(r)))}`,
    };
  }
  if (c.want_result === undefined) return { pass: true };
  const sort = c.sort_bindings === true;
  const want = new Set(c.want_result.map((b) => bindingKey(b ?? {}, sort)));
  const got = new Set(rows.map((r) => bindingKey(toJSONRow(r), sort)));
  const same = want.size === got.size && [...want].every((w) => got.has(w));
  if (same) return { pass: true };
  return { pass: false, reason: `want ${[...want].join(' ')}; got ${[...got].join(' ')}` };
}

function toJSONRow(r: Record<string, Value>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) o[k] = toJSON(v);
  return o;
}

export function runSuite(root: string, filter?: (note: string) => boolean): CaseResult[] {
  const out: CaseResult[] = [];
  for (const { file, dir, c } of loadCases(root)) {
    if (filter && !filter(c.note)) continue;
    const r = runCase(c);
    out.push({ file, dir, note: c.note, ...r });
  }
  return out;
}

/** `file :: note` of every case key whose cases all pass, sorted. */
export function passingKeys(results: CaseResult[]): string[] {
  const ok = new Map<string, boolean>();
  for (const r of results) {
    const k = `${r.file} :: ${r.note}`;
    ok.set(k, (ok.get(k) ?? true) && r.pass);
  }
  return [...ok]
    .filter(([, v]) => v)
    .map(([k]) => k)
    .sort();
}
