import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuiltinError } from '../errors.js';
import { RObject, RSet, type Value } from '../value.js';
import './types.js';
import { callBuiltin, testContext } from './testing.js';

const ctx = testContext();
const call = (name: string, args: Value[]) => callBuiltin(name, args, ctx);

const samples: [Value, string][] = [
  [null, 'null'],
  [true, 'boolean'],
  [false, 'boolean'],
  [-42.0, 'number'],
  [100.1, 'number'],
  ['Hello', 'string'],
  ['', 'string'],
  [[1, 2, 3], 'array'],
  [RSet.from([1, 2, 3]), 'set'],
  [RObject.from([['foo', 1]]), 'object'],
];

const tests: Record<string, string> = {
  is_null: 'null',
  is_boolean: 'boolean',
  is_number: 'number',
  is_string: 'string',
  is_array: 'array',
  is_set: 'set',
  is_object: 'object',
};

test('is_* answer true for their type and false otherwise', () => {
  for (const [name, type] of Object.entries(tests)) {
    for (const [v, t] of samples) assert.equal(call(name, [v]), t === type, `${name}(${JSON.stringify(v)})`);
  }
});

test('type_name', () => {
  for (const [v, t] of samples) assert.equal(call('type_name', [v]), t);
});

const numbers: [Value, number][] = [
  ['-42.0', -42],
  [false, 0],
  [true, 1],
  [null, 0],
  [100.1, 100.1],
  ['3', 3],
  ['+5', 5],
  ['-0', 0],
  ['1e3', 1000],
  ['1.5E-2', 0.015],
  ['.5', 0.5],
  ['5.', 5],
  ['0012', 12],
  ['1_000', 1000],
  ['0x1p-2', 0.25],
  ['0X1.8P1', 3],
  ['-0x10p0', -16],
];

test('to_number converts null, booleans, numbers and Go float syntax', () => {
  for (const [v, want] of numbers) assert.ok(Object.is(call('to_number', [v]), want), `to_number(${JSON.stringify(v)})`);
});

const bad: [Value, string, string][] = [
  ['broken', 'eval_builtin_error', 'to_number: strconv.ParseFloat: parsing "broken": invalid syntax'],
  ['', 'eval_builtin_error', 'to_number: strconv.ParseFloat: parsing "": invalid syntax'],
  [' 1', 'eval_builtin_error', 'to_number: strconv.ParseFloat: parsing " 1": invalid syntax'],
  ['1_', 'eval_builtin_error', 'to_number: strconv.ParseFloat: parsing "1_": invalid syntax'],
  ['0x10', 'eval_builtin_error', 'to_number: strconv.ParseFloat: parsing "0x10": invalid syntax'],
  ['1e400', 'eval_builtin_error', 'to_number: strconv.ParseFloat: parsing "1e400": value out of range'],
  ['Inf', 'eval_type_error', 'to_number: operand 1 must be valid number string but got string'],
  ['-infinity', 'eval_type_error', 'to_number: operand 1 must be valid number string but got string'],
  ['NaN', 'eval_type_error', 'to_number: operand 1 must be valid number string but got string'],
  [[1], 'eval_type_error', 'to_number: operand 1 must be one of {null, boolean, number, string} but got array'],
];

test('to_number rejects what Go rejects', () => {
  for (const [v, code, message] of bad) {
    assert.throws(
      () => call('to_number', [v]),
      (e: unknown) => e instanceof BuiltinError && e.code === code && e.message === message,
      message,
    );
  }
});
