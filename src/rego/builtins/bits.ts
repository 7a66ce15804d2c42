// Bitwise builtins on integers: bits.and, bits.or, bits.xor, bits.negate, bits.lsh, bits.rsh.
// Operands go through BigInt (two's complement of unbounded width, like Go's big.Int), so values
// past 32 bits keep their bits; the result is converted back to a double.
import { BuiltinError } from '../errors.js';
import type { Value } from '../value.js';
import { builtinErr } from './args.js';
import { bigIntOperand, fromBigInt } from './ints.js';
import { registerBuiltin } from './registry.js';

/** Beyond this many bits a result cannot be a double (max ≈ 2^1024). */
const MAX_SHIFT = 1100n;

function result(name: string, n: bigint): number {
  const x = fromBigInt(n);
  if (x === null) throw builtinErr(name, 'result out of range');
  return x === 0 ? 0 : x;
}

function shiftCount(args: Value[], name: string): bigint {
  const b = bigIntOperand(args, 1, name);
  if (b < 0n) {
    throw new BuiltinError(`${name}: operand 2 must be an unsigned integer number but got a negative integer`, 'eval_type_error');
  }
  return b;
}

function binary(name: string, op: (a: bigint, b: bigint) => bigint): void {
  registerBuiltin({
    name,
    decl: { args: ['number', 'number'], result: 'number' },
    fn: (args) => result(name, op(bigIntOperand(args, 0, name), bigIntOperand(args, 1, name))),
  });
}

binary('bits.and', (a, b) => a & b);
binary('bits.or', (a, b) => a | b);
binary('bits.xor', (a, b) => a ^ b);

registerBuiltin({
  name: 'bits.negate',
  decl: { args: ['number'], result: 'number' },
  fn: (args) => result('bits.negate', ~bigIntOperand(args, 0, 'bits.negate')),
});

registerBuiltin({
  name: 'bits.lsh',
  decl: { args: ['number', 'number'], result: 'number' },
  fn: (args) => {
    const a = bigIntOperand(args, 0, 'bits.lsh');
    const b = shiftCount(args, 'bits.lsh');
    if (a === 0n) return 0;
    // Refuse before allocating: such a result has no double form anyway.
    if (b > MAX_SHIFT) throw builtinErr('bits.lsh', 'result out of range');
    return result('bits.lsh', a << b);
  },
});

registerBuiltin({
  name: 'bits.rsh',
  decl: { args: ['number', 'number'], result: 'number' },
  fn: (args) => {
    const a = bigIntOperand(args, 0, 'bits.rsh');
    const b = shiftCount(args, 'bits.rsh');
    // Arithmetic shift: negative values shift towards -1.
    if (b > MAX_SHIFT) return a < 0n ? -1 : 0;
    return result('bits.rsh', a >> b);
  },
});
