// bench/waf — ShieldX's WAF stage against nginx + ModSecurity, both running OWASP CRS at paranoia
// level 1 in front of the same upstream, under wrk with a mix of benign requests (a Lua script
// rotating through them): GET with a query string, POST form, POST JSON, POST multipart.
//
// Targets (each started for its measurement and stopped after it):
//   modsecurity     Debian nginx + libnginx-mod-http-modsecurity (libmodsecurity 3) + CRS 3.3.4
//                   (Debian modsecurity-crs), SecRuleEngine On, SecRequestBodyAccess On
//   shieldx-crs4    `shieldx up` with one route: waf {rules: [../shared/corpora/crs], paranoia_level: 1,
//                   mode: block}
//   shieldx-crs334  the same with CRS 3.3.4 (a copy of the Debian rules in the temporary directory;
//                   rules ShieldX cannot load are commented out of it and listed)
// Before measuring, every request of the mix must get 200 from each target and an SQL injection must
// get 403; a 403 during the run (a false positive) shows in the non-2xx column.
// ShieldX runs from src/ through tsx (no build; --source dist for dist/src/cli/main.js).
//
// Settings (environment, or the equivalent flag):
//   BENCH_DURATION    --duration     measured run per target, wrk syntax (default 10s)
//   BENCH_WARMUP      --warmup       warm-up run per target, discarded (default 5s; lets V8 compile the rules' hot paths)
//   BENCH_CONNECTIONS --connections  wrk connections (default 16)
//   BENCH_THREADS     --threads      wrk threads (default 1)
//   BENCH_WORKERS     --workers      nginx worker_processes and ShieldX --workers (default 1)
//   BENCH_PIN         --pin          split | proxy | none: CPU placement as in bench/proxy (default split)
//   BENCH_TARGETS     --targets      comma list among modsecurity,shieldx-crs4,shieldx-crs334 (default all)
//   BENCH_SOURCE      --source       src (default) | dist
//   BENCH_CRS4        --crs4         CRS 4 directory (default ../shared/corpora/crs)
// Targets: ShieldX req/s >= 3x ModSecurity's and p99 <= 1/3 of ModSecurity's (for each ShieldX target).
// Exit status: 0 measured and met, 2 measured and missed, 1 could not run.
// Requires root to apt-get install nginx libnginx-mod-http-modsecurity modsecurity-crs wrk when missing.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchError, log, ROOT, scriptHeader, sleep } from './lib/common.mjs';
import { cpuBetween, cpuSnapshot } from './lib/cpu.mjs';
import { freePort, waitReady } from './lib/http-probe.mjs';
import {
  CRS3_SETUP,
  debVersion,
  dropUnloadable,
  ensureModsecPackages,
  loadShieldxWaf,
  mainConf,
  startModsecNginx,
} from './lib/modsec.mjs';
import { logTail, runForeground, startChild, stopAll, stopChild, which } from './lib/processes.mjs';
import { LAYOUTS, nginxVersion, pinned, placeUpstream, startUpstream } from './lib/targets.mjs';
import { parseWrk, runWrk } from './lib/wrk.mjs';
import { BENIGN_MIX, ATTACK, wrkLuaScript } from './lib/waf-mix.mjs';

const ALL_TARGETS = ['modsecurity', 'shieldx-crs4', 'shieldx-crs334'];
const TARGET_RPS_RATIO = 3;
const TARGET_P99_RATIO = 1 / 3;

function parseArgs(argv) {
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') {
      flags.help = true;
      continue;
    }
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new BenchError(`unknown argument "${a}" (see --help)`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new BenchError(`--${m[1]} needs a value`);
    flags[m[1]] = value;
  }
  return flags;
}

