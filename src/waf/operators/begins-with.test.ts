import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from './operator-test-kit.js';

test('@beginsWith: the value starts with the parameter', () => {
  const cases: [string, string, boolean][] = [
    ['GET', 'GET /', true],
    ['GET', 'get /', false],
    ['GET', ' GET', false],
    ['', 'x', true],
    ['abc', 'ab', false],
    ['abc', 'abc', true],
    ['%{tx.word}', 'admin=1', true],
    ['%{tx.word}', 'x-admin', false],
    ['\xff', '\xffz', true],
  ];
  for (const [param, value, want] of cases) {
    assert.equal(
      evaluate('beginsWith', param, value, { 'tx.word': 'admin' }),
      want,
      `${JSON.stringify(value)} @beginsWith ${param}`,
    );
  }
});
