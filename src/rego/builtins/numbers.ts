// Arithmetic (plus, minus, mul, div, rem), rounding (abs, ceil, floor, round), numbers.range,
// numbers.range_step and rand.intn.
//
// Numbers are JS doubles: integer arithmetic is exact up to 2^53 and approximate beyond it (OPA keeps
// arbitrary precision), and non-integer results are double results, not OPA's 64-bit-mantissa
// big.Float ones. A result too large for a double is a builtin error rather than Infinity, which is
// not a Rego value.
import { randomInt } from 'node:crypto';
import { HaltError } from '../errors.js';
import { RSet, type Value } from '../value.js';
import { builtinErr, int, num, str, typeErr } from './args.js';
import { bigIntOperand, noNegZero } from './ints.js';
import { type BuiltinContext, registerBuiltin } from './registry.js';

/** numbers.range / range_step refuse to build arrays longer than this (OPA stops on cancellation). */
export const MAX_RANGE_LENGTH = 10_000_000;

function finite(name: string, x: number): number {
  if (!Number.isFinite(x)) throw builtinErr(name, 'result out of range');
  return noNegZero(x);
}

function binary(name: string, op: (x: number, y: number) => number): void {
  registerBuiltin({
    name,
    decl: { args: ['number', 'number'], result: 'number' },
    fn: (args) => {
      const x = num(args, 0, name);
      const y = num(args, 1, name);
      return finite(name, op(x, y));
    },
  });
}

function unary(name: string, op: (x: number) => number): void {
  registerBuiltin({ name, decl: { args: ['number'], result: 'number' }, fn: (args) => noNegZero(op(num(args, 0, name))) });
}

binary('plus', (x, y) => x + y);
binary('mul', (x, y) => x * y);
binary('div', (x, y) => {
  if (y === 0) throw builtinErr('div', 'divide by zero');
  return x / y;
});
binary('rem', (x, y) => {
  // Modulo only exists for integers; the sign follows the dividend (Go's and JS's truncated %).
  if (!Number.isInteger(x) || !Number.isInteger(y)) throw builtinErr('rem', 'modulo on floating-point number');
  if (y === 0) throw builtinErr('rem', 'modulo by zero');
  return x % y;
});

registerBuiltin({
  name: 'minus',
  decl: {
    args: [
      ['number', 'set'],
      ['number', 'set'],
    ],
    result: ['number', 'set'],
  },
  fn: (args) => {
    const a = args[0] as Value;
    const b = args[1] as Value;
    if (typeof a === 'number' && typeof b === 'number') return finite('minus', a - b);
    if (a instanceof RSet && b instanceof RSet) {
      const out = new RSet();
      for (const v of a) if (!b.has(v)) out.add(v);
      return out;
    }
    // OPA's order of complaints: operand 1 first, then operand 2 against what operand 1 implies.
    if (typeof a !== 'number' && !(a instanceof RSet)) throw typeErr('minus', 0, 'one of {number, set}', a);
    if (typeof b === 'number') throw typeErr('minus', 1, 'set', b);
    throw typeErr('minus', 1, 'number', b);
  },
});

unary('abs', Math.abs);
unary('ceil', Math.ceil);
unary('floor', Math.floor);
// Half away from zero: Math.round rounds halves up, so apply it to the magnitude.
unary('round', (x) => Math.sign(x) * Math.round(Math.abs(x)));

function range(name: string, x: bigint, y: bigint, step: bigint): Value[] {
  const count = (x <= y ? y - x : x - y) / step + 1n;
  if (count > BigInt(MAX_RANGE_LENGTH)) {
    throw new HaltError('eval_limit_error', `${name}: range of ${count} numbers exceeds the limit of ${MAX_RANGE_LENGTH}`);
  }
  const n = Number(count);
  const out: Value[] = new Array(n);
  // Step in BigInt so values past 2^53 still advance (a double i + 1 may equal i there).
  const safe = x >= BigInt(Number.MIN_SAFE_INTEGER) && y >= BigInt(Number.MIN_SAFE_INTEGER);
  const fits = safe && x <= BigInt(Number.MAX_SAFE_INTEGER) && y <= BigInt(Number.MAX_SAFE_INTEGER);
  if (fits) {
    const sx = Number(x);
    const ss = x <= y ? Number(step) : -Number(step);
    for (let i = 0; i < n; i++) out[i] = sx + i * ss;
  } else {
    const ss = x <= y ? step : -step;
    let v = x;
    for (let i = 0; i < n; i++, v += ss) out[i] = Number(v);
  }
  return out;
}

registerBuiltin({
  name: 'numbers.range',
  decl: { args: ['number', 'number'], result: 'array' },
  fn: (args) => range('numbers.range', bigIntOperand(args, 0, 'numbers.range'), bigIntOperand(args, 1, 'numbers.range'), 1n),
});

registerBuiltin({
  name: 'numbers.range_step',
  decl: { args: ['number', 'number', 'number'], result: 'array' },
  fn: (args) => {
    const name = 'numbers.range_step';
    const x = bigIntOperand(args, 0, name);
    const y = bigIntOperand(args, 1, name);
    const step = bigIntOperand(args, 2, name);
    if (step <= 0n) throw builtinErr(name, 'step must be a positive integer');
    return range(name, x, y, step);
  },
});

/** A uniform integer in [0, n) for n ≥ 1 (crypto's randomInt covers ranges below 2^48). */
function randomBelow(n: number): number {
  if (n <= 2 ** 48 - 1) return randomInt(n);
  return Math.floor(Math.random() * n);
}

registerBuiltin({
  name: 'rand.intn',
  decl: { args: ['string', 'number'], result: 'number' },
  nondeterministic: true,
  fn: (args, ctx: BuiltinContext) => {
    const s = str(args, 0, 'rand.intn');
    let n = int(args, 1, 'rand.intn');
    if (n === 0) return 0;
    if (n < 0) n = -n;
    // The same (string, n) gives the same number throughout one query.
    const key = `rand.intn\u0000${s}\u0000${n}`;
    const hit = ctx.cache.get(key);
    if (typeof hit === 'number') return hit;
    const r = randomBelow(n);
    ctx.cache.set(key, r);
    return r;
  },
});
