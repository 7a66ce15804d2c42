// bench/proxy — ShieldX against nginx as a reverse proxy, in one run, on loopback, with one load
// generator (wrk) and one upstream. A script, not a test: it prints numbers. It insists only that
// each target really works: 200 with the upstream's body on /, and for ShieldX 403 on /admin/x.
//
// Measured, in this order, each after a discarded warm-up run:
//   upstream    the bench upstream directly (bench/upstream.mjs: Node `http`, fixed 92-byte body)
//   nginx       Debian nginx as a plain reverse proxy (generated config, keepalive pool to the upstream)
//   node-floor  a reference, not a competitor: the thinnest Node reverse proxy (bench/node-floor.mjs:
//               `http` server + undici Pool, forwarding only). What any Node proxy costs before doing
//               anything of its own, so how much of ShieldX's gap to nginx is Node's HTTP stack.
//   shieldx     `shieldx up` with a rate limit (memory token bucket, rate high enough never to reject)
//               and access rules (CIDR deny + path deny) on its one route
// Each proxy is started for its measurement and stopped after it: an idle one never takes CPU.
//
// CPU placement (--pin). The box has 2 cores for wrk, the upstream and the proxy, and on this VM
// wrk, the Node upstream and nginx each cost roughly 25-35 µs of CPU per request: where each runs
// decides which one limits throughput. node-floor is placed exactly as the proxies are. Layouts:
//   split (default with 1 worker): wrk alone on CPU 0; the upstream and the proxy under test share
//          CPU 1. wrk has headroom for any proxy, so in every proxy run the server side (one core:
//          the proxy plus the same upstream work) is the bottleneck, on equal terms. Requests/s
//          then compares (proxy + upstream) costs, which brings the slower proxy closer to the
//          faster one; the "ratio proxy cpu per request" line is the proxies' own costs.
//   proxy: the proxy alone on CPU 1; wrk and the upstream share CPU 0. It reads like "each proxy
//          on its own core", but a fast proxy saturates CPU 0 first (measured: nginx at ~55% of
//          its core while wrk + upstream had CPU 0 full), which caps nginx's requests/s and
//          inflates its p99 through queueing in the upstream: unfair to nginx.
//   none (default with more than 1 worker): no pinning. Needed for workers > 1 to mean anything on
//          2 cores; noisiest.
// Besides the wall-clock figures, CPU time is read from /proc around each measured run: the proxy's
// and the upstream's CPU µs per request, and "other load", the CPU that unrelated processes used
// meanwhile. On a machine shared with other work, a run with much other load is not to be trusted.
//
// Settings (environment, or the equivalent flag):
//   BENCH_DURATION    --duration     measured run per target, wrk syntax (default 10s)
//   BENCH_WARMUP      --warmup       warm-up run per target, discarded (default 2s)
//   BENCH_CONNECTIONS --connections  wrk connections (default 50)
//   BENCH_THREADS     --threads      wrk threads (default 1)
//   BENCH_WORKERS     --workers      ShieldX --workers, nginx worker_processes and node-floor cluster
//                                    workers (default 1)
//   BENCH_PIN         --pin          split | proxy | none (see above)
//   BENCH_TARGETS     --targets      comma list among upstream,nginx,node-floor,shieldx (default all)
//   BENCH_ROUNDS      --rounds       repeat the sequence N times (targets alternate) and report the
//                                    median of each figure (default 1); steadier on a busy machine
// Exit status: 0 measured (and both targets met, when nginx and shieldx were both measured;
//              node-floor is never judged),
//              2 measured but a target missed, 1 could not run (the message says why).
// wrk and nginx are installed with apt-get when missing (as root); ShieldX is built with
// `npm run build` when dist/ is older than src/. Child processes never outlive the script (Ctrl-C
// included); only a SIGKILL of the script itself can leave them behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchError, log, parseArgs, ROOT, scriptHeader } from './lib/common.mjs';
import { cpuBetween, cpuSnapshot } from './lib/cpu.mjs';
import { expectStatus } from './lib/http-probe.mjs';
import { runForeground, stopAll, stopChild, which } from './lib/processes.mjs';
import { headerText, reportText } from './lib/report.mjs';
import {
  LAYOUTS,
  placeUpstream,
  pinned,
  SHIELDX_MAIN,
  startNginx,
  startNodeFloor,
  startShieldx,
  startUpstream,
} from './lib/targets.mjs';
import { combineRounds, parseWrk, runWrk } from './lib/wrk.mjs';

