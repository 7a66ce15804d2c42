// Scaffolding shared by the builtin tests: a query context and direct calls into the builtin
// table (no parser or evaluator in between).
import assert from 'node:assert/strict';
import { fromJSON, toJSON, type Value } from '../value.js';
import { type BuiltinContext, getBuiltin } from './registry.js';

/** A fresh query context: the clock fixed at nowNs, an empty per-query cache. */
export function testContext(nowNs = 0n): BuiltinContext {
  return { nowNs, cache: new Map(), print: () => {}, runtime: null, options: {} };
}

/** Calls a builtin, failing the test if no builtin has that name. */
export function callBuiltin(name: string, args: Value[], ctx: BuiltinContext = testContext()): Value | undefined {
  const b = getBuiltin(name);
  assert.ok(b, `${name} is registered`);
  return b.fn(args, ctx);
}

/** Calls a builtin over plain JSON: operands through fromJSON, the result through toJSON. */
// biome-ignore lint/suspicious/noExplicitAny: the tests walk free-form JSON results.
export function callJSON(name: string, args: unknown[], ctx: BuiltinContext = testContext()): any {
  const out = callBuiltin(
    name,
    args.map((a) => fromJSON(a)),
    ctx,
  );
  return out === undefined ? undefined : toJSON(out);
}

/** The error a call throws, failing the test if it returns instead. */
export function thrownBy(name: string, f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  assert.fail(`${name} did not fail`);
}
