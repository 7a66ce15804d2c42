// Safety analysis: reorders body expressions so every var is bound before it is needed (as OPA
// does), and reports the vars that can never be bound (rego_unsafe_var_error). An expression can
// run once all the vars it needs are bound or are bound by the expression itself (outputs: ref
// iteration vars, unification patterns against ground terms, call output arguments, `some … in`).
import { type Location, RegoError } from '../errors.js';
import type { Callee, E, T, VarInfo } from './ir.js';
import { firstLoc, onlyInCaptures } from './varsites.js';

export interface SafetyEnv {
  vars: VarInfo[];
  scopeParent: number[];
  /** Declared operand count of a callee (Infinity for variadic builtins). */
  arity(fn: Callee): number;
  errors: RegoError[];
}

/** True when var scope `s` is `scope` or encloses it (the var is visible from outside closures). */
function visibleFrom(env: SafetyEnv, s: number, scope: number): boolean {
  for (let c = scope; c >= 0; c = env.scopeParent[c] as number) if (c === s) return true;
  return false;
}

/** Vars the term needs from the scope `scope`: its own vars and those closures capture. */
function needTerm(env: SafetyEnv, t: T, scope: number, out: Set<number>): void {
  switch (t.t) {
    case 'var':
      if (visibleFrom(env, (env.vars[t.id] as VarInfo).scope, scope)) out.add(t.id);
      return;
    case 'ref':
      needTerm(env, t.head, scope, out);
      for (const p of t.path) needTerm(env, p, scope, out);
      return;
    case 'array':
    case 'set':
      for (const x of t.items) needTerm(env, x, scope, out);
      return;
    case 'object':
      for (const [k, v] of t.items) {
        needTerm(env, k, scope, out);
        needTerm(env, v, scope, out);
      }
      return;
    case 'call':
      for (const a of t.args) needTerm(env, a, scope, out);
      return;
    case 'template':
      for (const p of t.parts) if (typeof p !== 'string') needTerm(env, p, scope, out);
      return;
    case 'comp':
      if (t.key) needTerm(env, t.key, scope, out);
      needTerm(env, t.term, scope, out);
      for (const e of t.body) needExpr(env, e, scope, out);
      return;
    default:
      return;
  }
}

function needExpr(env: SafetyEnv, e: E, scope: number, out: Set<number>): void {
  switch (e.k) {
    case 'term':
      needTerm(env, e.term, scope, out);
      break;
    case 'unify':
      needTerm(env, e.a, scope, out);
      needTerm(env, e.b, scope, out);
      break;
    case 'somein':
      if (e.key) needTerm(env, e.key, scope, out);
      needTerm(env, e.value, scope, out);
      needTerm(env, e.coll, scope, out);
      break;
    case 'every':
      needTerm(env, e.domain, scope, out);
      if (e.key) needTerm(env, e.key, scope, out);
      needTerm(env, e.value, scope, out);
      for (const x of e.body) needExpr(env, x, scope, out);
      break;
    default:
      break;
  }
  for (const w of e.with) if (w.value) needTerm(env, w.value, scope, out);
}

/** Vars a pattern binds when unified with a ground value (vars, array items, object values). */
export function patternVars(t: T, out: Set<number>): void {
  if (t.t === 'var') out.add(t.id);
  else if (t.t === 'array') for (const x of t.items) patternVars(x, out);
  else if (t.t === 'object') for (const [, v] of t.items) patternVars(v, out);
}

export class Safety {
  constructor(readonly env: SafetyEnv) {}

  ground(t: T, scope: number, safe: Set<number>): boolean {
    const need = new Set<number>();
    needTerm(this.env, t, scope, need);
    for (const v of need) if (!safe.has(v)) return false;
    return true;
  }

