// Rule directives: SecRule / SecAction (with chain assembly), SecMarker, SecDefaultAction, and the
// removal/update directives, which act on the rules loaded so far, in configuration order.

import type { Rule, VariableSelector } from '../rule.js';
import { emptyActions, type ParsedActions, parseActions } from './actions.js';
import {
  allRules,
  arg,
  type DirectiveHandler,
  DirectiveIssue,
  expectArgs,
  idMatcher,
  type LoadState,
  removeRules,
  withArg,
} from './context.js';
import { applyActionUpdate, checkChainLink, checkDefaultActions, resolveHead, resolveLink } from './inherit.js';
import { type Directive, type DirectiveArg, lineOf } from './lexer.js';
import { parseOperator } from './operator.js';
import { compileConfigRegex, formatVariable, parseVariables, sameVariable } from './variables.js';

function commit(s: LoadState, rule: Rule): void {
  const phase = rule.actions.phase ?? 2;
  (s.phases[phase] as Rule[]).push(rule);
  if (rule.actions.id !== undefined) s.byId.set(rule.actions.id, rule);
}

function finishChain(s: LoadState): void {
  const c = s.chain;
  s.chain = undefined;
  if (c && !c.broken) commit(s, c.head);
}

function addRule(
  s: LoadState,
  d: Directive,
  kind: 'rule' | 'action',
  variables: VariableSelector[],
  operator: Rule['operator'],
  parsed: ParsedActions,
  actionsArg: DirectiveArg | undefined,
  operatorLine: number,
): void {
  const loc = { file: d.file, line: d.line };
  const at = (offset: number) => (actionsArg ? lineOf(actionsArg, offset) : d.line);
  const pending = s.chain;
  if (pending) {
    for (const p of checkChainLink(parsed)) {
      s.issues.push({ file: d.file, line: at(p.offset), message: p.message });
      pending.broken = true;
    }
    const link: Rule = { kind, loc, variables, actions: resolveLink(parsed, s.defaults[pending.head.actions.phase ?? 2]) };
    if (operator) {
      link.operator = operator;
      s.operatorLines.set(link, operatorLine);
    }
    pending.tail.chain = link;
    pending.tail = link;
    if (!parsed.chain) finishChain(s);
    return;
  }

  let ok = true;
  const id = parsed.actions.id;
  if (id === undefined) {
    s.issues.push({ file: d.file, line: d.line, message: `${d.name} has no id action (every rule needs a unique id)` });
    ok = false;
  } else {
    const prev = s.byId.get(id);
    if (prev) {
      s.issues.push({
        file: d.file,
        line: at(parsed.offsets.get('id') ?? 0),
        message: `duplicate rule id ${id} (first defined at ${prev.loc.file}:${prev.loc.line})`,
      });
      ok = false;
    }
  }
  const phase = parsed.actions.phase ?? 2;
  const rule: Rule = { kind, loc, variables, actions: resolveHead(parsed, s.defaults[phase]) };
  if (operator) {
    rule.operator = operator;
    s.operatorLines.set(rule, operatorLine);
  }
  if (parsed.chain) s.chain = { head: rule, tail: rule, broken: !ok };
  else if (ok) commit(s, rule);
}

/**
 * Keeps chain bookkeeping consistent when a SecRule/SecAction fails to parse: the open chain is
 * discarded, and a failed rule that asked for `chain` still swallows the links after it.
 */
function ruleFailed(s: LoadState, d: Directive, actionsText: string | undefined): void {
  const wantsChain = actionsText !== undefined && /(^|,)\s*chain\s*(,|$)/i.test(actionsText);
  if (s.chain) {
    s.chain.broken = true;
    if (!wantsChain) s.chain = undefined;
    return;
  }
  if (wantsChain) {
    const placeholder: Rule = { kind: 'rule', loc: { file: d.file, line: d.line }, variables: [], actions: emptyActions() };
    s.chain = { head: placeholder, tail: placeholder, broken: true };
  }
}

const secRule: DirectiveHandler = (s, d) => {
  try {
    expectArgs(d, 2, 3);
    const variables = withArg(arg(d, 0), (v) => parseVariables(v));
    const operator = withArg(arg(d, 1), parseOperator);
    const actionsArg = d.args[2];
    const parsed = actionsArg ? withArg(actionsArg, parseActions) : parseActions('');
    addRule(s, d, 'rule', variables, operator, parsed, actionsArg, arg(d, 1).line);
  } catch (e) {
    ruleFailed(s, d, d.args[2]?.value);
    throw e;
  }
};

const secAction: DirectiveHandler = (s, d) => {
  try {
    expectArgs(d, 1, 1);
    const parsed = withArg(arg(d, 0), parseActions);
    addRule(s, d, 'action', [], undefined, parsed, arg(d, 0), d.line);
  } catch (e) {
    ruleFailed(s, d, d.args[0]?.value);
    throw e;
  }
};

const secMarker: DirectiveHandler = (s, d) => {
  expectArgs(d, 1, 1);
  const name = arg(d, 0).value.trim();
  if (name === '') throw new DirectiveIssue('SecMarker needs a name', d.line);
  const marker: Rule = {
    kind: 'marker',
    loc: { file: d.file, line: d.line },
    variables: [],
    actions: emptyActions(),
    marker: name,
  };
  // skipAfter works within a phase, so the marker stands in every phase.
  for (let p = 1; p <= 5; p++) (s.phases[p] as Rule[]).push(marker);
};

const secDefaultAction: DirectiveHandler = (s, d) => {
  expectArgs(d, 1, 1);
  const a = arg(d, 0);
  const parsed = withArg(a, parseActions);
  const problems = checkDefaultActions(parsed);
  for (const p of problems) s.issues.push({ file: d.file, line: lineOf(a, p.offset), message: p.message });
  if (problems.length === 0) s.defaults[parsed.actions.phase as number] = parsed;
};

