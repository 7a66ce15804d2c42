// Runtime state of one evaluation. A Frame holds the var slots of one rule invocation (or query);
// comprehensions and negations share their rule's frame. Bindings are recorded on a trail so a
// step can undo exactly what it bound before backtracking. The Ctx is the evaluation context
// (input, `with` overrides, function mocks, memo of virtual documents); `with` swaps it.
import type { BuiltinContext } from '../builtins/registry.js';
import { RegoError, type Location } from '../errors.js';
import type { MapKey, Value } from '../value.js';
import type { Callee } from '../compile/ir.js';

export type Step = (f: Frame) => void;
export type Ev = (f: Frame) => Value | undefined;

/** Memo marker for "evaluated, undefined". */
export const UNDEF: unique symbol = Symbol('undefined');
export type Memo = Value | typeof UNDEF;

/** A node of the `with data...` override tree: a replacement value here, or overrides below. */
export interface OvNode {
  /** The key of this node below its parent. */
  key?: Value;
  value: Value | undefined;
  children: Map<MapKey, OvNode> | null;
}

/** A `with` replacement for a function or builtin: a value, or another callee. */
export type Mock = { value: Value } | { fn: Callee };

export interface Limits {
  maxSteps: number;
  maxDepth: number;
}

/** The context builtins see; the per-query cache is created on first use. */
export class BuiltinCtx implements BuiltinContext {
  private c: Map<string, unknown> | null = null;
  constructor(
    private now: bigint | undefined,
    readonly print: (line: string) => void,
    readonly runtime: Value,
    readonly options: Readonly<Record<string, unknown>>,
  ) {}
  /** Fixed for the whole evaluation: taken on first use unless the caller set it. */
  get nowNs(): bigint {
    if (this.now === undefined) this.now = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
    return this.now;
  }
  get cache(): Map<string, unknown> {
    if (this.c === null) this.c = new Map();
    return this.c;
  }
}

/** State shared by every context of one evaluation. */
export class Run {
  steps = 0;
  depth = 0;
  constructor(
    readonly limits: Limits,
    readonly strict: boolean,
    readonly bctx: BuiltinContext,
    readonly base: Value,
    readonly coverage: Set<string> | null,
  ) {}

  /** Counts one evaluation step; throws eval_limit_error past the budget. */
  tick(loc?: Location): void {
    if (++this.steps > this.limits.maxSteps) {
      throw new RegoError('eval_limit_error', `evaluation exceeded the step limit (${this.limits.maxSteps})`, loc);
    }
  }
}

export class Ctx {
  private memo: Map<number, Memo> | null = null;
  keyed: Map<number, Map<MapKey, Memo>> | null = null;
  constructor(
    readonly run: Run,
    readonly input: Value | undefined,
    readonly ov: OvNode | null,
    readonly mocks: Map<string, Mock> | null,
  ) {}

  getMemo(id: number): Memo | undefined {
    return this.memo === null ? undefined : this.memo.get(id);
  }

  setMemo(id: number, v: Memo): void {
    if (this.memo === null) this.memo = new Map();
    this.memo.set(id, v);
  }

  keyedMemo(id: number): Map<MapKey, Memo> {
    if (this.keyed === null) this.keyed = new Map();
    let m = this.keyed.get(id);
    if (m === undefined) {
      m = new Map();
      this.keyed.set(id, m);
    }
    return m;
  }
}

export class Frame {
  readonly s: (Value | undefined)[];
  readonly tr: number[] = [];
  /** Set by a final step to stop the current sub-search (negation, `every`, early exit). */
  halt = false;
  /** The invoker's result accumulator (rule kind specific). */
  acc: unknown = null;
  /** Contexts to restore around `with` continuations (allocated on first use). */
  ws: Ctx[] | null = null;
  constructor(
    n: number,
    public x: Ctx,
  ) {
    this.s = new Array(n);
  }
}

export function bind(f: Frame, slot: number, v: Value): void {
  f.s[slot] = v;
  f.tr.push(slot);
}

export function undo(f: Frame, mark: number): void {
  const tr = f.tr;
  const s = f.s;
  while (tr.length > mark) s[tr.pop() as number] = undefined;
}
