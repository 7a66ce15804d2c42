import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backtrackingRisk } from './pcre-guard.js';
import { parsePcre } from './pcre-parse.js';

const risky = (pattern: string): boolean => backtrackingRisk(parsePcre(pattern).root) !== -1;

test('exponentially ambiguous repetitions are detected', () => {
  const cases = [
    '(a+)+$',
    '(a|a)*b',
    '(a*)*b',
    '(?:a|b|ab)+$',
    '(\\w+\\d+)+x',
    '^([a-z]+\\.?)+@', // the classic e-mail ReDoS
    '(a{1,3})+b', // small bounded repeats are unrolled, not missed
    '(?:\\s*,?\\s*)+x',
    '(?=(a+)+b)', // inside a lookahead the matcher still backtracks
    '(?>(?:a+)+b)', // and inside an atomic group, before it commits
    '(?:x(?:y|y))*z',
  ];
  for (const pattern of cases) assert.equal(risky(pattern), true, pattern);
});

test('nested but unambiguous repetitions are accepted', () => {
  const cases = [
    'a+b+',
    '(ab)+',
    '(a|b)*c',
    '(?:a+b)+',
    '/\\*[^*]*\\*+(?:[^*/][^*]*\\*+)*/', // C comments: the pieces cannot overlap
    '(?:\\d{1,3}\\.){3}\\d{1,3}',
    '(?:[^"\\\\]|\\\\.)*"',
    '(?:a++)+', // possessive inner part cannot be split again
    '(?>a+)+b',
    '(?:[a-z]+,)+',
    'x*y*z*',
  ];
  for (const pattern of cases) assert.equal(risky(pattern), false, pattern);
});
