import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toJSON } from '../value.js';
import { fastjsonParse, goJSONValid, goUnmarshal } from './gojson.js';

test('goUnmarshal: values and Go decoder errors', () => {
  const ok: [string, unknown][] = [
    ['{"a": [1, 2.5, "x", true, null]}', { a: [1, 2.5, 'x', true, null] }],
    ['{"iss":"a","iss":"b"}', { iss: 'b' }],
    ['"\\u00e9\\ud83d\\ude00"', 'é😀'],
    ['  7  ', 7],
    ['{} null', {}],
  ];
  for (const [input, want] of ok) assert.deepEqual(toJSON(goUnmarshal(input)), want, input);
  const bad: [string, string][] = [
    ['', 'EOF'],
    ['{', 'unexpected EOF'],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['[1 2]', "invalid character '2' after array element"],
    ['x', "invalid character 'x' looking for beginning of value"],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ['tru', 'unexpected EOF'],
    ['trux', "invalid character 'x' in literal true (expecting 'e')"],
    ['01', "error: invalid character '1' after top-level value"],
    ['"a\\qb"', "invalid character 'q' in string escape code"],
    ['"a\nb"', "invalid character '\\n' in string literal"],
    ['{}{}', "error: invalid character '{' after top-level value"],
    ['1 "x"', "error: invalid character 'x' after top-level value"],
  ];
  for (const [input, msg] of bad) assert.throws(() => goUnmarshal(input), { message: msg }, JSON.stringify(input));
});

test('goJSONValid', () => {
  const cases: [string, boolean][] = [
    ['{}', true],
    [' [1] ', true],
    ['"x"', true],
    ['', false],
    ['e', false],
    ['{"a":1', false],
    ['{} {}', false],
  ];
  for (const [input, want] of cases) assert.equal(goJSONValid(input), want, input);
});

test('fastjsonParse: lax parsing and lookups as jwx sees headers', () => {
  const h = fastjsonParse(' {"alg":"HS256","typ":1,"alg":"RS256","x":{"y":[1,2]}} ');
  assert.ok(!('error' in h));
  assert.deepEqual(h.get('alg'), { type: 'string', str: 'HS256' }); // first occurrence wins
  assert.deepEqual(h.get('typ'), { type: 'number' });
  assert.equal(h.get('missing'), undefined);
  // "e" scans as a number, so there is no error and no "alg".
  const e = fastjsonParse('e');
  assert.ok(!('error' in e));
  assert.equal(e.get('alg'), undefined);
  const cases: [string, RegExp][] = [
    ['', /^cannot parse JSON: cannot parse empty string/],
    ['{"typ:"JWT"}', /^cannot parse JSON: missing ':' after object key/],
    ['{"a":1} x', /^unexpected tail: "x"/],
    ['?', /^cannot parse JSON: unexpected value found/],
  ];
  for (const [input, re] of cases) {
    const r = fastjsonParse(input);
    assert.ok('error' in r, input);
    assert.match(r.error, re, input);
  }
});

test('nesting limits', () => {
  assert.throws(() => goUnmarshal('['.repeat(10001) + ']'.repeat(10001)), { message: 'exceeded max depth' });
  assert.deepEqual(toJSON(goUnmarshal('[[[]]]')), [[[]]]);
  const deep = fastjsonParse('['.repeat(301) + ']'.repeat(301));
  assert.ok('error' in deep && deep.error.includes('too big depth'));
});
