// Graceful shutdown: in-flight requests finish, connections that carry no request (including ones
// that never sent anything) close at once, and TLS connections that never handshake time out.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { test } from 'node:test';
import { listenerUrl, startGateway, startUpstream, tempDir, testConfigYaml, writeConfig } from './harness.js';

test('stop drains in-flight requests and closes idle and silent connections without waiting', async () => {
  const tmp = tempDir();
  const up = await startUpstream('slow', (req, res) => {
    req.resume();
    setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('done'), 400);
  });
  const file = writeConfig(
    tmp.dir,
    testConfigYaml({
      dataDir: tmp.dir,
      upstreams: { slow: { targets: [up.url] } },
      routes: [{ name: 'all', upstream: 'slow' }],
      listeners: [
        { name: 'public', address: '127.0.0.1:0', protocol: 'http' },
        { name: 'secure', address: '127.0.0.1:0', protocol: 'https' },
      ],
      extra: { shutdown_timeout: '20s', limits: { header_timeout: '600ms' } },
    }),
  );
  const gw = await startGateway(file);
  try {
    const plain = new URL(listenerUrl(gw, 'public'));
    const secure = new URL(listenerUrl(gw, 'secure'));
    const closedAt = (s: net.Socket) => new Promise<number>((resolve) => s.on('close', () => resolve(performance.now())));
    // A TCP connection to the TLS port that never starts a handshake: dropped after header_timeout.
    const t0 = performance.now();
    const noHandshake = net.connect(Number(secure.port), '127.0.0.1');
    noHandshake.on('error', () => undefined);
    const noHandshakeClosed = closedAt(noHandshake);
    // A plain connection that never sends a request.
    const silent = net.connect(Number(plain.port), '127.0.0.1');
    silent.on('error', () => undefined);
    const silentClosed = closedAt(silent);
    await new Promise((r) => silent.once('connect', r));
    // A request in flight when stop begins.
    const inFlight = new Promise<{ status: number; body: string }>((resolve, reject) => {
      http
        .get(`${plain.origin}/slow`, { agent: false }, (res) => {
          let body = '';
          res.on('data', (c) => {
            body += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        })
        .on('error', reject);
    });
    while (!up.seen.some((s) => s.url === '/slow')) await new Promise((r) => setTimeout(r, 10));
    const s0 = performance.now();
    const stopped = gw.stop();
    const silentAfter = (await silentClosed) - s0;
    assert.ok(silentAfter < 1000, `the silent connection closed ${silentAfter.toFixed(0)} ms after stop began`);
    const r = await inFlight;
    assert.deepEqual(r, { status: 200, body: 'done' }, 'the in-flight request finished');
    const handshakeGone = (await noHandshakeClosed) - t0;
    assert.ok(handshakeGone < 5000, `the never-handshaking connection lasted ${handshakeGone.toFixed(0)} ms`);
    await stopped;
    const took = performance.now() - s0;
    assert.ok(took < 5000, `stop took ${took.toFixed(0)} ms; shutdown_timeout is 20 s`);
  } finally {
    await gw.stop();
    await up.close();
    tmp.cleanup();
  }
});
