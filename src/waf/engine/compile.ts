// Compiles a RuleSet once per engine: selector plans, interned transformation chains, operator
// instances, pre-parsed macro templates and resolved skipAfter targets, so evaluation only walks
// precomputed structures.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { getOperator, type Operator } from '../operators/registry.js';
import type { EngineSettings, Rule, RuleActions, RuleSet, SetvarOp } from '../rule.js';
import { compileTemplate, type Template } from './macro.js';
import type { TransformNode, TransformTrie } from './transform.js';
import type { RuleInfo } from './state.js';
import type { EngineOptions } from './types.js';
import { CompiledSelector, type KeyMatcher, keyMatcher } from './variables.js';

/** A rule that cannot be compiled; carries the rule file and line. */
export class WafCompileError extends Error {
  override name = 'WafCompileError';
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
  ) {
    super(`${file}:${line}: ${message}`);
  }
}

export interface CompiledSetvar {
  collection: string;
  key: Template;
  op: SetvarOp;
  value: Template;
}

/** Non-disruptive actions that run once the whole chain matched (ctl, initcol, ...). */
export type LateAction =
  | { kind: 'ctl'; name: string; value: Template }
  | { kind: 'initcol'; collection: string; key: Template }
  | { kind: 'expirevar'; collection: string; key: Template; seconds: Template }
  | { kind: 'setenv'; key: Template; value: Template }
  | { kind: 'setsid' | 'setuid' | 'setrsc'; value: Template };

export type DisruptiveKind = 'deny' | 'drop' | 'pass' | 'allow' | 'redirect';

const NO_RULE_INFO: RuleInfo = { id: 0, phase: 0, msg: '', logdata: '' };

/**
 * One compiled rule or chain link. A class with every field set in the constructor, so chain heads
 * and links share one hidden class and the evaluation loop's property loads stay monomorphic. The
 * fields after `chain` are meaningful on chain heads (and SecAction/SecMarker) only.
 */
export class CompiledLink {
  unconditional = false;
  selectors: CompiledSelector[] = [];
  /** Distinct variable names of the selectors (for ctl target removal). */
  names: string[] = [];
  operator: Operator | undefined = undefined;
  negated = false;
  multiMatch = false;
  capture = false;
  setvars: CompiledSetvar[] = [];
  /** initcol/setsid/setuid/setrsc: run at the link's first match, before its setvars use them. */
  early: LateAction[] = [];
  late: LateAction[] = [];
  chain: CompiledLink | undefined = undefined;
  /** 0 for chain heads, 1 for their first link, ... (selects the value buffer). */
  depth = 0;

  kind: 'rule' | 'action' | 'marker' = 'rule';
  id = 0;
  phase = 0;
  tags: string[] = [];
  msg: Template | undefined = undefined;
  logdata: Template | undefined = undefined;
  severity: number | undefined = undefined;
  /** Effective disruptive action (block resolved through SecDefaultAction). */
  disruptive: DisruptiveKind | undefined = undefined;
  /** As written: block stays block here (for logs). */
  writtenDisruptive: string | undefined = undefined;
  allowScope: 'all' | 'phase' | 'request' = 'all';
  status: number | undefined = undefined;
  redirect: Template | undefined = undefined;
  log = true;
  skip = 0;
  /** Index in the phase list to resume at after skipAfter; -2 when the rule has none. */
  skipAfterIndex = -2;
  marker: string | undefined = undefined;
  /** The RULE collection while this rule runs. */
  info: RuleInfo = NO_RULE_INFO;

  constructor(
    readonly rule: Rule,
    readonly tnode: TransformNode,
    readonly actions: RuleActions,
  ) {}
}

/** A chain head (or SecAction / SecMarker). */
export type CompiledRule = CompiledLink;

export interface DefaultAction {
  disruptive: DisruptiveKind;
  status?: number;
  redirect?: string;
}

/**
 * SecDefaultAction per phase for rule sets built without the loader (which resolves `block` into
 * actions.blockAction itself): read from settings.other['SecDefaultAction'] if present, else pass.
 */
