import assert from 'node:assert/strict';
import { test } from 'node:test';
import './encoding.js';
import { format, fromJSON, RObject, RSet, type Value } from '../value.js';
import { callBuiltin, testContext } from './testing.js';

const ctx = testContext();

const call = (name: string, ...args: Value[]) => callBuiltin(name, args, ctx);

const J = fromJSON;

test('json.marshal writes Go encoding/json text', () => {
  const cases: [Value, string][] = [
    [[1234500000 + 67890, 1e6 * 2, 1e109 / 1e100], '[1234567890,2000000,1000000000]'],
    [J({ b: 1, a: [true, null, 'x'] }), '{"a":[true,null,"x"],"b":1}'],
    [RSet.from([3, 1, 2]), '[1,2,3]'],
    [
      RObject.from([
        [1, 'one'],
        [['k'], 2],
      ]),
      '{"1":"one","[\\"k\\"]":2}',
    ],
    ['<a href="x">&</a>', '"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"'],
    ['\u2028\t\u0001', '"\\u2028\\t\\u0001"'],
    [0.5, '0.5'],
    [1e21, '1e+21'],
    [J({ '\u{1F600}': 1, '\uFFFD': 2 }), '{"\uFFFD":2,"\u{1F600}":1}'],
  ];
  for (const [v, want] of cases) assert.equal(call('json.marshal', v), want, format(v));
});

test('json.marshal_with_options', () => {
  const v = J({ a: [1, {}], b: [] });
  const cases: [Value, string][] = [
    [J({}), '{"a":[1,{}],"b":[]}'],
    [J({ pretty: false, indent: '  ' }), '{"a":[1,{}],"b":[]}'],
    [J({ pretty: true }), '{\n\t"a": [\n\t\t1,\n\t\t{}\n\t],\n\t"b": []\n}'],
    [J({ indent: '  ' }), '{\n  "a": [\n    1,\n    {}\n  ],\n  "b": []\n}'],
    [J({ prefix: '>', indent: ' ' }), '>{\n> "a": [\n>  1,\n>  {}\n> ],\n> "b": []\n>}'],
  ];
  for (const [opts, want] of cases) assert.equal(call('json.marshal_with_options', v, opts), want, format(opts));
  const errors: [Value, string][] = [
    [J({ foo: 1 }), 'json.marshal_with_options: operand 2 object contained unknown key foo'],
    [J({ pretty: 'yes' }), 'json.marshal_with_options: operand 2 key pretty failed cast to bool'],
    [
      J({ indent: 1 }),
      'json.marshal_with_options: operand 2 key indent failed cast to string: operand 0 must be string but got number',
    ],
  ];
  for (const [opts, message] of errors)
    assert.throws(() => call('json.marshal_with_options', v, opts), { code: 'eval_type_error', message });
});

