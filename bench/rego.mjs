// bench/rego — ShieldX's Rego engine against the same gateway decision written by hand in plain
// JS/TypeScript and against Cedar (@cedar-policy/cedar-wasm), in one process. A script, not a test:
// it prints numbers. It insists only that the engines agree.
//
// The decision (bench/rego-lib/): role-based access for 1,000 users in data, 100 routes matched by
// method and path glob, the verified JWT claims checked (iss, aud membership, exp > now) and the
// client IP checked against an allow-list. The three policies are policy.rego, handwritten.mjs and
// policy.cedar, all written from routes.mjs. The inputs are 10,000 requests from a deterministic
// generator (generate.mjs, fixed seed) mixing allows and denies of every kind.
//
// Cedar runs two ways. `cedar`, the peer the targets compare with, calls statefulIsAuthorized on a
// policy set parsed once (preparsePolicySet), as ShieldX prepares its policy once. The basic
// isAuthorized call (`cedar-isauthorized`) takes the policy text in every request and parses all
// 103 policies each time; it is measured too, and judged too, but its milliseconds per call make
// it run on the first --isauthorized-inputs inputs only.
//
// Order of work:
//   1. agreement: every engine decides every input; all must give the same allow/deny (and no
//      engine may report an error). Any disagreement is a bench error: examples are printed and
//      nothing is timed (unless --measure-anyway).
//   2. timer overhead: back-to-back process.hrtime.bigint() pairs.
//   3. warm-up: --warmup passes over all inputs per engine, untimed.
//   4. --rounds rounds; in each, every engine (the order rotates by round) runs a throughput pass
//      (the bare loop over all inputs, timed as a whole: decisions/s) and a latency pass
//      (hrtime.bigint() around each call: p50, p99, mean, max). Reported: medians over rounds.
// Inputs are prebuilt before any timing. Per call, ShieldX converts the JSON input to Values inside
// evalPath, and the Cedar peer builds its request and the principal's entity slice (user + roles):
// both count, as they are part of using each engine.
//
// One core: the bench/rego wrapper runs this under `taskset -c 1` (BENCH_CPU=N picks another CPU,
// BENCH_CPU=none leaves placement to the kernel). All threads of the process (V8's GC and compiler
// threads too) share that core. CPU used by other processes during each engine's measurement is
// read from /proc and reported ("other load"); the load average is printed before and after.
//
// Settings (environment, or the equivalent flag):
//   BENCH_ROUNDS   --rounds    timed rounds (default 5)
//   BENCH_WARMUP   --warmup    untimed passes over all inputs per engine before the rounds (default 2)
//   BENCH_INPUTS   --inputs    number of inputs (default 10000, the benchmark's definition)
//   BENCH_SEED     --seed      generator seed (default 20240607)
//   BENCH_ENGINES  --engines   comma list among shieldx,shieldx-table,handwritten,cedar,cedar-isauthorized
//                              (default all; shieldx-table is a reference, not judged)
//   BENCH_ISAUTHORIZED_INPUTS --isauthorized-inputs   inputs cedar-isauthorized runs on (default 500)
//   BENCH_SOURCE   --source    dist (default: dist/src/rego, built with `npm run build` when older than
//                              src/rego) | src (src/rego through tsx, no build)
//   BENCH_BUILD    --build     auto (default) | never: do not run npm run build even when dist/ is stale
//   --check-only               stop after the agreement check
//   --measure-anyway           time the engines even when they disagree (exit status stays 1)
// Exit status: 0 measured and all targets met, 2 measured and a target missed, 1 could not run or
// the engines disagree (the message says why).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchError, log, ROOT, scriptHeader } from './lib/common.mjs';
import { runForeground } from './lib/processes.mjs';
import { cedarVersion, DIST_REGO, ENGINE_NAMES, loadShieldx, setupEngines } from './rego-lib/engines.mjs';
import { DEFAULT_SEED, generate } from './rego-lib/generate.mjs';
import { loadMeter } from './rego-lib/load.mjs';
import { combine, loopsFor, measureRound, timerOverhead } from './rego-lib/measure.mjs';
import { staleFiles } from './rego-lib/policies.mjs';
import { environment, headerText, loadavg, pinnedCpu, reportText } from './rego-lib/report.mjs';
import { ROUTES } from './rego-lib/routes.mjs';