function regexArg(d: Directive, index: number): RegExp {
  const a = arg(d, index);
  try {
    return compileConfigRegex(a.value);
  } catch (e) {
    throw new DirectiveIssue(`${d.name}: invalid regular expression '${a.value}': ${(e as Error).message}`, a.line);
  }
}

const hasTag = (re: RegExp) => (r: Rule) => r.actions.tags.some((t) => re.test(t));
const hasMsg = (re: RegExp) => (r: Rule) => r.actions.msg !== undefined && re.test(r.actions.msg);

function updateTargets(s: LoadState, d: Directive, pred: (r: Rule) => boolean, candidates: Iterable<Rule> = allRules(s)): void {
  expectArgs(d, 2, 3);
  const targets = withArg(arg(d, 1), (v) => parseVariables(v, { allowComma: true }));
  const replacedArg = d.args[2];
  const replaced = replacedArg ? withArg(replacedArg, (v) => parseVariables(v, { allowComma: true })) : undefined;
  if (replaced && replaced.length !== 1) throw new DirectiveIssue(`${d.name}: give one target to replace`, d.line);
  const clone = (v: VariableSelector): VariableSelector => ({ ...v, key: v.key ? { ...v.key } : undefined });
  for (const r of candidates) {
    if (r.kind !== 'rule' || !pred(r)) continue;
    if (replaced) {
      const old = replaced[0] as VariableSelector;
      const idx = r.variables.findIndex((v) => sameVariable(v, old));
      if (idx < 0) {
        throw new DirectiveIssue(`${d.name}: rule ${r.actions.id} has no target ${formatVariable(old)} to replace`, d.line);
      }
      r.variables.splice(idx, 1, ...targets.map(clone));
    } else {
      for (const t of targets) if (!r.variables.some((v) => sameVariable(v, t))) r.variables.push(clone(t));
    }
  }
}

const updateActionById: DirectiveHandler = (s, d) => {
  expectArgs(d, 2, 2);
  const target = arg(d, 0);
  const m = /^(\d+)(?::(\d+))?$/.exec(target.value.trim());
  if (!m) throw new DirectiveIssue(`${d.name}: expected RULEID or RULEID:offset, got '${target.value}'`, target.line);
  const id = Number(m[1]);
  const offset = m[2] === undefined ? 0 : Number(m[2]);
  const a = arg(d, 1);
  const parsed = withArg(a, parseActions);
  const head = s.byId.get(id);
  if (!head) return; // like ModSecurity: updating a rule that is not loaded does nothing
  let rule: Rule = head;
  for (let k = 0; k < offset; k++) {
    if (!rule.chain) throw new DirectiveIssue(`${d.name}: rule ${id} has no chained rule at offset ${offset}`, target.line);
    rule = rule.chain;
  }
  if (parsed.present.has('id') && parsed.actions.id !== id) {
    throw new DirectiveIssue(`${d.name} cannot change the id of rule ${id}`, lineOf(a, parsed.offsets.get('id') ?? 0));
  }
  if (parsed.present.has('phase') && parsed.actions.phase !== head.actions.phase) {
    throw new DirectiveIssue(`${d.name} cannot change the phase of rule ${id}`, lineOf(a, parsed.offsets.get('phase') ?? 0));
  }
  if (offset > 0) {
    const problems = checkChainLink(parsed).filter((p) => !p.message.startsWith('phase'));
    if (problems[0]) throw new DirectiveIssue(`${d.name}: ${problems[0].message}`, lineOf(a, problems[0].offset));
  }
  applyActionUpdate(rule.actions, parsed);
};

export const RULE_HANDLERS: Record<string, DirectiveHandler> = {
  SecRule: secRule,
  SecAction: secAction,
  SecMarker: secMarker,
  SecDefaultAction: secDefaultAction,
  SecRuleRemoveById: (s, d) => {
    expectArgs(d, 1, Number.POSITIVE_INFINITY);
    const match = idMatcher(d, d.args);
    removeRules(s, (r) => match(r.actions.id));
  },
  SecRuleRemoveByTag: (s, d) => {
    expectArgs(d, 1, 1);
    removeRules(s, hasTag(regexArg(d, 0)));
  },
  SecRuleRemoveByMsg: (s, d) => {
    expectArgs(d, 1, 1);
    removeRules(s, hasMsg(regexArg(d, 0)));
  },
  SecRuleUpdateTargetById: (s, d) => {
    const match = idMatcher(d, [arg(d, 0)]);
    const direct = match.singles?.map((id) => s.byId.get(id)).filter((r): r is Rule => r !== undefined);
    updateTargets(s, d, (r) => match(r.actions.id), direct);
  },
  SecRuleUpdateTargetByTag: (s, d) => updateTargets(s, d, hasTag(regexArg(d, 0))),
  SecRuleUpdateTargetByMsg: (s, d) => updateTargets(s, d, hasMsg(regexArg(d, 0))),
  SecRuleUpdateActionById: updateActionById,
};

/** Directives that cannot stand between the links of a chain. */
export const NOT_IN_CHAIN = new Set(
  [
    'SecMarker',
    'SecDefaultAction',
    'SecRuleRemoveById',
    'SecRuleRemoveByTag',
    'SecRuleRemoveByMsg',
    'SecRuleUpdateTargetById',
    'SecRuleUpdateTargetByTag',
    'SecRuleUpdateTargetByMsg',
    'SecRuleUpdateActionById',
  ].map((n) => n.toLowerCase()),
);
