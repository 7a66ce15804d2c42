import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuiltinError, HaltError } from '../errors.js';
import { equal, format, RSet, type Value } from '../value.js';
import './numbers.js';
import { getBuiltin } from './registry.js';
import { callBuiltin, testContext } from './testing.js';

const call = callBuiltin;

const s = (...xs: Value[]) => RSet.from(xs);

const results: [string, Value[], Value][] = [
  ['plus', [1, 2], 3],
  ['plus', [0.5, -1], -0.5],
  ['plus', [49649733057, 1], 49649733058],
  ['minus', [1, 3], -2],
  ['minus', [s(1, 2, 3, 4), s(1, 3)], s(2, 4)],
  ['minus', [s(1, 'c', 2), s('c', 1)], s(2)],
  ['minus', [s(), s(1)], s()],
  ['mul', [3, 4], 12],
  ['mul', [-2, 0.5], -1],
  ['div', [7, 2], 3.5],
  ['div', [6, 3], 2],
  ['div', [0, -5], 0],
  ['rem', [7, 4], 3],
  ['rem', [-7, 4], -3],
  ['rem', [7, -4], 3],
  ['rem', [-8, 4], 0],
  ['abs', [-10], 10],
  ['abs', [2.5], 2.5],
  ['ceil', [1.01], 2],
  ['ceil', [-1.99999], -1],
  ['ceil', [-0.5], 0],
  ['ceil', [2222.2222222222], 2223],
  ['floor', [1.5], 1],
  ['floor', [-1.001], -2],
  ['floor', [-0.5], -1],
  ['floor', [7], 7],
  ['round', [2.5], 3],
  ['round', [-2.5], -3],
  ['round', [2.4999], 2],
  ['round', [-0.4], 0],
  ['round', [0.49999999999999994], 0],
  ['numbers.range', [0, 0], [0]],
  ['numbers.range', [1, 4], [1, 2, 3, 4]],
  ['numbers.range', [2, -3], [2, 1, 0, -1, -2, -3]],
  ['numbers.range', [49649733057, 49649733060], [49649733057, 49649733058, 49649733059, 49649733060]],
  ['numbers.range', [2 ** 53, 2 ** 53 + 4], [2 ** 53, 2 ** 53 + 1, 2 ** 53 + 2, 2 ** 53 + 3, 2 ** 53 + 4]],
  ['numbers.range_step', [0, 10, 3], [0, 3, 6, 9]],
  ['numbers.range_step', [10, 0, 4], [10, 6, 2]],
  ['numbers.range_step', [1, 1, 5], [1]],
];

test('arithmetic and ranges give OPA results', () => {
  for (const [name, args, want] of results) {
    const got = call(name, args);
    assert.ok(
      got !== undefined && equal(got, want),
      `${name}(${args.map(format).join(', ')}) = ${got === undefined ? 'undefined' : format(got)}, want ${format(want)}`,
    );
  }
});

test('results never carry a negative zero', () => {
  for (const [name, args] of [
    ['div', [0, -5]],
    ['mul', [0, -1]],
    ['ceil', [-0.2]],
    ['round', [-0.3]],
    ['rem', [-4, 2]],
  ] as [string, Value[]][]) {
    assert.ok(Object.is(call(name, args), 0), `${name}(${args.join(', ')})`);
  }
});

const errors: [string, Value[], string, string][] = [
  ['plus', ['1', 2], 'eval_type_error', 'plus: operand 1 must be number but got string'],
  ['mul', [1, null], 'eval_type_error', 'mul: operand 2 must be number but got null'],
  ['div', [1, 0], 'eval_builtin_error', 'div: divide by zero'],
  ['div', [0, 0], 'eval_builtin_error', 'div: divide by zero'],
  ['rem', [1, 0], 'eval_builtin_error', 'rem: modulo by zero'],
  ['rem', [1.5, 2], 'eval_builtin_error', 'rem: modulo on floating-point number'],
  ['rem', [3, 0.5], 'eval_builtin_error', 'rem: modulo on floating-point number'],
  ['minus', ['a', 1], 'eval_type_error', 'minus: operand 1 must be one of {number, set} but got string'],
  ['minus', [s(1), 1], 'eval_type_error', 'minus: operand 2 must be set but got number'],
  ['minus', [1, s(1)], 'eval_type_error', 'minus: operand 2 must be number but got set'],
  ['abs', [[1]], 'eval_type_error', 'abs: operand 1 must be number but got array'],
  ['mul', [1e200, 1e200], 'eval_builtin_error', 'mul: result out of range'],
  [
    'numbers.range',
    [3.14, 4],
    'eval_type_error',
    'numbers.range: operand 1 must be integer number but got floating-point number',
  ],
  [
    'numbers.range',
    [3, 3.14],
    'eval_type_error',
    'numbers.range: operand 2 must be integer number but got floating-point number',
  ],
  ['numbers.range', ['1', 4], 'eval_type_error', 'numbers.range: operand 1 must be integer but got string'],
  ['numbers.range_step', [1, 4, 0], 'eval_builtin_error', 'numbers.range_step: step must be a positive integer'],
  ['numbers.range_step', [1, 4, -1], 'eval_builtin_error', 'numbers.range_step: step must be a positive integer'],
  [
    'numbers.range_step',
    [1, 4, 1.5],
    'eval_type_error',
    'numbers.range_step: operand 3 must be integer number but got floating-point number',
  ],
  ['rand.intn', [1, 10], 'eval_type_error', 'rand.intn: operand 1 must be string but got number'],
  ['rand.intn', ['k', 1.5], 'eval_type_error', 'rand.intn: operand 2 must be integer number but got floating-point number'],
];

test('bad operands raise OPA errors', () => {
  for (const [name, args, code, message] of errors) {
    assert.throws(
      () => call(name, args),
      (e: unknown) => e instanceof BuiltinError && e.code === code && e.message === message,
      `${name}(${args.map(format).join(', ')}) should fail with ${message}`,
    );
  }
});

test('numbers.range refuses absurd lengths instead of hanging', () => {
  assert.throws(
    () => call('numbers.range', [0, 1e15]),
    (e: unknown) => e instanceof HaltError && e.code === 'eval_limit_error',
  );
});

test('rand.intn is stable per (key, n) within a query and in range', () => {
  const ctx = testContext();
  const first = call('rand.intn', ['key', 100], ctx);
  assert.equal(typeof first, 'number');
  assert.ok(Number.isInteger(first) && (first as number) >= 0 && (first as number) < 100);
  for (let i = 0; i < 20; i++) assert.equal(call('rand.intn', ['key', 100], ctx), first);
  // A negative bound is its magnitude, and shares the cache entry.
  assert.equal(call('rand.intn', ['key', -100], ctx), first);
  assert.equal(call('rand.intn', ['key', 0], ctx), 0);
  // Different keys are independent draws: over many keys, more than one value appears.
  const seen = new Set<Value | undefined>();
  for (let i = 0; i < 50; i++) seen.add(call('rand.intn', [`k${i}`, 1000], ctx));
  assert.ok(seen.size > 1);
  assert.equal(getBuiltin('rand.intn')?.nondeterministic, true);
});

test('declarations match OPA arities', () => {
  const arity: Record<string, number> = {
    plus: 2,
    minus: 2,
    mul: 2,
    div: 2,
    rem: 2,
    abs: 1,
    ceil: 1,
    floor: 1,
    round: 1,
    'numbers.range': 2,
    'numbers.range_step': 3,
    'rand.intn': 2,
  };
  for (const [name, n] of Object.entries(arity)) assert.equal(getBuiltin(name)?.decl.args.length, n, name);
});