const ALL_TARGETS = ['upstream', 'nginx', 'node-floor', 'shieldx'];

// ---------------------------------------------------------------------------------------------
// settings

function usage() {
  return `usage: bench/proxy [--duration 10s] [--warmup 2s] [--connections 50] [--threads 1] [--workers 1]
                   [--pin split|proxy|none] [--targets upstream,nginx,node-floor,shieldx] [--rounds 1]

${scriptHeader(import.meta.url)}
`;
}

function setting(flags, flag, env, dflt) {
  if (flags[flag] !== undefined) return flags[flag];
  const v = process.env[env];
  return v !== undefined && v !== '' ? v : dflt;
}

function wrkDuration(name, v) {
  const s = String(v).trim();
  if (/^[1-9]\d*$/.test(s)) return `${s}s`;
  if (/^[1-9]\d*(s|m|h)$/.test(s)) return s;
  throw new BenchError(`invalid ${name} "${v}" (use e.g. 10s, 1m, or a number of seconds)`);
}

function positiveInt(name, v, max) {
  const s = String(v).trim();
  const n = Number(s);
  if (!/^\d+$/.test(s) || n < 1 || n > max) throw new BenchError(`invalid ${name} "${v}" (an integer 1..${max})`);
  return n;
}

function readSettings(argv) {
  const flags = parseArgs(argv);
  if (flags.help) return { help: true };
  const known = ['duration', 'warmup', 'connections', 'threads', 'workers', 'pin', 'targets', 'rounds'];
  for (const k of Object.keys(flags)) if (!known.includes(k)) throw new BenchError(`unknown flag --${k} (see --help)`);
  const workers = positiveInt('workers', setting(flags, 'workers', 'BENCH_WORKERS', '1'), 64);
  const connections = positiveInt('connections', setting(flags, 'connections', 'BENCH_CONNECTIONS', '50'), 10000);
  const threads = positiveInt('threads', setting(flags, 'threads', 'BENCH_THREADS', '1'), 64);
  if (threads > connections) throw new BenchError(`threads (${threads}) must not exceed connections (${connections})`);
  let pin = String(setting(flags, 'pin', 'BENCH_PIN', workers === 1 ? 'split' : 'none'));
  if (!(pin in LAYOUTS)) throw new BenchError(`invalid pin "${pin}" (use ${Object.keys(LAYOUTS).join(', ')})`);
  if (pin !== 'none' && os.cpus().length < 2) {
    log('only one CPU: no pinning');
    pin = 'none';
  }
  const targets = String(setting(flags, 'targets', 'BENCH_TARGETS', ALL_TARGETS.join(',')))
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  for (const t of targets)
    if (!ALL_TARGETS.includes(t)) throw new BenchError(`unknown target "${t}" (use ${ALL_TARGETS.join(', ')})`);
  if (targets.length === 0) throw new BenchError('no target selected');
  return {
    duration: wrkDuration('duration', setting(flags, 'duration', 'BENCH_DURATION', '10s')),
    warmup: wrkDuration('warmup', setting(flags, 'warmup', 'BENCH_WARMUP', '2s')),
    connections,
    threads,
    workers,
    pin,
    rounds: positiveInt('rounds', setting(flags, 'rounds', 'BENCH_ROUNDS', '1'), 100),
    targets: ALL_TARGETS.filter((t) => targets.includes(t)),
  };
}

