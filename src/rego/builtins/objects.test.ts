import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuiltinError } from '../errors.js';
import { equal, format, fromJSON, RObject, RSet, type Value } from '../value.js';
import './objects.js';
import { callBuiltin, testContext } from './testing.js';

const ctx = testContext();
const call = (name: string, args: Value[]) => callBuiltin(name, args, ctx);
const o = (js: unknown) => fromJSON(js);
const obj = (...kv: [Value, Value][]) => RObject.from(kv);
const set = (...xs: Value[]) => RSet.from(xs);

const results: [string, Value[], Value][] = [
  // object.get: plain keys, then array paths.
  ['object.get', [o({ a: 'b' }), 'a', 'c'], 'b'],
  ['object.get', [o({ a: 'b' }), 'c', 'c'], 'c'],
  ['object.get', [obj([1, 2]), 1, 3], 2],
  ['object.get', [obj([1, 2]), 2, 3], 3],
  ['object.get', [o({ a: { b: 'c' } }), 'a', true], o({ b: 'c' })],
  ['object.get', [o({ a: 1 }), [], 2], o({ a: 1 })],
  ['object.get', [o({ a: 1 }), ['a'], 2], 1],
  ['object.get', [o({ a: { b: { c: 1 } } }), ['a', 'b', 'c'], 2], 1],
  ['object.get', [o({ a: { b: 1 } }), ['b', 'a'], 2], 2],
  ['object.get', [o({ a: { b: { c: 1 } } }), ['a', 'b', 'a'], 2], 2],
  ['object.get', [obj([1, obj(['b', obj([[1, 2, 3], 1])])]), [1, 'b', [1, 2, 3]], 2], 1],
  ['object.get', [o({ a: { b: [1, 2, 3] } }), ['a', 'b', 'a'], 2], 2],
  ['object.get', [o({ a: { b: [{ c: 1 }] } }), ['a', 'b', 0, 'c'], 2], 1],
  ['object.get', [o({ a: [1] }), ['a', 5], 'd'], 'd'],
  ['object.get', [o({ a: [1] }), ['a', 0.5], 'd'], 'd'],
  ['object.get', [obj(['s', set('x')]), ['s', 'x'], 'd'], 'x'],
  ['object.get', [obj(['s', set('x')]), ['s', 'y'], 'd'], 'd'],
  ['object.get', [o({ a: 'str' }), ['a', 'b'], 'd'], 'd'],
  ['object.get', [o({ a: null }), 'a', 'd'], null],
  ['object.keys', [o({ a: 1, b: 2 })], set('a', 'b')],
  ['object.keys', [obj([[1], 1])], set([1])],
  ['object.keys', [o({})], set()],
  // object.remove / object.filter: keys from an array, set or object.
  ['object.remove', [o({ a: 1, b: { c: 3 } }), set('a')], o({ b: { c: 3 } })],
  ['object.remove', [o({ a: 1, b: { c: 3 }, d: 4 }), ['d', 'b']], o({ a: 1 })],
  ['object.remove', [o({ a: 1, b: { c: 3 }, d: 4 }), o({ b: 1, d: '' })], o({ a: 1 })],
  ['object.remove', [o({ a: { b: { c: 2 } }, x: 123 }), o({ a: { b: { foo: 'bar' } } })], o({ x: 123 })],
  ['object.remove', [o({}), set('a', 'b')], o({})],
  ['object.remove', [o({ a: 1 }), []], o({ a: 1 })],
  ['object.remove', [obj(['a', 1], [[[7]], 2]), set([[7]])], o({ a: 1 })],
  ['object.filter', [o({ a: { b: { c: 7, d: 8 } }, e: 9 }), set('a')], o({ a: { b: { c: 7, d: 8 } } })],
  ['object.filter', [o({ a: 7 }), set()], o({})],
  ['object.filter', [o({}), set('a')], o({})],
  ['object.filter', [o({ a: 1, b: 2, c: 3 }), ['a', 'c', 'z']], o({ a: 1, c: 3 })],
  ['object.filter', [o({ a: 1, b: 2 }), o({ b: null })], o({ b: 2 })],
  ['object.filter', [obj(['a', 1], [[[7]], 2]), set([[7]])], obj([[[7]], 2])],
  // object.union: deep merge, right wins.
  ['object.union', [o({}), o({})], o({})],
  ['object.union', [o({}), o({ a: 1 })], o({ a: 1 })],
  ['object.union', [o({ a: 1 }), o({})], o({ a: 1 })],
  ['object.union', [o({ a: { b: { c: 1 } } }), o({ b: 2 })], o({ a: { b: { c: 1 } }, b: 2 })],
  ['object.union', [o({ b: 2 }), o({ a: { b: { c: 1 } } })], o({ a: { b: { c: 1 } }, b: 2 })],
  ['object.union', [o({ a: 1 }), o({ a: { b: { c: 1 } }, d: 7 })], o({ a: { b: { c: 1 } }, d: 7 })],
  ['object.union', [o({ a: { x: 1, y: 1 } }), o({ a: { y: 2 } })], o({ a: { x: 1, y: 2 } })],
  ['object.union', [o({ a: { b: 1 } }), o({ a: 5 })], o({ a: 5 })],
  ['object.union_n', [[]], o({})],
  ['object.union_n', [[o({ a: 1 }), o({ b: 2 }), o({ a: 3 })]], o({ a: 3, b: 2 })],
  ['object.union_n', [[o({ a: { b: 2 } }), o({ a: 4 }), o({ a: { c: 3 } })]], o({ a: { c: 3 } })],
  ['object.union_n', [[o({ a: { b: 2 } }), o({ a: { c: 3 } })]], o({ a: { b: 2, c: 3 } })],
  // object.subset
  ['object.subset', [o({ a: 1, b: 2 }), o({ a: 1 })], true],
  ['object.subset', [o({ a: 1 }), o({ a: 1, b: 2 })], false],
  ['object.subset', [o({ a: { b: 1, c: 2 } }), o({ a: { b: 1 } })], true],
  ['object.subset', [o({ a: { b: 1 } }), o({ a: { b: 2 } })], false],
  ['object.subset', [obj(['a', set(1, 2, 3)]), obj(['a', set(1, 3)])], true],
  ['object.subset', [o({ a: [1, 2, 3, 4] }), o({ a: [2, 3] })], true],
  ['object.subset', [o({ a: [1, 2, 3, 4] }), o({ a: [2, 4] })], false],
  ['object.subset', [o({ a: 1 }), o({ a: '1' })], false],
  ['object.subset', [set(1, 2, 3), set(1, 3)], true],
  ['object.subset', [set(1, 2, 3), set(4)], false],
  [
    'object.subset',
    [
      [1, 1, 2, 3],
      [1, 2],
    ],
    true,
  ],
  [
    'object.subset',
    [
      [1, 2, 3],
      [1, 3],
    ],
    false,
  ],
  ['object.subset', [[1, 2], []], true],
  ['object.subset', [[1, 2, 3], set(3, 1)], true],
  ['object.subset', [[1, 2, 3], set(4)], false],
];

