// The compiler: modules → a document tree of compiled rules, in OPA's stage order (imports and
// local vars, rule conflicts, undefined functions and arity, safety, recursion, code generation).
// Each stage reports all of its errors at once; later stages do not run after a failing one.
import type * as ast from '../ast.js';
import { type Location, RegoError, RegoErrors } from '../errors.js';
import { Codegen } from '../eval/steps.js';
import { type CRule, Node, type Part } from '../eval/tree.js';
import { mapKey, type Value } from '../value.js';
import { checkArity, checkRecursion, checkTypes } from './checks.js';
import { Flattener } from './flatten.js';
import type { Callee, P, T } from './ir.js';
import { finalStep, partOf } from './final.js';
import { rewriteMetadataCalls } from './metadata.js';
import { buildIndex, type Conditions, conditionsOf } from './ruleindex.js';
import { type RRule, resolveRule, splitHeadRef } from './rules.js';
import { type Globals, Resolver } from './resolve.js';
import { patternVars, Safety, type SafetyEnv } from './safety.js';
import type { Step } from '../eval/frame.js';

export interface CompiledQuery {
  entry: Step;
  nslots: number;
  /** Named (non-generated) query vars and their slots. */
  names: { name: string; slot: number }[];
}

export function sortErrors(errs: RegoError[]): RegoError[] {
  return [...errs].sort((a, b) => {
    const x = a.location;
    const y = b.location;
    if (!x || !y) return x ? -1 : y ? 1 : 0;
    if (x.file !== y.file) return x.file < y.file ? -1 : 1;
    return x.row - y.row || x.col - y.col;
  });
}

function fail(errs: RegoError[]): never {
  throw new RegoErrors(sortErrors(errs));
}

export function calleeArity(fn: Callee, funcArity: (p: string[]) => number | null): number {
  if (fn.kind === 'builtin') return fn.def.decl.variadic ? Number.POSITIVE_INFINITY : fn.def.decl.args.length;
  return funcArity(fn.path) ?? 0;
}

export class Program {
  readonly root: Node;
  readonly nodes: Node[] = [];
  readonly rules: RRule[] = [];
  private readonly funcArities = new Map<string, number>();
  private readonly conds = new Map<CRule, Conditions>();

  constructor(
    readonly modules: ast.Module[],
    private readonly opts: CompileOptions = {},
  ) {
    this.root = this.mkNode(null, []);
  }

  private mkNode(key: Value | null, path: Value[]): Node {
    const n = new Node(this.nodes.length, key, path);
    this.nodes.push(n);
    return n;
  }

  node(path: Value[], create: boolean): Node | undefined {
    let n = this.root;
    for (let i = 0; i < path.length; i++) {
      const k = path[i] as Value;
      let c = n.child(k);
      if (!c) {
        if (!create) return undefined;
        c = this.mkNode(k, path.slice(0, i + 1));
        n.children.set(mapKey(k), c);
      }
      n = c;
    }
    return n;
  }

  funcArity = (path: string[]): number | null => this.funcArities.get(path.join('\u0000')) ?? null;
  funcNode = (path: string[]): Node | undefined => (this.funcArity(path) === null ? undefined : this.node(path, false));

  /** Stage 1: the tree of rule paths and function arities, from the heads alone. */
  buildTree(errs: RegoError[]): void {
    for (const m of this.modules) {
      // Packages exist as (possibly empty) documents even without rules.
      this.node(m.package, true);
      for (const r of m.rules) {
        const { prefix } = splitHeadRef(r);
        const path = [...m.package, ...prefix];
        this.node(path, true);
        if (r.head.args) {
          if (path.some((p) => typeof p !== 'string')) {
            errs.push(new RegoError('rego_type_error', 'function references must be strings', r.loc));
            continue;
          }
          this.funcArities.set(path.join('\u0000'), r.head.args.length);
        }
      }
    }
  }

  globals(m: ast.Module, errs: RegoError[]): Globals {
    const ruleNames = new Set<string>();
    for (const o of this.modules) {
      if (o.package.join('.') !== m.package.join('.')) continue;
      for (const r of o.rules) {
        const first = r.head.ref[0];
        if (first?.type === 'var') ruleNames.add(first.name);
      }
    }
    const imports = new Map<string, { root: 'input' | 'data'; path: string[] }>();
    for (const imp of m.imports) {
      const segs = Resolver.segments(imp.path, '');
      if (!segs || segs.length === 0) continue;
      const root = segs[0] as string;
      if (root === 'future' || root === 'rego') continue;
      if (root !== 'data' && root !== 'input') {
        errs.push(
          new RegoError(
            'rego_compile_error',
            'unexpected import path, must begin with one of: {data, future, input, rego}',
            imp.loc,
          ),
        );
        continue;
      }
      const alias = imp.alias ?? (segs.length > 1 ? (segs[segs.length - 1] as string) : root);
      if (alias === root && segs.length === 1) continue;
      imports.set(alias, { root, path: segs.slice(1) });
    }
    return {
      pkg: m.package,
      ruleNames,
      imports,
      funcArity: this.funcArity,
    };
  }

