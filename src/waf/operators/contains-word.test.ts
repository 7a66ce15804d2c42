import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from './operator-test-kit.js';

test('@containsWord: whole-word occurrence (words are runs of ASCII letters)', () => {
  const cases: [string, string, boolean][] = [
    ['select', 'select * from t', true],
    ['select', 'selected', false],
    ['select', 'xselect', false],
    ['select', 'a select', true],
    ['select', '1select2', true],
    ['select', '_select_', true],
    ['select', 'SELECT x', false],
    ['select', 'selects select', true],
    ['select', 'select', true],
    ['', 'x', true],
    ['x', '', false],
    ['%{tx.word}', 'admin=1', true],
    ['%{tx.word}', 'sysadmin', false],
    ['select', 'select\xe9', true],
  ];
  for (const [param, value, want] of cases) {
    assert.equal(
      evaluate('containsWord', param, value, { 'tx.word': 'admin' }),
      want,
      `${JSON.stringify(value)} @containsWord ${param}`,
    );
  }
});
