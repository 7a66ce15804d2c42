// Name resolution: parser AST → IR. Local variables get slot ids per scope (`:=`, `some`, function
// arguments and `every` keys declare; other vars are implicit unification vars of the outermost
// scope that mentions them, so comprehensions capture outer vars as OPA does). Rule names of the
// package, import aliases and the `input`/`data` roots become refs; calls get their target.
import type * as ast from '../ast.js';
import { getBuiltin } from '../builtins/registry.js';
import { type Location, RegoError } from '../errors.js';
import type { Value } from '../value.js';
import type { Callee, E, T, VarInfo, W } from './ir.js';

export interface Globals {
  /** Package path below data (empty for queries). */
  pkg: string[];
  /** First segments of the package's rule names. */
  ruleNames: Set<string>;
  /** Import aliases → root + path. */
  imports: Map<string, { root: 'input' | 'data'; path: string[] }>;
  /** Arity of the function at a data path, or null when there is none. */
  funcArity(path: string[]): number | null;
}

export class Scope {
  readonly declared = new Map<string, number>();
  readonly implicit = new Map<string, number>();
  readonly used = new Set<string>();
  constructor(
    readonly id: number,
    readonly parent: Scope | null,
    /** Var names mentioned in this scope outside nested closures. */
    readonly names: Set<string>,
  ) {}
}

/** Var names in AST terms outside closures (comprehension bodies, `every` bodies). */
function namesOfTerm(t: ast.Term, out: Set<string>): void {
  switch (t.type) {
    case 'var':
      out.add(t.name);
      return;
    case 'ref':
      namesOfTerm(t.head, out);
      for (const p of t.path) namesOfTerm(p, out);
      return;
    case 'array':
    case 'set':
      for (const x of t.items) namesOfTerm(x, out);
      return;
    case 'object':
      for (const [k, v] of t.items) {
        namesOfTerm(k, out);
        namesOfTerm(v, out);
      }
      return;
    case 'call':
      for (const a of t.args) namesOfTerm(a, out);
      return;
    case 'template':
      for (const p of t.parts) {
        if (typeof p === 'string') continue;
        if ('kind' in p) namesOfBody([p], out);
        else namesOfTerm(p, out);
      }
      return;
    default:
      return;
  }
}

function namesOfBody(body: ast.Body, out: Set<string>): Set<string> {
  for (const e of body) {
    switch (e.kind) {
      case 'term':
        namesOfTerm(e.term, out);
        break;
      case 'unify':
      case 'assign':
        namesOfTerm(e.left, out);
        namesOfTerm(e.right, out);
        break;
      case 'some':
        for (const v of e.vars) namesOfTerm(v, out);
        break;
      case 'somein':
        if (e.key) namesOfTerm(e.key, out);
        namesOfTerm(e.value, out);
        namesOfTerm(e.collection, out);
        break;
      case 'every':
        namesOfTerm(e.domain, out);
        break;
    }
    for (const w of e.with) namesOfTerm(w.value, out);
  }
  return out;
}

function patternNames(t: ast.Term, out: Set<string>): void {
  if (t.type === 'var') out.add(t.name);
  else if (t.type === 'array') for (const x of t.items) patternNames(x, out);
  else if (t.type === 'object') for (const [, v] of t.items) patternNames(v, out);
}

/** Names a body declares at its own level (`:=`, `some`, `some … in`). Declared vars are distinct
 *  from same-named vars of closures written before the declaration (OPA renames them). */
function declaredIn(body: ast.Body, out: Set<string>): Set<string> {
  for (const e of body) {
    if (e.kind === 'assign') patternNames(e.left, out);
    else if (e.kind === 'some') for (const v of e.vars) patternNames(v, out);
    else if (e.kind === 'somein') {
      if (e.key) patternNames(e.key, out);
      patternNames(e.value, out);
    }
  }
  return out;
}

export class Resolver {
  readonly vars: VarInfo[] = [];
  /** Parent of each scope id (-1 for the root). */
  readonly scopeParent: number[] = [];

