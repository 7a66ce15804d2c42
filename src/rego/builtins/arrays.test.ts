import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuiltinError } from '../errors.js';
import { RObject, type Value } from '../value.js';
import './arrays.js';
import { callBuiltin, testContext } from './testing.js';

const ctx = testContext();
const call = (name: string, args: Value[]) => callBuiltin(name, args, ctx);

const results: [string, Value[], Value][] = [
  [
    'array.concat',
    [
      [1, 2],
      [3, 4],
    ],
    [1, 2, 3, 4],
  ],
  ['array.concat', [[], []], []],
  ['array.concat', [[[1]], [[2]]], [[1], [2]]],
  ['array.slice', [[1, 2, 3, 4, 5], 1, 3], [2, 3]],
  ['array.slice', [[1, 2, 3], 0, 0], []],
  ['array.slice', [[1, 2, 3, 4, 5], -4, -1], []],
  ['array.slice', [[1, 2, 3, 4, 5], 4, 1], []],
  ['array.slice', [[1, 2, 3, 4, 5], -1, 2], [1, 2]],
  ['array.slice', [[1, 2, 3, 4, 5], 3, 6], [4, 5]],
  ['array.slice', [[], 1000, 2000], []],
  ['array.slice', [[1, 2, 3], 1000, 2000], []],
  ['array.slice', [[1, 2, 3], 0, 3], [1, 2, 3]],
  ['array.reverse', [[1, 2, 3]], [3, 2, 1]],
  ['array.reverse', [[]], []],
];

test('array builtins', () => {
  for (const [name, args, want] of results) assert.deepEqual(call(name, args), want, `${name}(${JSON.stringify(args)})`);
});

test('array.reverse leaves its operand alone', () => {
  const a = [1, 2, 3];
  call('array.reverse', [a]);
  assert.deepEqual(a, [1, 2, 3]);
});

const errors: [string, Value[], string][] = [
  ['array.concat', [RObject.from([['v1', 'hello']]), [3, 4]], 'array.concat: operand 1 must be array but got object'],
  ['array.concat', [[1], 'x'], 'array.concat: operand 2 must be array but got string'],
  ['array.slice', [[1], '0', 1], 'array.slice: operand 2 must be number but got string'],
  ['array.slice', [[1], 0, 1.5], 'array.slice: operand 3 must be integer number but got floating-point number'],
  ['array.reverse', [null], 'array.reverse: operand 1 must be array but got null'],
];

test('operand errors', () => {
  for (const [name, args, message] of errors) {
    assert.throws(
      () => call(name, args),
      (e: unknown) => e instanceof BuiltinError && e.code === 'eval_type_error' && e.message === message,
      message,
    );
  }
});
