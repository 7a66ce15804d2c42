// The builtin table. Each builtin file registers its functions here at import time; the compiler
// looks names up here (an unknown name is a compile error) and the evaluator calls `fn`.
import type { Value } from '../value.js';

/** A declared operand/result type: one type name, a union of them, or 'any'. */
export type TypeDecl = 'any' | 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'set' | TypeDecl[];

export interface BuiltinContext {
  /** Evaluation time in ns since the epoch, fixed for one query (time.now_ns). */
  readonly nowNs: bigint;
  /** Per-query cache builtins may use (e.g. rand.intn, http.send). */
  readonly cache: Map<string, unknown>;
  /** `print` output sink. */
  print(line: string): void;
  /** Runtime info for opa.runtime(). */
  readonly runtime: Value;
  /** Options a host sets (http.send allow-list, etc.). */
  readonly options: Readonly<Record<string, unknown>>;
}

export interface BuiltinDef {
  name: string;
  decl: { args: TypeDecl[]; result: TypeDecl; variadic?: TypeDecl };
  /** Returns the result, or undefined when the call has no result (the expression is undefined).
   *  Throws BuiltinError for bad operands (message without the "name: " prefix is fine; the
   *  helpers in args.ts add it). */
  fn: (args: Value[], ctx: BuiltinContext) => Value | undefined;
  /** Result varies between calls with equal operands (time.now_ns, rand.intn, http.send). */
  nondeterministic?: boolean;
  /** A relation: `fn` returns an array of results, each a separate solution (walk). */
  relation?: boolean;
}

const table = new Map<string, BuiltinDef>();

export function registerBuiltin(def: BuiltinDef): void {
  if (table.has(def.name)) throw new Error(`builtin ${def.name} registered twice`);
  table.set(def.name, def);
}

export function getBuiltin(name: string): BuiltinDef | undefined {
  return table.get(name);
}

export function builtinNames(): string[] {
  return [...table.keys()].sort();
}
