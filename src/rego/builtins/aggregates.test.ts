import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuiltinError } from '../errors.js';
import { equal, format, RObject, RSet, type Value } from '../value.js';
import './aggregates.js';
import { getBuiltin } from './registry.js';
import { callBuiltin, testContext } from './testing.js';

const ctx = testContext();
const call = (name: string, args: Value[]) => callBuiltin(name, args, ctx);
const set = (...xs: Value[]) => RSet.from(xs);
const obj = (...kv: [Value, Value][]) => RObject.from(kv);

const results: [string, Value[], Value | undefined][] = [
  ['count', [[1, 2, 3]], 3],
  ['count', [set(1, 2, 3, 4)], 4],
  ['count', [obj(['v1', 'hello'], ['v2', 'goodbye'])], 2],
  ['count', ['abcde'], 5],
  ['count', ['åäö'], 3],
  ['count', ['😀x'], 2],
  ['count', [''], 0],
  ['sum', [[1, 2, 3, 4]], 10],
  ['sum', [set(1, 2, 3, 4)], 10],
  ['sum', [[]], 0],
  ['sum', [[49649733057, 1]], 49649733058],
  ['sum', [[0.5, 0.25]], 0.75],
  ['sum', [[2 ** 53, 1, 1]], 2 ** 53 + 2],
  ['product', [[1, 2, 3, 4]], 24],
  ['product', [set()], 1],
  ['product', [[0.5, 4]], 2],
  ['max', [[1, 2, 3, 4]], 4],
  ['max', [set(1, 2, 3, 4)], 4],
  ['max', [[1, 'a', null, [0]]], [0]],
  ['max', [[]], undefined],
  ['max', [set()], undefined],
  ['min', [[1, 2, 1, 3, 4]], 1],
  ['min', [set(4, 3, 2, 1)], 1],
  ['min', [['b', 2, true]], true],
  ['min', [[]], undefined],
  ['sort', [[3, 1, 2]], [1, 2, 3]],
  ['sort', [set(4, 3, 2, 1)], [1, 2, 3, 4]],
  ['sort', [['b', 1, null, [1], 'a']], [null, 1, 'a', 'b', [1]]],
  ['sort', [[]], []],
];

test('aggregates give OPA results', () => {
  for (const [name, args, want] of results) {
    const got = call(name, args);
    const ok = want === undefined ? got === undefined : got !== undefined && equal(got, want);
    assert.ok(ok, `${name}(${args.map(format).join(', ')}) = ${got === undefined ? 'undefined' : format(got)}`);
  }
});

test('sort does not reorder its operand', () => {
  const input = [3, 1, 2];
  call('sort', [input]);
  assert.deepEqual(input, [3, 1, 2]);
});

const errors: [string, Value[], string][] = [
  ['count', [1], 'count: operand 1 must be one of {array, object, set, string} but got number'],
  ['count', [null], 'count: operand 1 must be one of {array, object, set, string} but got null'],
  ['sum', ['1'], 'sum: operand 1 must be one of {set, array} but got string'],
  ['sum', [[1, '2']], 'sum: operand 1 must be array of numbers but got array containing string'],
  ['sum', [set(1, null)], 'sum: operand 1 must be set of numbers but got set containing null'],
  ['product', [obj()], 'product: operand 1 must be one of {set, array} but got object'],
  ['product', [[1, [2]]], 'product: operand 1 must be array of numbers but got array containing array'],
  ['max', [1], 'max: operand 1 must be one of {set, array} but got number'],
  ['min', [obj()], 'min: operand 1 must be one of {set, array} but got object'],
  ['sort', ['abc'], 'sort: operand 1 must be one of {set, array} but got string'],
];

test('bad operands are type errors with OPA messages', () => {
  for (const [name, args, message] of errors) {
    assert.throws(
      () => call(name, args),
      (e: unknown) => e instanceof BuiltinError && e.code === 'eval_type_error' && e.message === message,
      message,
    );
  }
});

test('v1 does not register the deprecated any/all', () => {
  assert.equal(getBuiltin('any'), undefined);
  assert.equal(getBuiltin('all'), undefined);
});
