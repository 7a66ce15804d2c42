// Proxy headers through the real gateway: forwarding headers, X-Request-ID, hop-by-hop stripping
// in both directions, Host, strip_prefix and target path prefixes, and HTTP/2 clients reaching an
// HTTP/1.1 upstream.
import assert from 'node:assert/strict';
import type http from 'node:http';
import http2 from 'node:http2';
import { after, before, describe, test } from 'node:test';
import type { Running } from '../src/cli/up.js';
import {
  listenerUrl,
  request,
  startGateway,
  startUpstream,
  tempDir,
  testConfigYaml,
  type Upstream,
  writeConfig,
} from './harness.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Echo {
  method: string;
  url: string;
  httpVersion: string;
  headers: http.IncomingHttpHeaders;
  bodyBytes: number;
}

/** Echoes what it received; /hop answers with hop-by-hop headers the gateway must drop; /reset resets. */
function echoUpstream(id: string): Promise<Upstream> {
  return startUpstream(id, (req, res) => {
    if (req.url?.endsWith('/reset')) {
      req.socket.destroy();
      return;
    }
    let bodyBytes = 0;
    req.on('data', (c: Buffer) => {
      bodyBytes += c.length;
    });
    req.on('end', () => {
      const echo: Echo = {
        method: req.method ?? '',
        url: req.url ?? '',
        httpVersion: req.httpVersion,
        headers: req.headers,
        bodyBytes,
      };
      const text = JSON.stringify(echo);
      if (req.url?.endsWith('/hop')) {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
          connection: 'keep-alive, x-resp-hop',
          'x-resp-hop': 'secret',
          'keep-alive': 'timeout=99, max=7',
          'proxy-connection': 'keep-alive',
          upgrade: 'h2c',
          'x-end-to-end': 'kept',
        });
      } else {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      }
      res.end(text);
    });
  });
}

