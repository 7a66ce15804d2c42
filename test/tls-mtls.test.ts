// TLS and mTLS through the real gateway: TLS 1.3 with the generated development certificate, HTTP/2
// and HTTP/1.1 on one port, min_version, and client certificates (require / optional) from a
// throwaway PKI. A test-only stage copies ctx.clientCert into response headers, so what the
// pipeline sees of the client identity is observable from outside.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import https from 'node:https';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import tls from 'node:tls';
import type { Running } from '../src/cli/up.js';
import { registerStage } from '../src/pipeline/registry.js';
import type { RequestContext } from '../src/pipeline/stage.js';
import { makeTestPki, type PemPair, type TestPki } from '../src/testing/pki.js';
import { listenerUrl, startGateway, startUpstream, tempDir, type Upstream, writeConfig } from './harness.js';

const SPIFFE = 'spiffe://shieldx.test/ns/default/sa/billing';

// What the pipeline knows about the client certificate, as response headers.
registerStage({
  name: 'test_client_identity',
  description: 'test only: copies ctx.clientCert into response headers',
  create: () => ({
    name: 'test_client_identity',
    run(ctx: RequestContext) {
      const c = ctx.clientCert;
      ctx.responseHeaders['x-client-cert'] = c ? 'present' : 'none';
      if (c) {
        ctx.responseHeaders['x-client-subject'] = c.subject;
        ctx.responseHeaders['x-client-spiffe'] = c.spiffe_id ?? '';
        ctx.responseHeaders['x-client-authorized'] = String(c.authorized);
      }
      return undefined;
    },
  }),
});

let tmp: { dir: string; cleanup(): void };
let pki: TestPki;
let trusted: PemPair;
let untrusted: PemPair;
let upstream: Upstream;
let gw: Running;
let devCa: string;

function configYaml(dir: string, upstreamUrl: string): string {
  const f = (name: string) => JSON.stringify(path.join(dir, name));
  return `version: 1
data_dir: ${JSON.stringify(path.join(dir, 'data'))}
listeners:
  - name: dev
    address: 127.0.0.1:0
    protocol: https
    tls: { min_version: TLSv1.3, http2: true }
  - name: h1only
    address: 127.0.0.1:0
    protocol: https
    tls: { cert: ${f('server.pem')}, key: ${f('server-key.pem')}, http2: false }
  - name: tls12
    address: 127.0.0.1:0
    protocol: https
    tls: { cert: ${f('server.pem')}, key: ${f('server-key.pem')}, min_version: TLSv1.2 }
  - name: mtls
    address: 127.0.0.1:0
    protocol: https
    tls:
      cert: ${f('server.pem')}
      key: ${f('server-key.pem')}
      client_auth: { mode: require, ca: ${f('clients-ca.pem')} }
  - name: mtls_optional
    address: 127.0.0.1:0
    protocol: https
    tls:
      cert: ${f('server.pem')}
      key: ${f('server-key.pem')}
      client_auth: { mode: optional, ca: ${f('clients-ca.pem')} }
admin: { enabled: false }
upstreams:
  app: { targets: [${JSON.stringify(upstreamUrl)}] }
routes:
  - name: all
    upstream: app
    stages: [protocol_guard, test_client_identity, action]
logging: { level: silent }
`;
}

before(async () => {
  tmp = tempDir();
  pki = await makeTestPki();
  [trusted, untrusted] = await Promise.all([
    pki.client({ cn: 'billing', spiffe: SPIFFE }),
    pki.untrustedClient({ cn: 'mallory', spiffe: 'spiffe://evil.test/x' }),
  ]);
  writeFileSync(path.join(tmp.dir, 'server.pem'), pki.server.cert);
  writeFileSync(path.join(tmp.dir, 'server-key.pem'), pki.server.key);
  writeFileSync(path.join(tmp.dir, 'clients-ca.pem'), pki.caCert);
  upstream = await startUpstream('app');
  gw = await startGateway(writeConfig(tmp.dir, configYaml(tmp.dir, upstream.url)));
  devCa = readFileSync(path.join(tmp.dir, 'data', 'tls', 'dev-cert.pem'), 'utf8');
});

after(async () => {
  await gw?.stop();
  await upstream?.close();
  tmp?.cleanup();
});