function usage() {
  return `usage: bench/waf [--duration 10s] [--warmup 5s] [--connections 16] [--threads 1] [--workers 1]
                 [--pin split|proxy|none] [--targets modsecurity,shieldx-crs4,shieldx-crs334] [--source src|dist]

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

function int(name, v) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new BenchError(`invalid ${name} "${v}" (a positive integer)`);
  return n;
}

function settingsFrom(flags) {
  const targets = String(setting(flags, 'targets', 'BENCH_TARGETS', ALL_TARGETS.join(',')))
    .split(',')
    .filter(Boolean);
  for (const t of targets)
    if (!ALL_TARGETS.includes(t)) throw new BenchError(`unknown target "${t}" (${ALL_TARGETS.join(', ')})`);
  const pin = String(setting(flags, 'pin', 'BENCH_PIN', 'split'));
  if (!LAYOUTS[pin]) throw new BenchError(`invalid pin "${pin}" (split, proxy, none)`);
  const source = String(setting(flags, 'source', 'BENCH_SOURCE', 'src'));
  if (source !== 'src' && source !== 'dist') throw new BenchError(`invalid source "${source}" (src, dist)`);
  return {
    duration: wrkDuration('duration', setting(flags, 'duration', 'BENCH_DURATION', '10s')),
    warmup: wrkDuration('warmup', setting(flags, 'warmup', 'BENCH_WARMUP', '5s')),
    connections: int('connections', setting(flags, 'connections', 'BENCH_CONNECTIONS', '16')),
    threads: int('threads', setting(flags, 'threads', 'BENCH_THREADS', '1')),
    workers: int('workers', setting(flags, 'workers', 'BENCH_WORKERS', '1')),
    pin,
    targets,
    source,
    crs4: path.resolve(String(setting(flags, 'crs4', 'BENCH_CRS4', path.join(ROOT, '..', 'shared', 'corpora', 'crs')))),
  };
}

// ---------------------------------------------------------------------------------------------
// ShieldX with a waf route

function shieldxWafConfig({ dataDir, port, upstreamPort, rules }) {
  const q = JSON.stringify;
  return `# generated by bench/waf: one route with the waf stage (CRS, PL1, block)
version: 1
data_dir: ${q(dataDir)}
listeners:
  - name: bench
    address: ${q(`127.0.0.1:${port}`)}
    protocol: http
admin:
  enabled: false
logging:
  level: warn
  access_log: false
upstreams:
  bench:
    targets: [${q(`http://127.0.0.1:${upstreamPort}`)}]
routes:
  - name: bench
    match:
      path: /
    upstream: bench
    # Only the WAF before forwarding (the default list has no waf stage).
    stages: [waf, action]
    waf:
      rules: [${rules.map(q).join(', ')}]
      paranoia_level: 1
      mode: block
`;
}

async function startShieldxWaf({ name, settings, logDir, upstreamPort, rules }) {
  const port = await freePort();
  const conf = path.join(logDir, `${name}.yaml`);
  fs.writeFileSync(conf, shieldxWafConfig({ dataDir: path.join(logDir, `${name}-data`), port, upstreamPort, rules }));
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SHIELDX_')) env[k] = v;
  env.NODE_ENV = 'production';
  const argv =
    settings.source === 'src'
      ? [path.join(ROOT, 'bench', 'lib', 'shieldx-up-src.mjs'), conf, String(settings.workers)]
      : [path.join(ROOT, 'dist', 'src', 'cli', 'main.js'), 'up', '--config', conf, '--workers', String(settings.workers)];
  const [cmd, args] = pinned(settings.pin, 'proxy', process.execPath, argv);
  let ready = false;
  const entry = startChild(name, cmd, args, {
    logDir,
    env,
    onLine: (line) => {
      if (line.startsWith('ShieldX is running') || line.includes('"shieldx ready"')) ready = true;
    },
  });
  // Loading the CRS takes seconds; several workers each load it.
  await waitReady(entry, port, { timeoutMs: 120_000, ready: () => ready });
  const until = Date.now() + 120_000;
  while (!ready && !entry.exited && Date.now() < until) await sleep(100);
  if (entry.exited) throw new BenchError(`${name} exited right after starting:\n${logTail(entry)}`);
  return { entry, port };
}

// ---------------------------------------------------------------------------------------------
// checks and measurement

function send(port, r) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: r.method, path: r.path, headers: r.headers, agent: false, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(r.body);
  });
}

async function checkTarget(name, port) {
  for (const r of BENIGN_MIX) {
    const status = await send(port, r).catch((e) => `error ${e.message}`);
    if (status !== 200)
      throw new BenchError(`${name}: benign ${r.name} (${r.method} ${r.path}) answered ${status}, expected 200`);
  }
  const status = await send(port, ATTACK).catch((e) => `error ${e.message}`);
  if (status !== 403) throw new BenchError(`${name}: attack ${ATTACK.method} ${ATTACK.path} answered ${status}, expected 403`);
}

async function measure(settings, name, target, upstream, logDir, lua) {
  placeUpstream(settings.pin, upstream, name);
  await checkTarget(name, target.port);
  const launch = (cmd, args) => pinned(settings.pin, 'wrk', cmd, ['-s', lua, ...args]);
  const wrk = { port: target.port, threads: settings.threads, connections: settings.connections, logDir, launch };
  log(`${name}: warm-up ${settings.warmup}`);
  await runWrk({ ...wrk, duration: settings.warmup });
  log(`${name}: measuring ${settings.duration}`);
  const pgids = [target.entry.child.pid, upstream.entry.child.pid];
  const before = cpuSnapshot(pgids);
  const out = await runWrk({ ...wrk, duration: settings.duration });
  const cpu = cpuBetween(before, cpuSnapshot(pgids));
  const r = parseWrk(out);
  if (!Number.isFinite(r.rps) || !(r.requests > 0)) throw new BenchError(`${name}: could not read wrk's report:\n${out}`);
  r.proxy_cpu_us_per_req = (cpu.groups[0] * 1e6) / r.requests;
  r.other_cpu_pct = cpu.otherPct;
  log(`${name}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms`);
  await checkTarget(name, target.port);
  return r;
}

