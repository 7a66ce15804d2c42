// Protocol guard through the real gateway: hostile and malformed HTTP/1.1 requests written byte by
// byte over raw sockets, on the plain listener and on the HTTPS listener (HTTP/1.1 over TLS). Each
// must get a complete HTTP response with a JSON body, must not reach the upstream, and the gateway
// must keep serving afterwards.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Running } from '../src/cli/up.js';
import {
  listenerUrl,
  metricValue,
  type RawResponse,
  rawExchange,
  request,
  scrapeMetrics,
  startGateway,
  startUpstream,
  tempDir,
  type Upstream,
  writeConfig,
} from './harness.js';

const MAX_BODY = 1000;

function configYaml(dataDir: string, upstreamUrl: string): string {
  return `version: 1
data_dir: ${JSON.stringify(dataDir)}
listeners:
  - { name: plain, address: 127.0.0.1:0, protocol: http }
  - { name: secure, address: 127.0.0.1:0, protocol: https }
admin: { address: 127.0.0.1:0 }
limits:
  max_header_count: 30
  max_header_bytes: 4096
  max_uri_length: 256
  max_body_bytes: ${MAX_BODY}
  header_timeout: 1s
  request_timeout: 20s
upstreams:
  app:
    targets: [${JSON.stringify(upstreamUrl)}]
    retries: { attempts: 0 }
routes:
  - name: strict
    match: { path: /strict }
    upstream: app
    limits: { max_header_bytes: 1024 }
  - name: all
    upstream: app
logging: { level: silent }
`;
}

let upstream: Upstream;
let gw: Running;
let tmp: { dir: string; cleanup(): void };

before(async () => {
  tmp = tempDir();
  upstream = await startUpstream('app');
  gw = await startGateway(writeConfig(tmp.dir, configYaml(path.join(tmp.dir, 'data'), upstream.url)));
});

after(async () => {
  await gw?.stop();
  await upstream?.close();
  tmp?.cleanup();
});

/** The answer is a complete HTTP/1.1 response with a JSON error body; returns the parsed body. */
function assertJsonError(r: RawResponse, status: number, error: string): Record<string, unknown> {
  assert.match(r.statusLine, /^HTTP\/1\.1 \d{3} /, `status line: ${r.statusLine}`);
  assert.equal(r.status, status, `expected ${status}, got ${r.statusLine}: ${r.body}`);
  assert.match(r.headers['content-type'] ?? '', /^application\/json/);
  const body = JSON.parse(r.body) as Record<string, unknown>;
  assert.equal(body.error, error, `body: ${r.body}`);
  assert.equal(typeof body.reason, 'string', `body: ${r.body}`);
  return body;
}

function assertNotProxied(marker: string): void {
  const hit = upstream.seen.find((s) => s.url.includes(marker));
  assert.equal(hit, undefined, `the upstream received ${hit?.method} ${hit?.url}`);
}

