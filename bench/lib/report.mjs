// What bench/proxy prints: a header saying what runs where, the table, the ratios, one JSON line.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { ROOT } from './common.mjs';
import { LAYOUTS, nginxVersion, undiciVersion } from './targets.mjs';

export const TARGET_RPS_RATIO = 0.5;
export const TARGET_P99_RATIO = 2.0;
/** Unrelated CPU use (% of one core) during a run above which the report calls its figures unreliable. */
export const OTHER_LOAD_WARN_PCT = 15;

const fmt = (n, digits) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** The commit the working tree is on (read-only git); uncommitted work may be in dist/ too. */
function commitOf() {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'unknown commit';
}

export function headerText(settings, upstream) {
  const cpus = os.cpus();
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const rounds = settings.rounds > 1 ? `; ${settings.rounds} rounds, medians reported` : '';
  const wrk = `wrk -t${settings.threads} -c${settings.connections} -d${settings.duration} --latency`;
  return [
    'ShieldX proxy benchmark (bench/proxy)',
    `machine    ${cpus.length} x ${cpus[0]?.model.trim() ?? '?'}, node ${process.version}, load average ${load}`,
    `load       ${wrk}, after a ${settings.warmup} warm-up run per target (HTTP/1.1 keep-alive, GET /)${rounds}`,
    `upstream   bench/upstream.mjs on 127.0.0.1:${upstream.port}: Node ${process.version} http server, 200 with a fixed ${Buffer.byteLength(upstream.body)}-byte JSON body; the same process for all targets`,
    `nginx      ${nginxVersion()} plain reverse proxy, worker_processes ${settings.workers}, access_log off, upstream keepalive 64, HTTP/1.1 to the upstream`,
    `node-floor bench/node-floor.mjs, reference only: Node http server + undici ${undiciVersion() ?? '?'} Pool (dispatch), forwarding only, ${settings.workers} worker(s)`,
    `shieldx    dist/ built on ${commitOf()} (plus any uncommitted changes), shieldx up --workers ${settings.workers}: memory rate limit (key ip, 1e6/s) + access rules (CIDR deny, /admin/** deny), log level warn, no access log`,
    `cpu        --pin ${settings.pin}: ${LAYOUTS[settings.pin].describe}`,
    '',
  ].join('\n');
}

