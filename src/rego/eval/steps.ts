// Plan steps → continuation-passing closures. Each step gets its successor at compile time and
// calls it once per solution; bindings are undone from the trail before the next alternative.
// `halt` on the frame stops a sub-search early (negation, `every`, early exit of constant rules).
import { member2 } from '../builtins/core.js';
import type { Callee, P, T } from '../compile/ir.js';
import { RegoError } from '../errors.js';
import { compare, equal, RObject, type Value } from '../value.js';
import { type CallTarget, calleeKey, cover, type FuncNodes, invoke, memoFor } from './calls.js';
import { Ctx, type Ev, type Frame, type Mock, type Step, undo, bind } from './frame.js';
import { addOverride, dot, type Node, readData, sortedKeys, upsert } from './tree.js';
import { boundAfterStep, type CG, isGround, type Matcher, matcher, patternVarsOf, value } from './terms.js';

export class Codegen implements CG {
  constructor(
    readonly root: Node,
    readonly funcs: FuncNodes,
    readonly alloc: () => number,
  ) {}

  body(plan: P[], bound: Set<number>, final: Step): Step {
    const before: Set<number>[] = [];
    const b = new Set(bound);
    for (const p of plan) {
      before.push(new Set(b));
      boundAfterStep(p, b);
    }
    let next = final;
    for (let i = plan.length - 1; i >= 0; i--) next = this.step(plan[i] as P, before[i] as Set<number>, next);
    return next;
  }

  private step(p: P, bound: Set<number>, next: Step): Step {
    switch (p.p) {
      case 'truth': {
        const ev = value(this, p.term, bound);
        const loc = p.loc;
        return (f) => {
          cover(f, loc);
          const v = ev(f);
          if (v !== undefined && v !== false) next(f);
        };
      }
      case 'unify':
        return this.unify(p.a, p.b, bound, next, p);
      case 'iter':
        return this.iter(p, bound, next);
      case 'call':
        return this.call(p, bound, next);
      case 'somein':
        return this.somein(p, bound, next);
      case 'every':
        return this.every(p, bound, next);
      case 'not': {
        const inner = this.body(p.body, bound, haltStep);
        const loc = p.loc;
        return (f) => {
          cover(f, loc);
          const m = f.tr.length;
          inner(f);
          undo(f, m);
          const found = f.halt;
          f.halt = false;
          if (!found) next(f);
        };
      }
      case 'with':
        return this.with(p, bound, next);
    }
  }

  private unify(a: T, b: T, bound: Set<number>, next: Step, p: P): Step {
    const ga = isGround(a, bound);
    const gb = isGround(b, bound);
    const loc = p.loc;
    if (ga && gb) {
      const ea = value(this, a, bound);
      const eb = value(this, b, bound);
      return (f) => {
        cover(f, loc);
        const va = ea(f);
        if (va === undefined) return;
        const vb = eb(f);
        if (vb !== undefined && (va === vb || equal(va, vb))) next(f);
      };
    }
    if (ga || gb) {
      const ev = value(this, ga ? a : b, bound);
      const m = matcher(this, ga ? b : a, bound);
      return (f) => {
        cover(f, loc);
        const v = ev(f);
        if (v === undefined) return;
        const mark = f.tr.length;
        if (m(f, v)) next(f);
        undo(f, mark);
      };
    }
    // Neither side is ground: both are literals of the same shape; unify element-wise, each pair
    // once one of its sides is ground.
    const pairs: [T, T][] = [];
    if (a.t === 'array' && b.t === 'array') {
      if (a.items.length !== b.items.length) return () => {};
      for (let i = 0; i < a.items.length; i++) pairs.push([a.items[i] as T, b.items[i] as T]);
    } else if (a.t === 'object' && b.t === 'object') {
      if (a.items.length !== b.items.length) return () => {};
      for (const [ka, va] of a.items) {
        const m = b.items.find(([kb]) => kb.t === 'const' && ka.t === 'const' && equal(kb.v, ka.v));
        if (!m) return () => {};
        pairs.push([va, m[1]]);
      }
    } else if ((a.t === 'array' || a.t === 'object') && (b.t === 'array' || b.t === 'object')) {
      return () => {};
    } else {
      throw new RegoError('rego_unsafe_var_error', 'expression is unsafe', loc);
    }
    const order: [T, T][] = [];
    const b2 = new Set(bound);
    const befores: Set<number>[] = [];
    while (pairs.length > 0) {
      const i = pairs.findIndex(([x, y]) => isGround(x, b2) || isGround(y, b2));
      const [x, y] = pairs.splice(Math.max(i, 0), 1)[0] as [T, T];
      order.push([x, y]);
      befores.push(new Set(b2));
      patternVarsOf(x, b2);
      patternVarsOf(y, b2);
    }
    let k = next;
    for (let i = order.length - 1; i >= 0; i--) {
      const [x, y] = order[i] as [T, T];
      k = this.unify(x, y, befores[i] as Set<number>, k, p);
    }
    return k;
  }