  constructor(
    readonly g: Globals,
    readonly errors: RegoError[],
  ) {}

  newVar(name: string, hidden: boolean, sc: Scope | number): number {
    this.vars.push({ name, hidden, scope: typeof sc === 'number' ? sc : sc.id });
    return this.vars.length - 1;
  }

  private makeScope(parent: Scope | null, names: Set<string>): Scope {
    this.scopeParent.push(parent ? parent.id : -1);
    return new Scope(this.scopeParent.length - 1, parent, names);
  }

  private err(code: 'rego_compile_error' | 'rego_type_error', msg: string, loc: Location): void {
    this.errors.push(new RegoError(code, msg, loc));
  }

  // ---- scopes ----

  /** The scope of a rule or query body; `args` are the function's argument patterns. */
  rootScope(body: ast.Body, extra: ast.Term[], args: ast.Term[] = []): Scope {
    const names = namesOfBody(body, new Set());
    for (const t of extra) namesOfTerm(t, names);
    const declared = declaredIn(body, new Set());
    for (const a of args) patternNames(a, declared);
    for (const d of declared) names.delete(d);
    return this.makeScope(null, names);
  }

  private childScope(parent: Scope, body: ast.Body, extra: ast.Term[]): Scope {
    const names = namesOfBody(body, new Set());
    for (const t of extra) namesOfTerm(t, names);
    for (const d of declaredIn(body, new Set())) names.delete(d);
    return this.makeScope(parent, names);
  }

  private isWildcard(name: string): boolean {
    return name.startsWith('$') || name === '_';
  }

  private isGlobal(name: string): boolean {
    return name === 'input' || name === 'data' || this.g.ruleNames.has(name) || this.g.imports.has(name);
  }

  private globalRef(name: string, loc: Location): T {
    if (name === 'input' || name === 'data') return { t: 'ref', head: { t: 'root', root: name, loc }, path: [], loc };
    const imp = this.g.imports.get(name);
    if (imp)
      return {
        t: 'ref',
        head: { t: 'root', root: imp.root, loc },
        path: imp.path.map((s) => ({ t: 'const', v: s, loc })),
        loc,
      };
    return {
      t: 'ref',
      head: { t: 'root', root: 'data', loc },
      path: [...this.g.pkg, name].map((s) => ({ t: 'const', v: s, loc })),
      loc,
    };
  }

  /** A reference (not a declaration) to a var name. */
  lookup(name: string, sc: Scope, loc: Location): T {
    if (this.isWildcard(name)) return { t: 'var', id: this.newVar('_', true, sc), loc };
    for (let s: Scope | null = sc; s; s = s.parent) {
      const id = s.declared.get(name);
      if (id !== undefined) return { t: 'var', id, loc };
    }
    if (this.isGlobal(name)) return this.globalRef(name, loc);
    for (let s: Scope | null = sc; s; s = s.parent) {
      const id = s.implicit.get(name);
      if (id !== undefined) {
        sc.used.add(name);
        return { t: 'var', id, loc };
      }
    }
    // A new implicit var belongs to the outermost scope that mentions it (closures capture).
    let owner = sc;
    for (let s: Scope | null = sc.parent; s; s = s.parent) if (s.names.has(name)) owner = s;
    const id = this.newVar(name, false, owner);
    owner.implicit.set(name, id);
    sc.used.add(name);
    return { t: 'var', id, loc };
  }

  /** Declares a var in the scope (`:=`, `some`, args, `every`). */
  declare(name: string, sc: Scope, loc: Location, how: 'assigned' | 'declared' | 'arg'): T {
    if (this.isWildcard(name)) return { t: 'var', id: this.newVar('_', true, sc), loc };
    if (name === 'input' || name === 'data') {
      this.err('rego_compile_error', `variables must not shadow ${name} (use a different variable name)`, loc);
    } else if (sc.declared.has(name)) {
      this.err('rego_compile_error', `var ${name} ${how === 'declared' ? 'declared' : 'assigned'} above`, loc);
    } else if (sc.used.has(name) || sc.implicit.has(name)) {
      this.err('rego_compile_error', `var ${name} referenced above`, loc);
    }
    const id = this.newVar(name, false, sc);
    sc.declared.set(name, id);
    return { t: 'var', id, loc };
  }

