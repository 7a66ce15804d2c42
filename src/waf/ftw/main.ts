// CLI: the CRS go-ftw regression suite against the ShieldX WAF engine (`npm run waf:ftw`).
//   node dist/src/waf/ftw/main.js [DIR] [--rules CRSDIR] [--overrides FILE | --no-overrides]
//        [--list-passing FILE] [--include REGEX] [--exclude REGEX] [--verbose]
// DIR defaults to CRSDIR/regression/tests, CRSDIR to ../shared/corpora/crs next to the repository,
// the overrides to src/waf/ftw/shieldx-overrides.yaml. Prints pass counts per rule family, the most
// frequent failure causes, and ends with `N passed, N failed`. Exit status 1 when a test failed.

import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { goRegex } from './go-regex.js';
import { formatFailure, formatSummary, passingIds } from './report.js';
import { DEFAULT_CRS, SHIELDX_OVERRIDES } from './paths.js';
import { runSuite } from './suite.js';

const USAGE =
  'usage: main.js [DIR] [--rules CRSDIR] [--overrides FILE | --no-overrides] [--list-passing FILE] [--include REGEX] [--exclude REGEX] [--verbose]';

interface Args {
  dir?: string;
  rules: string;
  overrides?: string;
  listPassing?: string;
  include?: string;
  exclude?: string;
  verbose: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { rules: DEFAULT_CRS, overrides: SHIELDX_OVERRIDES, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    if (arg === '--rules') a.rules = resolve(value());
    else if (arg === '--overrides') a.overrides = resolve(value());
    else if (arg === '--no-overrides') a.overrides = undefined;
    else if (arg === '--list-passing') a.listPassing = resolve(value());
    else if (arg === '--include' || arg === '-i') a.include = value();
    else if (arg === '--exclude' || arg === '-e') a.exclude = value();
    else if (arg === '--verbose' || arg === '-v') a.verbose = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}\n${USAGE}`);
    else if (a.dir === undefined) a.dir = resolve(arg);
    else throw new Error(`unexpected argument ${arg}\n${USAGE}`);
  }
  return a;
}

async function main(): Promise<number> {
  const a = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const run = await runSuite({
    testsDir: a.dir ?? join(a.rules, 'regression', 'tests'),
    crsDir: a.rules,
    overrides: a.overrides,
    include: a.include !== undefined ? goRegex(a.include) : undefined,
    exclude: a.exclude !== undefined ? goRegex(a.exclude) : undefined,
  });
  for (const e of run.loadErrors) console.log(`cannot load ${e.message}`);
  if (!run.crs.operatorTable)
    console.log('note: src/waf/operators/index.ts is missing; only operators registered elsewhere are available');
  if (run.crs.disabled.length > 0) {
    const reasons = new Map<string, number[]>();
    for (const d of run.crs.disabled) reasons.set(d.reason, [...(reasons.get(d.reason) ?? []), d.id]);
    console.log(`${run.crs.disabled.length} rules disabled because the engine cannot run them:`);
    for (const [why, ids] of [...reasons].sort((x, y) => y[1].length - x[1].length)) {
      console.log(`  ${String(ids.length).padStart(4)}  ${why}: ${ids.slice(0, 12).join(' ')}${ids.length > 12 ? ' ...' : ''}`);
    }
  }
  if (run.crs.unknownVariables.size > 0) {
    console.log(`variables the engine does not know: ${[...run.crs.unknownVariables].map(([n, c]) => `${n} (${c})`).join(', ')}`);
  }
  if (a.verbose) for (const r of run.results) if (!r.pass) console.log(formatFailure(r, true));
  console.log(formatSummary(run.results, true));
  const overridden = run.results.filter((r) => r.overridden).length;
  if (overridden > 0) console.log(`${overridden} tests ran with expectations from ${a.overrides}`);
  if (a.listPassing) {
    const ids = passingIds(run.results);
    writeFileSync(a.listPassing, ids.length > 0 ? `${ids.join('\n')}\n` : '');
    console.log(`wrote ${ids.length} passing test ids to ${a.listPassing}`);
  }
  const passed = run.results.filter((r) => r.pass).length;
  const failed = run.results.length - passed;
  console.log(`time ${((Date.now() - started) / 1000).toFixed(1)}s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 || run.loadErrors.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 2;
  },
);
