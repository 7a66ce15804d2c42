import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuiltinError } from '../errors.js';
import type { Value } from '../value.js';
import './glob.js';
import { callBuiltin, testContext } from './testing.js';

const ctx = testContext();
const call = (name: string, ...args: Value[]) => callBuiltin(name, args, ctx);

// [pattern, delimiters, subject, expected]
const MATCH: Array<[string, Value, string, boolean]> = [
  ['*.github.com', ['.'], 'api.github.com', true],
  ['*.github.com', [], 'api.github.com', true],
  ['*.github.com', [], 'api.cdn.github.com', false],
  ['*.github.com', ['.'], 'api.not-github.com', false],
  ['*hub.com', null, 'api.cdn.github.com', true],
  ['*:github:com', [':'], 'api:github:com', true],
  ['api.**.com', [], 'api.github.com', true],
  ['api.**.com', ['.'], 'api.cdn.github.com', true],
  ['api.**.com', [], 'api.com', false],
  ['[abc]at', [], 'cat', true],
  ['[!abc]at', [], 'cat', false],
  ['[a-c]at', [], 'bat', true],
  ['[!a-c]at', [], 'fat', true],
  ['?at', [], 'fat', true],
  ['?at', [], 'at', false],
  ['?at', ['f'], 'bat', true],
  ['?at', ['f'], 'fat', false],
  ['?at', [], '.at', false],
  ['?at', null, '.at', true],
  ['{cat,bat,[fr]at}', [], 'cat', true],
  ['{cat,bat,[fr]at}', [], 'bat', true],
  ['{cat,bat,[fr]at}', [], 'fat', true],
  ['{cat,bat,[fr]at}', [], 'at', false],
  ['{a,{b,c}d}', [], 'cd', true],
  ['x{,y}', [], 'x', true],
  ['*', ['.'], 'foo', true],
  ['*', [], 'foo', true],
  ['*', [], 'foo.bar', false],
  ['*', null, 'foo.bar', true],
  ['foo*', null, 'foo.bar', true],
  ['', null, '', true],
  ['', null, 'a', false],
  ['\\*', [], '*', true],
  ['\\*', [], 'a', false],
  ['a\\', [], 'a', true],
  ['a]b}c,d', [], 'a]b}c,d', true],
  ['[\\]]', [], ']', true],
  ['*/*', ['/'], 'a/b', true],
  ['*/*', ['/'], 'a/b/c', false],
  ['**/c', ['/'], 'a/b/c', true],
  ['a*b*c', ['.'], 'aXbYc', true],
  ['a*b*c', ['.'], 'a.b.c', false],
  ['*.é', [], 'x.é', true],
  ['[α-γ]', [], 'β', true],
];

test('glob.match', () => {
  for (const [pattern, delims, s, want] of MATCH) {
    assert.equal(
      call('glob.match', pattern, delims, s),
      want,
      `glob.match(${JSON.stringify(pattern)}, ${JSON.stringify(delims)}, ${JSON.stringify(s)})`,
    );
  }
});

const ERRORS: Array<[Value[], string, string]> = [
  [['[a-z0-9]', null, 'a'], 'eval_builtin_error', 'glob.match: expected close range character'],
  [['[]', null, 'a'], 'eval_builtin_error', 'glob.match: could not parse range'],
  [['[!]]x', null, 'a'], 'eval_builtin_error', 'glob.match: could not parse range'],
  [['[abc', null, 'a'], 'eval_builtin_error', 'glob.match: unexpected end of input'],
  [['[z-a]', null, 'a'], 'eval_builtin_error', "glob.match: hi character 'a' should be greater than lo 'z'"],
  [['a', ['ab'], 'a'], 'eval_type_error', 'glob.match: operand 2 must be array of runes but got array containing string'],
  [['a', [1], 'a'], 'eval_type_error', 'glob.match: operand 2 must be array of strings but got array containing number'],
  [['a', 'x', 'a'], 'eval_type_error', 'glob.match: operand 2 must be one of {array, null} but got string'],
  [[1, null, 'a'], 'eval_type_error', 'glob.match: operand 1 must be string but got number'],
];

test('glob.match errors', () => {
  for (const [args, code, message] of ERRORS) {
    assert.throws(
      () => call('glob.match', ...args),
      (e: unknown) => e instanceof BuiltinError && e.code === code && e.message === message,
      JSON.stringify(args),
    );
  }
});

test('glob.match stays linear on hostile input', () => {
  assert.equal(call('glob.match', '*a*a*a*a*a*b', null, 'a'.repeat(50_000)), false);
});

test('glob.quote_meta', () => {
  const cases: Array<[string, string]> = [
    ['*.github.com', '\\*.github.com'],
    ['[a-z]?{x,y}\\', '\\[a-z\\]\\?\\{x,y\\}\\\\'],
    ['plain', 'plain'],
  ];
  for (const [s, want] of cases) assert.equal(call('glob.quote_meta', s), want);
  // A quoted pattern matches itself literally.
  const weird = 'a*b?[c]{d,e}\\';
  assert.equal(call('glob.match', call('glob.quote_meta', weird) as string, null, weird), true);
});

test('glob.match keeps compiled patterns apart by delimiters', () => {
  // One pattern under each delimiter form, twice over, so the second round answers from the cache.
  const cases: Array<[Value, string, boolean]> = [
    [null, 'a/b.c', true],
    [[], 'a/b', true],
    [[], 'a.b', false],
    [['/'], 'a.b', true],
    [['/'], 'a/b', false],
    [['/', '.'], 'a.b', false],
    [['.', '/'], 'ab', true],
    [['😀'], 'a😀b', false],
    [['😀'], 'a/b', true],
  ];
  for (let pass = 0; pass < 2; pass++) {
    for (const [delims, subject, want] of cases)
      assert.equal(call('glob.match', 'a*', delims, subject), want, `${JSON.stringify(delims)} ${subject}`);
  }
  assert.throws(() => call('glob.match', 'a*', ['\ud83d\ude00x'], 'a'), {
    message: 'glob.match: operand 2 must be array of runes but got array containing string',
  });
});
