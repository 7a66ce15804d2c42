// Upstream read timeouts: no response head in time → 504 JSON (retried first for idempotent
// methods); a body that stalls mid-way → the client's response is cut, not left hanging.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { request, startTestGateway, startUpstream, type TestGateway, type Upstream } from './harness.js';

let up: Upstream;
let t: TestGateway;
let base: string;

before(async () => {
  up = await startUpstream('slow', (req, res) => {
    req.resume();
    if (req.url === '/stall-body') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
      res.write('only part of it');
      return; // never finishes
    }
    // /never: no response at all
  });
  t = await startTestGateway({
    upstreams: {
      slow: {
        targets: [up.url],
        read_timeout: '300ms',
        retries: { attempts: 1, backoff: '0ms', budget_percent: 100, min_retries_per_second: 100 },
        circuit_breaker: { failure_threshold: 100 },
        outlier_detection: { consecutive_failures: 100 },
      },
    },
    routes: [{ name: 'all', upstream: 'slow' }],
  });
  base = t.base;
});

after(async () => {
  await t?.stop();
  await up?.close();
});

test('no response head within read_timeout: a GET is retried once, then 504 JSON', async () => {
  const before = up.seen.filter((s) => s.url === '/never').length;
  const t0 = performance.now();
  const r = await request(`${base}/never`);
  const took = performance.now() - t0;
  assert.equal(r.status, 504);
  const body = JSON.parse(r.body);
  assert.equal(body.error, 'upstream_timeout');
  assert.equal(body.request_id, r.headers['x-request-id']);
  assert.equal(up.seen.filter((s) => s.url === '/never').length - before, 2, 'first attempt plus one retry');
  assert.ok(took >= 550 && took < 5000, `took ${took.toFixed(0)} ms for two 300 ms timeouts`);
});

test('a POST times out once, without a retry', async () => {
  const before = up.seen.filter((s) => s.url === '/never').length;
  const r = await request(`${base}/never`, { method: 'POST', body: 'x=1', headers: { 'content-type': 'text/plain' } });
  assert.equal(r.status, 504);
  assert.equal(up.seen.filter((s) => s.url === '/never').length - before, 1);
});

test('a body that stalls past read_timeout cuts the client response', async () => {
  const outcome = await new Promise<string>((resolve) => {
    const req = http.get(`${base}/stall-body`, { agent: false }, (res) => {
      assert.equal(res.statusCode, 200);
      let got = '';
      res.on('data', (c) => {
        got += c;
      });
      res.on('end', () => resolve(`ended after ${got.length} bytes`));
      res.on('error', () => resolve('cut'));
      res.on('aborted', () => resolve('cut'));
    });
    req.on('error', () => resolve('cut'));
    setTimeout(() => resolve('still hanging after 5s'), 5000).unref();
  });
  assert.equal(outcome, 'cut');
});
