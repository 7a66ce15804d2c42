import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from './operator-test-kit.js';

test('@le: value <= parameter, as 64-bit leading integers (non-numeric → 0)', () => {
  const cases: [string, string, boolean][] = [
    ['5', '5', true],
    ['5', '6', false],
    ['5', '4', true],
    ['0', '', true],
    ['1', 'abc', true],
    ['10', '9x', true],
    ['-1', '-2', true],
    ['100', '99999999999999999999', false],
    ['%{tx.limit}', '7', true],
    ['%{tx.limit}', '8', false],
    ['%{tx.limit}', '6', true],
  ];
  for (const [param, value, want] of cases) {
    assert.equal(evaluate('le', param, value, { 'tx.limit': '7' }), want, `${value} @le ${param}`);
  }
});
