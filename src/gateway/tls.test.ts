import assert from 'node:assert/strict';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http2 from 'node:http2';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import tls from 'node:tls';
import { pino } from 'pino';
import { type TlsConfig, tlsSchema } from '../config/schema.js';
import type { ClientIdentity } from '../pipeline/stage.js';
import { makeTestPki, type PemPair, type TestPki } from '../testing/pki.js';
import { clientIdentity } from './client-identity.js';
import {
  applySecureContext,
  buildSecureContextOptions,
  DEV_CERT_VALIDITY_DAYS,
  devCertificateNames,
  ensureDevCertificate,
  type SecureContextSetup,
  TlsConfigError,
} from './tls.js';

const DAY_MS = 86_400_000;
const tmpDirs: string[] = [];
async function tmpDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shieldx-tls-'));
  tmpDirs.push(dir);
  return dir;
}
after(() => Promise.all(tmpDirs.map((d) => rm(d, { recursive: true, force: true }))));

function captureLog() {
  const lines: { level: number; msg: string; reason?: string }[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { log, lines, warnings: () => lines.filter((l) => l.level === 40) };
}

const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;
const tlsConfig = (v: Record<string, unknown>): TlsConfig => tlsSchema.parse(v);

describe('ensureDevCertificate', () => {
  test('first start generates a self-signed ECDSA development certificate, 0600 key, and warns', async () => {
    const dataDir = await tmpDir();
    const { log, warnings } = captureLog();
    const now = new Date('2030-01-15T12:00:00.000Z');
    const dev = await ensureDevCertificate(dataDir, log, now);
    assert.equal(dev.generated, true);
    assert.equal(dev.certPath, path.join(dataDir, 'tls', 'dev-cert.pem'));
    assert.equal(dev.keyPath, path.join(dataDir, 'tls', 'dev-key.pem'));
    assert.equal(await readFile(dev.certPath, 'utf8'), dev.cert);
    assert.equal(await readFile(dev.keyPath, 'utf8'), dev.key);
    assert.equal((await stat(dev.keyPath)).mode & 0o777, 0o600);
    assert.match(dev.key, /^-----BEGIN PRIVATE KEY-----/);

    const cert = new X509Certificate(dev.cert);
    assert.equal(cert.subject, 'CN=ShieldX development');
    assert.equal(cert.issuer, cert.subject);
    assert.ok(cert.verify(cert.publicKey));
    assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal(cert.ca, false);
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1']);
    const sans = cert.subjectAltName?.split(', ') ?? [];
    for (const san of ['DNS:localhost', 'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1'])
      assert.ok(sans.includes(san), `${san} in ${sans.join(', ')}`);
    for (const dns of devCertificateNames().dns) assert.ok(sans.includes(`DNS:${dns}`), `DNS:${dns}`);
    const notBefore = Date.parse(cert.validFrom);
    assert.equal(notBefore, now.getTime() - 5 * 60_000);
    assert.equal(Date.parse(cert.validTo) - notBefore, DEV_CERT_VALIDITY_DAYS * DAY_MS);
    assert.match(warnings().at(-1)?.msg ?? '', /self-signed development certificate/);
  });

  test('later starts reuse the files; a corrupt, mismatched, partial or expired pair is replaced with the reason logged', async () => {
    const dataDir = await tmpDir();
    const first = await ensureDevCertificate(dataDir);
    const again = await ensureDevCertificate(dataDir);
    assert.equal(again.generated, false);
    assert.equal(fingerprint(again.cert), fingerprint(first.cert));

    let last = fingerprint(first.cert);
    const replacedBecause = async (reason: RegExp, now?: Date) => {
      const { log, warnings } = captureLog();
      const dev = await ensureDevCertificate(dataDir, log, now);
      assert.equal(dev.generated, true);
      assert.notEqual(fingerprint(dev.cert), last);
      last = fingerprint(dev.cert);
      assert.match(warnings()[0]?.reason ?? '', reason);
      assert.equal((await ensureDevCertificate(dataDir, undefined, now)).generated, false, 'the new pair is reused');
    };

    await writeFile(first.certPath, '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n');
    await replacedBecause(/dev-cert\.pem is not a readable certificate/);

    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    await writeFile(first.keyPath, otherKey);
    await replacedBecause(/dev-key\.pem does not match/);

    await rm(first.keyPath);
    await replacedBecause(/dev-key\.pem is missing/);

    const current = new X509Certificate(await readFile(first.certPath, 'utf8'));
    await replacedBecause(/certificate expired at/, new Date(Date.parse(current.validTo) + 1000));
    // The pair above was made for a clock a year ahead: today it is not yet valid.
    await replacedBecause(/not valid before/);
    assert.equal((await stat(first.keyPath)).mode & 0o777, 0o600);
  });

  test('an unwritable data directory is a clear error', async () => {
    const file = path.join(await tmpDir(), 'not-a-dir');
    await writeFile(file, 'x');
    await assert.rejects(ensureDevCertificate(file), (err: Error) => {
      assert.ok(err instanceof TlsConfigError);
      assert.match(err.message, /cannot write the development TLS certificate to .*not-a-dir/);
      return true;
    });
  });

  test('host names: valid DNS names are added once, others left out', () => {
    assert.deepEqual(devCertificateNames('My-Host.example').dns, ['localhost', 'my-host.example']);
    assert.deepEqual(devCertificateNames('localhost').dns, ['localhost']);
    assert.deepEqual(devCertificateNames('bad_host name').dns, ['localhost']);
    assert.deepEqual(devCertificateNames('').ip, ['127.0.0.1', '::1']);
  });
});

describe('buildSecureContextOptions: config and file errors', async () => {
  const pki = await makeTestPki();
  const dir = await tmpDir();
  const file = async (name: string, text: string) => {
    const p = path.join(dir, name);
    await writeFile(p, text);
    return p;
  };
  const cert = await file('server.pem', pki.server.cert);
  const key = await file('server-key.pem', pki.server.key);
  const ca = await file('ca.pem', pki.caCert);

  const rejectsWith = (v: Record<string, unknown>, re: RegExp) =>
    assert.rejects(buildSecureContextOptions(tlsConfig(v), dir), (err: Error) => {
      assert.ok(err instanceof TlsConfigError, String(err));
      assert.match(err.message, re);
      return true;
    });

  test('maps settings to server options', async () => {
    const h2 = await buildSecureContextOptions(tlsConfig({ cert, key }), dir);
    assert.equal(h2.certPath, cert);
    assert.equal(h2.devCertificate, false);
    assert.deepEqual(
      { ...h2.options, cert: undefined, key: undefined },
      {
        cert: undefined,
        key: undefined,
        minVersion: 'TLSv1.3',
        ALPNProtocols: ['h2', 'http/1.1'],
        allowHTTP1: true,
        requestCert: false,
        rejectUnauthorized: false,
      },
    );
    const h1 = await buildSecureContextOptions(
      tlsConfig({ cert, key, http2: false, min_version: 'TLSv1.2', client_auth: { mode: 'optional', ca } }),
      dir,
    );
    assert.deepEqual(h1.options.ALPNProtocols, ['http/1.1']);
    assert.equal(h1.options.minVersion, 'TLSv1.2');
    assert.equal(h1.options.ca, pki.caCert);
    assert.equal(h1.options.requestCert, true);
    assert.equal(h1.options.rejectUnauthorized, false);
    const req = await buildSecureContextOptions(tlsConfig({ cert, key, client_auth: { mode: 'require', ca } }), dir);
    assert.equal(req.options.rejectUnauthorized, true);
    assert.equal(req.notAfter.getTime(), Date.parse(new X509Certificate(pki.server.cert).validTo));
  });

  test('without cert and key the development certificate is used', async () => {
    const dataDir = await tmpDir();
    const setup = await buildSecureContextOptions(undefined, dataDir);
    assert.equal(setup.devCertificate, true);
    assert.equal(setup.certPath, path.join(dataDir, 'tls', 'dev-cert.pem'));
    assert.equal(setup.options.cert, await readFile(setup.certPath, 'utf8'));
  });

  test('missing file', () =>
    rejectsWith({ cert: path.join(dir, 'nope.pem'), key }, /^tls\.cert: cannot read ".*nope\.pem": ENOENT/));
  test('not PEM', async () =>
    rejectsWith({ cert, key: await file('junk.key', 'hello') }, /^tls\.key: ".*junk\.key" is not a PEM private key/));
  test('key and certificate swapped', () => rejectsWith({ cert: key, key: cert }, /^tls\.(cert|key): .* is not a PEM/));
  test('key of another certificate', async () => {
    const other = await pki.client({ cn: 'other' });
    await rejectsWith(
      { cert, key: await file('other.key', other.key) },
      /^tls\.key: ".*other\.key" does not belong to the certificate in ".*server\.pem"/,
    );
  });
  test('encrypted key', async () => {
    const encrypted = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'secret',
    });
    await rejectsWith({ cert, key: await file('enc.key', String(encrypted)) }, /^tls\.key: ".*enc\.key" is encrypted/);
  });
  test('corrupt certificate body', async () => {
    const broken = await file('broken.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    await rejectsWith({ cert: broken, key }, /^tls\.cert: certificate #1 in ".*broken\.pem" is invalid/);
  });
  test('client CA missing or not a certificate', async () => {
    await rejectsWith(
      { cert, key, client_auth: { mode: 'require', ca: path.join(dir, 'no-ca.pem') } },
      /^tls\.client_auth\.ca: cannot read/,
    );
    await rejectsWith({ cert, key, client_auth: { mode: 'optional', ca: key } }, /^tls\.client_auth\.ca: ".*" is not PEM CA/);
  });
});

