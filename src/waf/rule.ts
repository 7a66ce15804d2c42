// The compiled rule model: what the SecLang parser produces and the engine runs.
// A chain is one Rule whose `chain` points at the next link; only the chain head carries the
// disruptive action, phase and metadata (as in ModSecurity).

import type { Operator } from './operators/registry.js';

export interface SourceLocation {
  file: string;
  line: number;
}

/** A variable selector: `ARGS`, `ARGS:id`, `ARGS:/^x/`, `&ARGS`, `!ARGS:id`, `XML:/*`. */
export interface VariableSelector {
  /** Upper-case collection or variable name: ARGS, REQUEST_HEADERS, TX, REQUEST_URI, XML, ... */
  name: string;
  /** Key selection: exact (case-insensitive for most collections) or regex; undefined = all. */
  key?: { kind: 'exact'; value: string } | { kind: 'regex'; source: string; re: RegExp };
  /** `&VAR`: the number of matching values instead of the values. */
  count: boolean;
  /** `!VAR:key`: removes matches from the rule's other selectors of the same name. */
  exclude: boolean;
}

export type SetvarOp = '=' | '+=' | '-=' | 'delete';

/** Actions after parsing; unknown action names fail the load. */
export interface RuleActions {
  id?: number;
  phase?: 1 | 2 | 3 | 4 | 5;
  msg?: string;
  logdata?: string;
  tags: string[];
  severity?: number;
  ver?: string;
  rev?: string;
  maturity?: number;
  accuracy?: number;
  capture: boolean;
  multiMatch: boolean;
  /** t:none resets the inherited list; the parser resolves it into this final list. */
  transformations: string[];
  setvars: { collection: string; key: string; op: SetvarOp; value: string }[];
  /** ctl:name=value, in order. */
  ctls: { name: string; value: string }[];
  skip?: number;
  skipAfter?: string;
  /** The disruptive action, if any (deny, drop, block, pass, allow, allow:phase, allow:request, redirect). */
  disruptive?: { kind: 'deny' | 'drop' | 'block' | 'pass' | 'allow' | 'redirect'; arg?: string };
  /**
   * What `block` does for this rule: the disruptive action of the SecDefaultAction in force for the
   * rule's phase where the rule was defined ({ kind: 'pass' } without one). Set on chain heads and
   * SecActions by the loader; the engine performs it when `disruptive.kind` is 'block'.
   */
  blockAction?: { kind: 'deny' | 'drop' | 'block' | 'pass' | 'allow' | 'redirect'; arg?: string };
  status?: number;
  redirect?: string;
  log?: boolean;
  auditlog?: boolean;
  initcol: { collection: string; key: string }[];
  expirevars: { collection: string; key: string; seconds: string }[];
  /** Other actions kept for introspection (e.g. 'sanitiseArg', 'exec' — refused at load if unsafe). */
  extra: { name: string; value?: string }[];
}

export interface Rule {
  kind: 'rule' | 'action' | 'marker';
  loc: SourceLocation;
  /** For SecRule: selectors in order. Empty for SecAction. */
  variables: VariableSelector[];
  /** Operator name without '@' ('rx' when the rule gives a bare pattern), its raw parameter, negation. */
  operator?: {
    name: string;
    param: string;
    negated: boolean;
    /** The operator compiled by the loader (LoadOptions.compileOperators), ready to evaluate. */
    compiled?: Operator;
  };
  actions: RuleActions;
  /** The next link of a chain (its own variables/operator/actions; no disruptive action or phase). */
  chain?: Rule;
  /** SecMarker name (kind 'marker'). */
  marker?: string;
}

export type EngineMode = 'On' | 'DetectionOnly' | 'Off';

/** Engine-wide settings from directives (SecRuleEngine, SecRequestBodyAccess, limits, ...). */
export interface EngineSettings {
  ruleEngine: EngineMode;
  requestBodyAccess: boolean;
  responseBodyAccess: boolean;
  requestBodyLimit: number;
  requestBodyNoFilesLimit: number;
  requestBodyLimitAction: 'Reject' | 'ProcessPartial';
  responseBodyLimit: number;
  responseBodyLimitAction: 'Reject' | 'ProcessPartial';
  responseBodyMimeTypes: string[];
  argumentsLimit: number;
  componentSignatures: string[];
  collectionTimeout: number;
  /** Anything else set by a known directive that the engine reads by name. */
  other: Record<string, string>;
}

/** A loaded rule set: rules by phase in file order after removals/updates were applied. */
export interface RuleSet {
  settings: EngineSettings;
  /** Rules (incl. markers) for phases 1..5; index 0 unused. */
  phases: Rule[][];
  /** Every rule id → rule, for introspection and exclusions. */
  byId: Map<number, Rule>;
  /** Files loaded, in order. */
  files: string[];
}
