// Resilience through the real gateway: failover when an upstream dies, active health checks,
// the circuit breaker's open / half-open / closed cycle, retries (idempotent methods only) and the
// retry budget — against real upstream servers on real sockets.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { Running } from '../src/cli/up.js';
import {
  listenerUrl,
  metricValue,
  request,
  scrapeMetrics,
  sleep,
  startGateway,
  startUpstream,
  tempDir,
  testConfigYaml,
  type Upstream,
  waitFor,
  writeConfig,
} from './harness.js';

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
const get = (url: string) => request(url, { agent });

/** An upstream whose behaviour the test switches: ok, answer 503, or hold requests until released. */
interface Switchable extends Upstream {
  mode: 'ok' | '503' | 'hold';
  hits: number;
  held: http.ServerResponse[];
  release(): void;
}

async function switchable(id: string, port = 0): Promise<Switchable> {
  const up = (await startUpstream(
    id,
    (req, res, u) => {
      const s = u as Switchable;
      req.resume();
      if (req.url === '/healthz') {
        res.writeHead(200).end('ok');
        return;
      }
      s.hits++;
      if (s.mode === '503') res.writeHead(503, { 'x-upstream': id }).end('down');
      else if (s.mode === 'hold') s.held.push(res);
      else res.writeHead(200, { 'x-upstream': id }).end(id);
    },
    port,
  )) as Switchable;
  up.mode = 'ok';
  up.hits = 0;
  up.held = [];
  up.release = () => {
    for (const r of up.held.splice(0)) r.writeHead(200, { 'x-upstream': id }).end(id);
  };
  return up;
}

/**
 * An upstream that resets the connection on the first attempt of every request (keyed by the
 * X-Request-ID the gateway sends, which is the same on every attempt) and answers the second.
 */
async function resetFirstAttempt(id: string): Promise<Upstream & { attempts: Map<string, number> }> {
  const attempts = new Map<string, number>();
  const up = await startUpstream(id, (req, res) => {
    const rid = String(req.headers['x-request-id']);
    const n = (attempts.get(rid) ?? 0) + 1;
    attempts.set(rid, n);
    if (n === 1) {
      req.socket.destroy();
      return;
    }
    req.resume();
    req.on('end', () => res.writeHead(200, { 'x-upstream': id }).end(`attempt ${n}`));
  });
  return Object.assign(up, { attempts });
}

/** A port nothing listens on (bound, then released). */
async function deadPort(): Promise<number> {
  const u = await startUpstream('dead');
  await u.close();
  return u.port;
}