// ---------------------------------------------------------------------------------------------
// tools and build

function ensureTools(settings) {
  const need = ['wrk'];
  if (settings.targets.includes('nginx')) need.push('nginx');
  if (settings.pin !== 'none') need.push('taskset');
  const missing = need.filter((b) => !which(b));
  if (missing.length === 0) return;
  if (missing.includes('taskset')) throw new BenchError('taskset not found (Debian package util-linux); or use --pin none');
  if (process.getuid?.() !== 0)
    throw new BenchError(`missing ${missing.join(', ')}: run as root, or install them (apt-get install wrk nginx-light)`);
  log(`installing ${missing.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (runForeground('apt-get', ['update', '-qq'], { env }) !== 0) throw new BenchError('apt-get update failed');
  const light = missing.map((b) => (b === 'nginx' ? 'nginx-light' : b));
  if (runForeground('apt-get', ['install', '-y', '-qq', ...light], { env }) !== 0) {
    if (runForeground('apt-get', ['install', '-y', '-qq', ...missing], { env }) !== 0)
      throw new BenchError(`apt-get install ${missing.join(' ')} failed`);
  }
  const still = need.filter((b) => !which(b));
  if (still.length) throw new BenchError(`still missing after apt-get: ${still.join(', ')}`);
}

function newestTsMtime(dir) {
  let newest = 0;
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) newest = Math.max(newest, newestTsMtime(p));
    else if (ent.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function ensureBuild() {
  let built = 0;
  try {
    built = fs.statSync(SHIELDX_MAIN).mtimeMs;
  } catch {
    built = 0;
  }
  if (built >= newestTsMtime(path.join(ROOT, 'src'))) return;
  log(built ? 'dist/ is older than src/: npm run build' : 'no dist/: npm run build');
  if (runForeground('npm', ['run', 'build', '--silent'], { cwd: ROOT }) !== 0) {
    // tsc emits JavaScript even when it reports type errors (possibly in files the gateway never loads).
    if (!fs.existsSync(SHIELDX_MAIN)) throw new BenchError('npm run build failed and produced no dist/src/cli/main.js');
    log('npm run build reported errors (above); running the JavaScript it emitted anyway');
  }
}

// ---------------------------------------------------------------------------------------------
// measuring

/** Warm up, then measure, reading the CPU time of `groups` ({label, pgid}) around the measured run. */
async function measure(settings, name, port, groups, logDir) {
  const launch = (cmd, args) => pinned(settings.pin, 'wrk', cmd, args);
  const wrk = { port, threads: settings.threads, connections: settings.connections, logDir, launch };
  log(`${name}: warm-up ${settings.warmup}`);
  const warm = parseWrk(await runWrk({ ...wrk, duration: settings.warmup }));
  if (!(warm.requests > 0)) throw new BenchError(`${name}: the warm-up run completed no request`);
  log(`${name}: measuring ${settings.duration}`);
  const pgids = groups.map((g) => g.pgid);
  const before = cpuSnapshot(pgids);
  const out = await runWrk({ ...wrk, duration: settings.duration });
  const cpu = cpuBetween(before, cpuSnapshot(pgids));
  const r = parseWrk(out);
  if (!Number.isFinite(r.rps) || !Number.isFinite(r.p50_ms) || !Number.isFinite(r.p99_ms) || !(r.requests > 0))
    throw new BenchError(`${name}: could not read wrk's report:\n${out}`);
  r.cpu_us_per_req = {};
  groups.forEach((g, i) => {
    r.cpu_us_per_req[g.label] = (cpu.groups[i] * 1e6) / r.requests;
  });
  r.other_cpu_pct = cpu.otherPct;
  log(
    `${name}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms, other load ${cpu.otherPct.toFixed(0)}% of a core`,
  );
  return r;
}

/** Start the target (the upstream already runs), check its answers, measure, stop it. */
async function measureTarget(settings, target, upstream, logDir, info) {
  placeUpstream(settings.pin, upstream, target);
  const upstreamGroup = { label: 'upstream', pgid: upstream.entry.child.pid };
  if (target === 'upstream') return measure(settings, target, upstream.port, [upstreamGroup], logDir);
  const opts = { layout: settings.pin, logDir, upstreamPort: upstream.port, workers: settings.workers };
  let proc = null;
  try {
    if (target === 'nginx') {
      proc = await startNginx(opts);
      await expectStatus('nginx', proc.port, '/', 200, upstream.body);
    } else if (target === 'node-floor') {
      proc = await startNodeFloor(opts);
      await expectStatus('node-floor', proc.port, '/', 200, upstream.body);
    } else {
      proc = await startShieldx(opts);
      const res = await expectStatus('shieldx', proc.port, '/', 200, upstream.body);
      // Proof that the access rules are on; the rate limiter's headers show that the bucket is consulted.
      await expectStatus('shieldx', proc.port, '/admin/x', 403);
      info.shieldx_checks = {
        'GET /': 200,
        'GET /admin/x': 403,
        'ratelimit-remaining': res.headers['ratelimit-remaining'] ?? '(header absent)',
      };
      info.shieldx_ready = proc.readyLine
        ? { listeners: proc.readyLine.listeners ?? null, banner: proc.readyLine.banner ?? null }
        : 'no ready line seen (answered on its port)';
    }
    const r = await measure(settings, target, proc.port, [{ label: 'proxy', pgid: proc.entry.child.pid }, upstreamGroup], logDir);
    // Still the same answers after the load: the proxy held up and the rules stayed on.
    await expectStatus(target, proc.port, '/', 200, upstream.body);
    if (target === 'shieldx') await expectStatus('shieldx', proc.port, '/admin/x', 403);
    return r;
  } finally {
    if (proc) await stopChild(proc.entry);
  }
}

// ---------------------------------------------------------------------------------------------
// main

let tmpDir = null;
let stopping = false;

async function main() {
  const settings = readSettings(process.argv.slice(2));
  if (settings.help) {
    process.stdout.write(usage());
    return 0;
  }
  ensureTools(settings);
  if (settings.targets.includes('shieldx')) ensureBuild();

  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shieldx-bench-'));
  const results = {};
  const info = {};
  let failed = false;
  try {
    const upstream = await startUpstream({ layout: settings.pin, logDir: tmpDir });
    info.upstream = { impl: 'node http (bench/upstream.mjs)', body_bytes: Buffer.byteLength(upstream.body) };
    process.stdout.write(headerText(settings, upstream));
    const runs = Object.fromEntries(settings.targets.map((t) => [t, []]));
    for (let round = 1; round <= settings.rounds; round++) {
      if (settings.rounds > 1) log(`round ${round}/${settings.rounds}`);
      for (const target of settings.targets) {
        if (results[target]?.error) continue;
        try {
          runs[target].push(await measureTarget(settings, target, upstream, tmpDir, info));
        } catch (err) {
          if (stopping) return 130; // a signal is ending the run; its handler cleans up
          if (!(err instanceof BenchError)) throw err;
          failed = true;
          results[target] = { error: err.message };
          log(`${target} FAILED: ${err.message}`);
        }
      }
    }
    for (const t of settings.targets) if (!results[t]) results[t] = combineRounds(runs[t]);
  } finally {
    await stopAll();
    if (failed) log(`logs and generated configs kept in ${tmpDir}`);
    else fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  const report = reportText(settings, info, results);
  process.stdout.write(report.text);
  if (failed) return 1;
  return report.missed ? 2 : 0;
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    log(`${sig}: stopping child processes`);
    stopAll().finally(() => {
      if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
      process.exit(130);
    });
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (err) => {
    await stopAll();
    process.stderr.write(`bench/proxy: ${err instanceof BenchError ? err.message : (err?.stack ?? err)}\n`);
    process.exitCode = 1;
  },
);
