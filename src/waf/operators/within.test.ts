import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from './operator-test-kit.js';

test('@within: the value occurs in the parameter (substring; empty value always)', () => {
  const cases: [string, string, boolean][] = [
    ['GET POST HEAD', 'POST', true],
    ['GET POST HEAD', 'PUT', false],
    ['GET POST HEAD', 'POS', true],
    ['GET POST HEAD', 'post', false],
    ['GET POST HEAD', '', true],
    ['', 'GET', false],
    ['', '', true],
    ['GET POST HEAD', 'GET POST', true],
    ['%{tx.word}', 'min', true],
    ['%{tx.word}', 'root', false],
  ];
  for (const [param, value, want] of cases) {
    assert.equal(evaluate('within', param, value, { 'tx.word': 'admin' }), want, `${JSON.stringify(value)} @within ${param}`);
  }
});
