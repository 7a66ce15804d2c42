// Calls: builtins through the registry (with OPA's error policy), user functions through the
// document tree, and `with` replacements of either.
import type { BuiltinDef } from '../builtins/registry.js';
import type { Callee } from '../compile/ir.js';
import { HaltError, type Location, RegoError } from '../errors.js';
import type { Value } from '../value.js';
import { Ctx, type Frame, type Mock } from './frame.js';
import { callFunction, type Node } from './tree.js';

/** Errors that come from evaluation itself (nested rule evaluation inside a builtin, limits) and
 *  therefore are never turned into "undefined". */
function alwaysRaised(e: RegoError): boolean {
  return (
    e instanceof HaltError || e.code === 'eval_conflict_error' || e.code === 'eval_limit_error' || e.code === 'eval_cancel_error'
  );
}

/** Pure builtins that are expensive enough to remember across evaluations (same token, same
 *  CIDR pair): results for string operands are kept in a small per-builtin table. */
const MEMOIZED = new Set([
  'io.jwt.decode',
  'io.jwt.verify_hs256',
  'io.jwt.verify_hs384',
  'io.jwt.verify_hs512',
  'io.jwt.verify_rs256',
  'io.jwt.verify_rs384',
  'io.jwt.verify_rs512',
  'io.jwt.verify_ps256',
  'io.jwt.verify_ps384',
  'io.jwt.verify_ps512',
  'io.jwt.verify_es256',
  'io.jwt.verify_es384',
  'io.jwt.verify_es512',
  'io.jwt.verify_eddsa',
  'net.cidr_intersects',
]);
const MEMO_MAX = 4096;
const MEMO_MAX_KEY = 16 * 1024;
const memos = new Map<string, Map<string, Value | undefined>>();

function memoKey(args: Value[]): string | null {
  let key = '';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a !== 'string') return null;
    key += i === 0 ? a : `\u0000${a}`;
  }
  return key.length <= MEMO_MAX_KEY ? key : null;
}

/** The result table of a memoized builtin, or null. */
export function memoFor(def: BuiltinDef): Map<string, Value | undefined> | null {
  if (!MEMOIZED.has(def.name) || def.nondeterministic) return null;
  let m = memos.get(def.name);
  if (m === undefined) memos.set(def.name, (m = new Map()));
  return m;
}

/** Calls a builtin. Non-strict: an operand or builtin error makes the call undefined; strict (or
 *  a halt error): it is raised with the call's location. */
export function callBuiltin(
  x: Ctx,
  def: BuiltinDef,
  args: Value[],
  loc: Location,
  memo: Map<string, Value | undefined> | null = null,
): Value | undefined {
  const run = x.run;
  run.tick(loc);
  try {
    if (memo !== null) {
      const key = memoKey(args);
      if (key !== null) {
        if (memo.has(key)) return memo.get(key);
        const r = def.fn(args, run.bctx);
        if (memo.size >= MEMO_MAX) memo.clear();
        memo.set(key, r);
        return r;
      }
    }
    return def.fn(args, run.bctx);
  } catch (e) {
    if (e instanceof RegoError) {
      if (alwaysRaised(e)) throw e.location ? e : new RegoError(e.code, e.message, loc);
      if (run.strict) throw new RegoError(e.code, e.message, loc);
      return undefined;
    }
    if (e instanceof RangeError) throw new RegoError('eval_limit_error', `${def.name}: ${e.message}`, loc);
    if (run.strict) throw new RegoError('eval_builtin_error', `${def.name}: ${(e as Error).message}`, loc);
    return undefined;
  }
}

export function calleeKey(fn: Callee): string {
  return fn.kind === 'builtin' ? `builtin:${fn.name}` : `func:${fn.name}`;
}

export interface CallTarget {
  fn: Callee;
  key: string;
  node: Node | null;
  def: BuiltinDef | null;
  memo: Map<string, Value | undefined> | null;
}

export type FuncNodes = (path: string[]) => Node | undefined;

/** Invokes a callee, honouring mocks in the context. Relations return an array of results. */
export function invoke(x: Ctx, t: CallTarget, args: Value[], loc: Location, nodes: FuncNodes): Value | undefined {
  const mocks = x.mocks;
  if (mocks !== null) {
    const m = mocks.get(t.key);
    if (m !== undefined) return invokeMock(x, m, args, loc, nodes);
  }
  if (t.def !== null) return callBuiltin(x, t.def, args, loc, t.memo);
  if (t.node === null) return undefined;
  return callFunction(t.node, args, x);
}

function invokeMock(x: Ctx, m: Mock, args: Value[], loc: Location, nodes: FuncNodes): Value | undefined {
  if ('value' in m) return m.value;
  // A replacement function runs without the mocks of its caller's context: calling the original
  // (or another mocked function) from it reaches the real one. Its own `with`s still apply.
  const nx = new Ctx(x.run, x.input, x.ov, null);
  const fn = m.fn;
  if (fn.kind === 'builtin') return callBuiltin(nx, fn.def, args, loc);
  const node = nodes(fn.path);
  return node ? callFunction(node, args, nx) : undefined;
}

/** Evaluation-context helper for frames: records coverage of an expression. */
export function cover(f: Frame, loc: Location): void {
  const c = f.x.run.coverage;
  if (c !== null) c.add(`${loc.file}:${loc.row}`);
}
