// bench/waf-diff — does ShieldX's WAF block what ModSecurity blocks, on the same rules? Every row of
// a labelled payload corpus (default ../shared/corpora/httpparams/payload_train.csv: payload,length,
// attack_type,label with label norm|anom) is sent as a query parameter (GET /?q=<payload, percent-
// encoded>) and as a form field (POST application/x-www-form-urlencoded, q=<payload>) to
//   modsecurity  Debian nginx + libnginx-mod-http-modsecurity (libmodsecurity 3) + OWASP CRS 3.3.4
//                (Debian modsecurity-crs), paranoia level 1, SecRuleEngine On, in front of
//                bench/upstream.mjs; block = 403. Matched rule ids from its JSON audit log.
//   shieldx      ShieldX's WAF engine (src/waf through tsx, or dist/) on the SAME main.conf, driven
//                directly: processRequestHeaders + processRequestBody with the same method, URI,
//                headers and body bytes; block = an interruption (deny/drop/redirect). Matched rule
//                ids from tx.matchedRules. The gateway's `waf` stage is not used: the engine API gives
//                each request's matched rules and exactly the bytes nginx got (bench/waf runs the
//                gateway). The report says which path was used.
// It prints the agreement rate on block/pass (target >= 99%), each engine's TPR on anom rows and FPR
// on norm rows, and the disagreements grouped by rule id, with examples.
//
// Rules ShieldX refuses to load (an error with file:line) are commented out of a temporary copy of
// the rules for ShieldX only (default) or for both engines; the report lists them.
//
// Settings (environment, or the equivalent flag):
//   BENCH_CORPUS       --corpus       CSV file (default ../shared/corpora/httpparams/payload_train.csv)
//   BENCH_LIMIT        --limit        first N rows only (default 0: every row)
//   BENCH_MODES        --modes        comma list among get,post (default get,post)
//   BENCH_CONCURRENCY  --concurrency  requests in flight to nginx (default 16)
//   BENCH_WORKERS      --workers      nginx worker_processes (default 2)
//   BENCH_UNLOADABLE   --unloadable   drop-shieldx | drop-both | fail: what to do with rules ShieldX
//                                     cannot load (default drop-shieldx)
//   BENCH_SOURCE       --source       src (default: src/waf through tsx) | dist (dist/src/waf)
//   BENCH_EXAMPLES     --examples     example payloads per rule id in the disagreement table (default 2)
//   BENCH_KEEP         --keep         1: keep the temporary directory (configs, logs, audit log)
// Exit status: 0 ran and agreement >= 99%, 2 ran and agreement below, 1 could not run.
// Requires root to apt-get install nginx libnginx-mod-http-modsecurity modsecurity-crs when missing.
// Nothing outside the temporary directory is configured; child processes are stopped on exit.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchError, log, parseArgs, ROOT, scriptHeader } from './lib/common.mjs';
import {
  CRS3_DIR,
  debVersion,
  dropUnloadable,
  ensureModsecPackages,
  loadShieldxWaf,
  mainConf,
  readAuditLog,
  startModsecNginx,
} from './lib/modsec.mjs';
import { stopAll } from './lib/processes.mjs';
import { nginxVersion, startUpstream } from './lib/targets.mjs';
import { parseCsv, percentEncode } from './lib/waf-corpus.mjs';

const TARGET_AGREEMENT = 0.99;

function usage() {
  return `usage: bench/waf-diff [--corpus FILE] [--limit N] [--modes get,post] [--concurrency 16] [--workers 2]
                      [--unloadable drop-shieldx|drop-both|fail] [--source src|dist] [--examples 2] [--keep 1]

${scriptHeader(import.meta.url)}
`;
}

function setting(flags, flag, env, dflt) {
  if (flags[flag] !== undefined) return flags[flag];
  const v = process.env[env];
  return v !== undefined && v !== '' ? v : dflt;
}

function int(name, v, min) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new BenchError(`invalid ${name} "${v}" (an integer >= ${min})`);
  return n;
}