  compile(): void {
    const errs: RegoError[] = [];
    this.buildTree(errs);
    if (errs.length) fail(errs);
    // Resolve every rule and else branch.
    for (const m of this.modules) {
      const g = this.globals(m, errs);
      for (const r of m.rules) {
        const primary = resolveRule(r, m, g, errs, null);
        let prev = primary;
        for (let e = r.else; e; e = e.else) {
          const rr = resolveRule(e, m, g, errs, r.head.args);
          prev.else = rr;
          prev = rr;
        }
        this.rules.push(primary);
      }
    }
    const compileErrs = errs.filter((e) => e.code === 'rego_compile_error');
    if (compileErrs.length) fail(compileErrs);
    if (errs.length) fail(errs);
    this.checkConflicts(errs);
    if (errs.length) fail(errs);
    for (const r of this.allRules()) checkArity(r, errs, this.funcArity);
    if (errs.length) fail(errs);
    for (const r of this.allRules()) rewriteMetadataCalls(r, this.modules);
    for (const r of this.allRules()) this.safety(r, errs);
    if (errs.length) fail(errs);
    checkRecursion(this, errs);
    if (errs.length) fail(errs);
    for (const r of this.allRules()) checkTypes(r, errs);
    if (errs.length) fail(errs);
    for (const r of this.rules) this.attach(r);
    if (this.opts.ruleIndexing === false) return;
    for (const n of this.nodes) {
      n.pickComplete = buildIndex(n.complete, this.conds);
      n.pickSet = buildIndex(n.setRules, this.conds);
      n.pickDyn = buildIndex(n.dyn, this.conds);
    }
  }

  *allRules(): Iterable<RRule> {
    for (const r of this.rules) for (let c: RRule | null = r; c; c = c.else) yield c;
  }

  private checkConflicts(errs: RegoError[]): void {
    const byNode = new Map<Node, RRule[]>();
    for (const r of this.rules) {
      const n = this.node(r.nodePath, false) as Node;
      const list = byNode.get(n) ?? [];
      list.push(r);
      byNode.set(n, list);
    }
    for (const [n, rules] of byNode) {
      const name = (rules[0] as RRule).name;
      const kinds = new Set(rules.map((r) => (r.kind === 'multi' ? 'multi' : 'single')));
      const arities = new Set(rules.map((r) => r.args?.length ?? 0));
      const complete = rules.filter((r) => r.kind === 'complete' || (r.kind === 'function' && r.parts.length === 0));
      const ground = rules.some((r) => r.parts.length === 0);
      const loc = (rules[0] as RRule).loc;
      if (ground && n.children.size > 0) {
        const below: string[] = [];
        const walk = (c: Node): void => {
          below.push(`data.${c.path.map(String).join('.')}`);
          for (const d of c.children.values()) walk(d);
        };
        for (const c of n.children.values()) walk(c);
        errs.push(new RegoError('rego_type_error', `rule ${name} conflicts with [${below.join(' ')}]`, loc));
      } else if (kinds.size > 1 || arities.size > 1 || (complete.length >= 1 && complete.length < rules.length)) {
        errs.push(new RegoError('rego_type_error', `conflicting rules ${name} found`, loc));
      } else {
        const defaults = rules.filter((r) => r.isDefault);
        if (defaults.length > 1) {
          const at = defaults.map((d) => `${d.loc.file}:${d.loc.row}`).join(', ');
          errs.push(
            new RegoError(
              'rego_type_error',
              `multiple default rules ${name} found at ${at}`,
              (defaults[0] as RRule).module.packageLoc,
            ),
          );
        }
      }
    }
  }

  private safetyEnv(r: { res: Resolver }, errs: RegoError[]): SafetyEnv {
    return {
      vars: r.res.vars,
      scopeParent: r.res.scopeParent,
      arity: (fn) => calleeArity(fn, this.funcArity),
      errors: errs,
    };
  }

