import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from './operator-test-kit.js';

test('@contains: case-sensitive substring of the value', () => {
  const cases: [string, string, boolean][] = [
    ['.php', '/index.php?x', true],
    ['.PHP', '/index.php', false],
    ['abc', 'ab', false],
    ['', 'anything', true],
    ['', '', true],
    ['x', '', false],
    ['\x00', 'a\x00b', true],
    ['%{tx.word}', '/admin/panel', true],
    ['%{tx.word}', '/user', false],
    ['aa', 'baab', true],
  ];
  for (const [param, value, want] of cases) {
    assert.equal(evaluate('contains', param, value, { 'tx.word': 'admin' }), want, `${JSON.stringify(value)} @contains ${param}`);
  }
});