function tableText(settings, results) {
  const rows = [
    [
      'target',
      'req/s',
      'p50 ms',
      'p99 ms',
      'non-2xx/errors',
      'proxy cpu µs/req',
      'proxy cpu %',
      'upstream cpu µs/req',
      'other load %',
    ],
  ];
  for (const t of settings.targets) {
    const r = results[t];
    if (!r) continue;
    if (r.error) {
      rows.push([t, 'FAILED', '', '', '', '', '', '', '']);
      continue;
    }
    rows.push([
      t,
      fmt(r.rps, 0),
      fmt(r.p50_ms, 2),
      fmt(r.p99_ms, 2),
      `${r.non2xx3xx}/${r.socket_errors}`,
      t === 'upstream' ? '-' : fmt(r.cpu_us_per_req.proxy, 1),
      t === 'upstream' ? '-' : fmt((r.cpu_us_per_req.proxy * r.rps) / 1e4, 0),
      fmt(r.cpu_us_per_req.upstream, 1),
      fmt(r.other_cpu_pct, 0),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
  const out = [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('-+-'), ...rows.slice(1).map(line)];
  out.push('non-2xx/errors: responses >= 400 (wrk "Non-2xx or 3xx") / socket errors.');
  out.push("cpu µs/req: CPU time of that process group per request. proxy cpu %: the proxy's CPU use, in % of");
  out.push('one core. other load: CPU used by unrelated processes during the measured run, in % of one core');
  out.push('(noise on a shared machine).');
  if (settings.rounds > 1) {
    out.push(`req/s per round (medians above):`);
    for (const t of settings.targets) {
      const r = results[t];
      if (r?.per_round) out.push(`  ${t.padEnd(10)} ${r.per_round.map((x) => fmt(x.rps, 0)).join(', ')}`);
    }
  }
  return out;
}

/** The report after the header. Returns its text, the JSON summary and whether a target was missed. */
export function reportText(settings, info, results) {
  const out = ['', ...tableText(settings, results), ''];
  if (info.shieldx_checks) {
    const c = info.shieldx_checks;
    out.push(
      `shieldx checks: GET / -> 200, GET /admin/x -> 403 (access rules on), RateLimit-Remaining: ${c['ratelimit-remaining']}`,
    );
  }
  const summary = { bench: 'proxy', date: new Date().toISOString(), settings, ...info, results: {} };
  for (const t of settings.targets) summary.results[t] = results[t] ?? null;
  const n = results.nginx;
  const s = results.shieldx;
  let missed = false;
  if (n && s && !n.error && !s.error) {
    const rpsRatio = s.rps / n.rps;
    const p99Ratio = s.p99_ms / n.p99_ms;
    const cpuRatio = s.cpu_us_per_req.proxy / n.cpu_us_per_req.proxy;
    const rpsOk = rpsRatio >= TARGET_RPS_RATIO;
    const p99Ok = p99Ratio <= TARGET_P99_RATIO;
    missed = !rpsOk || !p99Ok;
    out.push(`ratio rps shieldx/nginx = ${fmt(rpsRatio, 2)} (target >= ${TARGET_RPS_RATIO}) ${rpsOk ? 'PASS' : 'MISS'}`);
    out.push(
      `ratio p99 shieldx/nginx = ${fmt(p99Ratio, 2)} (target <= ${TARGET_P99_RATIO.toFixed(1)}) ${p99Ok ? 'PASS' : 'MISS'}`,
    );
    out.push(`ratio proxy cpu per request shieldx/nginx = ${fmt(cpuRatio, 2)} (no target; the cost of the proxy alone)`);
    summary.ratios = { rps: rpsRatio, p99: p99Ratio, proxy_cpu_per_request: cpuRatio };
    summary.pass = { rps: rpsOk, p99: p99Ok };
  } else if (settings.targets.includes('nginx') && settings.targets.includes('shieldx')) {
    out.push('ratios: n/a (a target failed, see above)');
  }
  // node-floor is a reference, never judged: how close to nginx Node's HTTP stack alone gets.
  const f = results['node-floor'];
  if (n && f && !n.error && !f.error) {
    const floorRps = f.rps / n.rps;
    out.push(`ratio rps node-floor/nginx = ${fmt(floorRps, 2)} (reference: the Node HTTP stack alone)`);
    summary.reference_ratios = {
      rps_node_floor_over_nginx: floorRps,
      p99_node_floor_over_nginx: f.p99_ms / n.p99_ms,
      proxy_cpu_per_request_node_floor_over_nginx: f.cpu_us_per_req.proxy / n.cpu_us_per_req.proxy,
    };
    if (s && !s.error) {
      summary.reference_ratios.rps_shieldx_over_node_floor = s.rps / f.rps;
      summary.reference_ratios.proxy_cpu_per_request_shieldx_over_node_floor = s.cpu_us_per_req.proxy / f.cpu_us_per_req.proxy;
    }
  }
  for (const t of settings.targets) {
    const r = results[t];
    if (!r || r.error) continue;
    if (r.other_cpu_pct > OTHER_LOAD_WARN_PCT)
      out.push(
        `warning: ${t}: other processes used ${fmt(r.other_cpu_pct, 0)}% of a core during the run; its figures are unreliable`,
      );
    if (r.non2xx3xx + r.socket_errors > 0)
      out.push(`warning: ${t}: ${r.non2xx3xx} responses >= 400 and ${r.socket_errors} socket errors during the measured run`);
  }
  out.push('', JSON.stringify(summary), '');
  return { text: out.join('\n'), summary, missed };
}
