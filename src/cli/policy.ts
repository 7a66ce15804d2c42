// `shieldx policy eval|test|check|fmt`: OPA's command-line workflow for Rego policies, with OPA's
// output shapes and exit codes. The Rego engine is imported on demand so other commands stay light.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import type { TestResult, TestRun } from '../rego/tester.js';

/** An error already explained to the user: print it, exit with `code`. */
class CliError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

const collect = (v: string, prev: string[]) => [...prev, v];

function regex(v: string): RegExp {
  try {
    return new RegExp(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/** Runs an action; expected failures become a message and an exit code, never a stack trace. */
function action<A extends unknown[]>(fn: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      process.exitCode = await fn(...args);
    } catch (e) {
      const lines = await errorLines(e);
      process.stderr.write(lines.map((l) => `${l}\n`).join(''));
      process.exitCode = e instanceof CliError ? e.code : 1;
    }
  };
}

/** `file:row:col: code: message` for Rego errors; the message for anything else. */
async function errorLines(e: unknown): Promise<string[]> {
  const { RegoError, RegoErrors } = await import('../rego/errors.js');
  const one = (x: InstanceType<typeof RegoError>) =>
    x.location
      ? `${x.location.file || '<query>'}:${x.location.row}:${x.location.col}: ${x.code}: ${x.message}`
      : `${x.code}: ${x.message}`;
  if (e instanceof RegoErrors) return e.errors.map(one);
  if (e instanceof RegoError) return [one(e)];
  return [`shieldx: ${e instanceof Error ? e.message : String(e)}`];
}

/** Loads policies and data; file names are kept as the user wrote them (relative to the working
 *  directory), so errors, test locations and coverage name them that way. */
async function load(paths: string[]) {
  const { loadPolicies, PolicyLoadError } = await import('../rego/loader.js');
  try {
    const loaded = loadPolicies(paths);
    return { ...loaded, modules: loaded.modules.map((m) => ({ file: displayPath(m.file), text: m.text })) };
  } catch (e) {
    if (e instanceof PolicyLoadError && e.message.startsWith(`${e.file}: `)) {
      let text = '';
      try {
        text = readFileSync(e.file, 'utf8');
      } catch {}
      throw new CliError(`${displayPath(e.file)}: ${withLine(e.message.slice(e.file.length + 2), text)}`);
    }
    throw e;
  }
}

function readStructured(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(
      `${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`,
    );
  }
  try {
    return /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new CliError(`${file}: invalid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${withLine((e as Error).message, text)}`);
  }
}

/** JSON.parse reports an offset; people want a line. */
function withLine(message: string, text: string): string {
  const m = /at position (\d+)/.exec(message);
  if (!m || !text) return message;
  const before = text.slice(0, Number(m[1]));
  return `${message} (line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')})`;
}

