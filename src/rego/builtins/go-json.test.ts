import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromJSON, RObject, RSet, type Value } from '../value.js';
import { goJSONString, marshalJSON, marshalJSONIndent } from './go-json.js';

test('marshalJSON: sorted keys, sets as sorted arrays, integers without exponent', () => {
  const cases: [Value, string][] = [
    [fromJSON({ b: 1, a: [true, null, 'x'] }), '{"a":[true,null,"x"],"b":1}'],
    [RSet.from(['saul', 'bob']), '["bob","saul"]'],
    [1678000300, '1678000300'],
    [0.5, '0.5'],
    [1e21, '1e+21'],
    [new RObject().set(1, 'one').set('z', 'zed'), '{"1":"one","z":"zed"}'],
    // Go sorts keys bytewise over UTF-8: "é" (c3 a9) after "z".
    [fromJSON({ é: 1, z: 2 }), '{"z":2,"é":1}'],
  ];
  for (const [v, want] of cases) assert.equal(marshalJSON(v), want);
});

test('goJSONString escapes as encoding/json does', () => {
  const cases: [string, string][] = [
    ['plain', '"plain"'],
    ['<a&b>', '"\\u003ca\\u0026b\\u003e"'],
    ['\b\f\n\r\t', '"\\b\\f\\n\\r\\t"'],
    ['\u0001', '"\\u0001"'],
    ['\u2028\u2029', '"\\u2028\\u2029"'],
    ['"\\', '"\\"\\\\"'],
    ['\ud800', '"\ufffd"'],
  ];
  for (const [input, want] of cases) assert.equal(goJSONString(input), want);
});

test('marshalJSON writes Go encoding/json text', () => {
  const v = new RObject()
    .set('b', RSet.from([3, 1, 2]))
    .set('a', fromJSON({ z: null, y: [true, 1.5, '<&>\u2028'] }))
    .set(1, 'non-string key');
  assert.equal(marshalJSON(v), '{"1":"non-string key","a":{"y":[true,1.5,"\\u003c\\u0026\\u003e\\u2028"],"z":null},"b":[1,2,3]}');
});

test('marshalJSON: keys that collide as JSON text keep the value of the last in Rego key order', () => {
  // OPA fills a Go map in sorted key order: the string "1" sorts after the number 1.
  assert.equal(marshalJSON(new RObject().set('1', 'string').set(1, 'number')), '{"1":"string"}');
  assert.equal(marshalJSON(new RObject().set(1, 'number').set('1', 'string')), '{"1":"string"}');
  assert.equal(marshalJSON(new RObject().set('\ud800', 'lone').set('\ufffd', 'replacement')), '{"\ufffd":"replacement"}');
});

test('marshalJSONIndent matches json.MarshalIndent', () => {
  const v = fromJSON({ b: [1, {}], a: [] });
  assert.equal(marshalJSONIndent(v, '>', '  '), '{\n>  "a": [],\n>  "b": [\n>    1,\n>    {}\n>  ]\n>}');
});
