// Runs Rego unit tests the way `opa test` does: every rule named `test_*` (in any package) is a test;
// it passes when its value is defined and not false. `todo_test_*` rules are skipped. Optionally
// records which lines of the modules the tests evaluated (OPA's coverage report).
import type { Body, Expr, Module, Rule, Term } from './ast.js';
import { compileModules } from './compile/compiler.js';
import { type Location, RegoError, RegoErrors } from './errors.js';
import { type PolicyModule, type PrepareOptions, PreparedPolicy, prepare } from './index.js';
import { parseModule } from './parser.js';
import type { Value } from './value.js';

export type TestOutcome = 'PASS' | 'FAIL' | 'ERROR' | 'SKIPPED';

export interface TestResult {
  /** `data.pkg` */
  package: string;
  /** `test_x` */
  name: string;
  location: Location;
  outcome: TestOutcome;
  durationNs: number;
  /** FAIL: the test's value (false), or undefined when the rule was undefined. */
  value?: Value;
  error?: { code: string; message: string; location?: Location };
  /** Lines the test printed with `print`. */
  output: string[];
}

export interface CoverageRange {
  start: { row: number };
  end: { row: number };
}

export interface FileCoverage {
  covered: CoverageRange[];
  not_covered: CoverageRange[];
  covered_lines: number;
  not_covered_lines: number;
  coverage: number;
}

/** The shape of `opa test --coverage`'s JSON report. */
export interface CoverageReport {
  files: Record<string, FileCoverage>;
  covered_lines: number;
  not_covered_lines: number;
  coverage: number;
}

export interface TestOptions {
  data?: unknown;
  /** Only tests whose full name (`data.pkg.test_x`) matches. */
  run?: RegExp;
  coverage?: boolean;
  strictBuiltinErrors?: boolean;
  limits?: PrepareOptions['limits'];
}

export interface TestRun {
  results: TestResult[];
  coverage?: CoverageReport;
}

/** Full name of a test, as OPA prints it. */
export function testName(r: Pick<TestResult, 'package' | 'name'>): string {
  return `${r.package}.${r.name}`;
}

/** Compiles the modules (throwing their RegoErrors) and runs the tests in them. */
export function runTests(modules: PolicyModule[], opts: TestOptions = {}): TestRun {
  let output: string[] = [];
  const popts: PrepareOptions = {
    data: opts.data ?? {},
    strictBuiltinErrors: opts.strictBuiltinErrors ?? false,
    limits: opts.limits,
    print: (line: string) => output.push(line),
  };
  const prepared = opts.coverage ? prepareInstrumented(modules, popts) : prepare(modules, popts);
  const hits = opts.coverage ? new Set<string>() : undefined;
  const results: TestResult[] = [];
  const seen = new Set<string>();
  const parsed = prepared.modules() as Module[];
  for (const m of parsed) {
    const pkg = ['data', ...m.package].map(pathPart).join('');
    for (const rule of m.rules) {
      const name = testRuleName(rule);
      if (name === undefined) continue;
      const full = `${pkg}.${name}`;
      if (seen.has(full) || (opts.run && !opts.run.test(full))) continue;
      seen.add(full);
      const base = { package: pkg, name, location: rule.head.loc };
      if (name.startsWith('todo_')) {
        results.push({ ...base, outcome: 'SKIPPED', durationNs: 0, output: [] });
        continue;
      }
      output = [];
      const t0 = process.hrtime.bigint();
      try {
        const value = prepared.evalPath([...m.package, name], undefined, { coverage: hits }) as Value | undefined;
        const durationNs = Number(process.hrtime.bigint() - t0);
        const pass = value !== undefined && value !== false;
        results.push({ ...base, outcome: pass ? 'PASS' : 'FAIL', durationNs, value, output });
      } catch (e) {
        const durationNs = Number(process.hrtime.bigint() - t0);
        results.push({ ...base, outcome: 'ERROR', durationNs, error: errorInfo(e), output });
      }
    }
  }
  return { results, coverage: hits ? coverageReport(parsed, hits) : undefined };
}

/** OPA counts a rule head as covered when the rule produces a value. The evaluator records the
 *  expressions it evaluates, so each rule body gets a last expression `true` located at the rule's
 *  head: it is evaluated exactly when everything before it succeeded. */
function prepareInstrumented(modules: PolicyModule[], opts: PrepareOptions): PreparedPolicy {
  const parsed: Module[] = [];
  const errs: RegoError[] = [];
  for (const m of modules) {
    try {
      parsed.push(parseModule(m.text, m.file));
    } catch (e) {
      if (e instanceof RegoErrors) errs.push(...e.errors);
      else throw e;
    }
  }
  if (errs.length > 0) throw new RegoErrors(errs);
  for (const m of parsed) {
    for (const rule of m.rules) {
      for (let r: Rule | null = rule; r; r = r.else) {
        const loc = r.head.loc;
        r.body = [...r.body, { kind: 'term', term: { type: 'boolean', value: true, loc }, negated: false, with: [], loc }];
      }
    }
  }
  let program: ReturnType<typeof compileModules>;
  try {
    program = compileModules(parsed);
  } catch (e) {
    if (e instanceof RangeError) throw new RegoError('eval_limit_error', 'evaluation exceeded the maximum depth');
    throw e;
  }
  return new PreparedPolicy(program, parsed, opts);
}