  /** Vars bound by iterating refs inside the term (path vars of refs whose head is available). */
  refOutputs(t: T, scope: number, safe: Set<number>, out: Set<number>): void {
    switch (t.t) {
      case 'ref': {
        this.refOutputs(t.head, scope, safe, out);
        const h = t.head;
        const avail = h.t !== 'var' || safe.has(h.id) || out.has(h.id);
        for (const p of t.path) {
          if (avail && (p.t === 'var' || p.t === 'array' || p.t === 'object')) {
            const pv = new Set<number>();
            patternVars(p, pv);
            for (const v of pv) if (!safe.has(v)) out.add(v);
          }
          if (p.t !== 'var') this.refOutputs(p, scope, safe, out);
        }
        return;
      }
      case 'array':
      case 'set':
        for (const x of t.items) this.refOutputs(x, scope, safe, out);
        return;
      case 'object':
        for (const [k, v] of t.items) {
          this.refOutputs(k, scope, safe, out);
          this.refOutputs(v, scope, safe, out);
        }
        return;
      case 'call':
        for (const a of t.args) this.refOutputs(a, scope, safe, out);
        return;
      default:
        return;
    }
  }

  private unifyOutputs(a: T, b: T, scope: number, s: Set<number>): boolean {
    const ga = this.ground(a, scope, s);
    const gb = this.ground(b, scope, s);
    const before = s.size;
    if (ga && !gb) patternVars(b, s);
    else if (gb && !ga) patternVars(a, s);
    else if (!ga && !gb) {
      if (a.t === 'array' && b.t === 'array' && a.items.length === b.items.length) {
        for (let i = 0; i < a.items.length; i++) this.unifyOutputs(a.items[i] as T, b.items[i] as T, scope, s);
      } else if (a.t === 'object' && b.t === 'object' && a.items.length === b.items.length) {
        for (const [ka, va] of a.items) {
          const m = b.items.find(([kb]) => kb.t === 'const' && ka.t === 'const' && kb.v === ka.v);
          if (m) this.unifyOutputs(va, m[1], scope, s);
        }
      }
    }
    return s.size > before;
  }

  /** Vars the expression binds, given the safe set. */
  outputs(e: E, scope: number, safe: Set<number>): Set<number> {
    const out = new Set<number>();
    if (e.negated) return out;
    switch (e.k) {
      case 'term': {
        this.refOutputs(e.term, scope, safe, out);
        const t = e.term;
        if (t.t === 'call' && t.args.length === this.env.arity(t.fn) + 1) {
          const s = new Set([...safe, ...out]);
          const ins = t.args.slice(0, -1);
          if (ins.every((x) => this.ground(x, scope, s))) patternVars(t.args[t.args.length - 1] as T, out);
        }
        break;
      }
      case 'unify': {
        this.refOutputs(e.a, scope, safe, out);
        this.refOutputs(e.b, scope, safe, out);
        const s = new Set([...safe, ...out]);
        for (let i = 0; i < 8 && this.unifyOutputs(e.a, e.b, scope, s); i++);
        for (const v of s) if (!safe.has(v)) out.add(v);
        break;
      }
      case 'somein': {
        this.refOutputs(e.coll, scope, safe, out);
        const s = new Set([...safe, ...out]);
        if (this.ground(e.coll, scope, s)) {
          if (e.key) patternVars(e.key, out);
          patternVars(e.value, out);
        }
        break;
      }
      case 'every':
        this.refOutputs(e.domain, scope, safe, out);
        break;
      default:
        break;
    }
    for (const v of safe) out.delete(v);
    return out;
  }

  /** Vars in `e` that stay unbound given `safe`; empty when `e` can run now. */
  unsafeIn(e: E, scope: number, safe: Set<number>): number[] {
    const need = new Set<number>();
    needExpr(this.env, e, scope, need);
    const out = this.outputs(e, scope, safe);
    const bad: number[] = [];
    for (const v of need) if (!safe.has(v) && !out.has(v)) bad.push(v);
    return bad;
  }

