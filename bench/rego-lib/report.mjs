// What bench/rego prints: the header (environment), the agreement result, the table, the ratios
// with PASS/MISS, and one JSON summary line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { ROOT } from '../lib/common.mjs';
import { ENGINE_INFO } from './engines.mjs';

export const TARGETS = {
  p99_us: 20, // ShieldX p99 per decision ≤ 20 µs
  decisions_per_s: 100_000, // ShieldX ≥ 100,000 decisions/s on one core
  vs_handwritten: 5, // within 5× of hand-written: p99 ratio ≤ 5, throughput ratio ≥ 1/5
};
/** Unrelated CPU use (% of one core) during the measurement above which the figures are flagged. */
export const OTHER_LOAD_WARN_PCT = 15;

const fmt = (n, digits) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

function commitOf() {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'unknown commit';
}

/** The CPUs this process may run on (taskset), from /proc/self/status. */
export function allowedCpus() {
  try {
    const m = /^Cpus_allowed_list:\s*(\S+)/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? m[1] : null;
  } catch {
    return null;
  }
}

/** The one CPU this process is pinned to, or null (not pinned, several CPUs allowed, or unknown). */
export function pinnedCpu() {
  const list = allowedCpus();
  return list !== null && /^\d+$/.test(list) && os.cpus().length > 1 ? Number(list) : null;
}

export function loadavg() {
  try {
    return fs.readFileSync('/proc/loadavg', 'utf8').trim();
  } catch {
    return os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  }
}

export function environment(settings, versions) {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    cpu_model: cpus[0]?.model.trim() ?? 'unknown',
    cpus: cpus.length,
    pinned_to: allowedCpus(),
    commit: commitOf(),
    shieldx_source: settings.source === 'src' ? 'src/ through tsx' : 'dist/ (tsc output)',
    cedar_version: versions.cedar,
  };
}

export function headerText(settings, env, gen) {
  const cpu = pinnedCpu();
  const pin =
    cpu !== null
      ? `pinned to CPU ${cpu} (taskset)`
      : `not pinned (CPUs ${env.pinned_to ?? '?'}); use the bench/rego wrapper or taskset -c N`;
  const lines = [
    'ShieldX Rego benchmark (bench/rego)',
    `machine    ${env.cpus} x ${env.cpu_model}, node ${env.node} (V8 ${env.v8}), one process, ${pin}`,
    `shieldx    ${env.shieldx_source}, commit ${env.commit} (plus any uncommitted changes)`,
    `cedar      @cedar-policy/cedar-wasm ${env.cedar_version ?? '?'} (nodejs entry)`,
    `workload   ${gen.users} users, ${gen.routes} routes, ${gen.inputs} inputs (seed ${settings.seed}): ${gen.allowed} allow, ${gen.inputs - gen.allowed} deny`,
    `timing     ${settings.warmup} warm-up pass(es) per engine, then ${settings.rounds} round(s); per round and engine a throughput pass (bare loop) and a latency pass (hrtime around each call); medians over rounds`,
    'engines:',
    ...settings.engines.map((e) => `  ${e.padEnd(18)} ${ENGINE_INFO[e]}`),
    '',
  ];
  return lines.join('\n');
}

