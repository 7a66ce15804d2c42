// Every @rx pattern of the OWASP CRS 4 rule files (../shared/corpora/crs/rules/*.conf) must compile.
// Skipped with a note when the corpus is absent, except under CI=true, where that is a failure.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeOperator, sharedCorpus } from './operator-test-kit.js';
import { backtrackingRisk } from './pcre-guard.js';
import { parsePcre } from './pcre-parse.js';

interface RxPattern {
  where: string;
  pattern: string;
}

/** The operator argument of every SecRule (continuation lines joined; `\"` unescaped). */
function rxPatterns(dir: string): RxPattern[] {
  const out: RxPattern[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.conf'))
    .sort()) {
    const lines = readFileSync(join(dir, file), 'latin1').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const start = i;
      let line = lines[i];
      while (/\\\r?$/.test(line) && i + 1 < lines.length) line = line.replace(/\\\r?$/, '') + lines[++i];
      const m = /^\s*SecRule\s+\S+\s+"((?:[^"\\]|\\.)*)"/.exec(line);
      if (m === null) continue;
      const operator = m[1].replace(/\\"/g, '"').replace(/^!/, '');
      const rx = /^@rx\s(.*)$/s.exec(operator);
      if (rx !== null) out.push({ where: `${file}:${start + 1}`, pattern: rx[1] });
      else if (!operator.startsWith('@')) out.push({ where: `${file}:${start + 1}`, pattern: operator }); // implicit @rx
    }
  }
  return out;
}

test('all CRS @rx patterns translate', (t) => {
  const dir = sharedCorpus('crs', 'rules');
  if (dir === null) {
    if (process.env.CI === 'true') assert.fail('CRS corpus ../shared/corpora/crs/rules is missing (CI=true)');
    t.skip('CRS corpus ../shared/corpora/crs/rules not found next to the repository');
    return;
  }
  const patterns = rxPatterns(dir);
  assert.ok(patterns.length > 250, `expected the CRS @rx rules, found ${patterns.length}`);
  const failures: string[] = [];
  const onVm: string[] = [];
  for (const { where, pattern } of patterns) {
    try {
      makeOperator('rx', pattern);
      if (backtrackingRisk(parsePcre(pattern, { dotAll: true, multiline: true }).root) !== -1) onVm.push(where);
    } catch (e) {
      failures.push(`${where}: ${(e as Error).message}`);
    }
  }
  t.diagnostic(`${patterns.length} @rx patterns compiled; ${onVm.length} on the linear-time VM: ${onVm.join(', ')}`);
  assert.deepEqual(failures, []);
});

test('CRS @pmFromFile data files load', (t) => {
  const dir = sharedCorpus('crs', 'rules');
  if (dir === null) {
    if (process.env.CI === 'true') assert.fail('CRS corpus ../shared/corpora/crs/rules is missing (CI=true)');
    t.skip('CRS corpus not found');
    return;
  }
  const files = Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.data'))
      .map((f) => [f, readFileSync(join(dir, f), 'latin1')]),
  );
  for (const name of Object.keys(files)) {
    const op = makeOperator('pmFromFile', name, files);
    assert.equal(typeof op.evaluate, 'function', name);
  }
  const shells = makeOperator('pmFromFile', 'unix-shell.data', files);
  assert.equal(shells.evaluate({ capturing: false, capture() {}, expand: (s) => s }, 'x;/BIN/BASH -c id'), true);
  assert.equal(shells.evaluate({ capturing: false, capture() {}, expand: (s) => s }, 'hello world'), false);
});
