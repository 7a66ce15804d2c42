import assert from 'node:assert/strict';
import { test } from 'node:test';
import { format, RObject, RSet, type Value } from '../value.js';
import './comparison.js';
import { getBuiltin } from './registry.js';
import { callBuiltin, testContext } from './testing.js';

const ctx = testContext();
const call = (name: string, a: Value, b: Value) => callBuiltin(name, [a, b], ctx);
const obj = (...kv: [Value, Value][]) => RObject.from(kv);
const set = (...xs: Value[]) => RSet.from(xs);

// Pairs in strictly increasing Rego order: null < boolean < number < string < array < object < set.
const ascending: [Value, Value][] = [
  [null, false],
  [false, true],
  [true, -1],
  [-1, 0.5],
  [0.5, 2],
  [1e308, ''],
  ['', 'a'],
  ['a', 'b'],
  ['Z', 'a'],
  ['b', []],
  [[], [1]],
  [[1], [1, 2]],
  [[1, 2], [2]],
  [[9], obj()],
  [obj(['a', 1]), obj(['a', 2])],
  [obj(['a', 1]), obj(['b', 0])],
  [obj(['a', 1]), obj(['a', 1], ['b', 1])],
  [obj(['z', 9]), set()],
  [set(1), set(2)],
  [set(1), set(1, 2)],
];

test('lt/lte/gt/gte follow the total order', () => {
  for (const [a, b] of ascending) {
    const what = `${format(a)} vs ${format(b)}`;
    assert.equal(call('lt', a, b), true, `lt ${what}`);
    assert.equal(call('lte', a, b), true, `lte ${what}`);
    assert.equal(call('gt', a, b), false, `gt ${what}`);
    assert.equal(call('gte', a, b), false, `gte ${what}`);
    assert.equal(call('gt', b, a), true, `gt reversed ${what}`);
    assert.equal(call('equal', a, b), false, `equal ${what}`);
    assert.equal(call('neq', a, b), true, `neq ${what}`);
  }
});

const equalPairs: [Value, Value][] = [
  [null, null],
  [1, 1.0],
  [[1], [1.0]],
  [obj([1, 1]), obj([1, 1.0])],
  [obj(['x', [1, 2, obj(['b', 3])]]), obj(['x', [1, 2, obj(['b', 3.0])]])],
  [set(1, 2, 3), set(3, 2, 1)],
  [obj(['a', 1], ['b', 2]), obj(['b', 2], ['a', 1])],
];

test('equal/neq compare structurally', () => {
  for (const [a, b] of equalPairs) {
    assert.equal(call('equal', a, b), true, `${format(a)} == ${format(b)}`);
    assert.equal(call('neq', a, b), false);
    assert.equal(call('lte', a, b), true);
    assert.equal(call('gte', a, b), true);
    assert.equal(call('lt', a, b), false);
  }
  assert.equal(call('equal', 1, '1'), false);
  assert.equal(call('equal', [1], set(1)), false);
});

test('declarations take two operands of any type', () => {
  for (const name of ['equal', 'neq', 'lt', 'lte', 'gt', 'gte']) {
    assert.deepEqual(getBuiltin(name)?.decl, { args: ['any', 'any'], result: 'boolean' }, name);
  }
});