export function defaultActions(settings: EngineSettings): DefaultAction[] {
  const out: DefaultAction[] = [];
  for (let p = 0; p <= 5; p++) out.push({ disruptive: 'pass' });
  // Raw directive text, e.g. other['SecDefaultAction'] = "phase:2,deny,status:403,log" (one per line).
  for (const [k, v] of Object.entries(settings.other ?? {})) {
    if (!/^secdefaultaction/i.test(k)) continue;
    for (const line of v.split('\n')) {
      const phase = /(?:^|,)\s*phase:\s*'?(\d|request|response|logging)/i.exec(line);
      const p = phase ? ({ request: 2, response: 4, logging: 5 }[phase[1]?.toLowerCase() ?? ''] ?? Number(phase[1])) : 2;
      const d = /(?:^|,)\s*(deny|drop|pass|allow|redirect)(?::\s*'?([^,']*))?/i.exec(line);
      const st = /(?:^|,)\s*status:\s*'?(\d+)/i.exec(line);
      if (p >= 1 && p <= 5) {
        const kind = (d?.[1]?.toLowerCase() ?? 'pass') as DisruptiveKind;
        out[p] = { disruptive: kind, status: st ? Number(st[1]) : undefined, redirect: kind === 'redirect' ? d?.[2] : undefined };
      }
    }
  }
  return out;
}

export interface CompileContext {
  trie: TransformTrie;
  options: EngineOptions;
  defaults: DefaultAction[];
}

function fail(rule: Rule, msg: string): never {
  throw new WafCompileError(msg, rule.loc?.file ?? '<rules>', rule.loc?.line ?? 0);
}

