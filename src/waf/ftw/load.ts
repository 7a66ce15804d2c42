// Loads go-ftw regression YAML (ftw-tests-schema v2, plus the older `stage:` wrapper, list-form
// `data` and `log_contains`) into the model in types.ts. The YAML is read with the failsafe schema so
// every scalar stays the text the author wrote (go-ftw unmarshals headers into strings: `Keep-Alive:
// 300` is "300", `1.0` stays "1.0"); numbers and booleans are converted only where the schema says so.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import {
  emptyOutput,
  type FtwFile,
  type FtwHeader,
  type FtwInput,
  type FtwOutput,
  type FtwResponseSpec,
  type FtwStage,
  type FtwTest,
} from './types.js';

export class FtwLoadError extends Error {
  override name = 'FtwLoadError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

type Node = unknown;
type Obj = Record<string, Node>;

function isObj(v: Node): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: Node): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** go-yaml's bool forms (YAML 1.2 core plus the 1.1 words go-yaml v3 still accepts for bools). */
function bool(v: Node, what: string): boolean | undefined {
  if (v === undefined || v === '') return undefined;
  if (typeof v === 'string') {
    if (/^(true|True|TRUE|yes|on)$/.test(v)) return true;
    if (/^(false|False|FALSE|no|off)$/.test(v)) return false;
  }
  throw new Error(`${what}: not a boolean: ${JSON.stringify(v)}`);
}

function uint(v: Node, what: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v.trim());
  throw new Error(`${what}: not a non-negative integer: ${JSON.stringify(v)}`);
}

function uintList(v: Node, what: string): number[] {
  if (v === undefined || v === '') return [];
  const items = Array.isArray(v) ? v : [v];
  return items.map((x, i) => uint(x, `${what}[${i}]`) ?? 0);
}

/** Headers as a map (go-ftw sends them sorted by name) or as a list of {name, value}. */
function headers(v: Node, what: string): FtwHeader[] {
  if (v === undefined || v === '') return [];
  if (Array.isArray(v)) {
    return v.map((h, i) => {
      if (!isObj(h)) throw new Error(`${what}[${i}]: expected {name, value}`);
      return { name: str(h.name) ?? '', value: str(h.value) ?? '' };
    });
  }
  if (!isObj(v)) throw new Error(`${what}: expected a map`);
  // Go's sort.Strings order: by bytes, which for these names is by UTF-16 code unit as well.
  return Object.keys(v)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => ({ name, value: str(v[name]) ?? '' }));
}

function data(v: Node): string | undefined {
  if (v === undefined) return undefined;
  // The original ftw allowed a list of lines; they are sent joined with CRLF.
  if (Array.isArray(v)) return v.map((x) => str(x) ?? '').join('\r\n');
  return str(v);
}

function responseSpec(v: Node, what: string): FtwResponseSpec | undefined {
  if (v === undefined || v === '') return undefined;
  if (!isObj(v)) throw new Error(`${what}: expected a map`);
  return {
    status: uint(v.status, `${what}.status`),
    headers: headers(v.headers, `${what}.headers`),
    body: str(v.body),
    encodedBody: str(v.encoded_body),
  };
}

function input(v: Node, what: string): FtwInput {
  if (!isObj(v)) throw new Error(`${what}: expected a map`);
  const autocomplete = bool(v.autocomplete_headers, `${what}.autocomplete_headers`);
  const stopMagic = bool(v.stop_magic, `${what}.stop_magic`);
  const uris = v.uris === undefined ? undefined : (Array.isArray(v.uris) ? v.uris : [v.uris]).map((u) => str(u) ?? '');
  return {
    destAddr: str(v.dest_addr),
    port: uint(v.port, `${what}.port`),
    protocol: str(v.protocol),
    method: str(v.method),
    uri: str(v.uri),
    uris,
    version: str(v.version),
    headers: headers(v.headers, `${what}.headers`),
    data: data(v.data),
    encodedData: str(v.encoded_data),
    encodedRequest: str(v.encoded_request) || undefined,
    rawRequest: str(v.raw_request) || undefined,
    // stop_magic is the inverse of autocomplete_headers and only counts when the latter is absent.
    autocompleteHeaders: autocomplete ?? (stopMagic === undefined ? true : !stopMagic),
    response: responseSpec(v.response, `${what}.response`),
  };
}