const JUDGED = ['shieldx', 'handwritten', 'cedar', 'cedar-isauthorized'];
const MAX_EXAMPLES = 8;

// ---------------------------------------------------------------------------------------------
// settings

function parseArgs(argv) {
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') flags.help = true;
    else if (a === '--check-only' || a === '--measure-anyway') flags[a.slice(2)] = true;
    else {
      const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
      if (!m) throw new BenchError(`unknown argument "${a}" (see --help)`);
      const value = m[2] ?? argv[++i];
      if (value === undefined) throw new BenchError(`--${m[1]} needs a value`);
      flags[m[1]] = value;
    }
  }
  return flags;
}

function usage() {
  return `usage: bench/rego [--rounds 5] [--warmup 2] [--inputs 10000] [--seed N] [--engines a,b,...]
                  [--isauthorized-inputs 500] [--source dist|src] [--build auto|never]
                  [--check-only] [--measure-anyway]

${scriptHeader(import.meta.url)}
`;
}

function setting(flags, flag, env, dflt) {
  if (flags[flag] !== undefined) return flags[flag];
  const v = process.env[env];
  return v !== undefined && v !== '' ? v : dflt;
}

function intSetting(name, v, min, max) {
  const s = String(v).trim();
  const n = Number(s);
  if (!/^\d+$/.test(s) || n < min || n > max) throw new BenchError(`invalid ${name} "${v}" (an integer ${min}..${max})`);
  return n;
}

function readSettings(argv) {
  const flags = parseArgs(argv);
  if (flags.help) return { help: true };
  const known = [
    'rounds',
    'warmup',
    'inputs',
    'seed',
    'engines',
    'isauthorized-inputs',
    'source',
    'build',
    'check-only',
    'measure-anyway',
  ];
  for (const k of Object.keys(flags)) if (!known.includes(k)) throw new BenchError(`unknown flag --${k} (see --help)`);
  const engines = String(setting(flags, 'engines', 'BENCH_ENGINES', ENGINE_NAMES.join(',')))
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const e of engines)
    if (!ENGINE_NAMES.includes(e)) throw new BenchError(`unknown engine "${e}" (use ${ENGINE_NAMES.join(', ')})`);
  if (engines.length === 0) throw new BenchError('no engine selected');
  const source = String(setting(flags, 'source', 'BENCH_SOURCE', 'dist'));
  if (source !== 'dist' && source !== 'src') throw new BenchError(`invalid source "${source}" (dist or src)`);
  const build = String(setting(flags, 'build', 'BENCH_BUILD', 'auto'));
  if (build !== 'auto' && build !== 'never') throw new BenchError(`invalid build "${build}" (auto or never)`);
  return {
    rounds: intSetting('rounds', setting(flags, 'rounds', 'BENCH_ROUNDS', '5'), 1, 1000),
    warmup: intSetting('warmup', setting(flags, 'warmup', 'BENCH_WARMUP', '2'), 0, 1000),
    inputs: intSetting('inputs', setting(flags, 'inputs', 'BENCH_INPUTS', '10000'), 1, 10_000_000),
    seed: intSetting('seed', setting(flags, 'seed', 'BENCH_SEED', String(DEFAULT_SEED)), 0, 2 ** 32 - 1),
    isauthorized_inputs: intSetting(
      'isauthorized-inputs',
      setting(flags, 'isauthorized-inputs', 'BENCH_ISAUTHORIZED_INPUTS', '500'),
      1,
      10_000_000,
    ),
    engines: ENGINE_NAMES.filter((e) => engines.includes(e)),
    source,
    build,
    check_only: flags['check-only'] === true,
    measure_anyway: flags['measure-anyway'] === true,
  };
}

// ---------------------------------------------------------------------------------------------
// build

