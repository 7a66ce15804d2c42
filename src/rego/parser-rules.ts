// Rule helpers for the module parser: statements that parse as a body rather than a rule (`p := 1`,
// `a.b.c := 2`, `f(x) = y`, `p[x]`) become rules the way OPA does it (its ParseRuleFromBody), with
// OPA's messages for statements that cannot define a rule; rule kinds; and the Rego v1 checks.
import type { Body, Import, Rule, RuleHead, RuleKind, Term } from './ast.js';
import { type Location, RegoError } from './errors.js';
import { KEYWORDS } from './lexer.js';
import { valueName } from './parser-base.js';

/** How a rule was written, for the v1 checks (OPA keeps these as hidden fields on its rules). */
export interface RuleFlags {
  hasIf: boolean;
  hasContains: boolean;
  generatedBody: boolean;
  generatedValue: boolean;
}

export type Stmt =
  | { kind: 'package'; path: string[]; loc: Location }
  | { kind: 'import'; imp: Import }
  | { kind: 'rule'; rule: Rule }
  | { kind: 'body'; body: Body };

export interface BodyRule {
  head: RuleHead;
  body: Body;
  loc: Location;
  flags: RuleFlags;
}

/** Builtins an operator statement would define (`p == 1` is equal(p, 1), not a rule). */
const OPERATOR_BUILTINS = new Set([
  'plus',
  'minus',
  'mul',
  'div',
  'rem',
  'and',
  'or',
  'equal',
  'neq',
  'lt',
  'lte',
  'gt',
  'gte',
  'internal.member_2',
  'internal.member_3',
]);

function trueBody(loc: Location): Body {
  return [{ kind: 'term', term: { type: 'boolean', value: true, loc }, negated: false, with: [], loc }];
}

function head(ref: Term[], loc: Location, extra: Partial<RuleHead> = {}): RuleHead {
  return { ref, args: null, key: null, value: null, assign: false, loc, ...extra };
}

const FLAGS: RuleFlags = { hasIf: false, hasContains: false, generatedBody: true, generatedValue: false };

export function ruleFromBody(body: Body): BodyRule | RegoError {
  const expr = body[0]!;
  const err = (msg: string, loc: Location = expr.loc) => new RegoError('rego_parse_error', msg, loc);
  if (body.length !== 1) return err('multiple expressions cannot be used for rule head');
  if (expr.with.length > 0) return err('expressions using with keyword cannot be used for rule head');
  if (expr.negated) return err('negated expressions cannot be used for rule head');
  switch (expr.kind) {
    case 'some':
    case 'somein':
      return err("'some' declarations cannot be used for rule head");
    case 'every':
      return err('expression cannot be used for rule head');
    case 'term': {
      const t = expr.term;
      if (t.type === 'ref') {
        if (t.head.type !== 'var') return err(`invalid rule head: ${valueName(t.head)}`);
        const loc = t.loc;
        if (t.path.length > 1) {
          // `a.b.c` alone: a rule without value or body (rejected by the v1 checks).
          return { head: head([t.head, ...t.path], loc), body: trueBody(loc), loc, flags: { ...FLAGS, generatedValue: true } };
        }
        if (t.path.length === 0) return err('refs cannot be used for rule head');
        // `p[x]` alone: a partial set member (rejected by the v1 checks: `contains` is required).
        return { head: head([t.head], loc, { key: t.path[0]! }), body: trueBody(loc), loc, flags: FLAGS };
      }
      if (t.type === 'call') {
        if (OPERATOR_BUILTINS.has(t.name)) return err('rule name conflicts with built-in function');
        if (t.args.length === 0) return err('rule argument list must take at least one argument');
        const op = t.operator;
        if (op.type !== 'ref' || op.head.type !== 'var') return err(`invalid rule head: ${t.name}`);
        const loc = op.loc;
        const value: Term = { type: 'boolean', value: true, loc };
        return { head: head([op.head, ...op.path], loc, { args: t.args, value }), body: trueBody(loc), loc, flags: FLAGS };
      }
      return err(`${valueName(t)} cannot be used for rule name`);
    }
    case 'unify':
    case 'assign': {
      const { left, right } = expr;
      const loc = expr.loc;
      const assign = expr.kind === 'assign';
      let ref: Term[];
      let args: Term[] | null = null;
      if (left.type === 'call' && left.operator.type === 'ref' && left.operator.head.type === 'var') {
        ref = [left.operator.head, ...left.operator.path];
        args = left.args;
      } else if (left.type === 'ref') {
        if (left.head.type !== 'var') return err(`invalid rule head: ${valueName(left.head)}`);
        ref = [left.head, ...left.path];
      } else if (left.type === 'var') {
        ref = [left];
      } else {
        return err(`${valueName(left)} cannot be used for rule name`);
      }
      return { head: head(ref, left.loc, { args, value: right, assign }), body: trueBody(right.loc), loc, flags: FLAGS };
    }
  }
}

export function isGround(t: Term): boolean {
  switch (t.type) {
    case 'var':
    case 'ref':
    case 'call':
    case 'arraycomp':
    case 'setcomp':
    case 'objectcomp':
    case 'template':
      return false;
    case 'array':
    case 'set':
      return t.items.every(isGround);
    case 'object':
      return t.items.every(([k, v]) => isGround(k) && isGround(v));
    default:
      return true;
  }
}

export function ruleKind(head: RuleHead): RuleKind {
  if (head.args) return 'function';
  if (head.key !== null && head.value === null) return 'partial_set';
  if (head.ref.slice(1).some((t) => !isGround(t))) return 'partial_object';
  return 'complete';
}

/** The first var, ref or call in a default value (comprehensions are skipped), as OPA names it. */
export function findVarRefCall(t: Term): string | null {
  switch (t.type) {
    case 'var':
    case 'ref':
    case 'call':
      return t.type;
    case 'array':
    case 'set':
      for (const x of t.items) {
        const r = findVarRefCall(x);
        if (r) return r;
      }
      return null;
    case 'object':
      for (const [k, v] of t.items) {
        const r = findVarRefCall(k) ?? findVarRefCall(v);
        if (r) return r;
      }
      return null;
    case 'template':
      return 'templatestring';
    default:
      return null;
  }
}

/** Checks Rego v1 requires of each rule in an else chain. */
export function checkV1(rule: Rule, flags: Map<Rule, RuleFlags>, out: RegoError[]): void {
  for (let r: Rule | null = rule; r; r = r.else) {
    const f = flags.get(r);
    if (!f) continue;
    const what = r.kind === 'function' ? 'function' : 'rule';
    const err = (msg: string) => out.push(new RegoError('rego_parse_error', msg, r!.loc));
    const name = r.head.ref[0];
    if (r.head.ref.length < 2 && name?.type === 'var' && KEYWORDS.has(name.name)) {
      err(`${name.name} keyword cannot be used for rule name`);
    }
    if (f.generatedBody && f.generatedValue) err(`${what} must have value assignment and/or body declaration`);
    if (!f.generatedBody && !f.hasIf && !r.default) err(`\`if\` keyword is required before ${what} body`);
    if (r.kind === 'partial_set' && !f.hasContains) err('`contains` keyword is required for partial set rules');
  }
}