test('json.unmarshal and json.is_valid', () => {
  assert.equal(format(call('json.unmarshal', '[{"foo":[1,2,3]}]') as Value), '[{"foo": [1, 2, 3]}]');
  assert.equal(call('json.unmarshal', ' "x" '), 'x');
  const errors: [string, string][] = [
    ['{', 'unexpected EOF'],
    ['[1,]', "invalid character ']' looking for beginning of value"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ['[1 2]', "invalid character '2' after array element"],
    ['"\\x"', "invalid character 'x' in string escape code"],
    ['{} x', "invalid character 'x' after top-level value"],
    ['tx', "invalid character 'x' in literal true (expecting 'r')"],
    ['"\n"', "invalid character '\\n' in string literal"],
  ];
  for (const [s, msg] of errors)
    assert.throws(() => call('json.unmarshal', s), { code: 'eval_builtin_error', message: `json.unmarshal: ${msg}` }, s);
  assert.throws(() => call('json.unmarshal', 1), {
    code: 'eval_type_error',
    message: 'json.unmarshal: operand 1 must be string but got number',
  });
  const valid: [Value, boolean][] = [
    ['plainstring', false],
    ['{', false],
    ['{"json": "ok"}', true],
    ['1e5', true],
    ['01', false],
    [1, false],
  ];
  for (const [s, want] of valid) assert.equal(call('json.is_valid', s), want, format(s));
});

test('yaml.marshal follows go-yaml v2 output', () => {
  const cases: [Value, string][] = [
    [[J({ foo: RSet.from([1, 2, 3]) })], '- foo:\n  - 1\n  - 2\n  - 3\n'],
    [J({ b: { c: 1 }, a: [1, [2, 3]] }), 'a:\n- 1\n- - 2\n  - 3\nb:\n  c: 1\n'],
    [
      J({ s: 'true', n: 'n', e: '', num: '12', p: 'plain text', c: 'a: b', q: "it's", h: '#x', d: '2001-12-14' }),
      'c: \'a: b\'\nd: "2001-12-14"\ne: ""\nh: \'#x\'\n"n": "n"\nnum: "12"\np: plain text\nq: it\'s\ns: "true"\n',
    ],
    [J({ m: 'line1\nline2', t: 'end\n' }), 'm: |-\n  line1\n  line2\nt: |\n  end\n'],
    [
      J({ f: 1.5, g: 1234567.5, h: 1e21, i: 100, j: null, k: false, l: {}, o: [] }),
      'f: 1.5\ng: 1.2345675e+06\nh: 1e+21\ni: 100\nj: null\nk: false\nl: {}\no: []\n',
    ],
    [J({ a10: 1, a2: 2, b: 3, A: 4 }), 'A: 4\na2: 2\na10: 1\nb: 3\n'],
    ['foo', 'foo\n'],
    ['a\nb', '|-\n  a\n  b\n'],
    [null, 'null\n'],
    [J({}), '{}\n'],
    ['tab\there', '"tab\\there"\n'],
  ];
  for (const [v, want] of cases) assert.equal(call('yaml.marshal', v), want, format(v));
});

test('yaml.unmarshal reads YAML 1.1 as go-yaml does', () => {
  const cases: [string, string][] = [
    ['foo:\n  - 1\n  - bar: baz', '{"foo": [1, {"bar": "baz"}]}'],
    [
      'a: yes\nb: off\nc: ~\nd: 0x1F\ne: 1.5\nf: 2001-12-14\ng: 1:20\n1: x',
      '{"1": "x", "a": true, "b": false, "c": null, "d": 31, "e": 1.5, "f": "2001-12-14", "g": "1:20"}',
    ],
    ['{"json": "ok"}', '{"json": "ok"}'],
    ['', 'null'],
    ['- a\n- b\n---\n- c', '["a", "b"]'],
    ['base: &b {x: 1}\nderived:\n  <<: *b\n  z: 2', '{"base": {"x": 1}, "derived": {"x": 1, "z": 2}}'],
    // YAML 1.1: a plain y is a boolean, even as a key.
    ['y: 1\nn: 2', '{"false": 2, "true": 1}'],
  ];
  for (const [s, want] of cases) assert.equal(format(call('yaml.unmarshal', s) as Value), want, s);
  assert.throws(() => call('yaml.unmarshal', 'foo:\n   - qux: bar\n   - baz: {'), {
    code: 'eval_builtin_error',
    message: /^yaml\.unmarshal: yaml: /,
  });
  // Round trip.
  const v = J({ a: ['x', 1, { b: 'true' }], c: 'multi\nline\n', d: "q'uote" });
  assert.equal(format(call('yaml.unmarshal', call('yaml.marshal', v) as Value) as Value), format(v));
  const valid: [Value, boolean][] = [
    ['foo:\n   - qux: bar\n   - baz: 2', true],
    ['foo:\n   - qux: bar\n   - baz: {', false],
    ['{"json": "ok"}', true],
    ['a: 1\na: 2', false],
    [1, false],
  ];
  for (const [s, want] of valid) assert.equal(call('yaml.is_valid', s), want, format(s));
});

test('base64 and base64url', () => {
  const cases: [string, string, string][] = [
    ['base64.encode', 'there', 'dGhlcmU='],
    ['base64.encode', 'subjects?_d', 'c3ViamVjdHM/X2Q='],
    ['base64.decode', 'aGVsbG8=', 'hello'],
    ['base64.decode', 'c3ViamVjdHM/X2Q=', 'subjects?_d'],
    ['base64.decode', 'aGVs\nbG8=', 'hello'],
    ['base64.decode', '', ''],
    ['base64url.encode', 'hello', 'aGVsbG8='],
    ['base64url.encode', 'subjects?_d', 'c3ViamVjdHM_X2Q='],
    ['base64url.encode_no_pad', 'there', 'dGhlcmU'],
    ['base64url.decode', 'aGVsbG8=', 'hello'],
    ['base64url.decode', 'aGVsbG8', 'hello'],
    ['base64url.decode', 'c3ViamVjdHM_X2Q', 'subjects?_d'],
  ];
  for (const [name, input, want] of cases) assert.equal(call(name, input), want, `${name}(${input})`);
  const errors: [string, string, string][] = [
    ['base64.decode', 'aGVsbG8', 'base64.decode: illegal base64 data at input byte 4'],
    ['base64.decode', "{'not':'base64'}", 'base64.decode: illegal base64 data at input byte 0'],
    ['base64.decode', 'aGVsbG8=x', 'base64.decode: illegal base64 data at input byte 8'],
    ['base64.decode', 'a===', 'base64.decode: illegal base64 data at input byte 1'],
    ['base64.decode', 'c3ViamVjdHM_X2Q=', 'base64.decode: illegal base64 data at input byte 11'],
    ['base64url.decode', 'aGVsb', 'base64url.decode: illegal base64url string: aGVsb'],
  ];
  for (const [name, input, message] of errors) assert.throws(() => call(name, input), { code: 'eval_builtin_error', message });
  assert.equal(call('base64.is_valid', 'aGVsbG8='), true);
  assert.equal(call('base64.is_valid', "{'not':'base64'}"), false);
  assert.equal(call('base64.is_valid', 3), false);
});

test('hex', () => {
  assert.equal(call('hex.encode', 'lorem ipsum'), '6c6f72656d20697073756d');
  assert.equal(call('hex.encode', 'é'), 'c3a9');
  assert.equal(call('hex.decode', '6c6f72656d20697073756d'), 'lorem ipsum');
  assert.equal(call('hex.decode', 'C3A9'), 'é');
  const errors: [string, string][] = [
    ['fghijkl', "encoding/hex: invalid byte: U+0067 'g'"],
    ['abc', 'encoding/hex: odd length hex string'],
    ['ab\u0001c', 'encoding/hex: invalid byte: U+0001'],
    ['abcz', "encoding/hex: invalid byte: U+007A 'z'"],
  ];
  for (const [s, msg] of errors)
    assert.throws(() => call('hex.decode', s), { code: 'eval_builtin_error', message: `hex.decode: ${msg}` });
});

test('urlquery', () => {
  const cases: [string, Value, Value][] = [
    ['urlquery.encode', 'a=b+1', 'a%3Db%2B1'],
    ['urlquery.encode', '', ''],
    ['urlquery.encode', 'a b~é/', 'a+b~%C3%A9%2F'],
    ['urlquery.decode', 'a%3Db%2B1', 'a=b+1'],
    ['urlquery.decode', 'a+b%20c', 'a b c'],
    ['urlquery.encode_object', J({ a: 'c=b+1' }), 'a=c%3Db%2B1'],
    ['urlquery.encode_object', J({ b: ['x', 'y'], a: '1' }), 'a=1&b=x&b=y'],
    ['urlquery.encode_object', RObject.from([['s', RSet.from(['2', '1'])]]), 's=1&s=2'],
    ['urlquery.encode_object', J({}), ''],
  ];
  for (const [name, input, want] of cases) assert.equal(call(name, input), want, `${name}(${format(input)})`);
  const objects: [string, string][] = [
    ['a=value_a1&b=value_b&a=value_a2', '{"a": ["value_a1", "value_a2"], "b": ["value_b"]}'],
    ['a=value_a1&b', '{"a": ["value_a1"], "b": [""]}'],
    ['', '{}'],
    ['a=1&&b=%20', '{"a": ["1"], "b": [" "]}'],
  ];
  for (const [s, want] of objects) assert.equal(format(call('urlquery.decode_object', s) as Value), want, s);
  assert.throws(() => call('urlquery.decode', '%zz'), {
    code: 'eval_builtin_error',
    message: 'urlquery.decode: invalid URL escape "%zz"',
  });
  assert.throws(() => call('urlquery.decode', 'ab%4'), { message: 'urlquery.decode: invalid URL escape "%4"' });
  assert.throws(() => call('urlquery.decode_object', 'a=1;b=2'), {
    message: 'urlquery.decode_object: invalid semicolon separator in query',
  });
  assert.throws(() => call('urlquery.encode_object', J({ a: 1 })), {
    code: 'eval_type_error',
    message: 'urlquery.encode_object: operand 1 values must be string, array[string], or set[string]',
  });
});
