// loadRuleSet: reads SecLang configuration (files, Include trees, or text) into a RuleSet.
// Directives run in configuration order; removals and updates act on the rules loaded before them
// (ctl actions are runtime and left to the engine). Problems are collected with file:line and
// reported together as one SecLangError. File contents are read as bytes (latin1), so operator
// parameters, keys and messages are byte strings like the values the engine inspects.

import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { getOperator, OperatorError } from '../operators/registry.js';
import type { EngineSettings, Rule, RuleSet } from '../rule.js';
import { type DirectiveHandler, DirectiveIssue, expectArgs, type LoadState, allRules, arg } from './context.js';
import { ArgSyntaxError, SecLangError, type SecLangIssue } from './errors.js';
import { expandInclude, hasWildcard } from './include.js';
import { type Directive, lexSecLang } from './lexer.js';
import { NOT_IN_CHAIN, RULE_HANDLERS } from './rule-directives.js';
import { RECORDED_HANDLERS, REFUSED, SETTINGS_HANDLERS, defaultSettings } from './settings.js';

export type RuleSetEntry = { files: string[] } | { text: string; file: string };

export interface LoadOptions {
  /** Settings in force before the first directive (defaults: DEFAULT_SETTINGS). */
  settings?: Partial<EngineSettings>;
  /**
   * Compile every rule's operator while loading, so invalid parameters (a bad regex, a missing
   * data file) fail the load with file:line; the result is kept in rule.operator.compiled.
   * Default true; operators not in the registry are left uncompiled.
   */
  compileOperators?: boolean;
  /** Stop after this many problems (default 100). */
  maxErrors?: number;
  /** Directory that relative entry paths are read against (default: the process's cwd). */
  baseDir?: string;
}

const MAX_INCLUDE_DEPTH = 32;

class TooManyErrors extends Error {}

const include =
  (optional: boolean): DirectiveHandler =>
  (s, d) => {
    expectArgs(d, 1, 1);
    s.include(arg(d, 0).value, optional, d);
  };

const HANDLERS = new Map<string, DirectiveHandler>(
  Object.entries({
    ...SETTINGS_HANDLERS,
    ...RECORDED_HANDLERS,
    ...RULE_HANDLERS,
    Include: include(false),
    IncludeOptional: include(true),
  }).map(([name, h]) => [name.toLowerCase(), h]),
);
const REFUSED_BY_LOWER = new Map(Object.entries(REFUSED).map(([k, v]) => [k.toLowerCase(), v]));

/** Text given by the caller is Unicode: it is read as its UTF-8 bytes, like a file would be. */
function toByteString(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the range bound is intended
  return /[^\u0000-\u007f]/.test(text) ? Buffer.from(text, 'utf8').toString('latin1') : text;
}

