// Route actions (deny, tarpit), access rules through the gateway, the admin endpoints, and the
// embedded default configuration that `npm start` runs.
import assert from 'node:assert/strict';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { type Running, startInProcess } from '../src/cli/up.js';
import { listenerUrl, request, startTestGateway, type TestGateway, startUpstream, tempDir, type Upstream } from './harness.js';

describe('route actions and access rules through the gateway', () => {
  let up: Upstream;
  let t: TestGateway;
  let gw: Running;
  let base: string;

  before(async () => {
    up = await startUpstream('a');
    t = await startTestGateway({
      upstreams: { a: { targets: [up.url] } },
      routes: [
        {
          name: 'blocked',
          match: { path: '/blocked' },
          upstream: 'a',
          action: { type: 'deny', status: 451, body: { error: 'unavailable_for_legal_reasons', see: 'policy' } },
        },
        { name: 'slow', match: { path: '/slow' }, upstream: 'a', action: { type: 'tarpit', delay: '400ms' } },
        {
          name: 'slow-deny',
          match: { path: '/trap' },
          upstream: 'a',
          action: { type: 'tarpit', delay: '300ms', tarpit_then: 'deny', status: 429 },
        },
        {
          name: 'rules',
          match: { path: '/rules' },
          upstream: 'a',
          access_rules: {
            default: 'deny',
            rules: [
              { action: 'deny', header: { name: 'user-agent', regex: '(?i)sqlmap' }, status: 403, reason: 'scanner' },
              { action: 'deny', methods: ['DELETE'], status: 405 },
              { action: 'allow', cidrs: ['127.0.0.0/8', '::1/128'] },
            ],
          },
        },
        {
          name: 'lan-only',
          match: { path: '/lan' },
          upstream: 'a',
          access_rules: { rules: [{ action: 'deny', cidrs: ['127.0.0.0/8'] }] },
        },
      ],
    });
    gw = t.gw;
    base = t.base;
  });
  after(async () => {
    await t?.stop();
    await up?.close();
  });

  test('deny answers with the configured status and body, plus the request id, without reaching the upstream', async () => {
    const seen = up.seen.length;
    const r = await request(`${base}/blocked/x`);
    assert.equal(r.status, 451);
    const body = JSON.parse(r.body);
    assert.equal(body.error, 'unavailable_for_legal_reasons');
    assert.equal(body.see, 'policy');
    assert.equal(body.request_id, r.headers['x-request-id']);
    assert.equal(up.seen.length, seen);
  });

  test('tarpit holds the request for its delay, then proxies it', async () => {
    const t0 = performance.now();
    const r = await request(`${base}/slow`);
    const took = performance.now() - t0;
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body).upstream, 'a');
    assert.ok(took >= 380, `answered after ${took.toFixed(0)} ms, expected at least the 400 ms delay`);
  });

  test('tarpit then deny holds the request, then refuses it', async () => {
    const seen = up.seen.length;
    const t0 = performance.now();
    const r = await request(`${base}/trap`);
    assert.ok(performance.now() - t0 >= 280);
    assert.equal(r.status, 429);
    assert.equal(up.seen.length, seen);
  });

  test('access rules: first match wins, header regex, method, CIDR, default', async () => {
    assert.equal((await request(`${base}/rules`)).status, 200, 'allowed by the loopback CIDR rule');
    const scanner = await request(`${base}/rules`, { headers: { 'user-agent': 'SQLMap/1.7' } });
    assert.equal(scanner.status, 403);
    assert.equal(JSON.parse(scanner.body).reason, 'scanner');
    assert.equal((await request(`${base}/rules`, { method: 'DELETE' })).status, 405);
    assert.equal((await request(`${base}/lan`)).status, 403, 'denied: the client is on 127.0.0.0/8');
  });

  test('admin API: health, readiness, metrics, stages, config, errors', async () => {
    const admin = gw.admin?.url as string;
    assert.deepEqual(JSON.parse((await request(`${admin}/healthz`)).body), { status: 'ok' });
    assert.deepEqual(JSON.parse((await request(`${admin}/readyz`)).body), { status: 'ready' });
    const metrics = await request(`${admin}/metrics`);
    assert.match(metrics.headers['content-type'] ?? '', /text\/plain/);
    assert.match(metrics.body, /shieldx_requests_total\{route="blocked",action="deny",status="451"\} 1/);
    assert.match(metrics.body, /shieldx_stage_duration_seconds_count\{stage="access_rules"\} \d+/);
    // The 400 ms tarpit: nothing below 0.25 s, one request in all (upper buckets depend on machine load).
    assert.match(metrics.body, /shieldx_request_duration_seconds_bucket\{route="slow",le="0.25"\} 0/);
    assert.match(metrics.body, /shieldx_request_duration_seconds_count\{route="slow"\} 1/);
    const stages = JSON.parse((await request(`${admin}/v1/stages`)).body).stages.map((s: { name: string }) => s.name);
    assert.deepEqual(stages, ['protocol_guard', 'rate_limit', 'access_rules', 'waf', 'policy', 'action']);
    const cfg = JSON.parse((await request(`${admin}/v1/config`)).body);
    assert.equal(cfg.sha256, gw.loaded.sha256);
    assert.deepEqual(cfg.routes, ['blocked', 'slow', 'slow-deny', 'rules', 'lan-only']);
    const revisions = JSON.parse((await request(`${admin}/v1/config/revisions`)).body).revisions;
    assert.equal(revisions[0].status, 'applied');
    const missing = await request(`${admin}/nope`);
    assert.equal(missing.status, 404);
    assert.equal(JSON.parse(missing.body).error, 'not_found');
    assert.equal((await request(`${admin}/healthz`, { method: 'POST' })).status, 405);
  });
});

describe('the embedded default configuration (what npm start runs)', () => {
  let r: Running;
  const tmp = tempDir();

  before(async () => {
    // Same embedded config, with ports chosen by the OS so the test never collides with a running copy.
    r = await startInProcess({
      demo: true,
      demoPort: 0,
      env: {
        SHIELDX_DATA_DIR: tmp.dir,
        SHIELDX_LOG_LEVEL: 'silent',
        SHIELDX__LISTENERS__0__ADDRESS: '127.0.0.1:0',
        SHIELDX__LISTENERS__1__ADDRESS: '127.0.0.1:0',
        SHIELDX__ADMIN__ADDRESS: '127.0.0.1:0',
      },
    });
  });
  after(async () => {
    await r?.stop();
    tmp.cleanup();
  });

  test('serves the demo app over HTTP and over HTTPS with TLS 1.3', async () => {
    assert.equal(r.loaded.source, '(embedded default)');
    const page = await request(`${listenerUrl(r, 'http')}/`);
    assert.equal(page.status, 200);
    assert.match(page.body, /ShieldX demo app/);
    const echo = JSON.parse((await request(`${listenerUrl(r, 'http')}/api/echo`)).body);
    assert.equal(echo.headers['x-forwarded-proto'], 'http');
    assert.equal((await request(`${listenerUrl(r, 'http')}/admin/`)).status, 403);
    const tlsInfo = await new Promise<{ status: number; protocol: string | null; body: string }>((resolve, reject) => {
      const req = https.get(`${listenerUrl(r, 'https')}/`, { rejectUnauthorized: false }, (res) => {
        const protocol = (res.socket as TLSSocket).getProtocol();
        let body = '';
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, protocol, body }));
      });
      req.on('error', reject);
    });
    assert.equal(tlsInfo.status, 200);
    assert.equal(tlsInfo.protocol, 'TLSv1.3');
    assert.match(tlsInfo.body, /ShieldX demo app/);
  });
});
