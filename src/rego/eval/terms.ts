// Term code generation: ground terms become value closures (Ev), patterns become matchers that
// bind unbound vars (on the frame's trail) while checking a value.
import type { P, T } from '../compile/ir.js';
import { RegoError } from '../errors.js';
import { equal, format, RObject, RSet, type Value } from '../value.js';
import type { FuncNodes } from './calls.js';
import { bind, type Ev, type Frame, type Step } from './frame.js';
import { completeValue, conflict, dot, type Node, readData } from './tree.js';

export type Matcher = (f: Frame, v: Value) => boolean;

export interface CG {
  root: Node;
  funcs: FuncNodes;
  /** A fresh hidden slot in the unit being compiled. */
  alloc(): number;
  /** Compiles a plan with a final step. */
  body(plan: P[], bound: Set<number>, final: Step): Step;
}

/** True when every var of the term (outside closures) is statically bound. */
export function isGround(t: T, bound: Set<number>): boolean {
  switch (t.t) {
    case 'var':
      return bound.has(t.id);
    case 'ref':
      return isGround(t.head, bound) && t.path.every((p) => isGround(p, bound));
    case 'array':
    case 'set':
      return t.items.every((x) => isGround(x, bound));
    case 'object':
      return t.items.every(([k, v]) => isGround(k, bound) && isGround(v, bound));
    case 'call':
      return t.args.every((a) => isGround(a, bound));
    default:
      return true;
  }
}

