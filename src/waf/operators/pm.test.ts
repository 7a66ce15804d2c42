import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate, makeOperator, RecordingContext } from './operator-test-kit.js';
import { pmPhrases } from './pm.js';

test('@pm finds any phrase, case-insensitively (ASCII), anywhere in the value', () => {
  const cases: [string, string, boolean][] = [
    ['gzip compress deflate', 'br, gzip', true],
    ['gzip compress deflate', 'identity', false],
    ['document.cookie window.location', 'x=DOCUMENT.COOKIE', true],
    ['<!-- <![cdata[', 'a <![CDATA[ b', true],
    ['abc', 'ab', false],
    ['he she his hers', 'ushers', true],
    ['ab bc', 'xbc', true],
    ['\xe9t\xe9', '\xc9T\xc9', false], // only ASCII letters fold, as C tolower()
    ['\xe9t\xe9', '\xe9T\xe9', true],
    ['( )', 'f(x)', true],
    ['needle', '', false],
    ['"quoted phrase"', 'a quoted b', true], // surrounding quotes are removed, then split on spaces
    ['|41 42|c', 'xABC', true], // hex segment
    ['a\\;b', 'xa;b', true], // escaped ';'
  ];
  for (const [param, value, want] of cases) {
    assert.equal(evaluate('pm', param, value), want, `@pm ${param} on ${JSON.stringify(value)}`);
  }
});

test('@pm capture puts the phrase (as written) in TX:0', () => {
  const cases: [string, string, string | undefined][] = [
    ['Select Union', 'x UNION y', 'Union'],
    ['he she hers', 'ushers', 'she'], // the first phrase to end in the value, the longest ending there
    ['abc', 'xyz', undefined],
  ];
  for (const [param, value, want] of cases) {
    const ctx = new RecordingContext(true);
    makeOperator('pm', param).evaluate(ctx, value);
    assert.equal(ctx.captures.get(0), want, param);
  }
});

test('@pm parameter parsing', () => {
  assert.deepEqual(pmPhrases('  a  b\tc '), ['a', 'b', 'c']);
  assert.deepEqual(pmPhrases('"x y"'), ['x', 'y']);
  assert.deepEqual(pmPhrases('a\\:b \\\\'), ['a:b', '\\']);
  assert.deepEqual(pmPhrases('a\\qb'), ['a\\qb']); // unsupported escape: the parameter as written
  assert.deepEqual(pmPhrases('|2f 2F|etc'), ['//etc']);
  assert.deepEqual(pmPhrases(''), []);
});