describe('proxy headers through the gateway', { timeout: 60_000 }, () => {
  const tmp = tempDir();
  let up: Upstream;
  let gw: Running;
  let base: string;
  let tlsBase: string;
  const echo = async (p: string, headers: http.OutgoingHttpHeaders = {}, method = 'GET', body?: string) => {
    const r = await request(`${base}${p}`, { headers, method, body });
    assert.equal(r.status, 200, r.body);
    return { res: r, echo: JSON.parse(r.body) as Echo };
  };

  before(async () => {
    up = await echoUpstream('echo');
    const cfg = testConfigYaml({
      dataDir: tmp.dir,
      listeners: [
        { name: 'public', address: '127.0.0.1:0', protocol: 'http' },
        { name: 'tls', address: '127.0.0.1:0', protocol: 'https' },
      ],
      upstreams: {
        echo: { targets: [up.url] },
        prefixed: { targets: [`${up.url}/base/`] },
      },
      routes: [
        { name: 'api', match: { path: '/api' }, upstream: 'echo', strip_prefix: '/api' },
        { name: 'prefixed', match: { path: '/pre' }, upstream: 'prefixed', strip_prefix: '/pre' },
        { name: 'all', match: { path: '/' }, upstream: 'echo' },
      ],
    });
    gw = await startGateway(writeConfig(tmp.dir, cfg));
    base = listenerUrl(gw, 'public');
    tlsBase = listenerUrl(gw, 'tls');
  });

  after(async () => {
    await gw?.stop();
    await up?.close();
    tmp.cleanup();
  });

  test('X-Forwarded-For/-Proto/-Host/-Port and Forwarded reach the upstream; Host is preserved', async () => {
    const port = new URL(base).port;
    const { echo: e } = await echo('/x?a=1', { host: 'app.example.com' });
    assert.equal(e.headers.host, 'app.example.com');
    assert.equal(e.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(e.headers['x-forwarded-proto'], 'http');
    assert.equal(e.headers['x-forwarded-host'], 'app.example.com');
    assert.equal(e.headers['x-forwarded-port'], port);
    assert.equal(e.headers.forwarded, 'for=127.0.0.1;proto=http;host="app.example.com"');
    assert.equal(e.url, '/x?a=1');

    // Earlier hops are kept and this one appended.
    const { echo: e2 } = await echo('/x', { 'x-forwarded-for': '203.0.113.9', forwarded: 'for=203.0.113.9' });
    assert.equal(e2.headers['x-forwarded-for'], '203.0.113.9, 127.0.0.1');
    assert.match(e2.headers.forwarded as string, /^for=203\.0\.113\.9, for=127\.0\.0\.1;proto=http;host="127\.0\.0\.1:\d+"$/);
  });

  test('X-Request-ID: generated when absent, propagated when well-formed, replaced when not; returned to the client', async () => {
    const gen = await echo('/x');
    const id = gen.res.headers['x-request-id'] as string;
    assert.match(id, UUID_RE);
    assert.equal(gen.echo.headers['x-request-id'], id);

    const kept = await echo('/x', { 'x-request-id': 'trace-abc.123:XYZ' });
    assert.equal(kept.res.headers['x-request-id'], 'trace-abc.123:XYZ');
    assert.equal(kept.echo.headers['x-request-id'], 'trace-abc.123:XYZ');

    for (const bad of ['has space', '<script>', 'x'.repeat(200), 'a"b', '']) {
      const r = await echo('/x', { 'x-request-id': bad });
      const got = r.res.headers['x-request-id'] as string;
      assert.match(got, UUID_RE, `invalid id ${JSON.stringify(bad)} is replaced`);
      assert.equal(r.echo.headers['x-request-id'], got);
    }
    // Gateway-made answers carry it too.
    const refused = await request(`${base}/x`, { method: 'PROPFIND', headers: { 'x-request-id': 'refused-1' } });
    assert.equal(refused.status, 405);
    assert.equal(refused.headers['x-request-id'], 'refused-1');
    assert.equal(JSON.parse(refused.body).request_id, 'refused-1');
  });

  test('hop-by-hop request headers are not forwarded', async () => {
    const { echo: e } = await echo('/x', {
      connection: 'keep-alive, x-named-hop',
      'x-named-hop': 'secret',
      'keep-alive': 'timeout=5',
      te: 'trailers',
      upgrade: 'websocket',
      'proxy-connection': 'keep-alive',
      'proxy-authorization': 'Basic Zm9vOmJhcg==',
      'x-end-to-end': 'kept',
    });
    const h = e.headers;
    for (const name of ['x-named-hop', 'keep-alive', 'te', 'upgrade', 'proxy-connection', 'proxy-authorization']) {
      assert.equal(h[name], undefined, `${name} reached the upstream: ${h[name]}`);
    }
    assert.ok(!/x-named-hop/i.test(String(h.connection ?? '')), `connection: ${h.connection}`);
    assert.equal(h['x-end-to-end'], 'kept');
  });

  test('hop-by-hop response headers are not passed back', async () => {
    const { res } = await echo('/hop', { connection: 'keep-alive' });
    const h = res.headers;
    assert.equal(h['x-resp-hop'], undefined);
    assert.equal(h['proxy-connection'], undefined);
    assert.equal(h.upgrade, undefined);
    // The gateway's own connection management may add Keep-Alive, but not the upstream's value.
    assert.notEqual(h['keep-alive'], 'timeout=99, max=7');
    assert.ok(!/x-resp-hop/i.test(String(h.connection ?? '')), `connection: ${h.connection}`);
    assert.equal(h['x-end-to-end'], 'kept');
    assert.ok(h['x-request-id']);
  });

  test('strip_prefix removes the route prefix; a target path prefix is prepended', async () => {
    assert.equal((await echo('/api/v1/users?id=7')).echo.url, '/v1/users?id=7');
    assert.equal((await echo('/api')).echo.url, '/');
    assert.equal((await echo('/api/')).echo.url, '/');
    // Segment-aware: /apiary is not under /api, so it takes the catch-all route unchanged.
    assert.equal((await echo('/apiary')).echo.url, '/apiary');
    assert.equal((await echo('/pre/v2/x?q=1')).echo.url, '/base/v2/x?q=1');
  });

  test('HTTP/2 requests reach the HTTP/1.1 upstream with a proper Host and forwarding headers', async () => {
    const client = http2.connect(tlsBase, { rejectUnauthorized: false });
    client.on('error', () => undefined);
    try {
      const h2 = (headers: http2.OutgoingHttpHeaders, body?: string) =>
        new Promise<{ status: number; headers: http2.IncomingHttpHeaders; body: string }>((resolve, reject) => {
          const s = client.request(headers, { endStream: body === undefined });
          const chunks: Buffer[] = [];
          let resHeaders: http2.IncomingHttpHeaders = {};
          s.on('response', (h) => {
            resHeaders = h;
          });
          s.on('data', (c: Buffer) => chunks.push(c));
          s.on('end', () =>
            resolve({ status: Number(resHeaders[':status']), headers: resHeaders, body: Buffer.concat(chunks).toString() }),
          );
          s.on('error', reject);
          if (body !== undefined) s.end(body);
        });

      const r = await h2({
        ':method': 'GET',
        ':path': '/api/h2?x=1',
        ':authority': 'h2.example.com',
        'x-request-id': 'h2-req-1',
      });
      assert.equal(r.status, 200, r.body);
      const e = JSON.parse(r.body) as Echo;
      assert.equal(e.httpVersion, '1.1');
      assert.equal(e.url, '/h2?x=1');
      assert.equal(e.headers.host, 'h2.example.com');
      assert.equal(e.headers['x-forwarded-proto'], 'https');
      assert.equal(e.headers['x-forwarded-host'], 'h2.example.com');
      assert.equal(e.headers.forwarded, 'for=127.0.0.1;proto=https;host="h2.example.com"');
      assert.equal(e.headers['x-request-id'], 'h2-req-1');
      for (const k of Object.keys(e.headers)) assert.ok(!k.startsWith(':'), `pseudo-header ${k} reached the upstream`);
      assert.equal(r.headers['x-request-id'], 'h2-req-1');

      // The upstream's hop-by-hop response headers would be a protocol error on HTTP/2: they are dropped.
      const hop = await h2({ ':method': 'GET', ':path': '/hop', ':authority': 'h2.example.com' });
      assert.equal(hop.status, 200);
      assert.equal(hop.headers['x-end-to-end'], 'kept');
      assert.equal(hop.headers.connection, undefined);

      // A request body on an HTTP/2 stream (no Content-Length) is streamed to the upstream.
      const post = await h2(
        { ':method': 'POST', ':path': '/api/upload', ':authority': 'h2.example.com', 'content-type': 'text/plain' },
        'x'.repeat(100_000),
      );
      assert.equal(post.status, 200, post.body);
      const pe = JSON.parse(post.body) as Echo;
      assert.equal(pe.method, 'POST');
      assert.equal(pe.bodyBytes, 100_000);
      assert.equal(pe.httpVersion, '1.1');

      // An upstream failure on a request with a body is a JSON 502 on the stream, not a dead stream.
      const failed = await h2({ ':method': 'POST', ':path': '/reset', ':authority': 'h2.example.com' }, 'payload');
      assert.equal(failed.status, 502, failed.body);
      assert.equal(JSON.parse(failed.body).error, 'upstream_error');
    } finally {
      await new Promise<void>((r) => client.close(() => r()));
    }
  });
});
