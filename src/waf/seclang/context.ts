// Loader state shared by the directive handlers, and the helpers that turn parse problems into
// located issues.

import type { EngineSettings, Rule } from '../rule.js';
import type { ParsedActions } from './actions.js';
import { ArgSyntaxError, type SecLangIssue } from './errors.js';
import { type Directive, type DirectiveArg, lineOf } from './lexer.js';

/** A problem at a known line of the directive's file; handlers throw it, the loader records it. */
export class DirectiveIssue extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export interface PendingChain {
  head: Rule;
  tail: Rule;
  /** A link failed to load: the chain is discarded when it ends. */
  broken: boolean;
}

export interface LoadState {
  settings: EngineSettings;
  /** SecResponseBodyMimeType replaces the built-in list the first time it is used, then adds. */
  mimeTypesSet: boolean;
  phases: Rule[][];
  byId: Map<number, Rule>;
  files: string[];
  /** SecDefaultAction in force, by phase (index 1..5). */
  defaults: (ParsedActions | undefined)[];
  chain?: PendingChain;
  issues: SecLangIssue[];
  /** Line of each rule's operator argument (for operator compile errors). */
  operatorLines: WeakMap<Rule, number>;
  /** Loads a file named by Include (path already resolved). */
  include(path: string, optional: boolean, d: Directive): void;
}

export type DirectiveHandler = (state: LoadState, d: Directive) => void;

/** Runs a parser on an argument, relocating its ArgSyntaxError to the physical line it points at. */
export function withArg<T>(arg: DirectiveArg, parse: (value: string) => T): T {
  try {
    return parse(arg.value);
  } catch (e) {
    if (e instanceof ArgSyntaxError) throw new DirectiveIssue(e.message, lineOf(arg, e.offset));
    throw e;
  }
}

export function expectArgs(d: Directive, min: number, max: number): void {
  const n = d.args.length;
  if (n >= min && n <= max) return;
  const want = min === max ? `${min}` : max === Number.POSITIVE_INFINITY ? `at least ${min}` : `${min} to ${max}`;
  throw new DirectiveIssue(`${d.name} takes ${want} argument${want === '1' ? '' : 's'}, got ${n}`, d.line);
}

export function arg(d: Directive, index: number): DirectiveArg {
  const a = d.args[index];
  if (!a) throw new DirectiveIssue(`${d.name}: missing argument ${index + 1}`, d.line);
  return a;
}

/** Every rule that is a chain head / SecAction / marker, once (markers sit in every phase). */
export function* allRules(state: LoadState): Iterable<Rule> {
  const seen = new Set<Rule>();
  for (let p = 1; p <= 5; p++) {
    for (const r of state.phases[p] ?? []) {
      if (seen.has(r)) continue;
      seen.add(r);
      yield r;
    }
  }
}

/** Removes chain heads/SecActions matching `pred` from every phase and from byId. */
export function removeRules(state: LoadState, pred: (r: Rule) => boolean): number {
  let removed = 0;
  for (let p = 1; p <= 5; p++) {
    const list = state.phases[p] ?? [];
    const kept = list.filter((r) => r.kind === 'marker' || !pred(r));
    removed += list.length - kept.length;
    state.phases[p] = kept;
  }
  for (const [id, r] of state.byId) if (r.kind !== 'marker' && pred(r)) state.byId.delete(id);
  return removed;
}

export interface IdMatcher {
  (id: number | undefined): boolean;
  /** The ids when no range was given (lets callers look rules up instead of scanning). */
  singles?: number[];
}

/** Parses `1 2 9000-9010` / `1,2` into a predicate on rule ids. */
export function idMatcher(d: Directive, args: DirectiveArg[]): IdMatcher {
  const singles = new Set<number>();
  const ranges: [number, number][] = [];
  for (const a of args) {
    for (const tok of a.value.split(/[\s,]+/)) {
      if (tok === '') continue;
      const m = /^(\d+)(?:-(\d+))?$/.exec(tok);
      if (!m) throw new DirectiveIssue(`${d.name}: invalid rule id or range '${tok}'`, a.line);
      const lo = Number(m[1]);
      if (m[2] === undefined) singles.add(lo);
      else {
        const hi = Number(m[2]);
        if (hi < lo) throw new DirectiveIssue(`${d.name}: empty id range '${tok}'`, a.line);
        ranges.push([lo, hi]);
      }
    }
  }
  if (singles.size === 0 && ranges.length === 0) throw new DirectiveIssue(`${d.name}: no rule ids given`, d.line);
  const m: IdMatcher = (id) => id !== undefined && (singles.has(id) || ranges.some(([lo, hi]) => id >= lo && id <= hi));
  if (ranges.length === 0) m.singles = [...singles];
  return m;
}
