// Evaluating a query the way `opa eval` reports it: every solution with the value of each expression
// (not only the bindings). OPA captures values by rewriting the query: a term expression `t` becomes
// `__qN__ = t`, a call `f(x)` whose result is not already an output argument likewise; with several
// expressions or iteration the captured values must also be true, as the original expressions had to.
import type { Body, Expr, Module, Term } from './ast.js';
import { getBuiltin } from './builtins/registry.js';
import { formatExpr } from './format.js';
import type { EvalOptions, PreparedPolicy } from './index.js';
import { parseQuery } from './parser.js';
import type { Value } from './value.js';

export interface ExpressionValue {
  value: Value;
  /** The expression's source text. */
  text: string;
  location: { row: number; col: number };
}

export interface QueryResult {
  expressions: ExpressionValue[];
  /** The query's named variables (not wildcards or generated ones). */
  bindings: Record<string, Value>;
}

/** All solutions of `query`; throws RegoErrors for a query that does not parse or compile. */
export function evalQuery(prepared: PreparedPolicy, query: string, input?: Value, opts?: EvalOptions): QueryResult[] {
  const body = parseQuery(query, 'query');
  const arity = functionArities(prepared.modules());
  const check = body.length > 1 || body.some(iterates);
  const rewritten: Expr[] = [];
  const checks: Expr[] = [];
  const exprs = body.map((e, i) => {
    const text = sliceExpr(query, body, i) ?? formatExpr(e);
    let capture: string | undefined;
    if (!e.negated && e.kind === 'term' && captures(e.term, arity)) {
      capture = `__q${i}__`;
      const v: Term = { type: 'var', name: capture, loc: e.loc };
      rewritten.push({ kind: 'unify', left: v, right: e.term, negated: false, with: e.with, loc: e.loc });
      if (check) checks.push({ kind: 'term', term: v, negated: false, with: [], loc: e.loc });
    } else rewritten.push(e);
    return { text, location: { row: e.loc.row, col: e.loc.col }, capture };
  });
  const rows = prepared.query([...rewritten, ...checks].map(formatExpr).join('\n'), input, opts);
  return rows.map((b) => {
    const bindings: Record<string, Value> = {};
    for (const [k, v] of Object.entries(b)) if (!k.startsWith('__') && !k.startsWith('$')) bindings[k] = v;
    const expressions = exprs.map((x) => ({
      value: x.capture ? (b[x.capture] as Value) : true,
      text: x.text,
      location: x.location,
    }));
    return { expressions, bindings };
  });
}

/** A term's value is captured unless it is a call given its output argument (`count(x, n)`). */
function captures(t: Term, arity: Map<string, number>): boolean {
  if (t.type !== 'call') return true;
  const b = getBuiltin(t.name);
  const want = b ? (b.decl.variadic ? undefined : b.decl.args.length) : arity.get(t.name);
  return want === undefined || t.args.length === want;
}

/** data.pkg.f → number of arguments, for the modules' functions. */
function functionArities(modules: Module[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of modules) {
    for (const r of m.rules) {
      if (r.kind !== 'function' || !r.head.args) continue;
      const name = r.head.ref.map((t) => (t.type === 'var' ? t.name : t.type === 'string' ? t.value : '?')).join('.');
      out.set(['data', ...m.package, name].join('.'), r.head.args.length);
    }
  }
  return out;
}

/** Does the expression iterate (a variable inside a ref)? */
function iterates(e: Expr): boolean {
  let found = false;
  const visit = (t: Term | null): void => {
    if (!t || found) return;
    switch (t.type) {
      case 'ref':
        if (t.path.some((p) => p.type === 'var')) found = true;
        visit(t.head);
        t.path.forEach(visit);
        break;
      case 'call':
        t.args.forEach(visit);
        break;
      case 'array':
      case 'set':
        t.items.forEach(visit);
        break;
      case 'object':
        for (const [k, v] of t.items) {
          visit(k);
          visit(v);
        }
        break;
    }
  };
  if (e.kind === 'term') visit(e.term);
  else if (e.kind === 'unify' || e.kind === 'assign') {
    visit(e.left);
    visit(e.right);
  } else if (e.kind === 'somein') visit(e.collection);
  return found;
}

/** The expression's source text (OPA echoes it): from its start to the next expression's. */
function sliceExpr(source: string, body: Body, i: number): string | undefined {
  const offset = (loc: { row: number; col: number }): number | undefined => {
    let o = 0;
    for (let r = 1; r < loc.row; r++) {
      const nl = source.indexOf('\n', o);
      if (nl < 0) return undefined;
      o = nl + 1;
    }
    // Columns count code points.
    for (let c = 1; c < loc.col; c++) {
      if (o >= source.length) return undefined;
      o += (source.codePointAt(o) ?? 0) > 0xffff ? 2 : 1;
    }
    return o;
  };
  const e = body[i] as Expr;
  const start = offset(e.loc);
  const next = body[i + 1];
  const end = next ? offset(next.loc) : source.length;
  if (start === undefined || end === undefined || end < start) return undefined;
  const text = source.slice(start, end).trim().replace(/;$/, '').trim();
  return text || undefined;
}