// ---------------------------------------------------------------------------------------------
// Real listeners built from the options, as the gateway builds them.

type AnyTlsServer = http2.Http2SecureServer | https.Server;
interface Listener {
  server: AnyTlsServer;
  port: number;
  /** Requests that reached the handler. */
  requests(): number;
  close(): Promise<void>;
}

/** Answers every request with its HTTP version and the client identity the gateway would see. */
function reply(req: http2.Http2ServerRequest, res: http2.Http2ServerResponse): void {
  const socket = (req.httpVersion === '2.0' ? req.stream.session?.socket : req.socket) as tls.TLSSocket;
  const identity = clientIdentity(socket) ?? null;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ httpVersion: req.httpVersion, identity }));
}

async function listen(setup: SecureContextSetup): Promise<Listener> {
  let requests = 0;
  const handler = (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
    requests++;
    reply(req, res);
  };
  const server: AnyTlsServer = setup.options.ALPNProtocols.includes('h2')
    ? http2.createSecureServer({ ...setup.options, allowHTTP1: true }, handler)
    : https.createServer(setup.options, handler as never);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    requests: () => requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

interface Reply {
  status: number;
  httpVersion: string;
  identity: ClientIdentity | null;
  tlsProtocol: string | null;
  alpn: string | false | null;
  peer: string;
}

type ClientTls = { ca?: string | string[]; minVersion?: tls.SecureVersion; maxVersion?: tls.SecureVersion } & Partial<PemPair>;

/** HTTP/1.1 GET / over a fresh TLS connection. */
function h1Get(port: number, opts: ClientTls): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path: '/', agent: false, ...opts }, (res) => {
      const socket = res.socket as tls.TLSSocket;
      const tlsProtocol = socket.getProtocol();
      const alpn = socket.alpnProtocol;
      const peer = socket.getPeerX509Certificate()?.fingerprint256 ?? '';
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ...JSON.parse(body), tlsProtocol, alpn, peer }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** HTTP/2 GET / on a new session. */
function h2Get(port: number, opts: ClientTls): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`https://127.0.0.1:${port}`, opts);
    const fail = (err: Error) => {
      session.destroy();
      reject(err);
    };
    session.on('error', fail);
    const req = session.request({ ':path': '/' });
    req.on('error', fail);
    let status = 0;
    let body = '';
    req.on('response', (h) => (status = Number(h[':status'])));
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const socket = session.socket as tls.TLSSocket;
      const r = { status, ...JSON.parse(body), tlsProtocol: socket.getProtocol(), alpn: session.alpnProtocol ?? null };
      session.close();
      resolve({ ...r, peer: '' });
    });
  });
}

