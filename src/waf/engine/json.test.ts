import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJsonBody } from './json.js';

const flat = (s: string) => {
  const r = parseJsonBody(s, 1000, 100);
  return { pairs: Object.fromEntries(r.pairs.map((p) => [p.name, p.value])), error: r.error };
};

test('JSON bodies flatten to json.* arguments', async (t) => {
  const cases: [string, string, Record<string, string>][] = [
    ['object members', '{"a":"x","b":{"c":"y"}}', { 'json.a': 'x', 'json.b.c': 'y' }],
    [
      'arrays: elements by index plus the count',
      '{"c":[1,2,3]}',
      { 'json.c': '3', 'json.c.0': '1', 'json.c.1': '2', 'json.c.2': '3' },
    ],
    [
      'nested arrays of objects',
      '{"e":[{"a":1}],"f":[[["z"]]]}',
      {
        'json.e': '1',
        'json.e.0.a': '1',
        'json.f': '1',
        'json.f.0': '1',
        'json.f.0.0': '1',
        'json.f.0.0.0': 'z',
      },
    ],
    ['top-level array', '[{"q":1},2]', { json: '2', 'json.0.q': '1', 'json.1': '2' }],
    [
      'scalars as written',
      '{"n":-1.5e3,"t":true,"f":false,"z":null}',
      { 'json.n': '-1.5e3', 'json.t': 'true', 'json.f': 'false', 'json.z': '' },
    ],
    ['top-level scalar', '"abc"', { json: 'abc' }],
    ['escapes decoded; \\u to UTF-8 bytes', '{"s":"a\\"b\\\\c\\n\\u003c\\u00e9"}', { 'json.s': 'a"b\\c\n<\xc3\xa9' }],
    ['surrogate pair', '{"s":"\\ud83d\\ude00"}', { 'json.s': '\xf0\x9f\x98\x80' }],
    ['raw UTF-8 bytes kept', '{"k\xc3\xa9":"v\xc3\xa9"}', { 'json.k\xc3\xa9': 'v\xc3\xa9' }],
    ['empty containers', '{"a":{},"b":[]}', { 'json.b': '0' }],
    ['whitespace', ' \n{ "a" : [ 1 , 2 ] }\r\n', { 'json.a': '2', 'json.a.0': '1', 'json.a.1': '2' }],
  ];
  for (const [what, input, want] of cases) {
    await t.test(what, () => {
      const r = flat(input);
      assert.equal(r.error, undefined);
      assert.deepEqual(r.pairs, want);
    });
  }
});

test('malformed JSON reports an error and keeps what came before', async (t) => {
  const cases: [string, string, Record<string, string>][] = [
    ['trailing comma', '{"a":1,}', { 'json.a': '1' }],
    ['unterminated', '{"a":"x', {}],
    ['bare word', '{"a":foo}', {}],
    ['trailing data', '{"a":1} x', { 'json.a': '1' }],
    ['missing colon', '{"a" 1}', {}],
    ['empty body', '', {}],
    ['bad escape', '{"a":"\\q"}', {}],
    ['leading zero', '{"a":01}', {}],
  ];
  for (const [what, input, want] of cases) {
    await t.test(what, () => {
      const r = flat(input);
      assert.ok(r.error, 'error reported');
      assert.deepEqual(r.pairs, want);
    });
  }
});

test('JSON limits: depth and argument count', () => {
  const deep = `${'['.repeat(200)}${']'.repeat(200)}`;
  assert.match(parseJsonBody(deep, 1000, 100).error ?? '', /too deep/);
  const veryDeep = `${'['.repeat(100000)}`;
  assert.ok(parseJsonBody(veryDeep, 1000, 10000).error, 'no stack overflow, an error');
  const many = JSON.stringify(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i])));
  const r = parseJsonBody(many, 10, 100);
  assert.equal(r.pairs.length, 10);
  assert.equal(r.truncated, true);
});
