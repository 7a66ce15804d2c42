// Operand checks with OPA's error messages: "count: operand 1 must be one of {array, object, set,
// string} but got number".
import { BuiltinError, RegoError } from '../errors.js';
import { RObject, RSet, type TypeName, type Value, typeName } from '../value.js';

export function typeErr(fname: string, i: number, want: string, got: Value): BuiltinError {
  return new BuiltinError(`${fname}: operand ${i + 1} must be ${want} but got ${typeName(got)}`, 'eval_type_error');
}

export function builtinErr(fname: string, message: string): BuiltinError {
  return new BuiltinError(`${fname}: ${message}`, 'eval_builtin_error');
}

/** Runs `f`, turning a plain failure (a Go library's error text) into a `fname: message` builtin
 *  error; Rego errors pass through. */
export function guard<T>(fname: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof RegoError) throw err;
    throw builtinErr(fname, err instanceof Error ? err.message : String(err));
  }
}

export function oneOf(types: TypeName[]): string {
  return types.length === 1 ? (types[0] as string) : `one of {${[...types].sort().join(', ')}}`;
}

export function str(args: Value[], i: number, fname: string): string {
  const v = args[i] as Value;
  if (typeof v !== 'string') throw typeErr(fname, i, 'string', v);
  return v;
}

export function num(args: Value[], i: number, fname: string): number {
  const v = args[i] as Value;
  if (typeof v !== 'number') throw typeErr(fname, i, 'number', v);
  return v;
}

export function int(args: Value[], i: number, fname: string): number {
  const v = num(args, i, fname);
  if (!Number.isInteger(v))
    throw new BuiltinError(`${fname}: operand ${i + 1} must be integer number but got floating-point number`, 'eval_type_error');
  return v;
}

export function bool(args: Value[], i: number, fname: string): boolean {
  const v = args[i] as Value;
  if (typeof v !== 'boolean') throw typeErr(fname, i, 'boolean', v);
  return v;
}

export function arr(args: Value[], i: number, fname: string): Value[] {
  const v = args[i] as Value;
  if (!Array.isArray(v)) throw typeErr(fname, i, 'array', v);
  return v;
}

export function obj(args: Value[], i: number, fname: string): RObject {
  const v = args[i] as Value;
  if (!(v instanceof RObject)) throw typeErr(fname, i, 'object', v);
  return v;
}

export function set(args: Value[], i: number, fname: string): RSet {
  const v = args[i] as Value;
  if (!(v instanceof RSet)) throw typeErr(fname, i, 'set', v);
  return v;
}

/** Checks the operand is one of the given types and returns it. */
export function oneOfTypes(args: Value[], i: number, fname: string, types: TypeName[]): Value {
  const v = args[i] as Value;
  if (!types.includes(typeName(v))) throw typeErr(fname, i, oneOf(types), v);
  return v;
}
