// The CRS go-ftw regression suite (../shared/corpora/crs/regression/tests) against the engine, with
// CRS's test configuration and the ShieldX overrides: every test listed in the committed
// src/waf/ftw/expected-pass.txt must still pass. Regenerate the list after engine work with
//   node --import tsx src/waf/ftw/main.ts --list-passing src/waf/ftw/expected-pass.txt
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadFtwSuite } from './load.js';
import { applyOverrides, loadOverrides } from './overrides.js';
import { DEFAULT_CRS, EXPECTED_PASS, SHIELDX_OVERRIDES } from './paths.js';
import { formatFailure } from './report.js';
import { FtwRunner } from './runner.js';
import { buildCrsEngine } from './setup.js';
import type { FtwTest } from './types.js';

const testsDir = join(DEFAULT_CRS, 'regression', 'tests');
const present = existsSync(join(DEFAULT_CRS, 'rules')) && existsSync(testsDir);

if (!present) {
  const reason = `${DEFAULT_CRS} (CRS rules and regression tests) is absent`;
  if (process.env.CI === 'true') {
    test('the CRS corpus is present in CI', () => assert.fail(reason));
  } else {
    console.log(`# skipping the CRS regression suite: ${reason}`);
    test('CRS go-ftw regression suite', { skip: reason }, () => {});
  }
} else {
  const listed = readFileSync(EXPECTED_PASS, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const { files, errors } = loadFtwSuite(testsDir);
  applyOverrides(files, loadOverrides(SHIELDX_OVERRIDES));
  const crs = await buildCrsEngine({ crsDir: DEFAULT_CRS });
  const runner = new FtwRunner(crs.engine, crs.ruleSet, { disabled: crs.disabled });

  const byId = new Map<string, { test: FtwTest; file: string }>();
  for (const f of files) for (const t of f.tests) byId.set(t.idString, { test: t, file: f.path });

  test('the expected-pass list names tests of the corpus, and the corpus loads', () => {
    assert.deepEqual(
      errors.map((e) => e.message),
      [],
    );
    assert.ok(listed.length > 0, `${EXPECTED_PASS} is empty`);
    const unknown = listed.filter((id) => !byId.has(id));
    assert.deepEqual(unknown, [], 'listed tests missing from the corpus');
    assert.equal(new Set(listed).size, listed.length, 'the list repeats an id');
  });

  // One top-level test per rule: each gets its own timeout (a few rules have very large inputs).
  const byRule = new Map<number, string[]>();
  for (const id of listed) {
    const entry = byId.get(id);
    if (entry) byRule.set(entry.test.ruleId, [...(byRule.get(entry.test.ruleId) ?? []), id]);
  }
  for (const [rule, ids] of [...byRule].sort((a, b) => a[0] - b[0])) {
    test(`CRS rule ${rule}: ${ids.length} expected-pass tests still pass`, () => {
      const failures: string[] = [];
      for (const id of ids) {
        const entry = byId.get(id);
        if (!entry) continue;
        const r = runner.runTest(entry.test, entry.file);
        if (!r.pass) failures.push(formatFailure(r));
      }
      assert.equal(failures.length, 0, `${failures.length} regressions:\n${failures.slice(0, 20).join('\n')}`);
    });
  }
}