/** The constant value of a term with no vars/refs/closures, else undefined. */
export function constOf(t: T): Value | undefined {
  switch (t.t) {
    case 'const':
      return t.v;
    case 'array': {
      const out: Value[] = [];
      for (const x of t.items) {
        const v = constOf(x);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    }
    case 'set': {
      const s = new RSet();
      for (const x of t.items) {
        const v = constOf(x);
        if (v === undefined) return undefined;
        s.add(v);
      }
      return s;
    }
    case 'object': {
      const o = new RObject();
      for (const [k, x] of t.items) {
        const kv = constOf(k);
        const v = constOf(x);
        if (kv === undefined || v === undefined) return undefined;
        o.set(kv, v);
      }
      return o;
    }
    default:
      return undefined;
  }
}

export function value(cg: CG, t: T, bound: Set<number>): Ev {
  const c = constOf(t);
  if (c !== undefined) return () => c;
  switch (t.t) {
    case 'var': {
      const id = t.id;
      return (f) => f.s[id];
    }
    case 'array': {
      const evs = t.items.map((x) => value(cg, x, bound));
      const n = evs.length;
      return (f) => {
        const out: Value[] = new Array(n);
        for (let i = 0; i < n; i++) {
          const v = (evs[i] as Ev)(f);
          if (v === undefined) return undefined;
          out[i] = v;
        }
        return out;
      };
    }
    case 'set': {
      const evs = t.items.map((x) => value(cg, x, bound));
      return (f) => {
        const s = new RSet();
        for (const ev of evs) {
          const v = ev(f);
          if (v === undefined) return undefined;
          s.add(v);
        }
        return s;
      };
    }
    case 'object': {
      const kevs = t.items.map(([k]) => value(cg, k, bound));
      const vevs = t.items.map(([, v]) => value(cg, v, bound));
      const n = kevs.length;
      return (f) => {
        const o = new RObject();
        for (let i = 0; i < n; i++) {
          const k = (kevs[i] as Ev)(f);
          if (k === undefined) return undefined;
          const v = (vevs[i] as Ev)(f);
          if (v === undefined) return undefined;
          o.set(k, v);
        }
        return o;
      };
    }
    case 'ref':
      return refValue(cg, t, bound);
    case 'comp':
      return compValue(cg, t, bound);
    case 'template':
      return templateValue(cg, t, bound);
    case 'root':
      return t.root === 'input' ? (f) => f.x.input : (f) => readData(f.x, cg.root, []);
    case 'call':
      throw new RegoError('rego_compile_error', 'internal: unflattened call', t.loc);
    default:
      throw new RegoError('rego_compile_error', 'internal: unexpected term', (t as T).loc);
  }
}

function refValue(cg: CG, t: T & { t: 'ref' }, bound: Set<number>): Ev {
  const keys = t.path.map((p) => constOf(p));
  const allConst = keys.every((k) => k !== undefined) as boolean;
  const h = t.head;
  if (h.t === 'root' && h.root === 'data') {
    if (allConst) {
      const path = keys as Value[];
      // Fast path: a complete rule at exactly this path.
      let n: Node | undefined = cg.root;
      let i = 0;
      while (n && i < path.length && !n.hasRules) n = n.child(path[i++] as Value);
      if (n && i === path.length && (n.complete.length > 0 || n.dflt) && n.funcs.length === 0) {
        const node = n;
        return (f) => (f.x.ov === null ? completeValue(node, f.x) : readData(f.x, cg.root, path));
      }
      return (f) => readData(f.x, cg.root, path);
    }
    const evs = t.path.map((p) => value(cg, p, bound));
    return (f) => {
      const path: Value[] = new Array(evs.length);
      for (let i = 0; i < evs.length; i++) {
        const v = (evs[i] as Ev)(f);
        if (v === undefined) return undefined;
        path[i] = v;
      }
      return readData(f.x, cg.root, path);
    };
  }
  const head: Ev = h.t === 'root' ? (f) => f.x.input : value(cg, h, bound);
  if (allConst) {
    const path = keys as Value[];
    if (path.length === 1) {
      const k = path[0] as Value;
      if (typeof k === 'string') {
        return (f) => {
          const v = head(f);
          return v instanceof RObject ? v.getStr(k) : dot(v, k);
        };
      }
    }
    return (f) => {
      let v = head(f);
      for (let i = 0; i < path.length && v !== undefined; i++) {
        const k = path[i] as Value;
        v = v instanceof RObject && typeof k === 'string' ? v.getStr(k) : dot(v, k);
      }
      return v;
    };
  }
  const evs = t.path.map((p) => value(cg, p, bound));
  return (f) => {
    let v = head(f);
    for (let i = 0; i < evs.length && v !== undefined; i++) {
      const k = (evs[i] as Ev)(f);
      if (k === undefined) return undefined;
      v = dot(v, k);
    }
    return v;
  };
}

function compValue(cg: CG, t: T & { t: 'comp' }, bound: Set<number>): Ev {
  const acc = cg.alloc();
  const inner = new Set(bound);
  const termEv = value(cg, t.term, boundAfterPlan(t.plan ?? [], inner));
  let final: Step;
  if (t.kind === 'array') {
    final = (f) => {
      const v = termEv(f);
      if (v !== undefined) (f.s[acc] as Value[]).push(v);
    };
  } else if (t.kind === 'set') {
    final = (f) => {
      const v = termEv(f);
      if (v !== undefined) (f.s[acc] as unknown as RSet).add(v);
    };
  } else {
    const keyEv = value(cg, t.key as T, inner);
    const loc = t.loc;
    final = (f) => {
      const k = keyEv(f);
      const v = termEv(f);
      if (k === undefined || v === undefined) return;
      const o = f.s[acc] as unknown as RObject;
      const cur = o.get(k);
      if (cur !== undefined && !equal(cur, v)) throw conflict('object keys must be unique', loc);
      o.set(k, v);
    };
  }
  const entry = cg.body(t.plan ?? [], new Set(bound), final);
  const kind = t.kind;
  return (f) => {
    const save = f.s[acc];
    const c: Value = kind === 'array' ? [] : kind === 'set' ? new RSet() : new RObject();
    f.s[acc] = c;
    entry(f);
    f.s[acc] = save;
    return c;
  };
}

function templateValue(cg: CG, t: T & { t: 'template' }, bound: Set<number>): Ev {
  const parts = t.parts.map((p) => (typeof p === 'string' ? p : value(cg, p, bound)));
  const loc = t.loc;
  return (f) => {
    let s = '';
    for (const p of parts) {
      if (typeof p === 'string') {
        s += p;
        continue;
      }
      const set = p(f) as RSet;
      if (set.size === 0) s += '<undefined>';
      else if (set.size > 1) throw conflict('template-strings must not produce multiple outputs', loc);
      else {
        const v = set.values().next().value as Value;
        s += typeof v === 'string' ? v : format(v);
      }
    }
    return s;
  };
}

/** Static bound set after a plan (what the final step of a closure may read). */
export function boundAfterPlan(plan: P[], bound: Set<number>): Set<number> {
  for (const p of plan) boundAfterStep(p, bound);
  return bound;
}

export function patternVarsOf(t: T, out: Set<number>): void {
  if (t.t === 'var') out.add(t.id);
  else if (t.t === 'array') for (const x of t.items) patternVarsOf(x, out);
  else if (t.t === 'object') for (const [, v] of t.items) patternVarsOf(v, out);
}

export function boundAfterStep(p: P, bound: Set<number>): void {
  switch (p.p) {
    case 'unify':
      patternVarsOf(p.a, bound);
      patternVarsOf(p.b, bound);
      return;
    case 'iter':
      for (const x of p.ref.path) patternVarsOf(x, bound);
      bound.add(p.out);
      return;
    case 'call':
      if (p.out) patternVarsOf(p.out, bound);
      return;
    case 'somein':
      if (p.key) patternVarsOf(p.key, bound);
      patternVarsOf(p.value, bound);
      return;
    case 'with':
      boundAfterPlan(p.body, bound);
      return;
    default:
      return;
  }
}

/** A matcher for a pattern against ground values. */
export function matcher(cg: CG, t: T, bound: Set<number>): Matcher {
  if (t.t === 'var' && !bound.has(t.id)) {
    const id = t.id;
    return (f, v) => {
      const cur = f.s[id];
      if (cur === undefined) {
        bind(f, id, v);
        return true;
      }
      return cur === v || equal(cur, v);
    };
  }
  if (isGround(t, bound)) {
    const c = constOf(t);
    if (c !== undefined) {
      if (c === null || typeof c !== 'object') return (_f, v) => v === c;
      return (_f, v) => equal(c, v);
    }
    const ev = value(cg, t, bound);
    return (f, v) => {
      const w = ev(f);
      return w !== undefined && equal(w, v);
    };
  }
  if (t.t === 'array') {
    const ms: Matcher[] = [];
    const b = new Set(bound);
    for (const x of t.items) {
      ms.push(matcher(cg, x, b));
      patternVarsOf(x, b);
    }
    const n = ms.length;
    return (f, v) => {
      if (!Array.isArray(v) || v.length !== n) return false;
      for (let i = 0; i < n; i++) if (!(ms[i] as Matcher)(f, v[i] as Value)) return false;
      return true;
    };
  }
  if (t.t === 'object') {
    const kevs = t.items.map(([k]) => value(cg, k, bound));
    const ms: Matcher[] = [];
    const b = new Set(bound);
    for (const [, x] of t.items) {
      ms.push(matcher(cg, x, b));
      patternVarsOf(x, b);
    }
    const n = ms.length;
    return (f, v) => {
      if (!(v instanceof RObject) || v.size !== n) return false;
      for (let i = 0; i < n; i++) {
        const k = (kevs[i] as Ev)(f);
        if (k === undefined) return false;
        const w = v.get(k);
        if (w === undefined || !(ms[i] as Matcher)(f, w)) return false;
      }
      return true;
    };
  }
  // A var the static analysis considers bound but that may be unbound at runtime is impossible;
  // anything else here is a term we cannot match against.
  throw new RegoError('rego_unsafe_var_error', 'expression is unsafe', t.loc);
}