  /** Iterates a ref with unbound path vars: each op handles one path position. */
  private iter(p: P & { p: 'iter' }, bound: Set<number>, next: Step): Step {
    const { ref, out, loc } = p;
    const n = ref.path.length;
    const ops: ((f: Frame, v: Value) => void)[] = new Array(n + 1);
    ops[n] = (f, v) => {
      const m = f.tr.length;
      bind(f, out, v);
      next(f);
      undo(f, m);
    };
    const b = new Set(bound);
    const befores: Set<number>[] = [];
    for (const item of ref.path) {
      befores.push(new Set(b));
      patternVarsOf(item, b);
    }
    for (let i = n - 1; i >= 0; i--) {
      const item = ref.path[i] as T;
      const nx = ops[i + 1] as (f: Frame, v: Value) => void;
      const bi = befores[i] as Set<number>;
      if (isGround(item, bi)) {
        const kev = value(this, item, bi);
        ops[i] = (f, v) => {
          const k = kev(f);
          if (k === undefined) return;
          const c = dot(v, k);
          if (c !== undefined) nx(f, c);
        };
        continue;
      }
      const slot = item.t === 'var' ? item.id : -1;
      const km: Matcher = matcher(this, item, bi);
      ops[i] = (f, v) => {
        if (slot >= 0) {
          const cur = f.s[slot];
          if (cur !== undefined) {
            const c = dot(v, cur);
            if (c !== undefined) nx(f, c);
            return;
          }
        }
        if (v === null || typeof v !== 'object') return;
        const run = f.x.run;
        if (Array.isArray(v)) {
          for (let j = 0; j < v.length; j++) {
            run.tick(loc);
            const m = f.tr.length;
            if (km(f, j)) nx(f, v[j] as Value);
            undo(f, m);
            if (f.halt) return;
          }
        } else if (v instanceof RObject) {
          for (const k of sortedKeys(v)) {
            run.tick(loc);
            const m = f.tr.length;
            if (km(f, k)) nx(f, v.get(k) as Value);
            undo(f, m);
            if (f.halt) return;
          }
        } else {
          for (const k of v.sorted()) {
            run.tick(loc);
            const m = f.tr.length;
            if (km(f, k)) nx(f, k);
            undo(f, m);
            if (f.halt) return;
          }
        }
      };
    }
    const h = ref.head;
    if (h.t === 'root' && h.root === 'data') {
      // Read the longest prefix that is ground at runtime through the document tree.
      const kevs: Ev[] = ref.path.map((item, i) =>
        isGround(item, befores[i] as Set<number>)
          ? value(this, item, befores[i] as Set<number>)
          : item.t === 'var'
            ? (
                (id: number) => (f: Frame) =>
                  f.s[id]
              )(item.id)
            : () => undefined,
      );
      const root = this.root;
      return (f) => {
        cover(f, loc);
        const prefix: Value[] = [];
        let i = 0;
        for (; i < n; i++) {
          const k = (kevs[i] as Ev)(f);
          if (k === undefined) break;
          prefix.push(k);
        }
        const v = readData(f.x, root, prefix);
        if (v !== undefined) (ops[i] as (f: Frame, v: Value) => void)(f, v);
      };
    }
    const head: Ev = h.t === 'root' ? (f) => f.x.input : value(this, h, bound);
    const op0 = ops[0] as (f: Frame, v: Value) => void;
    return (f) => {
      cover(f, loc);
      const v = head(f);
      if (v !== undefined) op0(f, v);
    };
  }

  private target(fn: Callee): CallTarget {
    if (fn.kind === 'builtin') return { fn, key: calleeKey(fn), node: null, def: fn.def, memo: memoFor(fn.def) };
    return { fn, key: calleeKey(fn), node: this.funcs(fn.path) ?? null, def: null, memo: null };
  }

  private call(p: P & { p: 'call' }, bound: Set<number>, next: Step): Step {
    const t = this.target(p.fn);
    const evs = p.args.map((a) => value(this, a, bound));
    const n = evs.length;
    const loc = p.loc;
    const outM = p.out ? matcher(this, p.out, bound) : null;
    const funcs = this.funcs;
    const relation = t.def?.relation === true;
    const general = (f: Frame): void => {
      const args: Value[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const v = (evs[i] as Ev)(f);
        if (v === undefined) return;
        args[i] = v;
      }
      const r = invoke(f.x, t, args, loc, funcs);
      if (r === undefined) return;
      if (relation && Array.isArray(r)) {
        for (const x of r) {
          if (outM === null) {
            if (x !== false) next(f);
          } else {
            const m = f.tr.length;
            if (outM(f, x)) next(f);
            undo(f, m);
          }
          if (f.halt) return;
        }
        return;
      }
      if (outM === null) {
        if (r !== false) next(f);
        return;
      }
      const m = f.tr.length;
      if (outM(f, r)) next(f);
      undo(f, m);
    };
    const inline = p.fn.kind === 'builtin' && n === 2 ? COMPARE[p.fn.name] : undefined;
    if (inline && !outM) {
      const [ea, eb] = evs as [Ev, Ev];
      return (f) => {
        cover(f, loc);
        if (f.x.mocks !== null) return general(f);
        const a = ea(f);
        if (a === undefined) return;
        const b = eb(f);
        if (b !== undefined && inline(a, b)) next(f);
      };
    }
    return (f) => {
      cover(f, loc);
      general(f);
    };
  }