  /** Reorders `body` (in place semantics: returns the new order) and recurses into closures. */
  reorder(body: E[], scope: number, safe0: Set<number>): { body: E[]; safe: Set<number> } {
    const safe = new Set(safe0);
    const done = new Array<boolean>(body.length).fill(false);
    const order: E[] = [];
    const safeBefore: Set<number>[] = [];
    let progress = true;
    while (progress && order.length < body.length) {
      progress = false;
      for (let i = 0; i < body.length; i++) {
        if (done[i]) continue;
        const e = body[i] as E;
        if (this.unsafeIn(e, scope, safe).length > 0) continue;
        done[i] = true;
        progress = true;
        safeBefore.push(new Set(safe));
        for (const v of this.outputs(e, scope, safe)) safe.add(v);
        order.push(e);
      }
    }
    // Unsafe vars: "undeclared" ones (only in template parts / print operands) first, as OPA
    // reports those in an earlier stage; then named vars; generated ones only when nothing else.
    const undeclared: [number, Location][] = [];
    const named: [number, Location][] = [];
    const generated: Location[] = [];
    const reported = new Set<number>();
    for (let i = 0; i < body.length; i++) {
      if (done[i]) continue;
      const e = body[i] as E;
      for (const v of this.unsafeIn(e, scope, safe)) {
        if (reported.has(v)) continue;
        reported.add(v);
        const loc = firstLoc(e, v) ?? e.loc;
        const info = this.env.vars[v] as VarInfo;
        if (onlyInCaptures(e, v)) undeclared.push([v, loc]);
        else if (!info.hidden || info.name === '_') named.push([v, loc]);
        else generated.push(e.loc);
      }
    }
    const errs = this.env.errors;
    if (undeclared.length > 0) {
      for (const [v, loc] of undeclared) {
        errs.push(new RegoError('rego_compile_error', `var ${(this.env.vars[v] as VarInfo).name} is undeclared`, loc));
      }
    } else if (named.length > 0) {
      for (const [v, loc] of named) this.unsafeError(v, loc);
    } else if (generated.length > 0) {
      errs.push(new RegoError('rego_unsafe_var_error', 'expression is unsafe', generated[0]));
    }
    if (reported.size > 0) return { body, safe };
    for (let i = 0; i < order.length; i++) this.closures(order[i] as E, safeBefore[i] as Set<number>);
    return { body: order, safe };
  }

  unsafeError(v: number, loc: Location): void {
    const info = this.env.vars[v] as VarInfo;
    const msg = info.hidden && info.name !== '_' ? 'expression is unsafe' : `var ${info.name} is unsafe`;
    this.env.errors.push(new RegoError('rego_unsafe_var_error', msg, loc));
  }

  /** Reorders the bodies of closures inside an expression. */
  private closures(e: E, safe: Set<number>): void {
    const visit = (t: T): void => {
      switch (t.t) {
        case 'comp': {
          const r = this.reorder(t.body, t.scope, safe);
          t.body = r.body;
          const head = new Set<number>();
          if (t.key) needTerm(this.env, t.key, t.scope, head);
          needTerm(this.env, t.term, t.scope, head);
          for (const v of head) {
            if (!r.safe.has(v)) {
              this.unsafeError(v, t.loc);
              break;
            }
          }
          return;
        }
        case 'ref':
          visit(t.head);
          for (const p of t.path) visit(p);
          return;
        case 'array':
        case 'set':
          for (const x of t.items) visit(x);
          return;
        case 'object':
          for (const [k, v] of t.items) {
            visit(k);
            visit(v);
          }
          return;
        case 'call':
          for (const a of t.args) visit(a);
          return;
        case 'template':
          for (const p of t.parts) if (typeof p !== 'string') visit(p);
          return;
        default:
          return;
      }
    };
    switch (e.k) {
      case 'term':
        visit(e.term);
        break;
      case 'unify':
        visit(e.a);
        visit(e.b);
        break;
      case 'somein':
        visit(e.coll);
        break;
      case 'every': {
        visit(e.domain);
        const inner = new Set(safe);
        if (e.key) patternVars(e.key, inner);
        patternVars(e.value, inner);
        e.body = this.reorder(e.body, e.scope, inner).body;
        break;
      }
      default:
        break;
    }
    for (const w of e.with) if (w.value) visit(w.value);
  }
}