  /** Reorders the body and checks the head's vars are bound by it. */
  private safety(r: RRule, errs: RegoError[]): void {
    const env = this.safetyEnv(r, errs);
    const s = new Safety(env);
    const safe0 = new Set<number>();
    for (const a of r.args ?? []) patternVars(a, safe0);
    const n = errs.length;
    const { body, safe } = s.reorder(r.body, 0, safe0);
    r.body = body;
    if (errs.length > n) return;
    const head = new Set<number>();
    const add = (t: T | null): void => {
      if (t) patternVars(t, head);
    };
    for (const p of r.parts) add(p);
    add(r.member);
    add(r.value);
    for (const v of head) {
      if (!safe.has(v)) {
        const info = r.res.vars[v];
        if (info && !info.hidden) errs.push(new RegoError('rego_unsafe_var_error', `var ${info.name} is unsafe`, r.loc));
      }
    }
  }

  private plan(r: { res: Resolver; body: import('./ir.js').E[] }, bound: Set<number>): P[] {
    const fl = new Flattener(
      (scope) => r.res.newVar('$t', true, scope),
      (fn) => calleeArity(fn, this.funcArity),
    );
    return fl.body(r.body, 0, new Set(bound));
  }

  private codegen(r: RRule): CRule {
    const bound = new Set<number>();
    for (const a of r.args ?? []) patternVars(a, bound);
    const plan = this.plan(r, bound);
    const cg = new Codegen(this.root, this.funcNode, () => r.res.newVar('$acc', true, 0));
    const parts: Part[] = r.parts.map(partOf);
    const final = finalStep(r, cg, plan, bound);
    const entry = cg.body(plan, bound, final);
    const c: CRule = {
      kind: r.kind,
      name: r.name,
      nslots: r.res.vars.length,
      entry,
      parts,
      member: r.member ? partOf(r.member) : null,
      value: partOf(r.value),
      args: (r.args ?? []).map(partOf),
      else: r.else ? this.codegen(r.else) : null,
      isDefault: r.isDefault,
      loc: r.loc,
    };
    this.conds.set(c, conditionsOf(r.body));
    return c;
  }

  private attach(r: RRule): void {
    const n = this.node(r.nodePath, false) as Node;
    const c = this.codegen(r);
    switch (r.kind) {
      case 'complete':
        if (r.isDefault) n.dflt = c;
        else n.complete.push(c);
        break;
      case 'function':
        n.arity = r.args?.length ?? 0;
        if (r.isDefault) n.fdflt = c;
        else n.funcs.push(c);
        break;
      case 'multi':
        if (c.parts.length === 0) n.setRules.push(c);
        else n.dyn.push(c);
        break;
      case 'single':
        n.dyn.push(c);
        break;
    }
  }

  /** Compiles a query (no package; refs must start at data or input). */
  compileQuery(body: ast.Body): CompiledQuery {
    const errs: RegoError[] = [];
    const g: Globals = { pkg: [], ruleNames: new Set(), imports: new Map(), funcArity: this.funcArity };
    const res = new Resolver(g, errs);
    const sc = res.rootScope(body, []);
    let ir = res.body(body, sc);
    const ce = errs.filter((e) => e.code === 'rego_compile_error');
    if (ce.length) fail(ce);
    if (errs.length) fail(errs);
    const unit = { res, body: ir };
    checkArity(unit, errs, this.funcArity);
    if (errs.length) fail(errs);
    const s = new Safety(this.safetyEnv(unit, errs));
    ir = s.reorder(ir, 0, new Set()).body;
    if (errs.length) fail(errs);
    unit.body = ir;
    checkTypes(unit, errs);
    if (errs.length) fail(errs);
    const plan = this.plan(unit, new Set());
    const cg = new Codegen(this.root, this.funcNode, () => res.newVar('$acc', true, 0));
    const names: { name: string; slot: number }[] = [];
    res.vars.forEach((v, i) => {
      if (v.scope === 0 && !v.hidden && !v.name.startsWith('__local')) names.push({ name: v.name, slot: i });
    });
    const final: Step = (f) => {
      const rec: Record<string, Value> = {};
      for (const { name, slot } of names) {
        const v = f.s[slot];
        if (v !== undefined) rec[name] = v;
      }
      (f.acc as Record<string, Value>[]).push(rec);
    };
    const entry = cg.body(plan, new Set(), final);
    return { entry, nslots: res.vars.length, names };
  }
}

export interface CompileOptions {
  /** Build rule indexes (default true; tests compare against unindexed evaluation). */
  ruleIndexing?: boolean;
}

export function compileModules(modules: ast.Module[], opts: CompileOptions = {}): Program {
  const p = new Program(modules, opts);
  p.compile();
  return p;
}

export type { Location };
