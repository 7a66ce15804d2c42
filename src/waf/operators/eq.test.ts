import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from './operator-test-kit.js';

test('@eq compares leading integers (32-bit, non-numeric → 0)', () => {
  const cases: [string, string, boolean][] = [
    ['5', '5', true],
    ['5', '6', false],
    ['0', '', true],
    ['0', 'abc', true],
    ['5', '5abc', true],
    ['-3', ' -3', true],
    ['10', '010', true],
    ['0', '2147483648', true], // out of int range reads as 0
    ['1', '1.9', true],
    ['abc', '0', true],
    ['%{tx.n}', '3', true],
    ['%{tx.n}', '4', false],
  ];
  for (const [param, value, want] of cases) {
    assert.equal(evaluate('eq', param, value, { 'tx.n': '3' }), want, `${value} @eq ${param}`);
  }
});