describe('resilience through the gateway', { timeout: 120_000 }, () => {
  const tmp = tempDir();
  let gw: Running;
  let base: string;
  let admin: string;
  let fo: [Switchable, Switchable];
  let hc: [Switchable, Switchable];
  let cb: Switchable;
  let rf: Awaited<ReturnType<typeof resetFirstAttempt>>;
  let nb: Awaited<ReturnType<typeof resetFirstAttempt>>;
  let deadCbPort: number;
  const metric = async (name: string, labels: Record<string, string>) => metricValue(await scrapeMetrics(admin), name, labels);

  before(async () => {
    fo = [await switchable('fo-a'), await switchable('fo-b')];
    hc = [await switchable('hc-a'), await switchable('hc-b')];
    cb = await switchable('cb');
    rf = await resetFirstAttempt('rf');
    nb = await resetFirstAttempt('nb');
    deadCbPort = await deadPort();
    const cfg = testConfigYaml({
      dataDir: tmp.dir,
      upstreams: {
        failover: {
          targets: fo.map((u) => u.url),
          outlier_detection: { consecutive_failures: 2, base_ejection_time: '60s' },
          retries: { attempts: 2, backoff: 0 },
        },
        checked: {
          targets: hc.map((u) => u.url),
          health_check: { path: '/healthz', interval: '100ms', timeout: '500ms', healthy_threshold: 2, unhealthy_threshold: 2 },
          // Only the health checker may take the target out in this test.
          outlier_detection: { consecutive_failures: 1000 },
        },
        breaker: {
          targets: [cb.url],
          circuit_breaker: { failure_threshold: 3, open_duration: '300ms', half_open_requests: 1 },
          outlier_detection: { consecutive_failures: 1000 },
          retries: { attempts: 0 },
        },
        breaker_dead: {
          targets: [`http://127.0.0.1:${deadCbPort}`],
          circuit_breaker: { failure_threshold: 2, open_duration: '60s' },
          outlier_detection: { consecutive_failures: 1000 },
          retries: { attempts: 0 },
        },
        retrying: { targets: [rf.url], retries: { attempts: 1, backoff: 0 }, outlier_detection: { consecutive_failures: 1000 } },
        no_budget: {
          targets: [nb.url],
          retries: { attempts: 2, budget_percent: 0, min_retries_per_second: 0, backoff: 0 },
          outlier_detection: { consecutive_failures: 1000 },
        },
      },
      routes: [
        ['fo', 'failover'],
        ['hc', 'checked'],
        ['cb', 'breaker'],
        ['cbdead', 'breaker_dead'],
        ['retry', 'retrying'],
        ['nobudget', 'no_budget'],
      ].map(([p, u]) => ({ name: p, match: { path: `/${p}` }, upstream: u, strip_prefix: `/${p}` })),
    });
    gw = await startGateway(writeConfig(tmp.dir, cfg));
    base = listenerUrl(gw, 'public');
    admin = gw.admin?.url as string;
    assert.ok(admin, 'admin listener is up');
  });

  after(async () => {
    agent.destroy();
    for (const u of [...fo, ...hc, cb]) u.release();
    await gw?.stop();
    await Promise.all([...fo, ...hc, cb, rf, nb].map((u) => u.close()));
    tmp.cleanup();
  });

  test('GETs keep succeeding when one of two upstreams dies; the dead one is ejected', async () => {
    const [a, b] = fo;
    const healthy = { upstream: 'failover', target: b.url };
    assert.equal(await metric('shieldx_upstream_target_healthy', healthy), 1);
    const served: string[] = [];
    for (let i = 0; i < 60; i++) {
      if (i === 20) await b.close();
      const r = await get(`${base}/fo/item/${i}`);
      assert.equal(r.status, 200, `request ${i}: ${r.status} ${r.body}`);
      served.push(r.headers['x-upstream'] as string);
    }
    assert.ok(served.slice(0, 20).includes(b.id), 'b served before it died');
    assert.ok(
      served.slice(20).every((id) => id === a.id),
      'only a serves after b died',
    );
    const text = await scrapeMetrics(admin);
    assert.equal(metricValue(text, 'shieldx_upstream_target_healthy', healthy), 0, 'b is ejected');
    assert.equal(metricValue(text, 'shieldx_upstream_target_healthy', { upstream: 'failover', target: a.url }), 1);
    const errors = metricValue(text, 'shieldx_upstream_errors_total', { upstream: 'failover', target: b.url });
    assert.ok(errors >= 2, `failures on b are counted (${errors})`);
    assert.ok(metricValue(text, 'shieldx_upstream_retries_total', { upstream: 'failover', outcome: 'sent' }) >= 1);
    // Ejected: b is no longer tried, so its error count stays put.
    for (let i = 0; i < 10; i++) assert.equal((await get(`${base}/fo/again`)).status, 200);
    assert.equal(await metric('shieldx_upstream_errors_total', { upstream: 'failover', target: b.url }), errors);
  });

  test('active health checks mark a dead target unhealthy and bring it back when it restarts on the same port', async () => {
    const [a, b] = hc;
    const labels = { upstream: 'checked', target: b.url };
    assert.ok(await waitFor(async () => (await metric('shieldx_upstream_target_healthy', labels)) === 1, 10_000));
    const port = b.port;
    await b.close();
    assert.ok(
      await waitFor(async () => (await metric('shieldx_upstream_target_healthy', labels)) === 0, 15_000, 50),
      'the dead target is marked unhealthy',
    );
    // Unhealthy targets get no traffic: every request lands on a at the first attempt.
    const before = a.hits;
    for (let i = 0; i < 10; i++) {
      const r = await get(`${base}/hc/x`);
      assert.equal(r.status, 200);
      assert.equal(r.headers['x-upstream'], a.id);
    }
    assert.equal(a.hits - before, 10);
    assert.equal(await metric('shieldx_upstream_errors_total', { upstream: 'checked', target: b.url }), 0, 'b was not tried');

    const revived = await switchable('hc-b', port);
    hc[1] = revived;
    assert.ok(
      await waitFor(async () => (await metric('shieldx_upstream_target_healthy', labels)) === 1, 15_000, 50),
      'the restarted target is healthy again',
    );
    for (let i = 0; i < 10; i++) assert.equal((await get(`${base}/hc/x`)).status, 200);
    assert.ok(revived.hits >= 3, `the restarted target gets traffic again (${revived.hits})`);
  });

  test('circuit breaker: opens after failure_threshold failures, half-opens after open_duration, closes on success', async () => {
    const state = () => metric('shieldx_circuit_breaker_state', { upstream: 'breaker' });
    assert.equal(await state(), 0);
    cb.mode = '503';
    for (let i = 0; i < 3; i++) assert.equal((await get(`${base}/cb/x`)).status, 503);
    assert.equal(cb.hits, 3);
    assert.equal(await state(), 2, 'open');
    // Open: answered by the gateway without contacting the upstream.
    for (let i = 0; i < 5; i++) {
      const r = await get(`${base}/cb/x`);
      assert.equal(r.status, 503);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(JSON.parse(r.body).error, 'circuit_open');
      assert.ok(r.headers['x-request-id']);
    }
    assert.equal(cb.hits, 3, 'no request reached the upstream while open');

    // After open_duration one trial goes through (half-open); hold it to observe the state.
    await sleep(400);
    cb.mode = 'hold';
    const trial = get(`${base}/cb/x`);
    assert.ok(await waitFor(() => cb.held.length === 1, 10_000, 5), 'the trial request reached the upstream');
    assert.equal(cb.hits, 4);
    assert.equal(await state(), 1, 'half-open while the trial is in flight');
    // The single trial slot is taken: others are still refused without reaching the upstream.
    const refused = await get(`${base}/cb/x`);
    assert.equal(refused.status, 503);
    assert.equal(JSON.parse(refused.body).error, 'circuit_open');
    assert.equal(cb.hits, 4);
    cb.mode = 'ok';
    cb.release();
    assert.equal((await trial).status, 200);
    assert.equal(await state(), 0, 'closed after a successful trial');
    for (let i = 0; i < 5; i++) assert.equal((await get(`${base}/cb/x`)).status, 200);
    assert.equal(cb.hits, 9);

    // A failed trial reopens it.
    cb.mode = '503';
    for (let i = 0; i < 3; i++) assert.equal((await get(`${base}/cb/x`)).status, 503);
    assert.equal(await state(), 2);
    await sleep(400);
    assert.equal((await get(`${base}/cb/x`)).status, 503, 'the trial fails');
    assert.equal(cb.hits, 13);
    assert.equal(await state(), 2, 'reopened by the failed trial');
    const r = await get(`${base}/cb/x`);
    assert.equal(JSON.parse(r.body).error, 'circuit_open');
    assert.equal(cb.hits, 13);
    cb.mode = 'ok';
  });

  test('circuit breaker opens on connection failures to a closed port', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await get(`${base}/cbdead/x`);
      assert.equal(r.status, 502, r.body);
      assert.equal(JSON.parse(r.body).error, 'upstream_error');
    }
    const r = await get(`${base}/cbdead/x`);
    assert.equal(r.status, 503);
    assert.equal(JSON.parse(r.body).error, 'circuit_open');
    assert.equal(await metric('shieldx_circuit_breaker_state', { upstream: 'breaker_dead' }), 2);
    assert.equal(await metric('shieldx_upstream_errors_total', { upstream: 'breaker_dead', kind: 'connect' }), 2);
  });

  test('a GET is retried after a reset (the upstream sees two attempts); a POST is not (502, one attempt)', async () => {
    const sentBefore = await metric('shieldx_upstream_retries_total', { upstream: 'retrying', outcome: 'sent' });
    const g = await request(`${base}/retry/thing`, { headers: { 'x-request-id': 'get-retry-1' } });
    assert.equal(g.status, 200, g.body);
    assert.equal(g.body, 'attempt 2');
    assert.equal(rf.attempts.get('get-retry-1'), 2);
    assert.equal(await metric('shieldx_upstream_retries_total', { upstream: 'retrying', outcome: 'sent' }), sentBefore + 1);

    const p = await request(`${base}/retry/thing`, { method: 'POST', headers: { 'x-request-id': 'post-1' }, body: 'payload' });
    assert.equal(p.status, 502, p.body);
    assert.equal(JSON.parse(p.body).error, 'upstream_error');
    assert.equal(rf.attempts.get('post-1'), 1, 'a POST is sent once');

    // PUT is idempotent but carries a body here, which is not replayed: one attempt.
    const put = await request(`${base}/retry/thing`, { method: 'PUT', headers: { 'x-request-id': 'put-1' }, body: 'x' });
    assert.equal(put.status, 502);
    assert.equal(rf.attempts.get('put-1'), 1);
    // DELETE without a body is retried.
    const del = await request(`${base}/retry/thing`, { method: 'DELETE', headers: { 'x-request-id': 'del-1' } });
    assert.equal(del.status, 200);
    assert.equal(rf.attempts.get('del-1'), 2);
  });

  test('the retry budget caps retries: budget 0 and no minimum means no retry at all', async () => {
    const labels = { upstream: 'no_budget', outcome: 'budget_exhausted' };
    const before = await metric('shieldx_upstream_retries_total', labels);
    for (let i = 0; i < 3; i++) {
      const r = await request(`${base}/nobudget/x`, { headers: { 'x-request-id': `nb-${i}` } });
      assert.equal(r.status, 502, r.body);
      assert.equal(nb.attempts.get(`nb-${i}`), 1, 'one attempt only');
    }
    const text = await scrapeMetrics(admin);
    assert.equal(metricValue(text, 'shieldx_upstream_retries_total', labels), before + 3);
    assert.equal(metricValue(text, 'shieldx_upstream_retries_total', { upstream: 'no_budget', outcome: 'sent' }), 0);
  });
});
