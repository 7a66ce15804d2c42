// The last step of each rule body: hands the head's key/value to the invoker's accumulator and
// detects conflicts (complete rules, functions) as the solutions arrive.
import { RegoError } from '../errors.js';
import type { Frame, Step } from '../eval/frame.js';
import type { Codegen } from '../eval/steps.js';
import { boundAfterPlan, constOf, value } from '../eval/terms.js';
import { conflict, insertAt, type ObjAcc, type Part, type SetAcc, type ValueAcc } from '../eval/tree.js';
import { equal, type Value } from '../value.js';
import type { P, T } from './ir.js';
import type { RRule } from './rules.js';

export function partOf(t: T): Part {
  if (t.t === 'var') return { slot: t.id };
  const v = constOf(t);
  if (v === undefined) throw new RegoError('rego_compile_error', 'internal: head term is not simple', t.loc);
  return { v };
}

export function finalStep(r: RRule, cg: Codegen, plan: P[], bound: Set<number>): Step {
  const after = boundAfterPlan(plan, new Set(bound));
  const loc = r.loc;
  const ev = value(cg, r.value, after);
  if (r.kind === 'complete' || r.kind === 'function') {
    const early = constOf(r.value) !== undefined;
    const msg =
      r.kind === 'function'
        ? 'functions must not produce multiple outputs for same inputs'
        : 'complete rules must not produce multiple outputs';
    return (f: Frame) => {
      const v = ev(f);
      if (v === undefined) return;
      const acc = f.acc as ValueAcc;
      if (acc.v === undefined) acc.v = v;
      else if (!equal(acc.v, v)) throw conflict(msg, loc);
      if (early) f.halt = true;
    };
  }
  const member = r.member ? value(cg, r.member, after) : null;
  if (r.kind === 'multi' && r.parts.length === 0) {
    const m = member as (f: Frame) => Value | undefined;
    return (f) => {
      const v = m(f);
      if (v === undefined) return;
      const acc = f.acc as SetAcc;
      acc.set.add(v);
      if (acc.once) f.halt = true;
    };
  }
  const parts = r.parts.map((p) => value(cg, p, after));
  const n = parts.length;
  const isMember = r.kind === 'multi';
  const leaf = isMember ? (member as (f: Frame) => Value | undefined) : ev;
  return (f) => {
    const keys: Value[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const k = (parts[i] as (f: Frame) => Value | undefined)(f);
      if (k === undefined) return;
      keys[i] = k;
    }
    const v = leaf(f);
    if (v === undefined) return;
    insertAt(f.acc as ObjAcc, keys, v, isMember, loc);
  };
}
