// Parses every module, query and input term of OPA's v1 conformance cases (../shared/corpora next to
// the repo). Cases that do not expect a rego_parse_error must parse; those that do must fail to.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { RegoErrors } from './errors.js';
import { parseModule, parseQuery, parseTerm } from './parser.js';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the test file');
    dir = up;
  }
  return dir;
}

const corpus = join(repoRoot(), '..', 'shared', 'corpora', 'opa-conformance', 'v1');

interface Case {
  note?: string;
  query?: string;
  modules?: string[];
  input_term?: string;
  want_error_code?: string;
}

function caseFiles(): string[] {
  const out: string[] = [];
  for (const dir of readdirSync(corpus, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const f of readdirSync(join(corpus, dir.name))) {
      if (f.endsWith('.yaml') || f.endsWith('.yml')) out.push(join(corpus, dir.name, f));
    }
  }
  return out.sort();
}

/** The first parse error of a case, or null when everything parses. */
function parseCase(c: Case, file: string): RegoErrors | null {
  try {
    for (const [i, m] of (c.modules ?? []).entries()) parseModule(m, `${file}#${i}`);
    if (c.query !== undefined) parseQuery(c.query);
    if (c.input_term !== undefined) parseTerm(c.input_term);
    return null;
  } catch (e) {
    if (e instanceof RegoErrors) return e;
    throw e;
  }
}

test('every module in the OPA v1 conformance corpus parses', (t) => {
  if (!existsSync(corpus)) {
    if (process.env.CI === 'true') assert.fail(`conformance corpus missing at ${corpus}`);
    t.skip(`conformance corpus not found at ${corpus}`);
    return;
  }
  const failures: string[] = [];
  let cases = 0;
  for (const file of caseFiles()) {
    const doc = parseYaml(readFileSync(file, 'utf8')) as { cases?: Case[] } | null;
    for (const c of doc?.cases ?? []) {
      cases++;
      const err = parseCase(c, file);
      const wantParseError = c.want_error_code === 'rego_parse_error';
      if (err && !wantParseError) failures.push(`${c.note}: ${err.message}`);
      if (!err && wantParseError) failures.push(`${c.note}: expected a parse error`);
    }
  }
  t.diagnostic(`${cases} cases, ${failures.length} failures`);
  assert.ok(cases > 0, 'no cases found');
  assert.deepEqual(failures, []);
});