/** Reads an operator data file (@pmFromFile & co) relative to the rule file's directory. */
function readDataFile(dir: string, name: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) throw new OperatorError(`remote data files are not supported: ${name}`);
  const path = isAbsolute(name) ? name : join(dir, name);
  try {
    return readFileSync(path).toString('latin1');
  } catch (e) {
    throw new OperatorError(`cannot read data file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function loadRuleSet(entry: RuleSetEntry, opts: LoadOptions = {}): RuleSet {
  const baseDir = opts.baseDir ?? process.cwd();
  const maxErrors = opts.maxErrors ?? 100;
  const stack: string[] = [];
  const issues: SecLangIssue[] = [];

  const report = (issue: SecLangIssue) => {
    issues.push(issue);
    if (issues.length >= maxErrors) throw new TooManyErrors();
  };

  const state: LoadState = {
    settings: defaultSettings(opts.settings),
    mimeTypesSet: false,
    phases: [[], [], [], [], [], []],
    byId: new Map(),
    files: [],
    defaults: [],
    issues,
    operatorLines: new WeakMap(),
    include(path, optional, d) {
      const base = dirname(d.file);
      const written = isAbsolute(path) ? path : join(base, path);
      const files = expandInclude(written, baseDir);
      if (files.length === 0 && hasWildcard(path)) {
        if (!optional) report({ file: d.file, line: d.line, message: `${d.name}: no files match ${path}` });
        return;
      }
      for (const f of files) loadFile(f, optional ? undefined : d, optional);
    },
  };

  const runText = (text: string, file: string) => {
    const lexed = lexSecLang(text, file);
    for (const i of lexed.issues) report(i);
    for (const d of lexed.directives) runDirective(d);
  };

  const runDirective = (d: Directive) => {
    const lower = d.name.toLowerCase();
    const handler = HANDLERS.get(lower);
    if (!handler) {
      report({ file: d.file, line: d.line, message: REFUSED_BY_LOWER.get(lower) ?? `unknown directive ${d.name}` });
      return;
    }
    if (state.chain && NOT_IN_CHAIN.has(lower)) {
      const h = state.chain.head.loc;
      report({
        file: d.file,
        line: d.line,
        message: `${d.name} cannot stand inside a chain (rule at ${h.file}:${h.line} has chain)`,
      });
      state.chain = undefined;
    }
    const before = issues.length;
    try {
      handler(state, d);
    } catch (e) {
      if (e instanceof DirectiveIssue) report({ file: d.file, line: e.line, message: e.message });
      else if (e instanceof ArgSyntaxError) report({ file: d.file, line: d.line, message: e.message });
      else throw e;
    }
    // Handlers may push issues directly; enforce the cap for those too.
    if (issues.length > before && issues.length >= maxErrors) throw new TooManyErrors();
  };

  const loadFile = (path: string, from: Directive | undefined, optional = false) => {
    const abs = resolve(baseDir, path);
    const where = from ? { file: from.file, line: from.line } : { file: path, line: 0 };
    if (stack.includes(abs)) {
      report({ ...where, message: `Include cycle: ${path} is already being loaded` });
      return;
    }
    if (stack.length >= MAX_INCLUDE_DEPTH) {
      report({ ...where, message: `Include nested deeper than ${MAX_INCLUDE_DEPTH} levels` });
      return;
    }
    let text: string;
    try {
      text = readFileSync(abs).toString('latin1');
    } catch (e) {
      if (optional) return;
      report({ ...where, message: `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      return;
    }
    state.files.push(path);
    stack.push(abs);
    try {
      runText(text, path);
    } finally {
      stack.pop();
    }
  };

  try {
    if ('files' in entry) {
      for (const f of entry.files) {
        const expanded = expandInclude(f, baseDir);
        if (expanded.length === 0) report({ file: f, line: 0, message: `no files match ${f}` });
        for (const p of expanded) loadFile(p, undefined);
      }
    } else {
      state.files.push(entry.file);
      runText(toByteString(entry.text), entry.file);
    }
    if (state.chain) {
      const h = state.chain.head.loc;
      report({ file: h.file, line: h.line, message: 'the last rule has chain but no rule follows it' });
      state.chain = undefined;
    }
    if (opts.compileOperators !== false) compileOperators(state, baseDir, report);
  } catch (e) {
    if (!(e instanceof TooManyErrors)) throw e;
  }
  if (issues.length > 0) throw new SecLangError(issues);
  return { settings: state.settings, phases: state.phases, byId: state.byId, files: state.files };
}

function compileOperators(state: LoadState, baseDir: string, report: (i: SecLangIssue) => void): void {
  for (const head of allRules(state)) {
    for (let r: Rule | undefined = head; r; r = r.chain) {
      const op = r.operator;
      if (!op) continue;
      const line = state.operatorLines.get(r) ?? r.loc.line;
      const def = getOperator(op.name);
      if (!def) continue; // a reference operator not registered yet: the engine decides

      const dir = dirname(resolve(baseDir, r.loc.file));
      try {
        op.compiled = def.create(op.param, { readFile: (name) => readDataFile(dir, name) });
      } catch (e) {
        report({ file: r.loc.file, line, message: `@${op.name}: ${(e as Error).message}` });
      }
    }
  }
}
