// Runs OPA's conformance suite (../shared/corpora/opa-conformance/v1) and checks that every case
// listed in expected-pass.txt still passes. Regenerate the list with
// `node --import tsx src/rego/conformance/main.ts --list-passing src/rego/conformance/expected-pass.txt`.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { defaultSuiteDir, repoRoot } from './main.js';
import { passingKeys, runSuite } from './runner.js';

const suite = defaultSuiteDir();
const listFile = path.join(repoRoot(), 'src', 'rego', 'conformance', 'expected-pass.txt');

test('OPA conformance: every case in expected-pass.txt passes', (t) => {
  if (!existsSync(suite)) {
    if (process.env.CI === 'true') assert.fail(`conformance suite missing at ${suite}`);
    t.skip(`conformance suite not found at ${suite}`);
    return;
  }
  const expected = readFileSync(listFile, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  assert.ok(expected.length > 0, 'expected-pass.txt is empty');
  const results = runSuite(suite);
  const passing = new Set(passingKeys(results));
  const reasons = new Map(results.filter((r) => !r.pass).map((r) => [`${r.file} :: ${r.note}`, r.reason ?? '']));
  const regressed = expected.filter((k) => !passing.has(k));
  assert.deepEqual(
    regressed.map((k) => `${k}: ${reasons.get(k) ?? 'case not found'}`),
    [],
    `${regressed.length} conformance case(s) regressed`,
  );
});