  /** Declares every var in a pattern term (array/object literals of vars and constants). */
  declarePattern(t: ast.Term, sc: Scope, how: 'assigned' | 'declared' | 'arg'): T {
    switch (t.type) {
      case 'var':
        return this.declare(t.name, sc, t.loc, how);
      case 'array':
        return { t: 'array', items: t.items.map((x) => this.declarePattern(x, sc, how)), loc: t.loc };
      case 'object':
        return {
          t: 'object',
          items: t.items.map(([k, v]) => [this.term(k, sc), this.declarePattern(v, sc, how)] as [T, T]),
          loc: t.loc,
        };
      case 'null':
      case 'boolean':
      case 'number':
      case 'string':
        return this.term(t, sc);
      default:
        if (how === 'assigned') {
          const what = t.type === 'ref' ? 'ref' : t.type === 'call' ? 'call' : t.type;
          this.err('rego_compile_error', `cannot assign to ${what}`, t.loc);
        }
        return this.term(t, sc);
    }
  }

  // ---- terms ----

  term(t: ast.Term, sc: Scope): T {
    switch (t.type) {
      case 'null':
        return { t: 'const', v: null, loc: t.loc };
      case 'boolean':
      case 'number':
      case 'string':
        return { t: 'const', v: t.value, loc: t.loc };
      case 'var':
        return this.lookup(t.name, sc, t.loc);
      case 'ref': {
        const head = this.term(t.head, sc);
        const path = t.path.map((p) => this.term(p, sc));
        if (head.t === 'ref') return { t: 'ref', head: head.head, path: [...head.path, ...path], loc: t.loc };
        return { t: 'ref', head, path, loc: t.loc };
      }
      case 'array':
        return { t: 'array', items: t.items.map((x) => this.term(x, sc)), loc: t.loc };
      case 'set':
        return { t: 'set', items: t.items.map((x) => this.term(x, sc)), loc: t.loc };
      case 'object':
        return {
          t: 'object',
          items: t.items.map(([k, v]) => [this.term(k, sc), this.term(v, sc)] as [T, T]),
          loc: t.loc,
        };
      case 'arraycomp':
      case 'setcomp': {
        const inner = this.childScope(sc, t.body, [t.term]);
        const body = this.body(t.body, inner);
        const term = this.term(t.term, inner);
        const kind = t.type === 'arraycomp' ? 'array' : 'set';
        return { t: 'comp', kind, key: null, term, body, scope: inner.id, loc: t.loc };
      }
      case 'objectcomp': {
        const inner = this.childScope(sc, t.body, [t.key, t.value]);
        const body = this.body(t.body, inner);
        const key = this.term(t.key, inner);
        const term = this.term(t.value, inner);
        return { t: 'comp', kind: 'object', key, term, body, scope: inner.id, loc: t.loc };
      }
      case 'call': {
        const fn = this.callee(t.operator, t.name, sc, t.loc);
        // print's operands are each captured in a set comprehension so undefined ones still print.
        if (fn?.kind === 'builtin' && fn.name === 'print') {
          const def = getBuiltin('internal.print');
          if (def) {
            const items = t.args.map((a) => this.capture(a, sc));
            return {
              t: 'call',
              fn: { kind: 'builtin', name: def.name, def },
              args: [{ t: 'array', items, loc: t.loc }],
              loc: t.loc,
            };
          }
        }
        const args = t.args.map((a) => this.term(a, sc));
        if (!fn) return { t: 'const', v: null, loc: t.loc };
        return { t: 'call', fn, args, loc: t.loc };
      }
      case 'template':
        // Each interpolated expression is captured as a set comprehension (undefined → empty set).
        return {
          t: 'template',
          parts: t.parts.map((p) => (typeof p === 'string' ? p : this.capture(p, sc))),
          loc: t.loc,
        };
    }
  }

