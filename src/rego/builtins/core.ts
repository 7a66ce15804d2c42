// Builtins tied to the evaluator: membership (`in`), walk, print, trace, opa.runtime, the
// rego.metadata.* calls (answered at compile time; these are fallbacks for queries) and
// rego.parse_module (the module's AST as OPA's JSON form).
import type * as ast from '../ast.js';
import { RegoErrors } from '../errors.js';
import { parseModule } from '../parser.js';
import { equal, format, fromJSON, RObject, RSet, type Value } from '../value.js';
import { builtinErr, str } from './args.js';
import { parseGoDuration } from './go-duration.js';
import { registerBuiltin } from './registry.js';

/** `x in c` (exported for the evaluator, which inlines it). */
export function member2(x: Value, c: Value): boolean {
  if (Array.isArray(c)) return c.some((y) => equal(x, y));
  if (c instanceof RSet) return c.has(x);
  if (c instanceof RObject) {
    for (const v of c.values()) if (equal(x, v)) return true;
  }
  return false;
}

registerBuiltin({
  name: 'internal.member_2',
  decl: { args: ['any', 'any'], result: 'boolean' },
  fn: (args) => member2(args[0] as Value, args[1] as Value),
});

registerBuiltin({
  name: 'internal.member_3',
  decl: { args: ['any', 'any', 'any'], result: 'boolean' },
  fn: (args) => {
    const [k, v, c] = args as [Value, Value, Value];
    if (Array.isArray(c)) {
      if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k >= c.length) return false;
      return equal(c[k] as Value, v);
    }
    if (c instanceof RObject) {
      const w = c.get(k);
      return w !== undefined && equal(w, v);
    }
    return false;
  },
});

/** Every [path, value] pair below x, parents first, children in Rego order. */
function walk(x: Value, path: Value[], out: Value[]): void {
  out.push([path, x]);
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) walk(x[i] as Value, [...path, i], out);
  } else if (x instanceof RObject) {
    for (const k of x.sortedKeys()) walk(x.get(k) as Value, [...path, k], out);
  } else if (x instanceof RSet) {
    for (const k of x.sorted()) walk(k, [...path, k], out);
  }
}

registerBuiltin({
  name: 'walk',
  decl: { args: ['any'], result: 'array' },
  relation: true,
  fn: (args) => {
    const out: Value[] = [];
    walk(args[0] as Value, [], out);
    return out;
  },
});

const printArg = (v: Value): string => (typeof v === 'string' ? v : format(v));

registerBuiltin({
  name: 'print',
  decl: { args: [], result: 'boolean', variadic: 'any' },
  fn: (args, ctx) => {
    ctx.print(args.map(printArg).join(' '));
    return true;
  },
});

/** print's compiled form: one set of values per operand; prints every combination. */
registerBuiltin({
  name: 'internal.print',
  decl: { args: ['array'], result: 'boolean' },
  fn: (args, ctx) => {
    const ops = (args[0] as Value[]).map((s) => (s instanceof RSet ? s.sorted() : [s]));
    const line: string[] = new Array(ops.length);
    const rec = (i: number): void => {
      if (i === ops.length) {
        ctx.print(line.join(' '));
        return;
      }
      const vals = ops[i] as Value[];
      if (vals.length === 0) {
        line[i] = '<undefined>';
        rec(i + 1);
        return;
      }
      for (const v of vals) {
        line[i] = printArg(v);
        rec(i + 1);
      }
    };
    rec(0);
    return true;
  },
});

registerBuiltin({
  name: 'trace',
  decl: { args: ['string'], result: 'boolean' },
  fn: (args) => {
    str(args, 0, 'trace');
    return true;
  },
});

registerBuiltin({
  name: 'opa.runtime',
  decl: { args: [], result: 'object' },
  nondeterministic: true,
  fn: (_args, ctx) => ctx.runtime ?? new RObject(),
});

registerBuiltin({
  name: 'rego.metadata.chain',
  decl: { args: [], result: 'array' },
  fn: () => [],
});

registerBuiltin({
  name: 'rego.metadata.rule',
  decl: { args: [], result: 'object' },
  fn: () => new RObject(),
});

// ---- rego.parse_module: OPA's JSON AST ----

type J = Record<string, unknown>;

