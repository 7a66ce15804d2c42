import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GoRegexError, goRegex } from './go-regex.js';

test('Go regexps behave the same as JS RegExps after translation', async (t) => {
  const cases: [string, string, string[], string[]][] = [
    ['plain pattern', '\\[id "\\d+"\\]', ['x [id "942100"] y'], ['[id "x"]']],
    ['leading (?i)', '(?i)total score', ['TOTAL SCORE: 5'], ['total-score']],
    ['stacked flags (?i)(?s)', '(?i)(?s)a.b', ['A\nB'], ['ac']],
    ['\\A and \\z anchor the whole text', '\\Aab\\z', ['ab'], ['xab', 'abx']],
    ['\\Q...\\E is literal', '\\Q(a+b)\\E!', ['(a+b)!'], ['aab!']],
    ['POSIX classes in brackets', '^[[:digit:][:upper:]]+$', ['12AB'], ['12ab']],
    ['a ] right after [ is literal', '^[]a]+$', [']a]'], ['b']],
    ['named groups (?P<n>)', '(?P<id>\\d+)', ['x1'], ['x']],
    [
      'alternation with escaped parens',
      'Exceeded \\(Total Score: |\\[id "922130"\\]',
      ['Exceeded (Total Score: 5'],
      ['Exceeded Total'],
    ],
  ];
  for (const [what, src, yes, no] of cases) {
    await t.test(what, () => {
      const re = goRegex(src);
      for (const s of yes) assert.ok(re.test(s), `${src} should match ${s}`);
      for (const s of no) assert.ok(!re.test(s), `${src} should not match ${s}`);
    });
  }
  await t.test('named group value is kept', () => assert.equal(goRegex('(?P<n>\\d+)').exec('a42')?.groups?.n, '42'));
});

test('constructs without a JS equivalent are refused', async (t) => {
  for (const src of ['a(?i:b)', '(?U)a+', '\\C', '[[:nope:]]', '[[:^digit:]]', '(unclosed']) {
    await t.test(src, () => assert.throws(() => goRegex(src), GoRegexError));
  }
});
