import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from './operator-test-kit.js';

test('@gt: value > parameter, as 64-bit leading integers (non-numeric → 0)', () => {
  const cases: [string, string, boolean][] = [
    ['5', '5', false],
    ['5', '6', true],
    ['5', '4', false],
    ['0', '', false],
    ['1', 'abc', false],
    ['10', '9x', false],
    ['-1', '-2', false],
    ['100', '99999999999999999999', true],
    ['%{tx.limit}', '7', false],
    ['%{tx.limit}', '8', true],
    ['%{tx.limit}', '6', false],
  ];
  for (const [param, value, want] of cases) {
    assert.equal(evaluate('gt', param, value, { 'tx.limit': '7' }), want, `${value} @gt ${param}`);
  }
});