function compileOperator(rule: Rule, ctx: CompileContext): Operator | undefined {
  const op = rule.operator;
  if (op === undefined) return undefined;
  if (op.compiled !== undefined) return op.compiled;
  const def = getOperator(op.name);
  if (def === undefined) fail(rule, `unknown operator @${op.name}`);
  const ruleFile = rule.loc?.file ?? '';
  const readFile = (name: string): string =>
    ctx.options.readFile ? ctx.options.readFile(name, ruleFile) : readFileSync(resolve(dirname(ruleFile || '.'), name), 'latin1');
  try {
    return def.create(op.param, { readFile });
  } catch (e) {
    fail(rule, `@${op.name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function compileLink(rule: Rule, ctx: CompileContext, depth = 0): CompiledLink {
  const a = rule.actions;
  const byName = new Map<string, KeyMatcher[]>();
  for (const v of rule.variables) {
    if (!v.exclude) continue;
    const name = v.name.toUpperCase();
    let list = byName.get(name);
    if (!list) byName.set(name, (list = []));
    list.push(keyMatcher(v));
  }
  const selectors: CompiledSelector[] = [];
  for (const v of rule.variables) {
    if (v.exclude) continue;
    const name = v.name.toUpperCase();
    if (!/^[A-Z0-9_]+$/.test(name)) fail(rule, `invalid variable name ${v.name}`);
    selectors.push(new CompiledSelector(name, v, byName.get(name) ?? []));
  }
  let tnode: TransformNode;
  try {
    tnode = ctx.trie.intern(a.transformations ?? []);
  } catch (e) {
    fail(rule, (e as Error).message);
  }
  const late: LateAction[] = [];
  const early: LateAction[] = [];
  for (const c of a.ctls ?? []) late.push({ kind: 'ctl', name: c.name.toLowerCase(), value: compileTemplate(c.value) });
  for (const c of a.initcol ?? []) {
    early.push({ kind: 'initcol', collection: c.collection.toUpperCase(), key: compileTemplate(c.key) });
  }
  for (const e of a.expirevars ?? []) {
    late.push({
      kind: 'expirevar',
      collection: e.collection.toUpperCase(),
      key: compileTemplate(e.key),
      seconds: compileTemplate(e.seconds),
    });
  }
  for (const x of a.extra ?? []) {
    const name = x.name.toLowerCase();
    const value = x.value ?? '';
    if (name === 'setenv') {
      const eq = value.indexOf('=');
      late.push({
        kind: 'setenv',
        key: compileTemplate(eq < 0 ? value : value.slice(0, eq)),
        value: compileTemplate(eq < 0 ? '1' : value.slice(eq + 1)),
      });
    } else if (name === 'setsid' || name === 'setuid' || name === 'setrsc') {
      early.push({ kind: name, value: compileTemplate(value) });
    }
  }
  const link = new CompiledLink(rule, tnode, a);
  link.unconditional = rule.kind === 'action';
  link.selectors = selectors;
  link.names = [...new Set(selectors.map((sel) => sel.name))];
  link.operator = rule.kind === 'rule' ? compileOperator(rule, ctx) : undefined;
  link.negated = rule.operator?.negated ?? false;
  link.multiMatch = a.multiMatch ?? false;
  link.capture = a.capture ?? false;
  link.setvars = (a.setvars ?? []).map((sv) => ({
    collection: sv.collection.toUpperCase(),
    key: compileTemplate(sv.key),
    op: sv.op,
    value: compileTemplate(sv.value ?? ''),
  }));
  link.early = early;
  link.late = late;
  link.chain = rule.chain ? compileLink(rule.chain, ctx, depth + 1) : undefined;
  link.depth = depth;
  return link;
}

function compileRule(rule: Rule, phase: number, ctx: CompileContext): CompiledRule {
  const a = rule.actions;
  const link = compileLink(rule, ctx);
  const dflt = ctx.defaults[phase] ?? { disruptive: 'pass' };
  // `block` performs the SecDefaultAction's disruptive action: the loader records it in blockAction;
  // hand-built rule sets fall back to defaults found in the settings. A rule without a disruptive
  // action inherits the default's as well.
  const written = a.disruptive;
  let d: { kind: string; arg?: string } | undefined = written;
  let status = a.status;
  if (written === undefined || written.kind === 'block') {
    d = a.blockAction ?? { kind: dflt.disruptive, arg: dflt.redirect };
    if (d.kind === 'block') d = { kind: 'pass' };
    if (a.blockAction === undefined) status ??= dflt.status;
  }
  const disruptive = rule.kind === 'marker' ? undefined : (d?.kind as DisruptiveKind | undefined);
  const redirect = disruptive === 'redirect' ? (d?.arg ?? a.redirect) : undefined;
  const allowArg = d?.kind === 'allow' ? (d.arg ?? '').toLowerCase() : '';
  const r = link;
  r.kind = rule.kind;
  r.id = a.id ?? 0;
  r.phase = phase;
  r.tags = a.tags ?? [];
  r.msg = a.msg !== undefined ? compileTemplate(a.msg) : undefined;
  r.logdata = a.logdata !== undefined ? compileTemplate(a.logdata) : undefined;
  r.severity = a.severity;
  r.disruptive = disruptive;
  r.writtenDisruptive = written?.kind;
  r.allowScope = allowArg === 'phase' ? 'phase' : allowArg === 'request' ? 'request' : 'all';
  r.status = status;
  r.redirect = redirect !== undefined ? compileTemplate(redirect) : undefined;
  r.log = a.log ?? true;
  r.skip = a.skip ?? 0;
  r.marker = rule.marker;
  r.info = {
    id: a.id ?? 0,
    phase,
    msg: a.msg ?? '',
    logdata: a.logdata ?? '',
    severity: a.severity,
    rev: a.rev,
    ver: a.ver,
    maturity: a.maturity,
    accuracy: a.accuracy,
  };
  return r;
}

export interface CompiledRuleSet {
  phases: CompiledRule[][];
  defaults: DefaultAction[];
}

export function compileRuleSet(rs: RuleSet, ctx: CompileContext): CompiledRuleSet {
  const phases: CompiledRule[][] = [[]];
  for (let p = 1; p <= 5; p++) {
    const list = (rs.phases[p] ?? []).map((r) => compileRule(r, p, ctx));
    // Resolve skipAfter to an index: the first marker (or rule id) with that name after the rule;
    // -1 (end of phase) when there is none, as ModSecurity skips the rest of the phase then.
    list.forEach((cr, i) => {
      const target = cr.actions.skipAfter;
      if (target === undefined) return;
      cr.skipAfterIndex = -1;
      for (let j = i + 1; j < list.length; j++) {
        const o = list[j] as CompiledRule;
        if ((o.kind === 'marker' && o.marker === target) || (o.kind !== 'marker' && String(o.id) === target)) {
          cr.skipAfterIndex = j + 1;
          break;
        }
      }
    });
    phases.push(list);
  }
  return { phases, defaults: ctx.defaults };
}