const portOf = (name: string) => Number(new URL(listenerUrl(gw, name)).port);

interface Handshake {
  protocol: string | null;
  alpn: string | false | null;
}

/** A bare TLS handshake; resolves with what was negotiated, rejects with the handshake error. */
function handshake(listener: string, opts: tls.ConnectionOptions): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port: portOf(listener), servername: 'localhost', ...opts });
    s.once('secureConnect', () => {
      const out = { protocol: s.getProtocol(), alpn: s.alpnProtocol };
      s.end();
      resolve(out);
    });
    s.once('error', (e) => {
      s.destroy();
      reject(e);
    });
  });
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  alpn: string | false | null;
}

type TlsRequestOptions = https.RequestOptions & Pick<tls.ConnectionOptions, 'ALPNProtocols'>;

/** HTTPS/1.1 GET with the given TLS client options (no connection reuse). */
function get1(listener: string, p: string, opts: TlsRequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${listenerUrl(gw, listener)}${p}`,
      { servername: 'localhost', ca: pki.caCert, agent: false, ALPNProtocols: ['http/1.1'], ...opts } as TlsRequestOptions,
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
            alpn: (res.socket as tls.TLSSocket).alpnProtocol,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** HTTP/2 GET on a fresh session. */
function get2(listener: string, p: string, opts: http2.SecureClientSessionOptions = {}, authority?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(listenerUrl(gw, listener), { servername: 'localhost', ca: pki.caCert, ...opts });
    session.on('error', (e) => {
      session.destroy();
      reject(e);
    });
    const req = session.request({ ':path': p, ':method': 'GET', ...(authority ? { ':authority': authority } : {}) });
    let headers: http2.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    req.on('response', (h) => {
      headers = h;
    });
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const alpn = session.alpnProtocol ?? null;
      session.close();
      if (headers[':status'] === undefined) {
        // The connection went away before any response (e.g. a refused client certificate).
        const e: NodeJS.ErrnoException = new Error('HTTP/2 stream closed without a response');
        e.code = 'ECONNRESET';
        reject(e);
      } else resolve({ status: Number(headers[':status']), headers, body: Buffer.concat(chunks).toString(), alpn });
    });
    req.on('error', (e) => {
      session.destroy();
      reject(e);
    });
    req.end();
  });
}

function seenPath(p: string): boolean {
  return upstream.seen.some((s) => s.url === p);
}

describe('TLS with the generated development certificate', () => {
  test('negotiates TLS 1.3 with a certificate valid for localhost, offering h2 then http/1.1', async () => {
    const h = await handshake('dev', { ca: devCa, ALPNProtocols: ['h2', 'http/1.1'] });
    assert.equal(h.protocol, 'TLSv1.3');
    assert.equal(h.alpn, 'h2');
    const h1 = await handshake('dev', { ca: devCa, ALPNProtocols: ['http/1.1'] });
    assert.equal(h1.alpn, 'http/1.1');
  });

  test('serves HTTP/2: :status 200 from the upstream through the gateway', async () => {
    const r = await get2('dev', '/over-h2?q=1', { ca: devCa }, 'app.example.test');
    assert.equal(r.alpn, 'h2');
    assert.equal(r.status, 200, r.body);
    const seen = JSON.parse(r.body) as { upstream: string; url: string; headers: Record<string, string> };
    assert.equal(seen.upstream, 'app');
    assert.equal(seen.url, '/over-h2?q=1');
    assert.equal(seen.headers['x-forwarded-proto'], 'https');
    assert.equal(seen.headers.host, 'app.example.test', 'Host comes from :authority');
    assert.equal(seen.headers['x-forwarded-host'], 'app.example.test');
    assert.ok(r.headers['x-request-id'], 'x-request-id on the HTTP/2 response');
  });

  test('serves HTTP/1.1 on the same port', async () => {
    const r = await get1('dev', '/over-h1', { ca: devCa });
    assert.equal(r.alpn, 'http/1.1');
    assert.equal(r.status, 200, r.body);
    assert.equal(JSON.parse(r.body).url, '/over-h1');
    // A client that offers no ALPN at all gets HTTP/1.1 too.
    const plain = await get1('dev', '/no-alpn', { ca: devCa, ALPNProtocols: [] });
    assert.equal(plain.status, 200, plain.body);
  });

  test('min_version TLSv1.3 refuses a client that speaks at most TLS 1.2', async () => {
    await assert.rejects(handshake('dev', { ca: devCa, maxVersion: 'TLSv1.2' }), (e: NodeJS.ErrnoException) => {
      assert.match(String(e.code ?? e.message), /PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|WRONG_VERSION/i);
      return true;
    });
  });

  test('min_version TLSv1.2 accepts that same client (the refusal above is the setting, not the client)', async () => {
    const h = await handshake('tls12', { ca: pki.caCert, maxVersion: 'TLSv1.2' });
    assert.equal(h.protocol, 'TLSv1.2');
  });

  test('http2: false offers HTTP/1.1 only', async () => {
    const h = await handshake('h1only', { ca: pki.caCert, ALPNProtocols: ['h2', 'http/1.1'] });
    assert.equal(h.alpn, 'http/1.1');
    const r = await get1('h1only', '/h1only');
    assert.equal(r.status, 200, r.body);
  });
});

describe('mTLS, client_auth require', () => {
  test('a client certificate from the trusted CA gets 200 and its identity reaches the pipeline (HTTP/1.1)', async () => {
    const r = await get1('mtls', '/mtls-trusted', { cert: trusted.cert, key: trusted.key });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.headers['x-client-cert'], 'present');
    assert.equal(r.headers['x-client-spiffe'], SPIFFE);
    assert.equal(r.headers['x-client-subject'], 'CN=billing,O=ShieldX tests');
    assert.equal(r.headers['x-client-authorized'], 'true');
    assert.ok(seenPath('/mtls-trusted'));
  });

  test('the identity reaches the pipeline over HTTP/2 too', async () => {
    const r = await get2('mtls', '/mtls-h2', { cert: trusted.cert, key: trusted.key });
    assert.equal(r.alpn, 'h2');
    assert.equal(r.status, 200, r.body);
    assert.equal(r.headers['x-client-spiffe'], SPIFFE);
    assert.equal(r.headers['x-client-authorized'], 'true');
  });

  test('a certificate from an unrelated CA is refused in the handshake', async () => {
    // TLS 1.3 clients finish their side of the handshake first; the server then drops the connection
    // without ever reading a request, so the client sees a reset (or an alert), never a response.
    for (const send of [get1, get2]) {
      await assert.rejects(
        send('mtls', '/mtls-untrusted', { cert: untrusted.cert, key: untrusted.key }),
        (e: NodeJS.ErrnoException) => {
          assert.match(String(e.code), /ECONNRESET|ERR_SSL_|ERR_HTTP2_/);
          return true;
        },
      );
    }
    assert.equal(seenPath('/mtls-untrusted'), false, 'nothing reached the upstream');
  });

  test('no client certificate is refused in the handshake', async () => {
    const certificateRequired = (e: NodeJS.ErrnoException) => {
      assert.equal(e.code, 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
      return true;
    };
    await assert.rejects(get1('mtls', '/mtls-none'), certificateRequired);
    await assert.rejects(get2('mtls', '/mtls-none-h2'), certificateRequired);
    assert.equal(seenPath('/mtls-none'), false);
    assert.equal(seenPath('/mtls-none-h2'), false);
  });
});

describe('mTLS, client_auth optional', () => {
  test('no client certificate passes, and the pipeline sees none', async () => {
    const r = await get1('mtls_optional', '/opt-none');
    assert.equal(r.status, 200, r.body);
    assert.equal(r.headers['x-client-cert'], 'none');
  });

  test('a trusted certificate passes with its identity', async () => {
    const r = await get1('mtls_optional', '/opt-trusted', { cert: trusted.cert, key: trusted.key });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.headers['x-client-spiffe'], SPIFFE);
    assert.equal(r.headers['x-client-authorized'], 'true');
  });

  test('an untrusted certificate passes the handshake but is marked not authorized', async () => {
    const r = await get1('mtls_optional', '/opt-untrusted', { cert: untrusted.cert, key: untrusted.key });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.headers['x-client-cert'], 'present');
    assert.equal(r.headers['x-client-authorized'], 'false');
  });
});
