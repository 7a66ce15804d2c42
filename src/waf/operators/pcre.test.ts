import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compilePcre, translatePcre } from './pcre.js';
import { OperatorError } from './registry.js';

// [pattern, subject, whole match or null] with PCRE's default options (no DOTALL / MULTILINE).
// Expectations were checked against libpcre2 (8-bit, non-UTF).
const MATCHES: [string, string, string | null][] = [
  ['a.c', 'abc', 'abc'],
  ['a.c', 'a\nc', null],
  ['(?s)a.c', 'a\nc', 'a\nc'],
  ['ab$', 'ab\n', 'ab'],
  ['ab$', 'ab\n\n', null],
  ['ab\\z', 'ab\n', null],
  ['ab\\Z', 'ab\n', 'ab'],
  ['\\Aab', 'xab', null],
  ['^b', 'a\nb', null],
  ['(?m)^b', 'a\nb', 'b'],
  ['(?m)^$', 'a\n', null],
  ['(?m)a$', 'a\r\nb', null],
  ['(?m)a$', 'a\nb', 'a'],
  ['(?i)select', 'SeLeCt', 'SeLeCt'],
  ['(?i)\\xe9', '\xc9', null],
  ['(?i)[\\xe0-\\xff]', '\xc0', null],
  ['a(?i:b)c', 'aBc', 'aBc'],
  ['a(?i:b)c', 'aBC', null],
  ['(a(?i)b|c)', 'C', 'C'],
  ['(?i)[^a]', 'A', null],
  ['\\s', '\xa0', null],
  ['\\s', '\x0b', '\x0b'],
  ['\\h', '\xa0', '\xa0'],
  ['\\w+', 'ab\xe9', 'ab'],
  ['\\R', '\r\n', '\r\n'],
  ['\\R\\n', '\r\n', null],
  ['[[:alpha:]]+', 'ab1', 'ab'],
  ['[[:^digit:]]+', '12ab3', 'ab'],
  ['[\\w-]+', 'a-1!', 'a-1'],
  ['[\\8]', '8', '8'],
  ['[]a]+', ']a]b', ']a]'],
  ['\\Qa.b\\E+', 'a.bbb', 'a.bbb'],
  ['(?x) a b # comment\n c', 'abc', 'abc'],
  ['(?>a+)b', 'aaab', 'aaab'],
  ['(?>a|ab)c', 'abc', null],
  ['a++a', 'aaa', null],
  ['x(?:ab)?+b', 'xabb', 'xabb'],
  ['\\x41\\x{42}\\103\\cA', 'ABC\x01', 'ABC\x01'],
  ['(?P<n>a)(?P=n)', 'aa', 'aa'],
  ['(a)\\g{-1}', 'ba', null],
  ['(?|(a)|(b))c', 'bc', 'bc'],
  ['a{,2}', 'a{,2}', 'a{,2}'],
  ['(?<=ab|c)d', 'abd', 'd'],
  ['(?U)a+', 'aaa', 'a'],
  ['é', '\xe9', '\xe9'],
  ['€', '\xe2\x82\xac', '\xe2\x82\xac'],
  ['(?:a|ab)(?:c|bcd)', 'abcd', 'abcd'],
];

test('compilePcre matches like PCRE on byte strings', () => {
  for (const [pattern, subject, want] of MATCHES) {
    const m = compilePcre(pattern);
    const got = m.exec(subject);
    assert.equal(got === null ? null : got[0], want, `${JSON.stringify(pattern)} on ${JSON.stringify(subject)}`);
    assert.equal(m.test(subject), want !== null, `test() of ${JSON.stringify(pattern)}`);
  }
});

test('captures follow PCRE numbering, including branch reset and named groups', () => {
  const cases: [string, string, (string | undefined)[]][] = [
    ['(a)|(b)', 'b', ['b', undefined, 'b']],
    ['(?|(a)|(b))', 'b', ['b', 'b']],
    ['(?<y>\\d+)-(?<m>\\d+)', '2024-05', ['2024-05', '2024', '05']],
    ['(?>(a))(b)', 'ab', ['ab', 'a', 'b']],
    ['(a)(?:x)?+(b)', 'ab', ['ab', 'a', 'b']],
    ['((((((((((a))))))))))', 'a', ['a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a']],
  ];
  for (const [pattern, subject, want] of cases) {
    assert.deepEqual(compilePcre(pattern).exec(subject), want, pattern);
  }
});

test('untranslatable or invalid patterns throw OperatorError naming the problem', () => {
  const cases: [string, RegExp][] = [
    ['(?R)', /recursion/],
    ['(a)(?1)', /recursion/],
    ['a\\Kb', /\\K/],
    ['(?(1)a|b)', /conditional/],
    ['(*UTF)a', /verb/],
    ['\\p{L}', /\\p/],
    ['\\x{100}', /above \\xff/],
    ['(a', /missing closing parenthesis/],
    ['a)', /unmatched closing parenthesis/],
    ['*a', /quantifier does not follow/],
    ['a{3,2}', /out of order/],
    ['[z-a]', /range out of order/],
    ['[a-\\d]', /invalid range/],
    ['(?<=a+)b', /lookbehind/],
    ['[[:foo:]]', /unknown POSIX class/],
    ['[:alpha:]', /only within a class/],
    ['\\y', /unrecognized escape/],
    ['\\2(a)(b)', /may be unset/],
    ['(?i)(a)\\1', /\(\?i\)/],
    ['((a)|b)+', /capturing group inside a repetition/],
    ['(?:b*?)+c', /may match empty/],
    ['(?|(a)|(b))\\1', /shared by \(\?\|/],
  ];
  for (const [pattern, message] of cases) {
    assert.throws(
      () => compilePcre(pattern),
      (e: unknown) => e instanceof OperatorError && message.test(e.message),
      pattern,
    );
  }
});

test('exponentially ambiguous patterns run on the linear-time VM, others on RegExp', () => {
  const cases: [string, 'regexp' | 'vm'][] = [
    ['(a+)+$', 'vm'],
    ['(?:a|a)*b', 'vm'],
    ['^([a-z]+\\.?)+@', 'vm'],
    ['(?:\\d{1,3}\\.){3}\\d{1,3}', 'regexp'],
    ['/\\*[^*]*\\*+(?:[^*/][^*]*\\*+)*/', 'regexp'],
    ['(?i)union\\s+select', 'regexp'],
  ];
  for (const [pattern, engine] of cases) assert.equal(compilePcre(pattern).engine, engine, pattern);
  // translatePcre alone refuses them: a JS RegExp would backtrack exponentially.
  assert.throws(() => translatePcre('(a+)+$'), /catastrophic backtracking/);
});

test('the i flag is used only where JS folding equals PCRE folding', () => {
  assert.equal(translatePcre('(?i)select').flags, 'i');
  assert.equal(translatePcre('[0-9]+-\\w').flags, 'i'); // nothing case-dependent: same meaning either way
  assert.equal(translatePcre('Select').flags, '');
  assert.equal(translatePcre('(?i)s\\xe9').flags, ''); // PCRE keeps \xe9 apart from \xc9, JS would not
});