export function registerPolicyCommands(program: Command): void {
  const policy = program.command('policy').description('Rego policy tools (OPA-compatible eval, test, check, fmt)');

  policy
    .command('eval')
    .description('evaluate a Rego query against policies and data')
    .argument('<query>', 'Rego query, e.g. data.shieldx.decision')
    .option('-d, --data <path>', 'policy or data file or directory (repeatable)', collect, [])
    .option('-i, --input <file>', 'input document (JSON or YAML)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['json', 'pretty']).default('json'))
    .action(action((query: string, o: { data: string[]; input?: string; format: string }) => evalCommand(query, o)));

  policy
    .command('test')
    .description('run test_ rules (exit 2 when a test fails)')
    .argument('<paths...>', 'policy and data files or directories')
    .option('-r, --run <regex>', 'only tests whose name (data.pkg.test_x) matches', regex)
    .option('-v, --verbose', 'print every test')
    .option('-c, --coverage', 'print a JSON coverage report')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json']).default('pretty'))
    .action(action((paths: string[], o: TestFlags) => testCommand(paths, o)));

  policy
    .command('check')
    .description('parse and compile policies; print errors as file:row:col: code: message')
    .argument('<paths...>', 'policy files or directories')
    .action(action((paths: string[]) => checkCommand(paths)));

  policy
    .command('fmt')
    .description('format Rego files in the canonical style (prints the result by default)')
    .argument('<paths...>', 'policy files or directories')
    .option('-d, --diff', 'print a unified diff instead (exit 1 when a file would change)')
    .option('-w, --write', 'rewrite the files in place')
    .option('-l, --list', 'list the files whose formatting differs (exit 1 when any does)')
    .action(action((paths: string[], o: FmtFlags) => fmtCommand(paths, o)));
}

// ---- eval ----

async function evalCommand(query: string, o: { data: string[]; input?: string; format: string }): Promise<number> {
  const loaded = await load(o.data);
  const input = o.input === undefined ? undefined : readStructured(o.input);
  const { prepare, fromJSON, toJSON } = await import('../rego/index.js');
  const { evalQuery } = await import('../rego/query-values.js');
  const prepared = prepare(loaded.modules, { data: loaded.data });
  const rows = evalQuery(prepared, query, input === undefined ? undefined : fromJSON(input));
  const result = rows.map((r) => {
    const expressions = r.expressions.map((x) => ({ value: toJSON(x.value), text: x.text, location: x.location }));
    const bindings = Object.fromEntries(Object.entries(r.bindings).map(([k, v]) => [k, toJSON(v)]));
    return Object.keys(bindings).length > 0 ? { expressions, bindings } : { expressions };
  });
  if (o.format === 'pretty') process.stdout.write(prettyEval(result));
  else process.stdout.write(`${JSON.stringify(result.length > 0 ? { result } : {}, null, 2)}\n`);
  return 0;
}

type EvalResult = { expressions: { value: unknown; text: string }[]; bindings?: Record<string, unknown> }[];

function prettyEval(result: EvalResult): string {
  if (result.length === 0) return 'undefined\n';
  if (result.every((r) => !r.bindings && r.expressions.length === 1)) {
    return result.map((r) => `${JSON.stringify(r.expressions[0]?.value, null, 2)}\n`).join('');
  }
  // A table: one column per binding, then one per expression whose value is not plain `true`.
  const vars = [...new Set(result.flatMap((r) => Object.keys(r.bindings ?? {})))];
  const exprCols = (result[0]?.expressions ?? [])
    .map((x, i) => ({ x, i }))
    .filter(({ i }) => result.some((r) => r.expressions[i]?.value !== true));
  const header = [...vars, ...exprCols.map(({ x }) => x.text)];
  const rows = result.map((r) => [
    ...vars.map((v) => JSON.stringify(r.bindings?.[v])),
    ...exprCols.map(({ i }) => JSON.stringify(r.expressions[i]?.value)),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? '').length)));
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+\n`;
  const line = (cells: string[]) => `|${cells.map((s, c) => ` ${s.padEnd(widths[c] ?? 0)} `).join('|')}|\n`;
  return rule + line(header) + rule + rows.map(line).join('') + rule;
}

// ---- test ----

interface TestFlags {
  run?: RegExp;
  verbose?: boolean;
  coverage?: boolean;
  format: string;
}

async function testCommand(paths: string[], o: TestFlags): Promise<number> {
  const loaded = await load(paths);
  const { runTests } = await import('../rego/tester.js');
  const run: TestRun = runTests(loaded.modules, { data: loaded.data, run: o.run, coverage: o.coverage });
  const failed = run.results.some((r) => r.outcome === 'FAIL' || r.outcome === 'ERROR');
  if (run.results.length === 0) {
    process.stderr.write('no tests found\n');
    return 0;
  }
  if (o.coverage && !failed) {
    process.stdout.write(`${JSON.stringify(run.coverage, null, 2)}\n`);
    return 0;
  }
  if (o.format === 'json') process.stdout.write(`${JSON.stringify(run.results.map(jsonResult), null, 2)}\n`);
  else process.stdout.write(prettyTests(run.results, o.verbose === true));
  return failed ? 2 : 0;
}

/** OPA's JSON test result. */
function jsonResult(r: TestResult) {
  return {
    location: r.location,
    package: r.package,
    name: r.name,
    ...(r.outcome === 'FAIL' ? { fail: true } : {}),
    ...(r.outcome === 'SKIPPED' ? { skip: true } : {}),
    ...(r.error ? { error: r.error } : {}),
    ...(r.output.length > 0 ? { output: Buffer.from(r.output.map((l) => `${l}\n`).join('')).toString('base64') } : {}),
    duration: r.durationNs,
  };
}

/** Go's time.Duration formatting, as `opa test` prints durations. */
export function goDuration(ns: number): string {
  const trim = (n: number, digits: number) => n.toFixed(digits).replace(/\.?0+$/, '');
  if (ns < 1e3) return `${Math.round(ns)}ns`;
  if (ns < 1e6) return `${trim(ns / 1e3, 3)}µs`;
  if (ns < 1e9) return `${trim(ns / 1e6, 6)}ms`;
  return `${trim(ns / 1e9, 9)}s`;
}

function prettyTests(results: TestResult[], verbose: boolean): string {
  const hl = `${'-'.repeat(80)}\n`;
  const rel = displayPath;
  const line = (r: TestResult) => `${r.package}.${r.name}: ${r.outcome} (${goDuration(r.durationNs)})\n`;
  const detail = (r: TestResult): string => {
    let s = '';
    const where = `${rel(r.location.file)}:${r.location.row}`;
    if (r.outcome === 'FAIL')
      s += `  ${where}: ${r.value === undefined ? 'test is undefined' : `test is ${JSON.stringify(r.value)}`}\n`;
    if (r.outcome === 'ERROR' && r.error) {
      const l = r.error.location;
      s += `  ${l ? `${rel(l.file)}:${l.row}: ` : `${where}: `}${r.error.code}: ${r.error.message}\n`;
    }
    if (r.output.length > 0 && (verbose || r.outcome !== 'PASS')) s += `\n${r.output.map((l) => `  ${l}\n`).join('')}\n`;
    return s;
  };
  let out = '';
  const count = (o: TestResult['outcome']) => results.filter((r) => r.outcome === o).length;
  if (verbose && count('FAIL') > 0) {
    out += `FAILURES\n${hl}`;
    for (const r of results.filter((x) => x.outcome === 'FAIL')) out += `${`${line(r)}${detail(r)}`.replace(/\n+$/, '')}\n\n`;
    out += `SUMMARY\n${hl}`;
  }
  let lastFile = '';
  let dirty = false;
  for (const r of results) {
    if (!verbose && (r.outcome === 'PASS' || r.outcome === 'SKIPPED')) continue;
    if (r.location.file !== lastFile) {
      if (lastFile) out += '\n';
      out += `${rel(r.location.file)}:\n`;
      lastFile = r.location.file;
    }
    out += line(r) + detail(r);
    dirty = true;
  }
  if (dirty) out += hl;
  const total = results.length;
  for (const [o, label] of [
    ['PASS', 'PASS'],
    ['FAIL', 'FAIL'],
    ['SKIPPED', 'SKIPPED'],
    ['ERROR', 'ERROR'],
  ] as const) {
    const n = count(o);
    if (n > 0) out += `${label}: ${n}/${total}\n`;
  }
  return out;
}

/** Paths as the user gave them: relative to the working directory when below it. */
function displayPath(file: string): string {
  const r = path.relative(process.cwd(), file);
  return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : file;
}

// ---- check ----

async function checkCommand(paths: string[]): Promise<number> {
  const files = regoFiles(paths);
  const { parseModule } = await import('../rego/parser.js');
  const { prepare } = await import('../rego/index.js');
  const lines: string[] = [];
  const modules: { file: string; text: string }[] = [];
  for (const file of files) {
    const text = readText(file);
    try {
      parseModule(text, file);
      modules.push({ file, text });
    } catch (e) {
      lines.push(...(await errorLines(e)));
    }
  }
  if (lines.length === 0) {
    try {
      prepare(modules, { data: {} });
    } catch (e) {
      lines.push(...(await errorLines(e)));
    }
  }
  if (lines.length === 0) return 0;
  process.stderr.write(lines.map((l) => `${l}\n`).join(''));
  return 1;
}

// ---- fmt ----

interface FmtFlags {
  diff?: boolean;
  write?: boolean;
  list?: boolean;
}

async function fmtCommand(paths: string[], o: FmtFlags): Promise<number> {
  const { formatSource } = await import('../rego/format.js');
  let changed = false;
  let failed = false;
  for (const file of regoFiles(paths)) {
    const text = readText(file);
    let formatted: string;
    try {
      formatted = formatSource(text, file);
    } catch (e) {
      process.stderr.write((await errorLines(e)).map((l) => `${l}\n`).join(''));
      failed = true;
      continue;
    }
    const differs = formatted !== text;
    changed ||= differs;
    if (o.list && differs) process.stdout.write(`${file}\n`);
    if (o.diff && differs) process.stdout.write(unifiedDiff(text, formatted, file));
    if (o.write && differs) writeFileSync(file, formatted);
    if (!o.list && !o.diff && !o.write) process.stdout.write(formatted);
  }
  if (failed) return 1;
  return changed && (o.diff || o.list) ? 1 : 0;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`${file}: ${(e as Error).message}`);
  }
}

/** `.rego` files under the given paths (directories recursively, sorted). */
function regoFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string, top: boolean): void => {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(p);
    } catch {
      throw new CliError(`${p}: no such file or directory`);
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) if (!name.startsWith('.')) walk(path.join(p, name), false);
    } else if (top || p.endsWith('.rego')) out.push(p);
  };
  for (const p of paths) walk(p, true);
  return out;
}

/** A unified diff (3 lines of context) between two texts. */
export function unifiedDiff(a: string, b: string, file: string): string {
  const lines = (s: string) => (s.endsWith('\n') ? s.slice(0, -1) : s).split('\n');
  const x = lines(a);
  const y = lines(b);
  const ops = diffLines(x, y);
  const out: string[] = [`--- ${file}`, `+++ ${file} (formatted)`];
  const CONTEXT = 3;
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i]?.op === ' ') i++;
    if (i >= ops.length) break;
    const start = Math.max(0, i - CONTEXT);
    let end = i;
    // Extend the hunk while changes are within 2*CONTEXT lines of each other.
    for (;;) {
      while (end < ops.length && ops[end]?.op !== ' ') end++;
      let k = end;
      while (k < ops.length && ops[k]?.op === ' ' && k - end < 2 * CONTEXT + 1) k++;
      if (k < ops.length && ops[k]?.op !== ' ' && k - end <= 2 * CONTEXT) end = k;
      else break;
    }
    const stop = Math.min(ops.length, end + CONTEXT);
    const hunk = ops.slice(start, stop);
    const first = ops[start] as DiffOp;
    const aLen = hunk.filter((h) => h.op !== '+').length;
    const bLen = hunk.filter((h) => h.op !== '-').length;
    out.push(`@@ -${first.ai + (aLen ? 1 : 0)},${aLen} +${first.bi + (bLen ? 1 : 0)},${bLen} @@`);
    for (const h of hunk) out.push(`${h.op}${h.text}`);
    i = stop;
  }
  return `${out.join('\n')}\n`;
}

interface DiffOp {
  op: ' ' | '-' | '+';
  text: string;
  /** Lines of a and b before this one. */
  ai: number;
  bi: number;
}

/** Line diff by longest common subsequence (common prefix and suffix trimmed first). */
function diffLines(x: string[], y: string[]): DiffOp[] {
  let pre = 0;
  while (pre < x.length && pre < y.length && x[pre] === y[pre]) pre++;
  let suf = 0;
  while (suf < x.length - pre && suf < y.length - pre && x[x.length - 1 - suf] === y[y.length - 1 - suf]) suf++;
  const xs = x.slice(pre, x.length - suf);
  const ys = y.slice(pre, y.length - suf);
  const mid: ('=' | '-' | '+')[] = [];
  if (xs.length * ys.length > 25_000_000) {
    for (const _ of xs) mid.push('-');
    for (const _ of ys) mid.push('+');
  } else {
    const n = xs.length;
    const m = ys.length;
    const L = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        L[i * (m + 1) + j] =
          xs[i] === ys[j]
            ? (L[(i + 1) * (m + 1) + j + 1] as number) + 1
            : Math.max(L[(i + 1) * (m + 1) + j] as number, L[i * (m + 1) + j + 1] as number);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && xs[i] === ys[j]) {
        mid.push('=');
        i++;
        j++;
      } else if (i < n && (j >= m || (L[(i + 1) * (m + 1) + j] as number) >= (L[i * (m + 1) + j + 1] as number))) {
        mid.push('-');
        i++;
      } else {
        mid.push('+');
        j++;
      }
    }
  }
  const ops: DiffOp[] = [];
  let ai = 0;
  let bi = 0;
  const push = (op: DiffOp['op']) => {
    ops.push({ op, text: op === '+' ? (y[bi] as string) : (x[ai] as string), ai, bi });
    if (op !== '+') ai++;
    if (op !== '-') bi++;
  };
  for (let k = 0; k < pre; k++) push(' ');
  for (const o of mid) push(o === '=' ? ' ' : o);
  for (let k = 0; k < suf; k++) push(' ');
  return ops;
}