function newestTsMtime(dir) {
  let newest = 0;
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) newest = Math.max(newest, newestTsMtime(p));
    else if (ent.name.endsWith('.ts') && !ent.name.endsWith('.test.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/ when the Rego engine's sources are newer than its build (others build too: only then). */
function ensureBuild(settings) {
  let built = 0;
  try {
    built = fs.statSync(DIST_REGO).mtimeMs;
  } catch {
    built = 0;
  }
  if (built >= newestTsMtime(path.join(ROOT, 'src', 'rego'))) return;
  if (settings.build === 'never') {
    log('dist/src/rego is older than src/rego; --build never: measuring the build as it is');
    return;
  }
  log(built ? 'dist/src/rego is older than src/rego: npm run build' : 'no dist/src/rego: npm run build');
  if (runForeground('npm', ['run', 'build', '--silent'], { cwd: ROOT }) !== 0) {
    // tsc emits JavaScript even when it reports type errors (possibly in files the engine never loads).
    if (!fs.existsSync(DIST_REGO)) throw new BenchError('npm run build failed and produced no dist/src/rego/index.js');
    log('npm run build reported errors (above); running the JavaScript it emitted anyway');
  }
}

// ---------------------------------------------------------------------------------------------
// agreement

/** How many of the inputs each engine runs on (all, but cedar-isauthorized a prefix). */
function inputCounts(settings, n) {
  return Object.fromEntries(
    settings.engines.map((e) => [e, e === 'cedar-isauthorized' ? Math.min(n, settings.isauthorized_inputs) : n]),
  );
}

/** Every engine on its inputs: the agreed decisions, or the disagreements and problems found. */
function checkAgreement(settings, engines, inputs, kinds, counts) {
  const decisions = new Array(inputs.length);
  const disagreements = [];
  const problems = [];
  let agreed = 0;
  let allowed = 0;
  for (let i = 0; i < inputs.length; i++) {
    const answers = {};
    const names = settings.engines.filter((n) => i < counts[n]);
    for (const n of names) {
      const a = engines[n].check(inputs[i]);
      answers[n] = a.allow;
      if (a.problem) problems.push({ index: i, engine: n, problem: a.problem });
    }
    const first = answers[names[0]];
    if (names.every((n) => answers[n] === first)) {
      agreed++;
      decisions[i] = first;
      if (first) allowed++;
    } else disagreements.push({ index: i, kinds: kinds[i], answers });
  }
  return { agreed, allowed, decisions, disagreements, problems };
}

function agreementText(settings, inputs, kinds, ag, counts) {
  const partial = settings.engines.filter((e) => counts[e] < inputs.length).map((e) => ` (${e}: the first ${counts[e]})`);
  const out = [
    `agreement  ${ag.agreed} of ${inputs.length} inputs: all ${settings.engines.length} engines gave the same decision${partial.join('')}; ${ag.disagreements.length} disagreements, ${ag.problems.length} engine errors`,
  ];
  // How the inputs were made, to show the mix (an input may be in several groups).
  const byKind = new Map();
  kinds.forEach((k, i) => {
    for (const kind of k.length ? k : ['plain']) {
      const c = byKind.get(kind) ?? { n: 0, allow: 0 };
      c.n++;
      if (ag.decisions[i]) c.allow++;
      byKind.set(kind, c);
    }
  });
  const mix = [...byKind].sort((a, b) => b[1].n - a[1].n).map(([k, c]) => `${k} ${c.n} (${c.allow} allowed)`);
  // Wrapped to about 120 columns, continuation lines indented under the first.
  let line = 'input mix ';
  for (const [i, m] of mix.entries()) {
    const piece = ` ${m}${i < mix.length - 1 ? ',' : ''}`;
    if (line.length + piece.length > 120) {
      out.push(line);
      line = '          ';
    }
    line += piece;
  }
  out.push(line);
  for (const d of ag.disagreements.slice(0, MAX_EXAMPLES)) {
    out.push(
      `DISAGREE   input #${d.index} [${d.kinds.join(', ')}]: ${Object.entries(d.answers)
        .map(([n, a]) => `${n}=${a ? 'allow' : 'deny'}`)
        .join(' ')}`,
    );
    out.push(`           ${JSON.stringify(inputs[d.index])}`);
  }
  if (ag.disagreements.length > MAX_EXAMPLES) out.push(`           ... and ${ag.disagreements.length - MAX_EXAMPLES} more`);
  for (const p of ag.problems.slice(0, MAX_EXAMPLES)) {
    out.push(`ERROR      ${p.engine} on input #${p.index}: ${p.problem}`);
    out.push(`           ${JSON.stringify(inputs[p.index])}`);
  }
  if (ag.problems.length > MAX_EXAMPLES) out.push(`           ... and ${ag.problems.length - MAX_EXAMPLES} more`);
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// measuring

/** `decisions` are the agreed ones (null when the engines disagree: no allow-count check then). */
function measureAll(settings, engines, allInputs, counts, decisions) {
  const names = settings.engines;
  const loops = Object.fromEntries(names.map((n) => [n, loopsFor(engines[n].decide)]));
  const inputsOf = Object.fromEntries(names.map((n) => [n, allInputs.slice(0, counts[n])]));
  const expected = Object.fromEntries(
    names.map((n) => [n, decisions === null ? null : decisions.slice(0, counts[n]).filter((d) => d === true).length]),
  );
  for (const n of names) {
    for (let w = 0; w < settings.warmup; w++) {
      log(`${n}: warm-up pass ${w + 1}/${settings.warmup}`);
      loops[n].throughput(inputsOf[n]);
    }
  }
  const lats = Object.fromEntries(names.map((n) => [n, new Float64Array(counts[n])]));
  const rounds = Object.fromEntries(names.map((n) => [n, []]));
  const meters = Object.fromEntries(names.map((n) => [n, loadMeter(pinnedCpu())]));
  for (let round = 0; round < settings.rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const n = names[(k + round) % names.length];
      meters[n].start();
      const r = measureRound(loops[n], inputsOf[n], lats[n]);
      meters[n].stop();
      if (expected[n] !== null && r.allowed.some((a) => a !== expected[n]))
        throw new BenchError(`${n}: ${r.allowed.join('/')} allows in round ${round + 1}, ${expected[n]} in the agreement check`);
      log(
        `round ${round + 1}/${settings.rounds} ${n}: ${r.decisions_per_s.toFixed(0)} decisions/s, p50 ${r.p50_us.toFixed(2)} µs, p99 ${r.p99_us.toFixed(2)} µs`,
      );
      rounds[n].push(r);
    }
  }
  const results = {};
  for (const n of names) {
    results[n] = { inputs: counts[n], ...combine(rounds[n]) };
    results[n].other_load_pct = meters[n].otherPct();
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// main

async function main() {
  const settings = readSettings(process.argv.slice(2));
  if (settings.help) {
    process.stdout.write(usage());
    return 0;
  }
  const stale = staleFiles();
  if (stale.length)
    throw new BenchError(`${stale.join(', ')} differ from routes.mjs: run node bench/rego-lib/policies.mjs --write`);
  const loadBefore = loadavg();

  const needRego = settings.engines.some((e) => e.startsWith('shieldx'));
  let rego = null;
  if (needRego) {
    if (settings.source === 'dist') ensureBuild(settings);
    rego = await loadShieldx(settings.source);
  }
  const gen = generate({ seed: settings.seed, inputs: settings.inputs });
  log(`generated ${Object.keys(gen.data.users).length} users and ${gen.inputs.length} inputs`);
  const engines = await setupEngines(settings.engines, gen.data, rego);
  const env = environment(settings, { cedar: await cedarVersion() });

  log('agreement check');
  const counts = inputCounts(settings, gen.inputs.length);
  const ag = checkAgreement(settings, engines, gen.inputs, gen.kinds, counts);
  const genInfo = {
    users: Object.keys(gen.data.users).length,
    routes: ROUTES.length,
    inputs: gen.inputs.length,
    allowed: ag.allowed,
  };
  process.stdout.write(headerText(settings, env, genInfo));
  process.stdout.write(`${agreementText(settings, gen.inputs, gen.kinds, ag, counts)}\n`);
  const disagree = ag.disagreements.length > 0 || ag.problems.length > 0;
  if (disagree)
    process.stdout.write('bench error: the engines do not agree (or reported errors); the policies must be equivalent\n');
  if (settings.check_only || (disagree && !settings.measure_anyway)) return disagree ? 1 : 0;

  const missing = JUDGED.filter((e) => !settings.engines.includes(e));
  if (missing.length) log(`not measured: ${missing.join(', ')} (their targets are n/a)`);
  const timer = timerOverhead();
  const results = measureAll(settings, engines, gen.inputs, counts, disagree ? null : ag.decisions);
  const info = {
    agreement: {
      agreed: ag.agreed,
      inputs: gen.inputs.length,
      allowed: ag.allowed,
      disagreements: ag.disagreements.length,
      errors: ag.problems.length,
    },
    timer_overhead: timer,
    loadavg_before: loadBefore,
    loadavg_after: loadavg(),
  };
  const report = reportText(settings, env, info, results);
  process.stdout.write(report.text);
  if (disagree) return 1;
  return report.missed ? 2 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`bench/rego: ${err instanceof BenchError ? err.message : (err?.stack ?? err)}\n`);
    process.exitCode = 1;
  },
);
