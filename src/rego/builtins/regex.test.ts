import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuiltinError } from '../errors.js';
import type { Value } from '../value.js';
import './regex.js';
import { callBuiltin, testContext } from './testing.js';

const ctx = testContext();
const call = (name: string, ...args: Value[]) => callBuiltin(name, args, ctx);

const CASES: Array<[string, Value[], Value]> = [
  ['regex.match', ['^[a-z]+$', 'abc'], true],
  ['regex.match', ['^[a-z]+$', 'abc1'], false],
  ['regex.match', ['(?i)^ABC$', 'abc'], true],
  ['regex.match', ['\\bfoo\\b', 'a foo b'], true],
  ['regex.match', ['^\\d{3}-\\d{4}$', '555-1234'], true],
  ['regex.match', ['a.c', 'a\nc'], false],
  ['regex.match', ['(?s)a.c', 'a\nc'], true],
  ['regex.match', ['^$', ''], true],
  ['regex.is_valid', ['.+'], true],
  ['regex.is_valid', ['++'], false],
  ['regex.is_valid', ['(?=x)'], false],
  ['regex.is_valid', [1], false],
  ['regex.find_n', ['a.', 'paranormal', -1], ['ar', 'an', 'al']],
  ['regex.find_n', ['a.', 'paranormal', 2], ['ar', 'an']],
  ['regex.find_n', ['a.', 'paranormal', 0], []],
  ['regex.find_n', ['^a.', 'abacadaeaf', -1], ['ab']],
  ['regex.find_n', ['.$', 'abacadaeaf', -1], ['f']],
  ['regex.find_n', ['[abcdef]{2}', 'abacadaeaf', -1], ['ab', 'ac', 'ad', 'ae', 'af']],
  ['regex.find_n', ['bork', 'paranormal', -1], []],
  ['regex.find_n', ['x*', 'axxb', -1], ['', 'xx', '']],
  ['regex.find_all_string_submatch_n', ['a(x*)b', '-ab-', -1], [['ab', '']]],
  [
    'regex.find_all_string_submatch_n',
    ['a(x*)b', '-ab-axb-', -1],
    [
      ['ab', ''],
      ['axb', 'x'],
    ],
  ],
  [
    'regex.find_all_string_submatch_n',
    ['[^aouiye]([aouiye])([^aouiye])?', 'somestri', -1],
    [
      ['som', 'o', 'm'],
      ['ri', 'i', ''],
    ],
  ],
  ['regex.find_all_string_submatch_n', ['[^aouiye]([aouiye])([^aouiye])?', 'somestri', 1], [['som', 'o', 'm']]],
  [
    'regex.find_all_string_submatch_n',
    ['(a)|(b)', 'ab', -1],
    [
      ['a', 'a', ''],
      ['b', '', 'b'],
    ],
  ],
  ['regex.split', ['^[a-z]+\\[[0-9]+\\]$', ''], ['']],
  ['regex.split', ['^[a-z]+', 'foobar baz'], ['', ' baz']],
  ['regex.split', ['[a-z]+$', 'foobar baz'], ['foobar ', '']],
  ['regex.split', ['^[a-z]+$', 'foobar baz'], ['foobar baz']],
  ['regex.split', ['^[a-z ]+$', 'foobar baz'], ['', '']],
  ['regex.split', ['z+', 'pizza'], ['pi', 'a']],
  ['regex.split', ['', 'abc'], ['a', 'b', 'c']],
  ['regex.split', [',', 'a,b,,c'], ['a', 'b', '', 'c']],
  ['regex.replace', ['-wy-wxxy-', 'w(x*)y', '0'], '-0-0-'],
  ['regex.replace', ['foo', '(foo)', '$1$1'], 'foofoo'],
  ['regex.replace', ['foo', '^[a-z]', 'F'], 'Foo'],
  ['regex.replace', ['foo', '^[a-z]$', 'F'], 'foo'],
  ['regex.replace', ['foo', '^[a-z]+$', 'M'], 'M'],
  ['regex.replace', ['foo', '[a-z]$', 'F'], 'foF'],
  ['regex.replace', ['foo bar', '[a-z]', '_'], '___ ___'],
  ['regex.replace', ['foo barx', '[a-z]{3}', '_'], '_ _x'],
  ['regex.replace', ['foo barx', '[a-z]{2}', '_'], '_o __'],
  ['regex.replace', ['abc', 'x*', '-'], '-a-b-c-'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Go replacement templates, not JS
  ['regex.replace', ['2024-01-15', '(?P<y>\\d+)-(?P<m>\\d+)-(?P<d>\\d+)', '${d}/${m}/$y'], '15/01/2024'],
  ['regex.replace', ['a.b', '\\.', '$$'], 'a$b'],
  ['regex.template_match', ['urn:foo:{.*}', 'urn:foo:bar:baz', '{', '}'], true],
  ['regex.template_match', ['urn:foo:<[0-9]{2,3}>:x', 'urn:foo:123:x', '<', '>'], true],
  ['regex.template_match', ['urn:foo:<[0-9]{2,3}>:x', 'urn:foo:1234:x', '<', '>'], false],
  ['regex.template_match', ['a.b{.*}', 'axbc', '{', '}'], false],
  ['regex.globs_match', ['[a-z]+', '[0-9]*'], false],
  ['regex.globs_match', ['b.*', 'bar'], true],
  ['regex.globs_match', ['b.*', 'baz'], true],
  ['regex.globs_match', ['[a-z]+\\[[0-9]+\\]', 'foo\\[1\\]'], true],
  ['regex.globs_match', ['[a-z]+\\[[0-9]+\\]', 'foo["bar"]'], false],
  ['regex.globs_match', ['a.a.', '.b.b'], true],
  ['regex.globs_match', ['a+b', 'a*c'], false],
  ['regex.globs_match', ['a*', 'b*'], true],
  ['regex.globs_match', ['a+', 'b*'], false],
  ['regex.globs_match', ['a+a+', 'a'], true],
  ['regex.globs_match', ['.*x.*', '[a-w]*'], false],
  ['regex.globs_match', ['[]', '.'], false],
];

test('regex builtins', () => {
  for (const [name, args, want] of CASES) assert.deepEqual(call(name, ...args), want, `${name}(${JSON.stringify(args)})`);
});

const ERRORS: Array<[string, Value[], string, string]> = [
  ['regex.match', ['[', 'x'], 'eval_builtin_error', 'regex.match: error parsing regexp: missing closing ]: `[`'],
  [
    'regex.match',
    ['a(?=b)', 'ab'],
    'eval_builtin_error',
    'regex.match: error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
  ],
  ['regex.match', [1, 'x'], 'eval_type_error', 'regex.match: operand 1 must be string but got number'],
  ['regex.replace', ['foo', '[', '$1'], 'eval_builtin_error', 'regex.replace: error parsing regexp: missing closing ]: `[`'],
  [
    'regex.find_n',
    ['a', 'a', 1.5],
    'eval_type_error',
    'regex.find_n: operand 3 must be integer number but got floating-point number',
  ],
  ['regex.split', ['(', 'a'], 'eval_builtin_error', 'regex.split: error parsing regexp: missing closing ): `(`'],
  [
    'regex.template_match',
    ['urn:{x', 'urn:x', '{', '}'],
    'eval_builtin_error',
    'regex.template_match: unbalanced braces in "urn:{x"',
  ],
  [
    'regex.template_match',
    ['urn:{[}', 'urn:x', '{', '}'],
    'eval_builtin_error',
    'regex.template_match: error parsing regexp: missing closing ]: `[$`',
  ],
  [
    'regex.template_match',
    ['x', 'x', '{{', '}'],
    'eval_builtin_error',
    'regex.template_match: start delimiter has to be exactly one character long but is 2 long',
  ],
  [
    'regex.template_match',
    ['x', 'x', '{', '}}'],
    'eval_builtin_error',
    'regex.template_match: end delimiter has to be exactly one character long but is 1 long',
  ],
  [
    'regex.globs_match',
    ['a++', 'a'],
    'eval_builtin_error',
    "regex.globs_match: input:a++, pos:3, flag '+' must be preceded by a non-flag: the input provided is invalid",
  ],
  [
    'regex.globs_match',
    ['[a', 'a'],
    'eval_builtin_error',
    'regex.globs_match: input:[a, pos:2, found [ without matching ]: the input provided is invalid',
  ],
];

test('regex builtin errors', () => {
  for (const [name, args, code, message] of ERRORS) {
    assert.throws(
      () => call(name, ...args),
      (e: unknown) => e instanceof BuiltinError && e.code === code && e.message === message,
      `${name}(${JSON.stringify(args)})`,
    );
  }
});

test('regex.match on long subjects and hostile patterns finishes', () => {
  const s = 'a'.repeat(100_000);
  assert.equal(call('regex.match', '(a|a)*b', s), false);
  assert.equal(call('regex.match', '[a-z]+@[a-z]+\\.com', s), false);
  assert.equal((call('regex.find_n', 'a{3}', 'a'.repeat(9), -1) as string[]).length, 3);
});