// ---------------------------------------------------------------------------------------------

const fmt = (n, d) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

function report(settings, info, results) {
  const out = [
    'ShieldX WAF vs ModSecurity speed (bench/waf)',
    `machine     ${os.cpus().length} x ${os.cpus()[0]?.model.trim() ?? '?'}, node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    `load        wrk -t${settings.threads} -c${settings.connections} -d${settings.duration} --latency -s mix.lua (${BENIGN_MIX.map((r) => r.name).join(', ')}, rotating), after a ${settings.warmup} warm-up`,
    `modsecurity ${info.nginx} + libnginx-mod-http-modsecurity ${debVersion('libnginx-mod-http-modsecurity')} (libmodsecurity3 ${debVersion('libmodsecurity3')}), CRS ${debVersion('modsecurity-crs')}, PL1, ${settings.workers} worker(s)`,
    `shieldx     shieldx up (${settings.source === 'src' ? 'src/ through tsx' : 'dist/'}), --workers ${settings.workers}, one route, stages [waf, action], waf {paranoia_level: 1, mode: block}; CRS 4 from ${path.relative(ROOT, settings.crs4)}`,
    info.dropped.length
      ? `            CRS 3.3.4 for ShieldX without rules it cannot load: ${info.dropped.map((d) => d.id).join(', ')}`
      : '',
    `cpu         --pin ${settings.pin}: ${LAYOUTS[settings.pin].describe}`,
    '',
    'target         |   req/s |  p50 ms |  p99 ms | non-2xx/errors | proxy cpu µs/req | other load %',
    '---------------+---------+---------+---------+----------------+------------------+-------------',
  ].filter((l) => l !== '');
  for (const t of settings.targets) {
    const r = results[t];
    if (!r) continue;
    if (r.error) {
      out.push(`${t.padEnd(14)} | FAILED: ${r.error.split('\n')[0].slice(0, 160)}`);
      continue;
    }
    out.push(
      `${t.padEnd(14)} | ${fmt(r.rps, 0).padStart(7)} | ${fmt(r.p50_ms, 2).padStart(7)} | ${fmt(r.p99_ms, 2).padStart(7)} | ${`${r.non2xx3xx}/${r.socket_errors}`.padStart(14)} | ${fmt(r.proxy_cpu_us_per_req, 0).padStart(16)} | ${fmt(r.other_cpu_pct, 0).padStart(12)}`,
    );
  }
  out.push('');
  const m = results.modsecurity;
  const summary = {
    bench: 'waf',
    date: new Date().toISOString(),
    settings,
    dropped_rules: info.dropped.map((d) => d.id),
    results,
    ratios: {},
    pass: {},
  };
  let missed = false;
  const failed = settings.targets.some((t) => results[t]?.error);
  for (const t of settings.targets.filter((x) => x.startsWith('shieldx'))) {
    const s = results[t];
    if (!m || m.error || !s || s.error) {
      out.push(`ratios ${t}/modsecurity: n/a`);
      continue;
    }
    const rps = s.rps / m.rps;
    const p99 = s.p99_ms / m.p99_ms;
    const ok = { rps: rps >= TARGET_RPS_RATIO, p99: p99 <= TARGET_P99_RATIO };
    missed ||= !ok.rps || !ok.p99;
    summary.ratios[t] = { rps, p99 };
    summary.pass[t] = ok;
    out.push(`ratio rps ${t}/modsecurity = ${fmt(rps, 2)} (target >= ${TARGET_RPS_RATIO}) ${ok.rps ? 'PASS' : 'MISS'}`);
    out.push(`ratio p99 ${t}/modsecurity = ${fmt(p99, 2)} (target <= ${fmt(TARGET_P99_RATIO, 2)}) ${ok.p99 ? 'PASS' : 'MISS'}`);
  }
  for (const t of settings.targets) {
    const r = results[t];
    if (r && !r.error && r.other_cpu_pct > 15)
      out.push(
        `warning: ${t}: other processes used ${fmt(r.other_cpu_pct, 0)}% of a core during the run; its figures are unreliable`,
      );
  }
  if (failed && !Object.keys(summary.ratios).length) missed = true;
  out.push('', JSON.stringify(summary), '');
  return { text: out.join('\n'), missed, failed: failed && !Object.keys(summary.ratios).length };
}

async function main() {
  const flags = parseArgs(process.argv.slice(2));
  if (flags.help) {
    process.stdout.write(usage());
    return 0;
  }
  const settings = settingsFrom(flags);
  ensureModsecPackages();
  if (!which('wrk')) {
    if (process.getuid?.() !== 0) throw new BenchError('wrk not found; as root: apt-get install -y wrk');
    if (runForeground('apt-get', ['install', '-y', 'wrk']) !== 0) throw new BenchError('apt-get install wrk failed');
  }
  if (settings.targets.includes('shieldx-crs4') && !fs.existsSync(path.join(settings.crs4, 'rules')))
    throw new BenchError(`CRS 4 not found at ${settings.crs4}`);
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shieldx-waf-bench-'));
  const lua = path.join(logDir, 'mix.lua');
  fs.writeFileSync(lua, wrkLuaScript(BENIGN_MIX));
  const info = { nginx: nginxVersion(), dropped: [] };
  const results = {};
  try {
    // CRS 3.3.4 for ShieldX: the Debian layout copied (setup + rules/), minus what it cannot load.
    const crs334 = path.join(logDir, 'crs334');
    if (settings.targets.includes('shieldx-crs334')) {
      log('checking which CRS 3.3.4 rules ShieldX loads');
      const waf = await loadShieldxWaf(settings.source);
      fs.mkdirSync(crs334, { recursive: true });
      fs.copyFileSync(CRS3_SETUP, path.join(crs334, 'crs-setup.conf'));
      info.dropped = dropUnloadable(waf, {
        dir: logDir,
        crsSetup: path.join(crs334, 'crs-setup.conf'),
        rulesDir: path.join(crs334, 'rules'),
      }).dropped;
    }
    const rulesFile = path.join(logDir, 'main.conf');
    fs.writeFileSync(rulesFile, mainConf({}));
    const upstream = await startUpstream({ layout: settings.pin, logDir });
    for (const t of settings.targets) {
      let target;
      try {
        log(`${t}: starting`);
        if (t === 'modsecurity')
          target = await startModsecNginx({
            logDir,
            upstreamPort: upstream.port,
            workers: settings.workers,
            rulesFile,
            launch: (c, a) => pinned(settings.pin, 'proxy', c, a),
          });
        else
          target = await startShieldxWaf({
            name: t,
            settings,
            logDir,
            upstreamPort: upstream.port,
            rules: [t === 'shieldx-crs4' ? settings.crs4 : crs334],
          });
        results[t] = await measure(settings, t, target, upstream, logDir, lua);
      } catch (e) {
        if (!(e instanceof BenchError)) throw e;
        log(`${t}: ${e.message}`);
        results[t] = { error: e.message };
      } finally {
        if (target) await stopChild(target.entry);
      }
    }
    const { text, missed, failed } = report(settings, info, results);
    process.stdout.write(text);
    return failed ? 1 : missed ? 2 : 0;
  } finally {
    await stopAll();
    fs.rmSync(logDir, { recursive: true, force: true });
  }
}

let shuttingDown = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (shuttingDown) return;
    shuttingDown = true;
    log(`${sig}: stopping`);
    stopAll().finally(() => process.exit(1));
  });
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(err instanceof BenchError ? `bench/waf: ${err.message}\n` : `${err?.stack ?? err}\n`);
    stopAll().finally(() => process.exit(1));
  },
);
