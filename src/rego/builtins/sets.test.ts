import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuiltinError } from '../errors.js';
import { equal, format, RSet, type Value } from '../value.js';
import { getBuiltin } from './registry.js';
import './sets.js';
import { callBuiltin, testContext } from './testing.js';

const ctx = testContext();
const call = (name: string, args: Value[]) => callBuiltin(name, args, ctx);
const set = (...xs: Value[]) => RSet.from(xs);

const results: [string, Value[], Value][] = [
  ['and', [set(3, 2, 3), set(3, 4, 3)], set(3)],
  ['and', [set(1, 2), set(3)], set()],
  ['and', [set([1], 'a'), set([1])], set([1])],
  ['or', [set(3, 2), set(3, 4)], set(2, 3, 4)],
  ['or', [set(), set()], set()],
  ['intersection', [set()], set()],
  ['intersection', [set(set(), set(1, 2))], set()],
  ['intersection', [set(set(1, 2, 3), set(2))], set(2)],
  ['intersection', [set(set(1, 2, 3), set(2, 3, 4), set(4, 5, 6))], set()],
  ['intersection', [set(set('a', 'b', 'c', 'd'), set('b', 'c', 'd'), set('c', 'd'), set('d'))], set('d')],
  ['union', [set()], set()],
  ['union', [set(set(), set(1, 2))], set(1, 2)],
  ['union', [set(set(1, 2, 3), set(2))], set(1, 2, 3)],
  ['union', [set(set('a', 'b', 'c', 'd'), set('b', 'c', 'd'), set('c', 'd'), set('d'))], set('a', 'b', 'c', 'd')],
];

test('set operations', () => {
  for (const [name, args, want] of results) {
    const got = call(name, args);
    assert.ok(
      got instanceof RSet && equal(got, want),
      `${name}(${args.map(format).join(', ')}) = ${got === undefined ? 'undefined' : format(got)}`,
    );
  }
});

const errors: [string, Value[], string][] = [
  ['and', [[1], set()], 'and: operand 1 must be set but got array'],
  ['or', [set(), 1], 'or: operand 2 must be set but got number'],
  ['intersection', [[set()]], 'intersection: operand 1 must be set but got array'],
  ['intersection', [set(set(1), 1)], 'intersection: operand 1 must be set but got number'],
  ['union', [set(set(1), 'x')], 'union: operand 1 must be set but got string'],
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

test('set_diff is gone in v1', () => {
  assert.equal(getBuiltin('set_diff'), undefined);
});
