// Response headers from the upstream through the gateway: repeated fields, Set-Cookie, headers the
// upstream's Connection names, and stage headers (RateLimit-*) set over the upstream's.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { rawExchange, startTestGateway, type TestGateway } from './harness.js';

// A raw upstream, so the response head is exactly these bytes (node:http would normalise them).
const HEAD = [
  'HTTP/1.1 200 OK',
  'Content-Type: text/plain',
  'Content-Length: 2',
  'Set-Cookie: a=1; Path=/',
  'Set-Cookie: b=2; Path=/',
  'Cache-Control: no-cache',
  'Cache-Control: private',
  'Connection: keep-alive, X-Internal',
  'X-Internal: do-not-forward',
  'RateLimit-Limit: 999',
  'X-Request-ID: upstream-made-this',
  '',
  'ok',
].join('\r\n');

let upstream: net.Server;
let t: TestGateway;
let base: string;

before(async () => {
  upstream = net.createServer((s) => {
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString('latin1');
      while (buf.includes('\r\n\r\n')) {
        buf = buf.slice(buf.indexOf('\r\n\r\n') + 4);
        s.write(HEAD);
      }
    });
    s.on('error', () => s.destroy());
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  const port = (upstream.address() as net.AddressInfo).port;
  t = await startTestGateway({
    upstreams: { raw: { targets: [`http://127.0.0.1:${port}`] } },
    routes: [{ name: 'all', upstream: 'raw', rate_limits: [{ key: 'ip', rate: 100, per: '1s' }] }],
  });
  base = t.base;
});

after(async () => {
  await t?.stop();
  await new Promise<void>((r) => {
    upstream.close(() => r());
  });
});

test('repeated fields, Set-Cookie, Connection-named headers and stage headers', async () => {
  const u = new URL(base);
  const r = await rawExchange(base, `GET / HTTP/1.1\r\nHost: ${u.host}\r\nConnection: close\r\n\r\n`);
  assert.equal(r.status, 200);
  assert.equal(r.body, 'ok');
  const lines = r.head
    .split('\r\n')
    .slice(1)
    .map((l) => l.toLowerCase());
  const setCookies = lines.filter((l) => l.startsWith('set-cookie:'));
  assert.deepEqual(setCookies, ['set-cookie: a=1; path=/', 'set-cookie: b=2; path=/'], 'Set-Cookie lines stay separate');
  assert.deepEqual(
    lines.filter((l) => l.startsWith('cache-control:')),
    ['cache-control: no-cache, private'],
    'other repeated fields are joined',
  );
  assert.equal(lines.filter((l) => l.startsWith('x-internal:')).length, 0, 'a header named by Connection is dropped');
  const limits = lines.filter((l) => l.startsWith('ratelimit-limit:'));
  assert.deepEqual(limits, ['ratelimit-limit: 100'], "the stage's RateLimit-Limit replaces the upstream's");
  const ids = lines.filter((l) => l.startsWith('x-request-id:'));
  assert.equal(ids.length, 1);
  assert.notEqual(ids[0], 'x-request-id: upstream-made-this');
});