function settingsFrom(flags) {
  const modes = String(setting(flags, 'modes', 'BENCH_MODES', 'get,post'))
    .split(',')
    .filter(Boolean);
  for (const m of modes) if (m !== 'get' && m !== 'post') throw new BenchError(`invalid mode "${m}" (get, post)`);
  const unloadable = String(setting(flags, 'unloadable', 'BENCH_UNLOADABLE', 'drop-shieldx'));
  if (!['drop-shieldx', 'drop-both', 'fail'].includes(unloadable))
    throw new BenchError(`invalid unloadable "${unloadable}" (drop-shieldx, drop-both, fail)`);
  const source = String(setting(flags, 'source', 'BENCH_SOURCE', 'src'));
  if (source !== 'src' && source !== 'dist') throw new BenchError(`invalid source "${source}" (src, dist)`);
  return {
    corpus: path.resolve(
      String(
        setting(flags, 'corpus', 'BENCH_CORPUS', path.join(ROOT, '..', 'shared', 'corpora', 'httpparams', 'payload_train.csv')),
      ),
    ),
    limit: int('limit', setting(flags, 'limit', 'BENCH_LIMIT', '0'), 0),
    modes,
    concurrency: int('concurrency', setting(flags, 'concurrency', 'BENCH_CONCURRENCY', '16'), 1),
    workers: int('workers', setting(flags, 'workers', 'BENCH_WORKERS', '2'), 1),
    unloadable,
    source,
    examples: int('examples', setting(flags, 'examples', 'BENCH_EXAMPLES', '2'), 0),
    keep: String(setting(flags, 'keep', 'BENCH_KEEP', '0')) === '1',
  };
}

// ---------------------------------------------------------------------------------------------
// requests: the same bytes for both engines

const BASE_HEADERS = [
  ['Host', 'bench.example'],
  ['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'],
  ['Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'],
  ['Accept-Language', 'en-US,en;q=0.5'],
  ['Connection', 'keep-alive'],
];

/** One request per (row, mode): method, URI, headers in wire order, body. */
function buildRequest(row, mode, id) {
  const enc = percentEncode(row.payload);
  const headers = [...BASE_HEADERS, ['X-Bench-Id', id]];
  if (mode === 'get') return { id, method: 'GET', uri: `/?q=${enc}`, headers, body: undefined };
  const body = Buffer.from(`q=${enc}`, 'latin1');
  headers.push(['Content-Type', 'application/x-www-form-urlencoded'], ['Content-Length', String(body.length)]);
  return { id, method: 'POST', uri: '/', headers, body };
}

function sendToNginx(agent, port, req) {
  return new Promise((resolve) => {
    const headers = {};
    for (const [k, v] of req.headers) headers[k] = v;
    const r = http.request(
      { host: '127.0.0.1', port, method: req.method, path: req.uri, headers, agent, timeout: 30_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode }));
        res.on('error', (e) => resolve({ status: 0, error: e.message }));
      },
    );
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', (e) => resolve({ status: 0, error: e.message }));
    r.end(req.body);
  });
}

async function runModsec(port, requests, concurrency, onProgress) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const out = new Array(requests.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      out[i] = await sendToNginx(agent, port, requests[i]);
      if (++done % 5000 === 0) onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return out;
}