function pathPart(p: string, i: number): string {
  if (i === 0) return p;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`;
}

/** `test_x` / `todo_test_x` rules (not functions, not ref heads). */
function testRuleName(rule: Rule): string | undefined {
  const h = rule.head;
  if (h.args !== null || h.ref.length !== 1 || h.key !== null) return undefined;
  const v = h.ref[0];
  if (v?.type !== 'var') return undefined;
  return v.name.startsWith('test_') || v.name.startsWith('todo_test_') ? v.name : undefined;
}

function errorInfo(e: unknown): NonNullable<TestResult['error']> {
  if (e instanceof RegoError) return { code: e.code, message: e.message, location: e.location };
  const first = (e as { errors?: unknown[] }).errors?.[0];
  if (first instanceof RegoError) return { code: first.code, message: first.message, location: first.location };
  return { code: 'eval_internal_error', message: e instanceof Error ? e.message : String(e) };
}

// ---- coverage ----

/** Builds OPA's report: rows hit by evaluation are covered; rule heads and expressions (other than
 *  `some` declarations) on rows never hit are not covered. */
export function coverageReport(modules: Module[], hits: Set<string>): CoverageReport {
  const files: Record<string, FileCoverage> = {};
  let covered = 0;
  let notCovered = 0;
  for (const m of modules) {
    const hitRows = new Set<number>();
    const prefix = `${m.file}:`;
    for (const h of hits)
      if (h.startsWith(prefix) && /^\d+$/.test(h.slice(prefix.length))) hitRows.add(Number(h.slice(prefix.length)));
    const candidates = new Set<number>();
    for (const r of m.rules) ruleRows(r, candidates);
    const miss = [...candidates].filter((row) => !hitRows.has(row));
    const fc: FileCoverage = {
      covered: ranges([...hitRows]),
      not_covered: ranges(miss),
      covered_lines: hitRows.size,
      not_covered_lines: new Set(miss).size,
      coverage: 0,
    };
    const total = fc.covered_lines + fc.not_covered_lines;
    fc.coverage = total === 0 ? 0 : round2((100 * fc.covered_lines) / total);
    files[m.file] = fc;
    covered += fc.covered_lines;
    notCovered += fc.not_covered_lines;
  }
  const total = covered + notCovered;
  return {
    files,
    covered_lines: covered,
    not_covered_lines: notCovered,
    coverage: total === 0 ? 0 : round2((100 * covered) / total),
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Sorted rows → runs of consecutive rows. */
function ranges(rows: number[]): CoverageRange[] {
  const sorted = [...new Set(rows)].sort((a, b) => a - b);
  const out: CoverageRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && last.end.row === r - 1) last.end.row = r;
    else out.push({ start: { row: r }, end: { row: r } });
  }
  return out;
}

function ruleRows(r: Rule, out: Set<number>): void {
  out.add(r.head.loc.row);
  for (const t of [...r.head.ref, ...(r.head.args ?? []), r.head.key, r.head.value]) if (t) termRows(t, out);
  bodyRows(r.body, out);
  if (r.else) ruleRows(r.else, out);
}

function bodyRows(b: Body, out: Set<number>): void {
  for (const e of b) exprRows(e, out);
}

function exprRows(e: Expr, out: Set<number>): void {
  if (e.kind !== 'some') out.add(e.loc.row);
  switch (e.kind) {
    case 'term':
      termRows(e.term, out);
      break;
    case 'unify':
    case 'assign':
      termRows(e.left, out);
      termRows(e.right, out);
      break;
    case 'somein':
      termRows(e.collection, out);
      break;
    case 'every':
      termRows(e.domain, out);
      bodyRows(e.body, out);
      break;
  }
  for (const w of e.with) termRows(w.value, out);
}

/** Only comprehension bodies inside terms hold expressions. */
function termRows(t: Term, out: Set<number>): void {
  switch (t.type) {
    case 'arraycomp':
    case 'setcomp':
      termRows(t.term, out);
      bodyRows(t.body, out);
      break;
    case 'objectcomp':
      termRows(t.key, out);
      termRows(t.value, out);
      bodyRows(t.body, out);
      break;
    case 'array':
    case 'set':
      for (const x of t.items) termRows(x, out);
      break;
    case 'object':
      for (const [k, v] of t.items) {
        termRows(k, out);
        termRows(v, out);
      }
      break;
    case 'call':
      for (const x of t.args) termRows(x, out);
      break;
    case 'ref':
      termRows(t.head, out);
      for (const x of t.path) termRows(x, out);
      break;
    case 'template':
      for (const p of t.parts) if (typeof p !== 'string') 'kind' in p ? exprRows(p, out) : termRows(p, out);
      break;
  }
}
