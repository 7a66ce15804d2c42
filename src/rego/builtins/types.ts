// Type tests (is_number ... is_null), type_name, and the to_number conversion.
import { BuiltinError } from '../errors.js';
import { RObject, RSet, type Value, typeName } from '../value.js';
import { builtinErr, typeErr } from './args.js';
import { goQuote } from './gostrconv.js';
import { registerBuiltin } from './registry.js';

function test(name: string, pred: (v: Value) => boolean): void {
  registerBuiltin({ name, decl: { args: ['any'], result: 'boolean' }, fn: (args) => pred(args[0] as Value) });
}

test('is_number', (v) => typeof v === 'number');
test('is_string', (v) => typeof v === 'string');
test('is_boolean', (v) => typeof v === 'boolean');
test('is_array', (v) => Array.isArray(v));
test('is_set', (v) => v instanceof RSet);
test('is_object', (v) => v instanceof RObject);
test('is_null', (v) => v === null);

registerBuiltin({
  name: 'type_name',
  decl: { args: ['any'], result: 'string' },
  fn: (args) => typeName(args[0] as Value),
});

// Go's strconv.ParseFloat syntax (which OPA's to_number uses): decimal with optional fraction and
// exponent, or hexadecimal mantissa with a mandatory binary exponent; `_` may separate digits.
const DECIMAL = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const HEX =
  /^([+-]?)0[xX](?:((?:_?[0-9a-fA-F])+)(?:\.((?:[0-9a-fA-F](?:_?[0-9a-fA-F])*)?))?|\.([0-9a-fA-F](?:_?[0-9a-fA-F])*))[pP]([+-]?\d(?:_?\d)*)$/;

/** The value of a Go float literal, or undefined when the syntax is invalid. */
export function parseGoFloat(s: string): number | undefined {
  if (DECIMAL.test(s)) return Number(s.replace(/_/g, ''));
  const m = HEX.exec(s);
  if (m === null) return undefined;
  const intDigits = (m[2] ?? '').replace(/_/g, '');
  const fracDigits = (m[3] ?? m[4] ?? '').replace(/_/g, '');
  const exp = Number((m[5] as string).replace(/_/g, ''));
  let mant = 0;
  for (const d of intDigits + fracDigits) mant = mant * 16 + Number.parseInt(d, 16);
  const v = mant * 2 ** (exp - 4 * fracDigits.length);
  return m[1] === '-' ? -v : v;
}

registerBuiltin({
  name: 'to_number',
  decl: { args: [['null', 'boolean', 'number', 'string']], result: 'number' },
  fn: (args) => {
    const v = args[0] as Value;
    if (v === null) return 0;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'number') return v;
    if (typeof v !== 'string') throw typeErr('to_number', 0, 'one of {null, boolean, number, string}', v);
    const bare = v.replace(/^[+-]+/, '').toLowerCase();
    if (bare === 'inf' || bare === 'infinity' || bare === 'nan') {
      throw new BuiltinError('to_number: operand 1 must be valid number string but got string', 'eval_type_error');
    }
    const n = parseGoFloat(v);
    if (n === undefined) throw builtinErr('to_number', `strconv.ParseFloat: parsing ${goQuote(v)}: invalid syntax`);
    if (!Number.isFinite(n)) throw builtinErr('to_number', `strconv.ParseFloat: parsing ${goQuote(v)}: value out of range`);
    return n === 0 ? 0 : n;
  },
});
