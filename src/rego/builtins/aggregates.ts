// Aggregates over collections: count, sum, product, max, min, sort.
// (Rego v1 dropped the deprecated `any` and `all`; they are not registered.)
import { BuiltinError } from '../errors.js';
import { compare, RObject, RSet, type Value, typeName } from '../value.js';
import { builtinErr, typeErr } from './args.js';
import { fromBigInt } from './ints.js';
import { registerBuiltin } from './registry.js';

/** Code points, not UTF-16 units: a surrogate pair counts once. */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

registerBuiltin({
  name: 'count',
  decl: { args: [['array', 'object', 'set', 'string']], result: 'number' },
  fn: (args) => {
    const v = args[0] as Value;
    if (typeof v === 'string') return codePointLength(v);
    if (Array.isArray(v)) return v.length;
    if (v instanceof RObject || v instanceof RSet) return v.size;
    throw typeErr('count', 0, 'one of {array, object, set, string}', v);
  },
});

/** The members of an array or set operand (OPA's "one of {set, array}" check). */
function collection(name: string, v: Value): Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof RSet) return v.sorted();
  throw typeErr(name, 0, 'one of {set, array}', v);
}

/** The numbers of a collection, or OPA's element error ("array of numbers ... containing string"). */
function numbers(name: string, v: Value): number[] {
  const items = collection(name, v);
  for (const x of items) {
    if (typeof x !== 'number') {
      const t = typeName(v);
      throw new BuiltinError(
        `${name}: operand 1 must be ${t} of numbers but got ${t} containing ${typeName(x)}`,
        'eval_type_error',
      );
    }
  }
  return items as number[];
}

/** Folds integers exactly in BigInt (a double sum past 2^53 would drift); anything else as doubles. */
function fold(
  name: string,
  xs: number[],
  init: number,
  op: (a: number, b: number) => number,
  big: (a: bigint, b: bigint) => bigint,
) {
  let out: number | null;
  if (xs.every(Number.isInteger)) {
    let acc = BigInt(init);
    for (const x of xs) acc = big(acc, BigInt(x));
    out = fromBigInt(acc);
  } else {
    let acc = init;
    for (const x of xs) acc = op(acc, x);
    out = Number.isFinite(acc) ? acc : null;
  }
  if (out === null) throw builtinErr(name, 'result out of range');
  return out === 0 ? 0 : out;
}

registerBuiltin({
  name: 'sum',
  decl: { args: [['array', 'set']], result: 'number' },
  fn: (args) =>
    fold(
      'sum',
      numbers('sum', args[0] as Value),
      0,
      (a, b) => a + b,
      (a, b) => a + b,
    ),
});

registerBuiltin({
  name: 'product',
  decl: { args: [['array', 'set']], result: 'number' },
  fn: (args) =>
    fold(
      'product',
      numbers('product', args[0] as Value),
      1,
      (a, b) => a * b,
      (a, b) => a * b,
    ),
});

registerBuiltin({
  name: 'max',
  decl: { args: [['array', 'set']], result: 'any' },
  fn: (args) => {
    const items = collection('max', args[0] as Value);
    if (items.length === 0) return undefined;
    let best = items[0] as Value;
    for (const x of items) if (compare(x, best) > 0) best = x;
    return best;
  },
});

registerBuiltin({
  name: 'min',
  decl: { args: [['array', 'set']], result: 'any' },
  fn: (args) => {
    const items = collection('min', args[0] as Value);
    if (items.length === 0) return undefined;
    let best = items[0] as Value;
    for (const x of items) if (compare(x, best) < 0) best = x;
    return best;
  },
});

registerBuiltin({
  name: 'sort',
  decl: { args: [['array', 'set']], result: 'array' },
  fn: (args) => {
    const v = args[0] as Value;
    if (v instanceof RSet) return v.sorted().slice();
    return collection('sort', v).slice().sort(compare);
  },
});