function termJSON(t: ast.Term): J {
  switch (t.type) {
    case 'null':
      return { type: 'null' };
    case 'boolean':
    case 'string':
      return { type: t.type, value: t.value };
    case 'number':
      return { type: 'number', value: t.value };
    case 'var':
      return { type: 'var', value: t.name.startsWith('$') ? `$${t.name.slice(1)}` : t.name };
    case 'ref':
      return { type: 'ref', value: [termJSON(t.head), ...t.path.map(termJSON)] };
    case 'array':
    case 'set':
      return { type: t.type, value: t.items.map(termJSON) };
    case 'object':
      return { type: 'object', value: t.items.map(([k, v]) => [termJSON(k), termJSON(v)]) };
    case 'arraycomp':
    case 'setcomp':
      return { type: t.type, value: { term: termJSON(t.term), body: bodyJSON(t.body) } };
    case 'objectcomp':
      return { type: t.type, value: { key: termJSON(t.key), value: termJSON(t.value), body: bodyJSON(t.body) } };
    case 'call':
      return { type: 'call', value: [termJSON(t.operator), ...t.args.map(termJSON)] };
    case 'template':
      return {
        type: 'templatestring',
        value: t.parts.map((p) =>
          typeof p === 'string' ? { type: 'string', value: p } : 'kind' in p ? exprJSON(p, 0) : termJSON(p),
        ),
      };
  }
}

function refOf(name: string): J {
  const segs = name.split('.');
  return {
    type: 'ref',
    value: [{ type: 'var', value: segs[0] }, ...segs.slice(1).map((s) => ({ type: 'string', value: s }))],
  };
}

function exprJSON(e: ast.Expr, index: number): J {
  const out: J = { index };
  switch (e.kind) {
    case 'term':
      out.terms = e.term.type === 'call' ? [termJSON(e.term.operator), ...e.term.args.map(termJSON)] : termJSON(e.term);
      break;
    case 'unify':
      out.terms = [refOf('eq'), termJSON(e.left), termJSON(e.right)];
      break;
    case 'assign':
      out.terms = [refOf('assign'), termJSON(e.left), termJSON(e.right)];
      break;
    case 'some':
      out.terms = { type: 'some', value: e.vars.map(termJSON) } as J;
      break;
    case 'somein': {
      const args = [...(e.key ? [termJSON(e.key)] : []), termJSON(e.value), termJSON(e.collection)];
      out.terms = {
        symbols: [{ type: 'call', value: [refOf(e.key ? 'internal.member_3' : 'internal.member_2'), ...args] }],
      };
      break;
    }
    case 'every':
      out.terms = {
        ...(e.key ? { key: termJSON(e.key) } : {}),
        value: termJSON(e.value),
        domain: termJSON(e.domain),
        body: bodyJSON(e.body),
      };
      break;
  }
  if (e.negated) out.negated = true;
  if (e.with.length > 0) out.with = e.with.map((w) => ({ target: termJSON(w.target), value: termJSON(w.value) }));
  return out;
}

function bodyJSON(b: ast.Body): J[] {
  return b.map((e, i) => exprJSON(e, i));
}

function ruleJSON(r: ast.Rule): J {
  const first = r.head.ref[0];
  const head: J = {
    ref: r.head.ref.map(termJSON),
  };
  if (first?.type === 'var' && r.head.ref.length === 1) head.name = first.name;
  if (r.head.args) head.args = r.head.args.map(termJSON);
  if (r.head.key) head.key = termJSON(r.head.key);
  if (r.head.value) head.value = termJSON(r.head.value);
  else if (!r.head.key) head.value = { type: 'boolean', value: true };
  if (r.head.assign) head.assign = true;
  const out: J = { head, body: bodyJSON(r.body) };
  if (r.default) out.default = true;
  if (r.else) out.else = ruleJSON(r.else);
  return out;
}

function moduleJSON(m: ast.Module): J {
  const out: J = {
    package: {
      path: [{ type: 'var', value: 'data' }, ...m.package.map((s) => ({ type: 'string', value: s }))],
    },
  };
  if (m.imports.length > 0) {
    out.imports = m.imports.map((i) => ({ path: termJSON(i.path), ...(i.alias ? { alias: i.alias } : {}) }));
  }
  if (m.rules.length > 0) out.rules = m.rules.map(ruleJSON);
  return out;
}

registerBuiltin({
  name: 'rego.parse_module',
  decl: { args: ['string', 'string'], result: 'object' },
  fn: (args) => {
    const file = str(args, 0, 'rego.parse_module');
    const text = str(args, 1, 'rego.parse_module');
    let m: ast.Module;
    try {
      m = parseModule(text, file);
    } catch (e) {
      if (e instanceof RegoErrors) throw builtinErr('rego.parse_module', e.errors.map((x) => x.toString()).join('; '));
      throw e;
    }
    return fromJSON(moduleJSON(m));
  },
});

/** OPA's test-only builtin: blocks for a Go duration ("10ms"), capped at 10s. */
registerBuiltin({
  name: 'test.sleep',
  decl: { args: ['string'], result: 'null' },
  nondeterministic: true,
  fn: (args) => {
    const ms = Math.min(Number(parseGoDuration(str(args, 0, 'test.sleep')) / 1_000_000n), 10_000);
    if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    return null;
  },
});
