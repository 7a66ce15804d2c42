import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from './operator-test-kit.js';

test('@streq: exact, case-sensitive byte equality', () => {
  const cases: [string, string, boolean][] = [
    ['GET', 'GET', true],
    ['GET', 'get', false],
    ['GET', 'GET ', false],
    ['', '', true],
    ['', 'x', false],
    ['a\\x', 'a\\x', true],
    ['\xe9', '\xe9', true],
    ['é', '\xc3\xa9', false],
    ['€', '\xe2\x82\xac', true],
    ['%{tx.word}', 'admin', true],
    ['%{tx.word}', 'root', false],
    ['x%{tx.word}y', 'xadminy', true],
  ];
  for (const [param, value, want] of cases) {
    assert.equal(evaluate('streq', param, value, { 'tx.word': 'admin' }), want, `${JSON.stringify(value)} @streq ${param}`);
  }
});
