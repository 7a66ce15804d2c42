// Integer helpers shared by the numeric builtin families (bits, numbers.range). Rego numbers are JS
// doubles here, so integers beyond 2^53 are whatever double the literal rounded to; these helpers
// work on that double's exact integer value through BigInt, so no further precision is lost.
import { BuiltinError } from '../errors.js';
import type { Value } from '../value.js';
import { typeErr } from './args.js';

/** OPA's big-integer operand: "must be integer but got T" for non-numbers, and the
 *  floating-point message for non-integral numbers. */
export function bigIntOperand(args: Value[], i: number, fname: string): bigint {
  const v = args[i] as Value;
  if (typeof v !== 'number') throw typeErr(fname, i, 'integer', v);
  if (!Number.isInteger(v)) throw notInteger(fname, i);
  return BigInt(v);
}

export function notInteger(fname: string, i: number): BuiltinError {
  return new BuiltinError(`${fname}: operand ${i + 1} must be integer number but got floating-point number`, 'eval_type_error');
}

/** A BigInt result as a Rego number; null when it is too large for a double (OPA would keep it). */
export function fromBigInt(n: bigint): number | null {
  const x = Number(n);
  return Number.isFinite(x) ? x : null;
}

/** Drops the sign of zero: Rego has a single 0. */
export function noNegZero(x: number): number {
  return x === 0 ? 0 : x;
}
