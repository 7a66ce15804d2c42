import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuiltinError } from '../errors.js';
import type { Value } from '../value.js';
import './bits.js';
import { callBuiltin, testContext } from './testing.js';

const ctx = testContext();
const call = (name: string, args: Value[]) => callBuiltin(name, args, ctx);

const results: [string, Value[], number][] = [
  ['bits.and', [7, 9], 1],
  ['bits.and', [50, 0], 0],
  ['bits.and', [-1, 255], 255],
  ['bits.and', [2 ** 40 + 5, 2 ** 40 + 3], 2 ** 40 + 1],
  ['bits.or', [7, 9], 15],
  ['bits.or', [50, 0], 50],
  ['bits.or', [2 ** 40, 1], 2 ** 40 + 1],
  ['bits.xor', [42, 3], 41],
  ['bits.xor', [-1, 0], -1],
  ['bits.negate', [42], -43],
  ['bits.negate', [-1], 0],
  ['bits.negate', [0], -1],
  ['bits.lsh', [1, 3], 8],
  ['bits.lsh', [2147483647, 1], 4294967294],
  ['bits.lsh', [Number('9223372036854775807'), 1], Number('18446744073709551614')],
  ['bits.lsh', [-3, 2], -12],
  ['bits.lsh', [0, 5000], 0],
  ['bits.rsh', [8, 3], 1],
  ['bits.rsh', [10, 20], 0],
  ['bits.rsh', [-8, 1], -4],
  ['bits.rsh', [-1, 10], -1],
  ['bits.rsh', [2 ** 60, 58], 4],
  ['bits.rsh', [5, 1e9], 0],
  ['bits.rsh', [-5, 1e9], -1],
];

test('bitwise operations on integers, past 32 bits too', () => {
  for (const [name, args, want] of results) assert.equal(call(name, args), want, `${name}(${args.join(', ')})`);
});

const errors: [string, Value[], string][] = [
  ['bits.and', [7.2, 42], 'bits.and: operand 1 must be integer number but got floating-point number'],
  ['bits.or', [7.2, 42], 'bits.or: operand 1 must be integer number but got floating-point number'],
  ['bits.xor', [7, 4.2], 'bits.xor: operand 2 must be integer number but got floating-point number'],
  ['bits.negate', [7.2], 'bits.negate: operand 1 must be integer number but got floating-point number'],
  ['bits.lsh', [7.2, 42], 'bits.lsh: operand 1 must be integer number but got floating-point number'],
  ['bits.and', ['7', 1], 'bits.and: operand 1 must be integer but got string'],
  ['bits.lsh', [7, -1], 'bits.lsh: operand 2 must be an unsigned integer number but got a negative integer'],
  ['bits.rsh', [7, -1], 'bits.rsh: operand 2 must be an unsigned integer number but got a negative integer'],
];

test('non-integers and negative shifts are type errors', () => {
  for (const [name, args, message] of errors) {
    assert.throws(
      () => call(name, args),
      (e: unknown) => e instanceof BuiltinError && e.code === 'eval_type_error' && e.message === message,
      message,
    );
  }
});

test('a left shift past the double range is an error, not a hang', () => {
  assert.throws(
    () => call('bits.lsh', [1, 1e12]),
    (e: unknown) => e instanceof BuiltinError && e.message === 'bits.lsh: result out of range',
  );
  assert.throws(() => call('bits.lsh', [1, 1024]), BuiltinError);
  assert.equal(call('bits.lsh', [1, 1023]), 2 ** 1023);
});