function tableText(settings, results) {
  const rows = [['engine', 'inputs', 'decisions/s', 'p50 µs', 'p99 µs', 'mean µs', 'max µs', 'other load %']];
  for (const e of settings.engines) {
    const r = results[e];
    if (!r) continue;
    rows.push([
      e,
      String(r.inputs),
      fmt(r.decisions_per_s, 0),
      fmt(r.p50_us, 2),
      fmt(r.p99_us, 2),
      fmt(r.mean_us, 2),
      fmt(r.max_us, 0),
      fmt(r.other_load_pct, 0),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
  const out = [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('-+-'), ...rows.slice(1).map(line)];
  out.push('decisions/s: all inputs in a loop without per-call timing. p50/p99/mean/max: per call, hrtime around');
  const cpu = pinnedCpu();
  out.push('each call (timer overhead included, see below). Each figure is the median over rounds. other load: CPU');
  out.push(
    cpu !== null
      ? `time other processes got on CPU ${cpu} (this run's core) while the engine was measured, in % of that core.`
      : 'time other processes used (all CPUs) while the engine was measured, in % of one core.',
  );
  if (settings.rounds > 1) {
    out.push('decisions/s and p99 µs per round:');
    for (const e of settings.engines) {
      const r = results[e];
      if (r) out.push(`  ${e.padEnd(18)} ${r.rounds.map((x) => `${fmt(x.decisions_per_s, 0)}/${fmt(x.p99_us, 1)}`).join('  ')}`);
    }
  }
  return out;
}

/** Ratios and target verdicts. Returns the lines, the ratios/pass objects and whether a target was missed. */
function verdicts(results) {
  const s = results.shieldx;
  const h = results.handwritten;
  const cedars = [
    ['cedar', 'cedar'],
    ['cedar-isauthorized', 'cedar_isauthorized'],
  ];
  const lines = [];
  const ratios = {};
  const pass = {};
  const judge = (key, ok, text) => {
    pass[key] = ok;
    lines.push(`${text} ${ok ? 'PASS' : 'MISS'}`);
  };
  if (!s) return { lines: ['targets: n/a (shieldx not measured)'], ratios, pass, missed: false };
  judge('p99', s.p99_us <= TARGETS.p99_us, `shieldx p99 = ${fmt(s.p99_us, 2)} µs (target <= ${TARGETS.p99_us} µs)`);
  judge(
    'throughput',
    s.decisions_per_s >= TARGETS.decisions_per_s,
    `shieldx throughput = ${fmt(s.decisions_per_s, 0)} decisions/s (target >= ${TARGETS.decisions_per_s})`,
  );
  if (h) {
    ratios.p99_shieldx_over_handwritten = s.p99_us / h.p99_us;
    ratios.throughput_shieldx_over_handwritten = s.decisions_per_s / h.decisions_per_s;
    judge(
      'p99_vs_handwritten',
      ratios.p99_shieldx_over_handwritten <= TARGETS.vs_handwritten,
      `ratio p99 shieldx/handwritten = ${fmt(ratios.p99_shieldx_over_handwritten, 2)} (target <= ${TARGETS.vs_handwritten})`,
    );
    judge(
      'throughput_vs_handwritten',
      ratios.throughput_shieldx_over_handwritten >= 1 / TARGETS.vs_handwritten,
      `ratio throughput shieldx/handwritten = ${fmt(ratios.throughput_shieldx_over_handwritten, 3)} (target >= ${fmt(1 / TARGETS.vs_handwritten, 2)}, i.e. within ${TARGETS.vs_handwritten}x)`,
    );
  } else lines.push('ratios to handwritten: n/a (not measured)');
  for (const [name, key] of cedars) {
    const c = results[name];
    if (!c) {
      lines.push(`ratios to ${name}: n/a (not measured)`);
      continue;
    }
    ratios[`p99_shieldx_over_${key}`] = s.p99_us / c.p99_us;
    ratios[`throughput_shieldx_over_${key}`] = s.decisions_per_s / c.decisions_per_s;
    judge(
      `p99_vs_${key}`,
      ratios[`p99_shieldx_over_${key}`] < 1,
      `ratio p99 shieldx/${name} = ${fmt(ratios[`p99_shieldx_over_${key}`], 4)} (target < 1)`,
    );
    judge(
      `throughput_vs_${key}`,
      ratios[`throughput_shieldx_over_${key}`] > 1,
      `ratio throughput shieldx/${name} = ${fmt(ratios[`throughput_shieldx_over_${key}`], 1)} (target > 1)`,
    );
  }
  // A reference, never judged.
  const t = results['shieldx-table'];
  if (t) {
    ratios.throughput_shieldx_table_over_shieldx = t.decisions_per_s / s.decisions_per_s;
    lines.push(
      `ratio shieldx-table/shieldx: throughput ${fmt(ratios.throughput_shieldx_table_over_shieldx, 2)}, p99 ${fmt(t.p99_us / s.p99_us, 2)} (reference: routes as data instead of rules)`,
    );
  }
  return { lines, ratios, pass, missed: Object.values(pass).some((ok) => !ok) };
}

export function reportText(settings, env, info, results) {
  const out = ['', ...tableText(settings, results), ''];
  const o = info.timer_overhead;
  out.push(
    `timer overhead (two back-to-back hrtime.bigint() calls): p50 ${fmt(o.p50_ns / 1e3, 3)} µs, p99 ${fmt(o.p99_ns / 1e3, 3)} µs; included in every latency figure`,
  );
  out.push(`load average before ${info.loadavg_before}; after ${info.loadavg_after}`);
  out.push('');
  const v = verdicts(results);
  out.push(...v.lines);
  for (const e of settings.engines) {
    const r = results[e];
    if (r && r.other_load_pct > OTHER_LOAD_WARN_PCT)
      out.push(
        `warning: ${e}: other processes took ${fmt(r.other_load_pct, 0)}% of ${pinnedCpu() !== null ? 'its' : 'a'} core while it was measured; its figures are unreliable`,
      );
  }
  const summary = {
    bench: 'rego',
    date: new Date().toISOString(),
    settings,
    environment: env,
    ...info,
    results,
    ratios: v.ratios,
    pass: v.pass,
  };
  out.push('', JSON.stringify(summary), '');
  return { text: out.join('\n'), missed: v.missed };
}