  private somein(p: P & { p: 'somein' }, bound: Set<number>, next: Step): Step {
    const coll = value(this, p.coll, bound);
    const km = p.key ? matcher(this, p.key, bound) : null;
    const b2 = new Set(bound);
    if (p.key) patternVarsOf(p.key, b2);
    const vm = matcher(this, p.value, b2);
    const loc = p.loc;
    const each = (f: Frame, run: Frame['x']['run'], k: Value, v: Value): void => {
      run.tick(loc);
      const m = f.tr.length;
      if ((km === null || km(f, k)) && vm(f, v)) next(f);
      undo(f, m);
    };
    return (f) => {
      cover(f, loc);
      const c = coll(f);
      if (c === undefined || c === null || typeof c !== 'object') return;
      const run = f.x.run;
      // One shared per-element step (not a closure per call: this runs once per evaluation).
      if (Array.isArray(c)) {
        for (let i = 0; i < c.length && !f.halt; i++) each(f, run, i, c[i] as Value);
      } else if (c instanceof RObject) {
        for (const k of sortedKeys(c)) {
          each(f, run, k, c.get(k) as Value);
          if (f.halt) return;
        }
      } else {
        for (const v of c.sorted()) {
          each(f, run, v, v);
          if (f.halt) return;
        }
      }
    };
  }

  private every(p: P & { p: 'every' }, bound: Set<number>, next: Step): Step {
    const dom = value(this, p.domain, bound);
    const km = p.key ? matcher(this, p.key, bound) : null;
    const b2 = new Set(bound);
    if (p.key) patternVarsOf(p.key, b2);
    const vm = matcher(this, p.value, b2);
    patternVarsOf(p.value, b2);
    const inner = this.body(p.body, b2, haltStep);
    const loc = p.loc;
    return (f) => {
      cover(f, loc);
      const d = dom(f);
      if (d === undefined || d === null || typeof d !== 'object') return;
      const one = (k: Value, v: Value): boolean => {
        const m = f.tr.length;
        let ok = false;
        if ((km === null || km(f, k)) && vm(f, v)) {
          inner(f);
          ok = f.halt;
          f.halt = false;
        }
        undo(f, m);
        return ok;
      };
      if (Array.isArray(d)) {
        for (let i = 0; i < d.length; i++) if (!one(i, d[i] as Value)) return;
      } else if (d instanceof RObject) {
        for (const k of sortedKeys(d)) if (!one(k, d.get(k) as Value)) return;
      } else {
        for (const v of d.sorted()) if (!one(v, v)) return;
      }
      next(f);
    };
  }

  private with(p: P & { p: 'with' }, bound: Set<number>, next: Step): Step {
    const mods = p.mods.map((m) => ({
      target: m.target,
      ev: m.value ? value(this, m.value, bound) : null,
      mock: m.fn ? ({ fn: m.fn } as Mock) : null,
    }));
    const restore: Step = (f) => {
      const cur = f.x;
      const ws = f.ws as Ctx[];
      const saved = ws.pop() as Ctx;
      f.x = saved;
      next(f);
      ws.push(saved);
      f.x = cur;
    };
    const inner = this.body(p.body, bound, restore);
    const loc = p.loc;
    return (f) => {
      cover(f, loc);
      const x = f.x;
      let input = x.input;
      let ov = x.ov;
      let mocks = x.mocks;
      for (const m of mods) {
        let v: Value | undefined;
        if (m.ev) {
          v = m.ev(f);
          if (v === undefined) return;
        }
        const tg = m.target;
        if (tg.kind === 'input') input = upsert(input, tg.path, 0, v as Value);
        else if (tg.kind === 'data') ov = addOverride(ov, tg.path, v as Value);
        else {
          mocks = new Map(mocks ?? []);
          mocks.set((tg as { key: string }).key, m.mock ?? { value: v as Value });
        }
      }
      const nx = new Ctx(x.run, input, ov, mocks);
      if (f.ws === null) f.ws = [];
      const ws = f.ws;
      ws.push(x);
      f.x = nx;
      try {
        inner(f);
      } finally {
        f.x = x;
        ws.pop();
      }
    };
  }
}

const haltStep: Step = (f) => {
  f.halt = true;
};

const COMPARE: Record<string, (a: Value, b: Value) => boolean> = {
  equal: (a, b) => a === b || equal(a, b),
  neq: (a, b) => a !== b && !equal(a, b),
  lt: (a, b) => (typeof a === 'number' && typeof b === 'number' ? a < b : compare(a, b) < 0),
  lte: (a, b) => (typeof a === 'number' && typeof b === 'number' ? a <= b : compare(a, b) <= 0),
  gt: (a, b) => (typeof a === 'number' && typeof b === 'number' ? a > b : compare(a, b) > 0),
  gte: (a, b) => (typeof a === 'number' && typeof b === 'number' ? a >= b : compare(a, b) >= 0),
  // `x in c` as a condition: a total function of its operands, so no builtin call is needed.
  'internal.member_2': member2,
};
