// Rule resolution: each rule (and each `else` branch) becomes one unit with its own var table.
// Head terms that need evaluation (refs, calls, composite values with vars) are moved into the
// body as `g = term` with a generated var, so the head only holds vars and constants: vars can be
// pre-bound when a caller asks for one key (partial rules) or passes arguments (functions).
import type * as ast from '../ast.js';
import { type Location, RegoError } from '../errors.js';
import type { Value } from '../value.js';
import type { E, T } from './ir.js';
import { type Globals, Resolver } from './resolve.js';

export type RuleKindX = 'complete' | 'multi' | 'single' | 'function';

export interface RRule {
  src: ast.Rule;
  module: ast.Module;
  kind: RuleKindX;
  /** Ground prefix of the rule's path below data (package + ref up to the first non-ground term). */
  nodePath: Value[];
  /** `data.a.p` (ground prefix), for messages. */
  name: string;
  parts: T[];
  member: T | null;
  value: T;
  args: T[] | null;
  body: E[];
  res: Resolver;
  isDefault: boolean;
  else: RRule | null;
  loc: Location;
}

/** Literal value of an AST term without vars, refs, calls or closures. */
export function astConst(t: ast.Term): Value | undefined {
  switch (t.type) {
    case 'null':
      return null;
    case 'boolean':
    case 'number':
    case 'string':
      return t.value;
    default:
      return undefined;
  }
}

/** Splits a rule's head ref into its ground prefix (below the package) and dynamic rest. */
export function splitHeadRef(rule: ast.Rule): { prefix: Value[]; rest: ast.Term[] } {
  const ref = rule.head.ref;
  const first = ref[0];
  const prefix: Value[] = [first && first.type === 'var' ? first.name : first && first.type === 'string' ? first.value : '?'];
  let i = 1;
  for (; i < ref.length; i++) {
    const v = astConst(ref[i] as ast.Term);
    if (v === undefined) break;
    prefix.push(v);
  }
  return { prefix, rest: ref.slice(i) };
}

export function ruleKindOf(rule: ast.Rule, restLen: number): RuleKindX {
  if (rule.head.args) return 'function';
  if (rule.head.key !== null && rule.head.value === null) return 'multi';
  return restLen > 0 ? 'single' : 'complete';
}

/** Vars and constants stay in the head; anything else is computed in the body. */
function isSimple(t: T): boolean {
  if (t.t === 'var' || t.t === 'const') return true;
  if (t.t === 'array' || t.t === 'set') return t.items.every((x) => x.t !== 'var' && isSimple(x));
  if (t.t === 'object') return t.items.every(([k, v]) => k.t !== 'var' && v.t !== 'var' && isSimple(k) && isSimple(v));
  return false;
}

export function resolveRule(
  rule: ast.Rule,
  module: ast.Module,
  g: Globals,
  errors: RegoError[],
  primaryArgs: ast.Term[] | null,
): RRule {
  const { prefix, rest } = splitHeadRef(rule);
  const kind = ruleKindOf(rule, rest.length);
  const argsAst = rule.head.args ?? primaryArgs;
  const r = new Resolver(g, errors);
  const extra: ast.Term[] = [...rest];
  if (rule.head.key) extra.push(rule.head.key);
  if (rule.head.value) extra.push(rule.head.value);
  const sc = r.rootScope(rule.body, extra, argsAst ?? []);
  const args = argsAst ? argsAst.map((a) => r.declarePattern(a, sc, 'arg')) : null;
  const body = r.body(rule.body, sc);
  const loc = rule.head.loc ?? rule.loc;
  const parts = rest.map((t) => r.term(t, sc));
  const member = rule.head.key && kind === 'multi' ? r.term(rule.head.key, sc) : null;
  let value: T = rule.head.value
    ? r.term(rule.head.value, sc)
    : rule.head.key && kind !== 'multi'
      ? r.term(rule.head.key, sc)
      : { t: 'const', v: true, loc };
  if (kind === 'single' && rule.head.key && rule.head.value) {
    // `p[k] = v` written with key and value: the key is one more part.
    parts.push(r.term(rule.head.key, sc));
    value = r.term(rule.head.value, sc);
  }
  const hoist = (t: T, atStart: boolean): T => {
    if (isSimple(t)) return t;
    const id = r.newVar('$head', true, 0);
    const v: T = { t: 'var', id, loc: t.loc };
    const e: E = { k: 'unify', a: v, b: t, assign: false, negated: false, with: [], loc: t.loc };
    if (atStart) body.unshift(e);
    else body.push(e);
    return v;
  };
  const pkgPath = module.package;
  const nodePath = [...pkgPath, ...prefix];
  const out: RRule = {
    src: rule,
    module,
    kind,
    nodePath,
    name: `data.${nodePath.map((p) => String(p)).join('.')}`,
    parts: parts.map((p) => hoist(p, false)),
    member: member ? hoist(member, false) : null,
    value: hoist(value, false),
    args: args ? args.map((a) => hoist(a, true)) : null,
    body,
    res: r,
    isDefault: rule.default,
    else: null,
    loc: rule.loc,
  };
  if (rule.default && kind !== 'function' && kind !== 'complete') {
    errors.push(new RegoError('rego_type_error', `default rules must be single-value rules`, rule.loc));
  }
  return out;
}