  /** `{v | v = t}` in a child scope: all values of t, iterating any unbound ref vars inside it. */
  capture(t: ast.Term | ast.Expr, sc: Scope): T {
    const expr: ast.Expr | null = 'kind' in t ? t : null;
    const inner = expr ? this.childScope(sc, [expr], []) : this.childScope(sc, [], [t as ast.Term]);
    const v = this.newVar('$capture', true, inner);
    const term: T = { t: 'var', id: v, loc: t.loc };
    if (expr && expr.kind !== 'term') {
      const e = this.expr(expr, inner);
      return { t: 'comp', kind: 'set', key: null, term, body: [e], scope: inner.id, capture: true, loc: t.loc };
    }
    const src = expr && expr.kind === 'term' ? expr.term : (t as ast.Term);
    const withs = expr ? expr.with.map((w) => this.withMod(w, inner)) : [];
    const b = this.term(src, inner);
    const body: E[] = [{ k: 'unify', a: term, b, assign: false, negated: false, with: withs, loc: t.loc }];
    return { t: 'comp', kind: 'set', key: null, term, body, scope: inner.id, capture: true, loc: t.loc };
  }

  /** The dotted segments of a call operator or `with` target (`a.b["c"]` → a, b, c). */
  static segments(op: ast.Term, name: string): string[] | null {
    if (op.type === 'var') return [op.name];
    if (op.type === 'ref' && op.head.type === 'var') {
      const segs = [op.head.name];
      for (const p of op.path) {
        if (p.type !== 'string') return null;
        segs.push(p.value);
      }
      return segs;
    }
    return name ? name.split('.') : null;
  }

  /** Resolves a function name to its callee, or null when it is not a function. */
  resolveFn(segs: string[], sc: Scope | null): Callee | { kind: 'nofunc'; path: string[] | null; name: string } {
    const name = segs.join('.');
    let path: string[] | null = null;
    const first = segs[0] as string;
    let local = false;
    for (let s: Scope | null = sc; s; s = s.parent) if (s.declared.has(first)) local = true;
    if (!local) {
      if (first === 'data') path = segs.slice(1);
      else if (this.g.ruleNames.has(first)) path = [...this.g.pkg, ...segs];
      else if (this.g.imports.has(first)) {
        const imp = this.g.imports.get(first) as { root: 'input' | 'data'; path: string[] };
        if (imp.root === 'data') path = [...imp.path, ...segs.slice(1)];
      }
    }
    if (path && this.g.funcArity(path) !== null) return { kind: 'func', path, name: `data.${path.join('.')}` };
    const def = getBuiltin(name);
    if (def && !path) return { kind: 'builtin', name, def };
    return { kind: 'nofunc', path, name };
  }

  private callee(op: ast.Term, name: string, sc: Scope, loc: Location): Callee | null {
    const segs = Resolver.segments(op, name);
    if (!segs) {
      this.err('rego_type_error', `undefined function ${name}`, loc);
      return null;
    }
    const r = this.resolveFn(segs, sc);
    if (r.kind === 'nofunc') {
      this.err('rego_type_error', `undefined function ${r.path ? `data.${r.path.join('.')}` : r.name}`, loc);
      return null;
    }
    return r;
  }

  // ---- expressions ----

  body(body: ast.Body, sc: Scope): E[] {
    const out: E[] = [];
    for (const e of body) out.push(this.expr(e, sc));
    return out;
  }

