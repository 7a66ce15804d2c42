// access_rules: an ordered allow/deny list over client address, method, path and one header. The
// first rule whose conditions ALL match decides; no match falls to `default`. "allow" only means
// "not denied here": later stages (action, policy, ...) still run, it is not a final approval.
//
// Rule paths: a path with a wildcard (`*`, `**`, `?`) is a glob (see path-pattern.ts); a plain path
// is a segment-aware prefix ("/admin" covers "/admin" and "/admin/users", not "/administrator"),
// so a plain path rule protects a whole subtree. Use "/x/*" for one level below /x only.
import type { AccessRule, RouteConfig } from '../../config/schema.js';
import { compileCidrs } from '../cidr.js';
import { compilePathPattern, hasGlobWildcard } from '../path-pattern.js';
import {
  type RequestContext,
  type Stage,
  StageConfigError,
  type StageDeps,
  type StageFactory,
  type StageResult,
  type Verdict,
} from '../stage.js';

type Condition = (ctx: RequestContext) => boolean;

interface CompiledRule {
  readonly conditions: readonly Condition[];
  /** undefined for allow rules. */
  readonly deny: Verdict | undefined;
}

const TOKEN_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function denyVerdict(status: number, reason: string): Verdict {
  // Built once per rule and shared by every request it denies, hence frozen.
  return Object.freeze({
    action: 'deny',
    status,
    reason,
    body: Object.freeze({ error: 'forbidden', reason }),
  }) as Verdict;
}

function headerCondition(h: NonNullable<AccessRule['header']>, path: (string | number)[]): Condition {
  const name = h.name.trim().toLowerCase();
  if (!TOKEN_RE.test(name)) throw new StageConfigError(`invalid header name "${h.name}"`, [...path, 'name']);
  if (h.present === false && (h.value !== undefined || h.regex !== undefined))
    throw new StageConfigError('present: false cannot be combined with value or regex', [...path, 'present']);
  if (h.present === false) return (ctx) => ctx.request.headers[name] === undefined;
  let re: RegExp | undefined;
  if (h.regex !== undefined) {
    // A leading "(?i)" (PCRE/RE2 style, which JS regexes lack before Node 23) means case-insensitive.
    const insensitive = h.regex.startsWith('(?i)');
    try {
      re = new RegExp(insensitive ? h.regex.slice(4) : h.regex, insensitive ? 'i' : '');
    } catch (err) {
      throw new StageConfigError(`invalid header regex: ${(err as Error).message}`, [...path, 'regex']);
    }
  }
  const value = h.value;
  // Each value of a repeated header is tested on its own; the rule matches when one does.
  const test = (v: string): boolean => (value === undefined || v === value) && (re === undefined || re.test(v));
  return (ctx) => {
    const v = ctx.request.headers[name];
    if (v === undefined) return false;
    if (typeof v === 'string') return test(v);
    for (const one of v) if (test(one)) return true;
    return false;
  };
}

function compileRule(rule: AccessRule, i: number): CompiledRule {
  const path: (string | number)[] = ['access_rules', 'rules', i];
  const conditions: Condition[] = [];
  if (rule.cidrs !== undefined) {
    const inCidrs = compileCidrs(rule.cidrs, [...path, 'cidrs']);
    conditions.push((ctx) => inCidrs(ctx.request.client_ip));
  }
  if (rule.methods !== undefined) {
    const methods = new Set(rule.methods);
    conditions.push((ctx) => methods.has(ctx.request.method));
  }
  if (rule.path !== undefined) {
    let matches: (p: string) => boolean;
    try {
      matches = compilePathPattern(rule.path, hasGlobWildcard(rule.path) ? 'glob' : 'prefix');
    } catch (err) {
      throw new StageConfigError((err as Error).message, [...path, 'path']);
    }
    conditions.push((ctx) => matches(ctx.request.path));
  }
  if (rule.header !== undefined) conditions.push(headerCondition(rule.header, [...path, 'header']));
  const deny = rule.action === 'deny' ? denyVerdict(rule.status, rule.reason ?? `denied by access rule ${i}`) : undefined;
  return { conditions, deny };
}

class AccessRules implements Stage {
  readonly name = 'access_rules';

  constructor(
    private readonly rules: readonly CompiledRule[],
    /** undefined when the default is allow. */
    private readonly defaultDeny: Verdict | undefined,
  ) {}

  run(ctx: RequestContext): StageResult {
    const rules = this.rules;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i] as CompiledRule;
      if (allMatch(rule.conditions, ctx)) return rule.deny;
    }
    return this.defaultDeny;
  }
}

function allMatch(conditions: readonly Condition[], ctx: RequestContext): boolean {
  for (let j = 0; j < conditions.length; j++) if (!(conditions[j] as Condition)(ctx)) return false;
  return true;
}

export const accessRulesStage: StageFactory = {
  name: 'access_rules',
  description:
    'Ordered allow/deny rules on client CIDR (IPv4/IPv6), method, path and header; first match wins, else the default. Allow does not skip later stages.',
  create(route: RouteConfig, _deps: StageDeps): Stage {
    const cfg = route.access_rules ?? { default: 'allow' as const, rules: [] };
    const rules = cfg.rules.map(compileRule);
    const defaultDeny = cfg.default === 'deny' ? denyVerdict(403, 'no access rule allows this request') : undefined;
    return new AccessRules(rules, defaultDeny);
  },
};