/**
 * The request must fail, the server must report a failed TLS handshake, and nothing may reach the
 * handler. (With TLS 1.3 the client finishes its side first, so its error is a hang-up or an alert.)
 */
async function assertHandshakeRejected(l: Listener, attempt: () => Promise<unknown>): Promise<void> {
  const served = l.requests();
  const serverSide = once(l.server, 'tlsClientError');
  await assert.rejects(attempt());
  await serverSide;
  assert.equal(l.requests(), served);
}

describe('listeners built from the options', { timeout: 60_000 }, async () => {
  let pki: TestPki;
  let dir: string;
  let files: { cert: string; key: string; ca: string };
  before(async () => {
    pki = await makeTestPki();
    dir = await tmpDir();
    files = { cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem'), ca: path.join(dir, 'ca.pem') };
    await Promise.all([
      writeFile(files.cert, pki.server.cert),
      writeFile(files.key, pki.server.key),
      writeFile(files.ca, pki.caCert),
    ]);
  });
  const build = (v: Record<string, unknown>) =>
    buildSecureContextOptions(tlsConfig({ cert: files.cert, key: files.key, ...v }), dir);

  test('development certificate: TLS 1.3, h2 by ALPN, HTTP/1.1 on the same port', async () => {
    const setup = await buildSecureContextOptions(undefined, await tmpDir());
    const l = await listen(setup);
    try {
      const trust = { ca: setup.options.cert as string };
      const raw = await new Promise<tls.TLSSocket>((resolve, reject) => {
        const s = tls.connect({ host: '127.0.0.1', port: l.port, ...trust, ALPNProtocols: ['h2', 'http/1.1'] }, () => resolve(s));
        s.on('error', reject);
      });
      assert.equal(raw.getProtocol(), 'TLSv1.3');
      assert.equal(raw.alpnProtocol, 'h2');
      assert.equal(raw.authorized, true);
      raw.destroy();

      const h2 = await h2Get(l.port, trust);
      assert.deepEqual([h2.status, h2.httpVersion, h2.alpn, h2.tlsProtocol, h2.identity], [200, '2.0', 'h2', 'TLSv1.3', null]);
      const h1 = await h1Get(l.port, trust);
      assert.deepEqual([h1.status, h1.httpVersion, h1.tlsProtocol], [200, '1.1', 'TLSv1.3']);
      assert.equal(h1.peer, fingerprint(setup.options.cert as string));
      // Not trusted by a client that only trusts the public CAs.
      await assert.rejects(h1Get(l.port, {}), /self-signed certificate/);
    } finally {
      await l.close();
    }
  });

  test('http2: false offers only http/1.1', async () => {
    const l = await listen(await build({ http2: false }));
    try {
      const raw = await new Promise<tls.TLSSocket>((resolve, reject) => {
        const s = tls.connect({ host: '127.0.0.1', port: l.port, ca: pki.caCert, ALPNProtocols: ['h2', 'http/1.1'] }, () =>
          resolve(s),
        );
        s.on('error', reject);
      });
      assert.equal(raw.alpnProtocol, 'http/1.1');
      raw.destroy();
      assert.equal((await h1Get(l.port, { ca: pki.caCert })).httpVersion, '1.1');
    } finally {
      await l.close();
    }
  });

  test('min_version TLSv1.3 refuses a TLS 1.2 client; TLSv1.2 accepts it', async () => {
    const strict = await listen(await build({}));
    const lenient = await listen(await build({ min_version: 'TLSv1.2' }));
    try {
      const old = { ca: pki.caCert, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' } as const;
      const serverSide = once(strict.server, 'tlsClientError');
      await assert.rejects(h1Get(strict.port, old), /protocol version|alert/i);
      assert.match(((await serverSide) as [Error])[0].message, /unsupported protocol/);
      assert.equal((await h1Get(lenient.port, old)).tlsProtocol, 'TLSv1.2');
      assert.equal((await h1Get(lenient.port, { ca: pki.caCert })).tlsProtocol, 'TLSv1.3');
    } finally {
      await Promise.all([strict.close(), lenient.close()]);
    }
  });

  test('client_auth require: trusted client in, identity with SPIFFE ID; untrusted or no certificate refused', async () => {
    const l = await listen(await build({ client_auth: { mode: 'require', ca: files.ca } }));
    try {
      const spiffe = 'spiffe://shieldx.test/ns/prod/sa/orders';
      const client = await pki.client({ cn: 'orders', spiffe });
      for (const get of [h2Get, h1Get]) {
        const r = await get(l.port, { ca: pki.caCert, ...client });
        assert.equal(r.status, 200);
        assert.deepEqual(r.identity, {
          subject: 'CN=orders,O=ShieldX tests',
          issuer: 'CN=ShieldX test CA,O=ShieldX tests',
          sans: [`URI:${spiffe}`],
          spiffe_id: spiffe,
          fingerprint256: fingerprint(client.cert),
          authorized: true,
        });
      }
      await assertHandshakeRejected(l, async () => h1Get(l.port, { ca: pki.caCert, ...(await pki.untrustedClient()) }));
      await assertHandshakeRejected(l, () => h1Get(l.port, { ca: pki.caCert }));
      await assertHandshakeRejected(l, () => h2Get(l.port, { ca: pki.caCert }));
    } finally {
      await l.close();
    }
  });

  test('client_auth optional: no certificate is fine, an untrusted one is marked unauthorized', async () => {
    const l = await listen(await build({ client_auth: { mode: 'optional', ca: files.ca } }));
    try {
      const none = await h1Get(l.port, { ca: pki.caCert });
      assert.deepEqual([none.status, none.identity], [200, null]);
      const untrusted = await pki.untrustedClient({ cn: 'stranger', spiffe: 'spiffe://elsewhere.test/x' });
      const u = await h2Get(l.port, { ca: pki.caCert, ...untrusted });
      assert.equal(u.status, 200);
      assert.equal(u.identity?.authorized, false);
      assert.equal(u.identity?.issuer, 'CN=Unrelated test CA,O=ShieldX tests');
      assert.equal(u.identity?.spiffe_id, 'spiffe://elsewhere.test/x');
      const t = await h1Get(l.port, { ca: pki.caCert, ...(await pki.client({ cn: 'friend' })) });
      assert.equal(t.identity?.authorized, true);
      assert.equal(t.identity?.spiffe_id, undefined);
    } finally {
      await l.close();
    }
  });

  test('applySecureContext swaps certificate and client_auth on a running listener; old sessions do not resume', async () => {
    const dev = await buildSecureContextOptions(undefined, await tmpDir());
    const l = await listen(dev);
    try {
      const devCa = dev.options.cert as string;
      // A TLS 1.3 session ticket from before the reload.
      const ticket = await new Promise<Buffer>((resolve, reject) => {
        const s = tls.connect({ host: '127.0.0.1', port: l.port, ca: devCa });
        s.once('session', (session: Buffer) => {
          s.destroy();
          resolve(session);
        });
        s.on('error', reject);
      });
      const before = await h1Get(l.port, { ca: devCa });
      assert.equal(before.peer, fingerprint(devCa));
      // The ticket works while nothing has changed...
      const resumed = await new Promise<boolean>((resolve, reject) => {
        const s = tls.connect({ host: '127.0.0.1', port: l.port, ca: devCa, session: ticket }, () => {
          resolve(s.isSessionReused());
          s.destroy();
        });
        s.on('error', reject);
      });
      assert.equal(resumed, true);

      applySecureContext(l.server, (await build({ client_auth: { mode: 'require', ca: files.ca } })).options);
      const client = await pki.client({ cn: 'after-reload', spiffe: 'spiffe://shieldx.test/reloaded' });
      const afterReload = await h1Get(l.port, { ca: pki.caCert, ...client });
      assert.equal(afterReload.peer, fingerprint(pki.server.cert));
      assert.equal(afterReload.identity?.spiffe_id, 'spiffe://shieldx.test/reloaded');
      await assertHandshakeRejected(l, () => h1Get(l.port, { ca: pki.caCert }));
      // ...but resuming it after the reload must not skip the now-required client certificate.
      await assert.rejects(
        new Promise<void>((resolve, reject) => {
          const s = tls.connect({ host: '127.0.0.1', port: l.port, ca: [devCa, pki.caCert], session: ticket }, () => {
            assert.equal(s.isSessionReused(), false);
            s.write('GET / HTTP/1.1\r\nhost: localhost\r\n\r\n');
          });
          s.on('data', () => resolve());
          s.on('error', reject);
          s.on('end', () => reject(new Error('closed without a response')));
        }),
      );

      // And back: mTLS off again.
      applySecureContext(l.server, (await build({})).options);
      const open = await h1Get(l.port, { ca: pki.caCert });
      assert.deepEqual([open.status, open.identity], [200, null]);
    } finally {
      await l.close();
    }
  });
});

test('key files written by ensureDevCertificate stay 0600 when replaced over a looser file', async () => {
  const dataDir = await tmpDir();
  const dev = await ensureDevCertificate(dataDir);
  await chmod(dev.keyPath, 0o644);
  await writeFile(dev.certPath, 'garbage');
  await ensureDevCertificate(dataDir);
  assert.equal((await stat(dev.keyPath)).mode & 0o777, 0o600);
});