  expr(e: ast.Expr, sc: Scope): E {
    const withs = e.with.length === 0 ? [] : e.with.map((w) => this.withMod(w, sc));
    const negated = e.negated;
    const loc = e.loc;
    switch (e.kind) {
      case 'term':
        return { k: 'term', term: this.term(e.term, sc), negated, with: withs, loc };
      case 'unify': {
        const a = this.term(e.left, sc);
        const b = this.term(e.right, sc);
        return { k: 'unify', a, b, assign: false, negated, with: withs, loc };
      }
      case 'assign': {
        const b = this.term(e.right, sc);
        const a = this.declarePattern(e.left, sc, 'assigned');
        return { k: 'unify', a, b, assign: true, negated, with: withs, loc };
      }
      case 'some':
        for (const v of e.vars) {
          if (v.type === 'var') this.declare(v.name, sc, v.loc, 'declared');
          else this.err('rego_compile_error', 'expected var in some declaration', v.loc);
        }
        return { k: 'noop', negated, with: withs, loc };
      case 'somein': {
        const coll = this.term(e.collection, sc);
        const key = e.key ? this.declarePattern(e.key, sc, 'declared') : null;
        const value = this.declarePattern(e.value, sc, 'declared');
        return { k: 'somein', key, value, coll, negated, with: withs, loc };
      }
      case 'every': {
        const domain = this.term(e.domain, sc);
        const extra = e.key ? [e.key, e.value] : [e.value];
        const inner = this.childScope(sc, e.body, []);
        for (const t of extra) namesOfTerm(t, inner.names);
        const key = e.key ? this.declarePattern(e.key, inner, 'declared') : null;
        const value = this.declarePattern(e.value, inner, 'declared');
        const body = this.body(e.body, inner);
        return { k: 'every', key, value, domain, body, scope: inner.id, negated, with: withs, loc };
      }
    }
  }

  private withMod(w: ast.With, sc: Scope): W {
    const loc = w.loc;
    const t = w.target;
    const segs = Resolver.segments(t, '');
    const bad = (): W => {
      this.err('rego_compile_error', 'with keyword target must reference existing input, data, or a function', loc);
      return { target: { kind: 'input', path: [] }, value: this.term(w.value, sc), fn: null, loc };
    };
    let target: W['target'] | null = null;
    if (t.type === 'var' || t.type === 'ref') {
      const root = t.type === 'var' ? t : t.head;
      if (root.type === 'var' && (root.name === 'input' || root.name === 'data')) {
        const path: Value[] = [];
        for (const p of t.type === 'ref' ? t.path : []) {
          if (p.type === 'string' || p.type === 'number' || p.type === 'boolean') path.push(p.value);
          else if (p.type === 'null') path.push(null);
          else return bad();
        }
        target = { kind: root.name, path };
        if (root.name === 'data') {
          const strs = path.filter((p): p is string => typeof p === 'string');
          const ar = strs.length === path.length ? this.g.funcArity(strs) : null;
          if (ar !== null) target = { kind: 'fn', key: `func:data.${strs.join('.')}`, arity: ar };
        }
      } else if (segs) {
        const r = this.resolveFn(segs, sc);
        if (r.kind === 'builtin') target = { kind: 'fn', key: `builtin:${r.name}`, arity: r.def.decl.args.length };
        else if (r.kind === 'func') target = { kind: 'fn', key: `func:${r.name}`, arity: this.g.funcArity(r.path) as number };
        else if (r.path) target = { kind: 'data', path: r.path };
        else if (this.g.imports.get(segs[0] as string)?.root === 'input') {
          const imp = this.g.imports.get(segs[0] as string) as { path: string[] };
          target = { kind: 'input', path: [...imp.path, ...segs.slice(1)] };
        }
      }
    }
    if (!target) return bad();
    if (target.kind === 'fn') {
      const vsegs = Resolver.segments(w.value, '');
      if (vsegs && (w.value.type === 'var' || w.value.type === 'ref')) {
        const r = this.resolveFn(vsegs, sc);
        if (r.kind === 'builtin' || r.kind === 'func') return { target, value: null, fn: r, loc };
      }
    }
    return { target, value: this.term(w.value, sc), fn: null, loc };
  }
}
