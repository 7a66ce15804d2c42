import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VariableSelector } from '../rule.js';
import { ArgSyntaxError } from './errors.js';
import { formatVariable, parseVariables, sameVariable } from './variables.js';

/** Selectors as plain data: regex keys as their source (RegExp objects compare poorly). */
function plain(sels: VariableSelector[]) {
  return sels.map((s) => ({
    name: s.name,
    count: s.count,
    exclude: s.exclude,
    key: s.key === undefined ? undefined : s.key.kind === 'exact' ? s.key.value : `/${s.key.source}/`,
  }));
}
const v = (name: string, key?: string, flags = '') => ({
  name,
  count: flags.includes('&'),
  exclude: flags.includes('!'),
  key,
});

test('variables: selectors', () => {
  const cases: [string, ReturnType<typeof plain>][] = [
    ['ARGS', [v('ARGS')]],
    ['args', [v('ARGS')]],
    ['ARGS|!ARGS:foo', [v('ARGS'), v('ARGS', 'foo', '!')]],
    ['REQUEST_HEADERS:/^x-/', [v('REQUEST_HEADERS', '/^x-/')]],
    ['&TX:x', [v('TX', 'x', '&')]],
    ['&ARGS', [v('ARGS', undefined, '&')]],
    ['XML:/*', [v('XML', '/*')]],
    ['XML://@*|ARGS', [v('XML', '//@*'), v('ARGS')]],
    ['REQUEST_HEADERS:User-Agent|REQUEST_HEADERS:Referer', [v('REQUEST_HEADERS', 'User-Agent'), v('REQUEST_HEADERS', 'Referer')]],
    ['ARGS:/^(a|b)$/|ARGS_NAMES', [v('ARGS', '/^(a|b)$/'), v('ARGS_NAMES')]],
    ['ARGS:/a\\/b/', [v('ARGS', '/a\\/b/')]],
    ['ARGS:/[/|]x/', [v('ARGS', '/[/|]x/')]],
    ["ARGS:'a b|c'", [v('ARGS', 'a b|c')]],
    [' ARGS | ARGS_NAMES ', [v('ARGS'), v('ARGS_NAMES')]],
    ['!REQUEST_COOKIES:/^_ga(?:_\\w+)?$/', [v('REQUEST_COOKIES', '/^_ga(?:_\\w+)?$/', '!')]],
    ['TX:/MULTIPART_HEADERS_CONTENT_TYPES_*/', [v('TX', '/MULTIPART_HEADERS_CONTENT_TYPES_*/')]],
  ];
  for (const [text, want] of cases) assert.deepEqual(plain(parseVariables(text)), want, text);
});

test('variables: regex keys are compiled case-insensitive and dot-all', () => {
  const [sel] = parseVariables('ARGS:/^id_.x$/');
  assert.ok(sel?.key?.kind === 'regex');
  assert.ok(sel.key.re.test('ID_\nx'));
  const [pcre] = parseVariables('ARGS:/(?i)^abc/');
  assert.ok(pcre?.key?.kind === 'regex' && pcre.key.re.test('ABCdef'));
});

test('variables: commas separate only where allowed (SecRuleUpdateTarget*)', () => {
  assert.deepEqual(plain(parseVariables('!ARGS:a,!ARGS:b', { allowComma: true })), [v('ARGS', 'a', '!'), v('ARGS', 'b', '!')]);
  assert.deepEqual(plain(parseVariables('ARGS:a,b')), [v('ARGS', 'a,b')]);
  assert.deepEqual(plain(parseVariables('ARGS:/a{1,2}/,ARGS_NAMES', { allowComma: true })), [
    v('ARGS', '/a{1,2}/'),
    v('ARGS_NAMES'),
  ]);
});

test('variables: errors carry offsets', () => {
  const cases: [string, RegExp, number][] = [
    ['', /no variables given/, 0],
    ['ARGS|', /empty variable after separator/, 5],
    ['ARGS|NOPE', /unknown variable NOPE/, 5],
    ['ARGS:', /empty key/, 5],
    ['ARGS:/abc', /unterminated \/regex\/ key/, 5],
    ['ARGS:/(/', /invalid regex key/, 5],
    ["ARGS:'abc", /unterminated quoted key/, 5],
    ['!&ARGS', /cannot be combined/, 0],
    ['&!ARGS', /cannot be combined/, 0],
    ['|ARGS', /expected a variable name/, 0],
    ['ARGS:/x/y', /unexpected 'y'/, 8],
    ['ARGS ARGS_NAMES', /unexpected 'A' after variable ARGS/, 5],
  ];
  for (const [text, message, offset] of cases) {
    assert.throws(
      () => parseVariables(text),
      (e: unknown) => e instanceof ArgSyntaxError && message.test(e.message) && e.offset === offset,
      text,
    );
  }
});

test('variables: formatting and identity', () => {
  for (const text of ['ARGS', '!ARGS:foo', '&TX:x', 'REQUEST_HEADERS:/^x-/', 'XML:/*']) {
    assert.equal(parseVariables(text).map(formatVariable).join('|'), text);
  }
  const [a, b, c] = parseVariables('ARGS:Foo|ARGS:foo|!ARGS:foo');
  assert.ok(a && b && c);
  assert.ok(sameVariable(a, b));
  assert.ok(!sameVariable(b, c));
});