/** A normal request on a new connection still gets the upstream's answer. */
async function assertServing(base: string): Promise<void> {
  const r = await rawExchange(base, `GET /still-serving HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
  assert.equal(r.status, 200, `after the rejection: ${r.statusLine} ${r.body}`);
  assert.equal(JSON.parse(r.body).upstream, 'app');
}

let seq = 0;
/** A unique path per case, so we can tell whether the upstream saw it. */
const marker = (name: string) => `/${name}-${++seq}`;

for (const listener of ['plain', 'secure'] as const) {
  describe(`protocol guard on the ${listener} listener`, () => {
    const base = () => listenerUrl(gw, listener);

    test('a method outside allowed_methods gets 405 with Allow', async () => {
      const m = marker('method');
      const r = await rawExchange(base(), `TRACE ${m} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
      assertJsonError(r, 405, 'method_not_allowed');
      assert.match(r.headers.allow ?? '', /GET/);
      assert.ok(r.headers['x-request-id'], 'x-request-id on the rejection');
      assertNotProxied(m);
      await assertServing(base());
    });

    test('a URI longer than max_uri_length gets 414', async () => {
      const m = marker('uri');
      const r = await rawExchange(base(), `GET ${m}/${'a'.repeat(400)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
      assertJsonError(r, 414, 'uri_too_long');
      assertNotProxied(m);
      await assertServing(base());
    });

    test('more headers than max_header_count gets 431', async () => {
      const m = marker('count');
      let head = `GET ${m} HTTP/1.1\r\nHost: localhost\r\n`;
      for (let i = 0; i < 40; i++) head += `x-h${i}: ${i}\r\n`;
      const r = await rawExchange(base(), `${head}\r\n`);
      const body = assertJsonError(r, 431, 'headers_too_large');
      assert.equal(body.reason, 'too_many_headers');
      assertNotProxied(m);
      await assertServing(base());
    });

    test('a header section over max_header_bytes gets 431 from the listener', async () => {
      const m = marker('bytes');
      const r = await rawExchange(base(), `GET ${m} HTTP/1.1\r\nHost: localhost\r\nx-big: ${'b'.repeat(6000)}\r\n\r\n`);
      assertJsonError(r, 431, 'headers_too_large');
      assert.equal(r.closed, true, 'the connection is closed after a head overflow');
      assertNotProxied(m);
      await assertServing(base());
    });

    test("a header section over the route's own max_header_bytes gets 431 from the guard", async () => {
      const m = `/strict${marker('route-bytes')}`;
      const r = await rawExchange(base(), `GET ${m} HTTP/1.1\r\nHost: localhost\r\nx-big: ${'b'.repeat(1500)}\r\n\r\n`);
      const body = assertJsonError(r, 431, 'headers_too_large');
      assert.equal(body.reason, 'header_bytes_exceeded');
      assertNotProxied(m);
      // The same header is fine on a route without the stricter limit.
      const ok = await rawExchange(
        base(),
        `GET /other HTTP/1.1\r\nHost: localhost\r\nx-big: ${'b'.repeat(1500)}\r\nConnection: close\r\n\r\n`,
      );
      assert.equal(ok.status, 200, ok.body);
    });

    test('a declared Content-Length over max_body_bytes gets 413 before any body is read', async () => {
      const m = marker('declared');
      const r = await rawExchange(
        base(),
        `POST ${m} HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: ${MAX_BODY * 5}\r\n\r\n`,
      );
      assertJsonError(r, 413, 'payload_too_large');
      assertNotProxied(m);
      await assertServing(base());
    });

    test('a chunked body that grows past max_body_bytes while streaming gets 413', async () => {
      const m = marker('streamed');
      const chunk = 'c'.repeat(200);
      const r = await rawExchange(base(), (socket) => {
        socket.write(`POST ${m} HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n`);
        // 15 chunks of 200 bytes: 3000 bytes, three times the limit, written over a few ticks.
        let n = 0;
        const writeOne = () => {
          if (socket.destroyed) return;
          if (n++ < 15) {
            socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
            setTimeout(writeOne, 5);
          } else socket.write('0\r\n\r\n');
        };
        writeOne();
      });
      assertJsonError(r, 413, 'payload_too_large');
      // A body under the limit, chunked the same way, goes through.
      const small = await rawExchange(
        base(),
        `POST ${marker('small')} HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
      );
      assert.equal(small.status, 200, small.body);
      await assertServing(base());
    });

    test('Content-Length together with Transfer-Encoding gets 400', async () => {
      for (const [i, head] of [
        'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n',
        'Transfer-Encoding: chunked\r\nContent-Length: 5\r\n',
      ].entries()) {
        const m = marker(`clte${i}`);
        const r = await rawExchange(base(), `POST ${m} HTTP/1.1\r\nHost: localhost\r\n${head}\r\n0\r\n\r\n`);
        assertJsonError(r, 400, 'bad_request');
        assertNotProxied(m);
      }
      await assertServing(base());
    });

    test('two different Content-Length headers get 400', async () => {
      const m = marker('twocl');
      const r = await rawExchange(
        base(),
        `POST ${m} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde`,
      );
      assertJsonError(r, 400, 'bad_request');
      assertNotProxied(m);
      await assertServing(base());
    });

    test('an invalid Transfer-Encoding gets 400', async () => {
      // "gzip, chunked" passes Node's parser and is refused by the guard; "chunked, gzip" by the parser.
      for (const te of ['gzip, chunked', 'chunked, gzip', 'Chunked']) {
        const m = marker('te');
        const r = await rawExchange(base(), `POST ${m} HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: ${te}\r\n\r\n0\r\n\r\n`);
        assertJsonError(r, 400, 'bad_request');
        assertNotProxied(m);
      }
      await assertServing(base());
    });

    test('invalid bytes in a header get 400', async () => {
      for (const bad of [
        Buffer.from('X-Bad: a\x01b\r\n', 'latin1'),
        Buffer.from('X-Bad : spaced\r\n', 'latin1'),
        Buffer.from('X-Bad: nul\x00here\r\n', 'latin1'),
      ]) {
        const m = marker('bytes');
        const head = Buffer.concat([Buffer.from(`GET ${m} HTTP/1.1\r\nHost: localhost\r\n`), bad, Buffer.from('\r\n')]);
        const r = await rawExchange(base(), head);
        assertJsonError(r, 400, 'bad_request');
        assertNotProxied(m);
      }
      await assertServing(base());
    });

    test('a request head that never completes (slowloris) gets 408 and the connection is closed', async () => {
      const m = marker('slow');
      const before = metricValue(await scrapeMetrics(gw.admin?.url as string), 'shieldx_protocol_guard_rejections_total', {
        reason: 'request_timeout',
      });
      // Half a head, then nothing: header_timeout is 1s in this config.
      const r = await rawExchange(base(), `GET ${m} HTTP/1.1\r\nHost: localhost\r\nX-Slow: `, { timeoutMs: 8000 });
      assertJsonError(r, 408, 'request_timeout');
      assert.equal(r.closed, true, 'the connection is closed after the 408');
      assertNotProxied(m);
      const afterCount = metricValue(await scrapeMetrics(gw.admin?.url as string), 'shieldx_protocol_guard_rejections_total', {
        reason: 'request_timeout',
      });
      assert.equal(afterCount, before + 1);
      await assertServing(base());
    });
  });
}

test('normal requests through node:http still work after all of the above', async () => {
  const r = await request(`${listenerUrl(gw, 'plain')}/final?x=1`);
  assert.equal(r.status, 200);
  assert.equal(JSON.parse(r.body).url, '/final?x=1');
});
