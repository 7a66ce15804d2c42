// A client that goes away mid-request: the gateway abandons the upstream request too, and does not
// count it against the upstream (no ejection, breaker untouched).
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { request, scrapeMetrics, startTestGateway, startUpstream, type TestGateway, type Upstream, waitFor } from './harness.js';

let up: Upstream;
let t: TestGateway;
let base: string;
let upstreamClosed = 0;

before(async () => {
  up = await startUpstream('slow', (req, res) => {
    if (req.url === '/hang') {
      // Never answers; counts when the gateway gives up on the request.
      res.on('close', () => {
        upstreamClosed++;
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  t = await startTestGateway({
    upstreams: {
      slow: {
        targets: [up.url],
        read_timeout: '30s',
        circuit_breaker: { failure_threshold: 1, open_duration: '30s' },
        outlier_detection: { consecutive_failures: 1, max_ejection_percent: 100 },
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

test('the upstream request is aborted when the client disconnects, and not held against the upstream', async () => {
  const req = http.get(`${base}/hang`, { agent: false });
  req.on('error', () => undefined);
  assert.ok(await waitFor(() => up.seen.some((s) => s.url === '/hang')), 'the request reached the upstream');
  req.destroy();
  assert.ok(await waitFor(() => upstreamClosed === 1, 5000), 'the gateway closed its upstream request');
  // One failure would have opened the breaker and ejected the only target: neither happened.
  const r = await request(`${base}/fine`);
  assert.equal(r.status, 200);
  const admin = t.gw.admin?.url as string;
  const text = await scrapeMetrics(admin);
  assert.match(text, /shieldx_circuit_breaker_state\{upstream="slow"\} 0/);
  assert.match(text, /shieldx_requests_total\{route="all",action="client_closed",status="499"\} 1/);
});
