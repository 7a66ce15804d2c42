// Action inheritance and updates:
// - SecDefaultAction (one per phase; the last one before a rule wins) gives each rule of its phase
//   the actions the rule does not set: the disruptive action, status, log/auditlog, and its
//   transformations, which come before the rule's own unless the rule says t:none. Without a
//   SecDefaultAction the reference default "phase:2,log,auditlog,pass" applies.
// - `block` performs the default's disruptive action; the rule keeps kind 'block' and records
//   what it stands for in actions.blockAction.
// - Chain links only inherit the transformations (they carry no disruptive action or metadata).
// - SecRuleUpdateActionById overwrites single-valued actions and appends repeatable ones.

import type { RuleActions } from '../rule.js';
import { DISRUPTIVE_ACTIONS, type ParsedActions, parseActions } from './actions.js';

export const BUILTIN_DEFAULT: ParsedActions = parseActions('phase:2,log,auditlog,pass');

export interface ActionProblem {
  message: string;
  /** Offset of the offending action in the action text. */
  offset: number;
}

const METADATA = ['id', 'rev', 'msg', 'tag', 'severity', 'logdata', 'ver', 'maturity', 'accuracy'];

/** SecDefaultAction must name a phase and a disruptive action and no metadata or flow actions. */
export function checkDefaultActions(p: ParsedActions): ActionProblem[] {
  const out: ActionProblem[] = [];
  if (p.actions.phase === undefined) out.push({ message: 'SecDefaultAction must specify a phase', offset: 0 });
  if (p.actions.disruptive === undefined) {
    out.push({ message: 'SecDefaultAction must specify a disruptive action', offset: 0 });
  }
  for (const n of [...METADATA, 'chain', 'skip', 'skipAfter']) {
    if (p.present.has(n)) out.push({ message: `SecDefaultAction cannot contain ${n}`, offset: p.offsets.get(n) ?? 0 });
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** Chain links may not carry id, phase, a disruptive action, metadata, skip or skipAfter. */
export function checkChainLink(p: ParsedActions): ActionProblem[] {
  const out: ActionProblem[] = [];
  for (const n of ['phase', ...DISRUPTIVE_ACTIONS, ...METADATA, 'skip', 'skipAfter']) {
    if (p.present.has(n)) {
      out.push({ message: `${n} can only be given on the first rule of a chain`, offset: p.offsets.get(n) ?? 0 });
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}

const copyAll = <T extends object>(list: T[]): T[] => list.map((x) => ({ ...x }));

/** Puts the default's transformations before the rule's own, unless the rule said t:none. */
function inheritTransformations(p: ParsedActions, def: ParsedActions): void {
  const inherited = def.actions.transformations;
  if (!p.resetTransformations && inherited.length > 0) {
    p.actions.transformations = [...inherited, ...p.actions.transformations];
  }
}

/**
 * The final actions of a SecRule chain head or SecAction, given the default for its phase. Takes
 * over `p.actions` (each parse result belongs to one rule); the default is only read.
 */
export function resolveHead(p: ParsedActions, def: ParsedActions = BUILTIN_DEFAULT): RuleActions {
  const a = p.actions;
  const d = def.actions;
  a.phase ??= 2;
  inheritTransformations(p, def);
  a.capture ||= d.capture;
  a.multiMatch ||= d.multiMatch;
  // Repeatable actions of the default (rare) run before the rule's own.
  if (d.setvars.length > 0) a.setvars = [...copyAll(d.setvars), ...a.setvars];
  if (d.ctls.length > 0) a.ctls = [...copyAll(d.ctls), ...a.ctls];
  if (d.initcol.length > 0) a.initcol = [...copyAll(d.initcol), ...a.initcol];
  if (d.expirevars.length > 0) a.expirevars = [...copyAll(d.expirevars), ...a.expirevars];
  if (d.extra.length > 0) a.extra = [...copyAll(d.extra), ...a.extra];
  const blockAction = d.disruptive ? { ...d.disruptive } : { kind: 'pass' as const };
  a.disruptive ??= { ...blockAction };
  a.blockAction = blockAction;
  if (a.disruptive.kind === 'redirect') a.redirect = a.disruptive.arg;
  if (a.status === undefined && d.status !== undefined) a.status = d.status;
  a.log ??= d.log ?? true;
  a.auditlog ??= d.auditlog ?? true;
  return a;
}

/** The final actions of a chain link: its own plus the default transformations (takes over `p.actions`). */
export function resolveLink(p: ParsedActions, def: ParsedActions = BUILTIN_DEFAULT): RuleActions {
  inheritTransformations(p, def);
  return p.actions;
}

/** Applies SecRuleUpdateActionById's actions to a rule's final actions (id/phase checks are the caller's). */
export function applyActionUpdate(target: RuleActions, upd: ParsedActions): void {
  const u = upd.actions;
  const has = (n: string) => upd.present.has(n);
  if (has('msg')) target.msg = u.msg;
  if (has('logdata')) target.logdata = u.logdata;
  if (has('severity')) target.severity = u.severity;
  if (has('ver')) target.ver = u.ver;
  if (has('rev')) target.rev = u.rev;
  if (has('maturity')) target.maturity = u.maturity;
  if (has('accuracy')) target.accuracy = u.accuracy;
  if (has('status')) target.status = u.status;
  if (has('skip')) target.skip = u.skip;
  if (has('skipAfter')) target.skipAfter = u.skipAfter;
  if (u.disruptive) {
    target.disruptive = { ...u.disruptive };
    if (u.disruptive.kind === 'redirect') target.redirect = u.disruptive.arg;
    else Reflect.deleteProperty(target, 'redirect');
  }
  if (u.log !== undefined) target.log = u.log;
  if (u.auditlog !== undefined) target.auditlog = u.auditlog;
  if (u.capture) target.capture = true;
  if (u.multiMatch) target.multiMatch = true;
  if (upd.resetTransformations) target.transformations = [...u.transformations];
  else target.transformations.push(...u.transformations);
  target.tags.push(...u.tags);
  target.setvars.push(...copyAll(u.setvars));
  target.ctls.push(...copyAll(u.ctls));
  target.initcol.push(...copyAll(u.initcol));
  target.expirevars.push(...copyAll(u.expirevars));
  target.extra.push(...copyAll(u.extra));
}
