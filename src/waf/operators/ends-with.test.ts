import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from './operator-test-kit.js';

test('@endsWith: the value ends with the parameter', () => {
  const cases: [string, string, boolean][] = [
    ['HTTP/1.1', 'GET / HTTP/1.1', true],
    ['HTTP/1.1', 'GET / HTTP/1.0', false],
    ['.exe', 'a.EXE', false],
    ['', 'x', true],
    ['abc', 'bc', false],
    ['abc', 'abc', true],
    ['%{tx.word}', '/x/admin', true],
    ['%{tx.word}', '/admin/x', false],
    ['\n', 'line\n', true],
  ];
  for (const [param, value, want] of cases) {
    assert.equal(evaluate('endsWith', param, value, { 'tx.word': 'admin' }), want, `${JSON.stringify(value)} @endsWith ${param}`);
  }
});