test('object builtins give OPA results', () => {
  for (const [name, args, want] of results) {
    const got = call(name, args);
    assert.ok(
      got !== undefined && equal(got, want),
      `${name}(${args.map(format).join(', ')}) = ${got === undefined ? 'undefined' : format(got)}`,
    );
  }
});

test('object.remove and object.filter leave their operand alone', () => {
  const input = o({ a: 1, b: 2, c: 3 });
  assert.ok(equal(call('object.remove', [input, set('a')]) as Value, o({ b: 2, c: 3 })));
  assert.ok(equal(call('object.filter', [input, set('b')]) as Value, o({ b: 2 })));
  assert.ok(equal(input, o({ a: 1, b: 2, c: 3 })));
});

const errors: [string, Value[], string][] = [
  ['object.get', ['object', ['a'], 2], 'object.get: operand 1 must be object but got string'],
  ['object.keys', [[1]], 'object.keys: operand 1 must be object but got array'],
  ['object.remove', [['a'], set('a')], 'object.remove: operand 1 must be object but got array'],
  ['object.remove', [false, set('a')], 'object.remove: operand 1 must be object but got boolean'],
  ['object.remove', [o({ a: 1 }), 'foo'], 'object.remove: operand 2 must be one of {object, set, array} but got string'],
  ['object.remove', [o({ a: 1 }), null], 'object.remove: operand 2 must be one of {object, set, array} but got null'],
  ['object.filter', [123, set('a')], 'object.filter: operand 1 must be object but got number'],
  ['object.filter', [o({ a: 1 }), true], 'object.filter: operand 2 must be one of {object, set, array} but got boolean'],
  ['object.union', [[1, 2, 3], o({ b: 2 })], 'object.union: operand 1 must be object but got array'],
  ['object.union', [o({}), 1], 'object.union: operand 2 must be object but got number'],
  ['object.union_n', [o({})], 'object.union_n: operand 1 must be array but got object'],
  ['object.union_n', [[o({}), 1]], 'object.union_n: operand 1 must be array of objects but got array containing number'],
  ['object.subset', [o({}), [1]], 'object.subset: both arguments object.subset must be of the same type or array and set'],
  ['object.subset', [set(1), [1]], 'object.subset: both arguments object.subset must be of the same type or array and set'],
];

test('operand errors are type errors', () => {
  for (const [name, args, message] of errors) {
    assert.throws(
      () => call(name, args),
      (e: unknown) => e instanceof BuiltinError && e.code === 'eval_type_error' && e.message === message,
      message,
    );
  }
});

test('object.get finds null values rather than the default', () => {
  assert.equal(call('object.get', [o({ a: { b: null } }), ['a', 'b'], 'd']), null);
});

test('object.union and object.union_n leave their operands alone', () => {
  const a = o({ a: { x: 1 }, b: 1 });
  const b = o({ a: { y: 2 } });
  const c = o({ a: { z: 3 }, b: 2 });
  assert.ok(equal(call('object.union_n', [[a, b, c]]) as Value, o({ a: { x: 1, y: 2, z: 3 }, b: 2 })));
  assert.ok(equal(call('object.union', [a, c]) as Value, o({ a: { x: 1, z: 3 }, b: 2 })));
  assert.ok(equal(a, o({ a: { x: 1 }, b: 1 })));
  assert.ok(equal(b, o({ a: { y: 2 } })));
  assert.ok(equal(c, o({ a: { z: 3 }, b: 2 })));
});
