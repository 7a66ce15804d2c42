// Flattening: turns reordered IR bodies into plan steps whose operands are simple. Nested calls
// become call steps into generated vars (innermost first), refs that still have unbound vars in
// their path become iteration steps, negations and `with` wrap their own sub-plans (so a nested
// call that is undefined makes only the negated expression undefined).
import type { Callee, E, P, T } from './ir.js';
import { patternVars } from './safety.js';

export class Flattener {
  constructor(
    /** Creates a hidden var in the given scope and returns its id. */
    private readonly newVar: (scope: number) => number,
    private readonly arity: (fn: Callee) => number,
  ) {}

  body(es: E[], scope: number, bound: Set<number>): P[] {
    const out: P[] = [];
    for (const e of es) this.expr(e, scope, bound, out);
    return out;
  }

  private expr(e: E, scope: number, bound: Set<number>, out: P[]): void {
    if (e.with.length > 0) {
      const mods = e.with.map((w) => ({
        target: w.target,
        value: w.value ? this.simplify(w.value, scope, bound, out, false) : null,
        fn: w.fn,
        loc: w.loc,
      }));
      const inner: P[] = [];
      this.core(e, scope, bound, inner);
      out.push({ p: 'with', mods, body: inner, loc: e.loc });
      return;
    }
    this.core(e, scope, bound, out);
  }

  private core(e: E, scope: number, bound: Set<number>, out: P[]): void {
    if (e.negated) {
      const inner: P[] = [];
      this.positive(e, scope, new Set(bound), inner);
      out.push({ p: 'not', body: inner, loc: e.loc });
      return;
    }
    this.positive(e, scope, bound, out);
  }

  private positive(e: E, scope: number, bound: Set<number>, out: P[]): void {
    switch (e.k) {
      case 'noop':
        return;
      case 'term': {
        const t = e.term;
        if (t.t === 'call') {
          const n = this.arity(t.fn);
          const hasOut = t.args.length === n + 1;
          const ins = hasOut ? t.args.slice(0, -1) : t.args;
          const args = ins.map((a) => this.simplify(a, scope, bound, out, false));
          const o = hasOut ? this.simplify(t.args[t.args.length - 1] as T, scope, bound, out, true) : null;
          out.push({ p: 'call', fn: t.fn, args, out: o, loc: t.loc });
          if (o) patternVars(o, bound);
          return;
        }
        out.push({ p: 'truth', term: this.simplify(t, scope, bound, out, false), loc: e.loc });
        return;
      }
      case 'unify': {
        let a = e.a;
        let b = e.b;
        if (a.t === 'call' && b.t !== 'call') [a, b] = [b, a];
        if (b.t === 'call' && this.arity(b.fn) === b.args.length) {
          const args = b.args.map((x) => this.simplify(x, scope, bound, out, false));
          const o = this.simplify(a, scope, bound, out, true);
          out.push({ p: 'call', fn: b.fn, args, out: o, loc: e.loc });
          patternVars(o, bound);
          return;
        }
        const sa = this.simplify(a, scope, bound, out, true);
        const sb = this.simplify(b, scope, bound, out, true);
        out.push({ p: 'unify', a: sa, b: sb, loc: e.loc });
        patternVars(sa, bound);
        patternVars(sb, bound);
        return;
      }
      case 'somein': {
        const coll = this.simplify(e.coll, scope, bound, out, false);
        const key = e.key ? this.simplify(e.key, scope, bound, out, true) : null;
        const value = this.simplify(e.value, scope, bound, out, true);
        out.push({ p: 'somein', key, value, coll, loc: e.loc });
        if (key) patternVars(key, bound);
        patternVars(value, bound);
        return;
      }
      case 'every': {
        const domain = this.simplify(e.domain, scope, bound, out, false);
        const inner = new Set(bound);
        const key = e.key ? this.simplify(e.key, e.scope, inner, [], true) : null;
        const value = this.simplify(e.value, e.scope, inner, [], true);
        if (key) patternVars(key, inner);
        patternVars(value, inner);
        const body = this.body(e.body, e.scope, inner);
        out.push({ p: 'every', key, value, domain, body, loc: e.loc });
        return;
      }
    }
  }

  /** Simplifies a term, appending the steps it needs to `pre`. In pattern mode vars and
   *  array/object literals stay patterns; everything else is evaluated. */
  simplify(t: T, scope: number, bound: Set<number>, pre: P[], pattern: boolean): T {
    switch (t.t) {
      case 'const':
      case 'var':
      case 'root':
        return t;
      case 'array':
        return { t: 'array', items: t.items.map((x) => this.simplify(x, scope, bound, pre, pattern)), loc: t.loc };
      case 'set':
        return { t: 'set', items: t.items.map((x) => this.simplify(x, scope, bound, pre, false)), loc: t.loc };
      case 'object':
        return {
          t: 'object',
          items: t.items.map(
            ([k, v]) => [this.simplify(k, scope, bound, pre, false), this.simplify(v, scope, bound, pre, pattern)] as [T, T],
          ),
          loc: t.loc,
        };
      case 'call': {
        const args = t.args.map((a) => this.simplify(a, scope, bound, pre, false));
        const g = this.newVar(scope);
        const out: T = { t: 'var', id: g, loc: t.loc };
        pre.push({ p: 'call', fn: t.fn, args, out, loc: t.loc });
        bound.add(g);
        return out;
      }
      case 'comp': {
        const inner = new Set(bound);
        const plan = this.body(t.body, t.scope, inner);
        const key = t.key ? this.simplify(t.key, t.scope, inner, plan, false) : null;
        const term = this.simplify(t.term, t.scope, inner, plan, false);
        return { t: 'comp', kind: t.kind, key, term, body: t.body, scope: t.scope, plan, loc: t.loc };
      }
      case 'template':
        return {
          t: 'template',
          parts: t.parts.map((p) => (typeof p === 'string' ? p : this.simplify(p, scope, bound, pre, false))),
          loc: t.loc,
        };
      case 'ref': {
        const head = t.head.t === 'var' || t.head.t === 'root' ? t.head : this.simplify(t.head, scope, bound, pre, false);
        const path = t.path.map((p) =>
          p.t === 'var' ? p : this.simplify(p, scope, bound, pre, p.t === 'array' || p.t === 'object'),
        );
        const pv = new Set<number>();
        for (const p of path) patternVars(p, pv);
        let iterates = false;
        for (const v of pv) if (!bound.has(v)) iterates = true;
        const ref: T & { t: 'ref' } = { t: 'ref', head, path, loc: t.loc };
        if (!iterates) return ref;
        const g = this.newVar(scope);
        pre.push({ p: 'iter', ref, out: g, loc: t.loc });
        for (const v of pv) bound.add(v);
        bound.add(g);
        return { t: 'var', id: g, loc: t.loc };
      }
    }
  }
}
