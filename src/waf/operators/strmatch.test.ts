import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from './operator-test-kit.js';

test('@strmatch: case-sensitive fixed-string search', () => {
  const cases: [string, string, boolean][] = [
    ['WebZIP', 'Mozilla WebZIP/4.0', true],
    ['WebZIP', 'webzip', false],
    ['needle', 'haystack', false],
    ['', 'x', true],
    ['ab', 'a', false],
    ['abcabd', 'abcabcabd', true],
    ['\x00\xff', 'x\x00\xffy', true],
    ['%{tx.word}', 'sysadmin', true],
  ];
  for (const [param, value, want] of cases) {
    assert.equal(evaluate('strmatch', param, value, { 'tx.word': 'admin' }), want, `${JSON.stringify(value)} @strmatch ${param}`);
  }
});