function runShieldx(engine, requests, onProgress) {
  const out = new Array(requests.length);
  for (let i = 0; i < requests.length; i++) {
    const r = requests[i];
    const tx = engine.newTransaction();
    let it;
    let error;
    try {
      it =
        tx.processRequestHeaders({
          method: r.method,
          uri: r.uri,
          protocol: 'HTTP/1.1',
          headers: r.headers,
          body: r.body,
          remoteAddr: '127.0.0.1',
          remotePort: 40000,
          serverAddr: '127.0.0.1',
          serverPort: 80,
          id: r.id,
        }) ?? tx.processRequestBody();
      tx.processLogging();
    } catch (e) {
      error = String(e?.message ?? e);
    }
    const blocked = !!it && it.action !== 'allow';
    out[i] = {
      blocked,
      status: blocked ? it.status : 200,
      ruleIds: [...new Set(tx.matchedRules.map((m) => m.id))],
      errors: tx.errors.length,
      error,
    };
    if ((i + 1) % 5000 === 0) onProgress(i + 1);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// report

const pct = (n, d) => (d > 0 ? `${((100 * n) / d).toFixed(2)}%` : 'n/a');
const clip = (s, n = 70) => {
  const j = JSON.stringify(s);
  return j.length > n ? `${j.slice(0, n - 1)}…` : j;
};

function analyse(cases, examples) {
  const stats = { total: 0, compared: 0, agree: 0, modsecErrors: 0, shieldxErrors: 0, sameDecisionOtherIds: 0 };
  const by = {}; // per engine, per label: blocked / total
  const groups = { modsec_only: new Map(), shieldx_only: new Map() };
  const perMode = {};
  // Rule ids matched by one engine only, on cases where both decided the same.
  const idDiffs = { modsec_only: new Map(), shieldx_only: new Map() };
  for (const c of cases) {
    stats.total++;
    const pm = (perMode[c.mode] ??= { compared: 0, agree: 0 });
    if (c.modsec.status !== 200 && c.modsec.status !== 403) {
      stats.modsecErrors++;
      continue;
    }
    if (c.shieldx.error) {
      stats.shieldxErrors++;
      continue;
    }
    const mBlock = c.modsec.status === 403;
    const sBlock = c.shieldx.blocked;
    stats.compared++;
    pm.compared++;
    for (const [eng, b] of [
      ['modsecurity', mBlock],
      ['shieldx', sBlock],
    ]) {
      const e = (by[eng] ??= { anom: [0, 0], norm: [0, 0] });
      const l = e[c.row.label] ?? (e[c.row.label] = [0, 0]);
      l[1]++;
      if (b) l[0]++;
    }
    // 980130 (CRS's phase-5 correlation report) never reaches ModSecurity's audit record: not compared.
    const mIds = new Set(c.modsec.ruleIds.filter((x) => x !== 980130));
    const sIds = new Set(c.shieldx.ruleIds.filter((x) => x !== 980130));
    if (mBlock === sBlock) {
      stats.agree++;
      pm.agree++;
      const onlyM = [...mIds].filter((x) => !sIds.has(x));
      const onlyS = [...sIds].filter((x) => !mIds.has(x));
      if (onlyM.length || onlyS.length) stats.sameDecisionOtherIds++;
      for (const id of onlyM) idDiffs.modsec_only.set(id, (idDiffs.modsec_only.get(id) ?? 0) + 1);
      for (const id of onlyS) idDiffs.shieldx_only.set(id, (idDiffs.shieldx_only.get(id) ?? 0) + 1);
      continue;
    }
    // Group by the ids only the blocking side matched (the rules that made the difference).
    const [g, mine, theirs] = mBlock ? [groups.modsec_only, mIds, sIds] : [groups.shieldx_only, sIds, mIds];
    const diff = [...mine].filter((x) => !theirs.has(x) && x !== 949110);
    for (const id of diff.length ? diff : [0]) {
      const e = g.get(id) ?? { id, count: 0, get: 0, post: 0, anom: 0, norm: 0, examples: [] };
      e.count++;
      e[c.mode]++;
      e[c.row.label] = (e[c.row.label] ?? 0) + 1;
      if (e.examples.length < examples) e.examples.push(`${c.mode} ${clip(c.row.payload)}`);
      g.set(id, e);
    }
  }
  const disagreements = stats.compared - stats.agree;
  return { stats, by, groups, perMode, disagreements, idDiffs };
}

function groupTable(title, g) {
  const rows = [...g.values()].sort((a, b) => b.count - a.count);
  const out = [`${title}: ${rows.length} rule id(s)`];
  if (!rows.length) return out;
  out.push('  rule id  | cases | get  | post | anom | norm | examples');
  for (const r of rows.slice(0, 40)) {
    const id = r.id === 0 ? '(none)' : String(r.id);
    out.push(
      `  ${id.padEnd(8)} | ${String(r.count).padStart(5)} | ${String(r.get).padStart(4)} | ${String(r.post).padStart(4)} | ${String(r.anom ?? 0).padStart(4)} | ${String(r.norm ?? 0).padStart(4)} | ${r.examples.join('  ')}`,
    );
  }
  if (rows.length > 40) out.push(`  ... ${rows.length - 40} more`);
  return out;
}

function report(settings, info, a) {
  const s = a.stats;
  const agreement = s.compared ? s.agree / s.compared : Number.NaN;
  const met = agreement >= TARGET_AGREEMENT;
  const out = [
    'ShieldX WAF vs ModSecurity agreement (bench/waf-diff)',
    `machine     ${os.cpus().length} x ${os.cpus()[0]?.model.trim() ?? '?'}, node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    `corpus      ${info.corpus} (${info.rows} rows: ${info.anom} anom, ${info.norm} norm), modes ${settings.modes.join(',')}: ${s.total} requests`,
    `modsecurity ${info.nginx} + libnginx-mod-http-modsecurity ${info.modsecModule} (libmodsecurity3 ${info.libmodsec}), CRS ${info.crs} (${CRS3_DIR}), PL1, ${settings.workers} worker(s); block = 403`,
    `shieldx     path used: ${info.shieldxPath}; block = interruption`,
    `rules       ${info.dropped.length ? `${info.dropped.length} rule(s) ShieldX cannot load, dropped for ${settings.unloadable === 'drop-both' ? 'BOTH engines' : 'ShieldX only'}:` : 'both engines load the same files'}`,
    ...info.dropped.map((d) => `              ${d.id} (${d.file}:${d.line}): ${d.message.slice(0, 150)}`),
    `time        modsecurity ${(info.modsecMs / 1000).toFixed(1)} s at ${settings.concurrency} in flight, shieldx ${(info.shieldxMs / 1000).toFixed(1)} s in-process (engine load ${(info.loadMs / 1000).toFixed(1)} s)`,
    '',
    `agreement on block/pass: ${s.agree}/${s.compared} = ${pct(s.agree, s.compared)} (target >= ${TARGET_AGREEMENT * 100}%) ${met ? 'PASS' : 'MISS'}`,
  ];
  for (const [m, pm] of Object.entries(a.perMode))
    out.push(`  ${m.padEnd(5)} ${pct(pm.agree, pm.compared)} (${pm.agree}/${pm.compared})`);
  out.push(
    `not compared: ${s.modsecErrors} ModSecurity answers other than 200/403, ${s.shieldxErrors} ShieldX exceptions; same decision but other rule ids: ${s.sameDecisionOtherIds}`,
    '',
    'engine      | TPR (anom blocked)      | FPR (norm blocked)',
  );
  for (const eng of ['modsecurity', 'shieldx']) {
    const e = a.by[eng] ?? { anom: [0, 0], norm: [0, 0] };
    out.push(
      `${eng.padEnd(11)} | ${`${pct(e.anom[0], e.anom[1])} (${e.anom[0]}/${e.anom[1]})`.padEnd(23)} | ${pct(e.norm[0], e.norm[1])} (${e.norm[0]}/${e.norm[1]})`,
    );
  }
  const top = (m) =>
    [...m.entries()]
      .sort((x, y) => y[1] - x[1])
      .slice(0, 15)
      .map(([id, n]) => `${id}×${n}`)
      .join(' ') || '-';
  out.push(
    '',
    'same decision, rule ids matched by one engine only (id×cases):',
    `  modsecurity only: ${top(a.idDiffs.modsec_only)}`,
    `  shieldx only:     ${top(a.idDiffs.shieldx_only)}`,
  );
  out.push('', `disagreements: ${a.disagreements}`);
  out.push(...groupTable('ModSecurity blocks, ShieldX passes — ids only ModSecurity matched', a.groups.modsec_only));
  out.push(...groupTable('ShieldX blocks, ModSecurity passes — ids only ShieldX matched', a.groups.shieldx_only));
  out.push('(a case counts once under every id that only the blocking engine matched; 949110/980130 left out; (none): same ids)');
  if (info.auditBad || info.auditMissing)
    out.push(
      `warning: audit log: ${info.auditBad} unreadable records, ${info.auditMissing} 403s without a record (their ids unknown)`,
    );
  out.push('warning: the machine is shared with other engineers; the times above are not benchmarks');
  const summary = {
    bench: 'waf-diff',
    date: new Date().toISOString(),
    settings,
    shieldx_path: info.shieldxPath,
    crs: info.crs,
    dropped_rules: info.dropped.map((d) => d.id),
    requests: s.total,
    compared: s.compared,
    agreement,
    per_mode: Object.fromEntries(Object.entries(a.perMode).map(([m, pm]) => [m, pm.compared ? pm.agree / pm.compared : null])),
    tpr: Object.fromEntries(Object.entries(a.by).map(([k, e]) => [k, e.anom[1] ? e.anom[0] / e.anom[1] : null])),
    fpr: Object.fromEntries(Object.entries(a.by).map(([k, e]) => [k, e.norm[1] ? e.norm[0] / e.norm[1] : null])),
    disagreements: a.disagreements,
    modsec_only_ids: Object.fromEntries([...a.groups.modsec_only.values()].map((e) => [e.id, e.count])),
    shieldx_only_ids: Object.fromEntries([...a.groups.shieldx_only.values()].map((e) => [e.id, e.count])),
    same_decision_id_diffs: {
      modsecurity_only: Object.fromEntries(a.idDiffs.modsec_only),
      shieldx_only: Object.fromEntries(a.idDiffs.shieldx_only),
    },
    pass: { agreement: met },
  };
  out.push('', JSON.stringify(summary), '');
  return { text: out.join('\n'), met };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const flags = parseArgs(process.argv.slice(2));
  if (flags.help) {
    process.stdout.write(usage());
    return 0;
  }
  const settings = settingsFrom(flags);
  if (!fs.existsSync(settings.corpus)) throw new BenchError(`corpus not found: ${settings.corpus}`);
  let rows = parseCsv(fs.readFileSync(settings.corpus, 'utf8'));
  if (settings.limit) rows = rows.slice(0, settings.limit);
  if (!rows.length || rows[0].payload === undefined || rows[0].label === undefined)
    throw new BenchError(`${settings.corpus}: expected columns payload,...,label`);
  ensureModsecPackages();

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shieldx-waf-diff-'));
  const cleanup = () => {
    if (!settings.keep) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const auditLog = path.join(dir, 'modsec-audit.json');
    const conf = path.join(dir, 'main.conf');
    fs.writeFileSync(conf, mainConf({ auditLog }));

    log(`loading CRS 3.3.4 into ShieldX's WAF (${settings.source})`);
    const waf = await loadShieldxWaf(settings.source);
    let t0 = Date.now();
    let engine;
    let dropped = [];
    let nginxConf = conf;
    if (settings.unloadable === 'fail') {
      try {
        engine = new waf.WafEngine(waf.loadRuleSet({ files: [conf] }));
      } catch (e) {
        throw new BenchError(`ShieldX cannot load ${conf}: ${e.message}`);
      }
    } else {
      const r = dropUnloadable(waf, { dir, auditLog });
      engine = r.engine;
      dropped = r.dropped;
      if (settings.unloadable === 'drop-both') nginxConf = r.conf;
    }
    const loadMs = Date.now() - t0;
    for (const d of dropped) log(`ShieldX cannot load rule ${d.id} (${d.file}:${d.line}): dropped`);

    const requests = [];
    const cases = [];
    for (let i = 0; i < rows.length; i++)
      for (const mode of settings.modes) {
        const id = `r${i}-${mode}`;
        requests.push(buildRequest(rows[i], mode, id));
        cases.push({ row: rows[i], mode, id });
      }

    const upstream = await startUpstream({ layout: 'none', logDir: dir });
    const nginx = await startModsecNginx({
      logDir: dir,
      upstreamPort: upstream.port,
      workers: settings.workers,
      rulesFile: nginxConf,
    });
    log(`ModSecurity: ${requests.length} requests, ${settings.concurrency} in flight`);
    t0 = Date.now();
    const mres = await runModsec(nginx.port, requests, settings.concurrency, (n) => log(`  modsecurity ${n}/${requests.length}`));
    const modsecMs = Date.now() - t0;
    await stopAll(); // nginx flushes and closes the audit log
    const audit = readAuditLog(auditLog);
    let auditMissing = 0;
    for (let i = 0; i < cases.length; i++) {
      const rec = audit.records.get(cases[i].id);
      if (mres[i].status === 403 && !rec) auditMissing++;
      cases[i].modsec = { status: mres[i].status, error: mres[i].error, ruleIds: rec?.ruleIds ?? [] };
    }

    log(`ShieldX: ${requests.length} transactions in-process`);
    t0 = Date.now();
    const sres = runShieldx(engine, requests, (n) => log(`  shieldx ${n}/${requests.length}`));
    const shieldxMs = Date.now() - t0;
    for (let i = 0; i < cases.length; i++) cases[i].shieldx = sres[i];

    const a = analyse(cases, settings.examples);
    const labels = {};
    for (const r of rows) labels[r.label] = (labels[r.label] ?? 0) + 1;
    const info = {
      corpus: path.relative(ROOT, settings.corpus),
      rows: rows.length,
      anom: labels.anom ?? 0,
      norm: labels.norm ?? 0,
      nginx: nginxVersion(),
      modsecModule: debVersion('libnginx-mod-http-modsecurity'),
      libmodsec: debVersion('libmodsecurity3'),
      crs: debVersion('modsecurity-crs'),
      shieldxPath: `engine API directly (${settings.source === 'src' ? 'src/waf via tsx' : 'dist/src/waf'}: new WafEngine(loadRuleSet({files:[main.conf]})), processRequestHeaders/processRequestBody); the gateway's waf stage ${fs.existsSync(path.join(ROOT, 'src', 'pipeline', 'stages', 'waf.ts')) ? 'exists but is not used here (bench/waf measures it)' : 'does not exist yet'}`,
      dropped,
      loadMs,
      modsecMs,
      shieldxMs,
      auditBad: audit.bad,
      auditMissing,
    };
    const { text, met } = report(settings, info, a);
    process.stdout.write(text);
    if (settings.keep) log(`kept ${dir}`);
    return met ? 0 : 2;
  } finally {
    await stopAll();
    cleanup();
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
    process.stderr.write(err instanceof BenchError ? `bench/waf-diff: ${err.message}\n` : `${err?.stack ?? err}\n`);
    stopAll().finally(() => process.exit(1));
  },
);