export function parseOutput(v: Node, what: string): FtwOutput {
  const out = emptyOutput();
  if (v === undefined || v === '') return out;
  if (!isObj(v)) throw new Error(`${what}: expected a map`);
  const log = v.log === undefined || v.log === '' ? {} : v.log;
  if (!isObj(log)) throw new Error(`${what}.log: expected a map`);
  const status = uint(v.status, `${what}.status`);
  if (status) out.status = status;
  const contains = str(v.response_contains);
  if (contains) out.responseContains = contains;
  out.log.expectIds = uintList(log.expect_ids, `${what}.log.expect_ids`);
  out.log.noExpectIds = uintList(log.no_expect_ids, `${what}.log.no_expect_ids`);
  // log_contains / no_log_contains are the deprecated spellings of match_regex / no_match_regex.
  const match = str(log.match_regex) || str(v.log_contains);
  if (match) out.log.matchRegex = match;
  const noMatch = str(log.no_match_regex) || str(v.no_log_contains);
  if (noMatch) out.log.noMatchRegex = noMatch;
  out.expectError = bool(v.expect_error, `${what}.expect_error`) ?? false;
  out.isolated = bool(v.isolated, `${what}.isolated`) ?? false;
  return out;
}

function stage(v: Node, what: string): FtwStage {
  if (!isObj(v)) throw new Error(`${what}: expected a map`);
  // The older layout wraps input/output in `stage:`.
  const s = isObj(v.stage) ? v.stage : v;
  return { input: input(s.input, `${what}.input`), output: parseOutput(s.output, `${what}.output`) };
}

/** Parses one file's text; `path` names it in errors and supplies rule_id when the YAML lacks it. */
export function parseFtwFile(text: string, path: string): FtwFile {
  let doc: Node;
  try {
    doc = parse(text, { schema: 'failsafe' });
  } catch (e) {
    throw new FtwLoadError(path, (e as Error).message.split('\n')[0] ?? 'invalid YAML');
  }
  // A file of comments only is an empty document: no tests (go-ftw unmarshals it to zero values).
  if (doc === undefined || doc === null || doc === '') doc = {};
  try {
    if (!isObj(doc)) throw new Error('expected a map at the top level');
    let ruleId = uint(doc.rule_id, 'rule_id');
    if (ruleId === undefined) {
      // go-ftw falls back on the first number in the file name.
      const m = /\d+/.exec(basename(path));
      if (!m) throw new Error('rule_id is missing and the file name has no number');
      ruleId = Number(m[0]);
    }
    const tests = doc.tests === undefined || doc.tests === '' ? [] : doc.tests;
    if (!Array.isArray(tests)) throw new Error('tests: expected a list');
    const out: FtwTest[] = tests.map((t, i) => {
      const what = `tests[${i}]`;
      if (!isObj(t)) throw new Error(`${what}: expected a map`);
      const testId = uint(t.test_id, `${what}.test_id`) || i + 1;
      const stages = t.stages === undefined || t.stages === '' ? [] : t.stages;
      if (!Array.isArray(stages)) throw new Error(`${what}.stages: expected a list`);
      return {
        ruleId: ruleId as number,
        testId,
        idString: `${ruleId}-${testId}`,
        title: str(t.test_title),
        description: str(t.desc),
        stages: stages.map((s, j) => stage(s, `${what}.stages[${j}]`)),
      };
    });
    return { path, ruleId, tests: out };
  } catch (e) {
    throw new FtwLoadError(path, (e as Error).message);
  }
}

export function loadFtwFile(path: string): FtwFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new FtwLoadError(path, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
  return parseFtwFile(text, path);
}

/** Every *.yaml / *.yml below `dir`, in path order. */
export function findFtwFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/i.test(name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

export interface LoadedSuite {
  files: FtwFile[];
  errors: FtwLoadError[];
}

/** Loads every test file below `dir`; a broken file is reported, not fatal. */
export function loadFtwSuite(dir: string): LoadedSuite {
  const files: FtwFile[] = [];
  const errors: FtwLoadError[] = [];
  for (const p of findFtwFiles(dir)) {
    try {
      files.push(loadFtwFile(p));
    } catch (e) {
      if (e instanceof FtwLoadError) errors.push(e);
      else throw e;
    }
  }
  return { files, errors };
}
