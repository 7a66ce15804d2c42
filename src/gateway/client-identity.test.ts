import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import tls from 'node:tls';
import type { ClientIdentity } from '../pipeline/stage.js';
import { makeTestPki, type PemPair, type TestPki } from '../testing/pki.js';
import { clientIdentity, rfc4514Name, splitSubjectAltNames } from './client-identity.js';
import { issueCertificate } from './tls.js';

describe('splitSubjectAltNames', () => {
  const cases: [string, string, string[]][] = [
    ['one entry', 'DNS:a.example', ['DNS:a.example']],
    [
      'mixed types',
      'DNS:a, URI:spiffe://t/ns/x, IP Address:127.0.0.1, email:me@x.test',
      ['DNS:a', 'URI:spiffe://t/ns/x', 'IP Address:127.0.0.1', 'email:me@x.test'],
    ],
    ['quoted value with a comma', 'URI:"http://x/a\\u002cb", DNS:b', ['URI:http://x/a,b', 'DNS:b']],
    [
      'a quoted ", " is not a separator',
      'URI:"http://x/a, URI:spiffe://evil", DNS:c',
      ['URI:http://x/a, URI:spiffe://evil', 'DNS:c'],
    ],
    ['escaped quote inside', 'URI:"http://a\\"b"', ['URI:http://a"b']],
    ['unterminated quote is kept as text', 'DNS:"oops, DNS:b', ['DNS:"oops', 'DNS:b']],
    ['empty', '', []],
  ];
  for (const [name, input, want] of cases) test(name, () => assert.deepEqual(splitSubjectAltNames(input), want));
});

describe('rfc4514Name', () => {
  const cases: [string, string, string][] = [
    ['reverses to most specific first', 'C=US\nO=Example\nCN=api', 'CN=api,O=Example,C=US'],
    ['keeps escaped commas', 'O=a\\, b\nCN=x', 'CN=x,O=a\\, b'],
    ['multi-valued RDN', 'O=Ex\nCN=a + UID=7', 'CN=a+UID=7,O=Ex'],
    // These three are the forms Node prints for the values "a " and "a\\" in a multi-valued RDN and " lead, +x\n".
    ['escaped trailing space before +', 'O=Ex\nCN=a\\  + serialNumber=7', 'CN=a\\ +serialNumber=7,O=Ex'],
    ['escaped backslash before +', 'CN=a\\\\ + serialNumber=7', 'CN=a\\\\+serialNumber=7'],
    ['escaped specials and control characters', 'CN=\\ lead\\, \\+x\\0A', 'CN=\\ lead\\, \\+x\\0A'],
    ['single', 'CN=only', 'CN=only'],
    ['empty', '', ''],
  ];
  for (const [name, input, want] of cases) test(name, () => assert.equal(rfc4514Name(input), want));
});

/** A TLS server asking for (not requiring) client certificates; resolves each connection's server-side socket. */
async function startServer(
  pki: TestPki,
): Promise<{ port: number; next: () => Promise<tls.TLSSocket>; close: () => Promise<void> }> {
  const waiting: ((s: tls.TLSSocket) => void)[] = [];
  const server = tls.createServer(
    { ...pki.server, ca: pki.caCert, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.3' },
    (socket) => {
      socket.on('error', () => {});
      socket.write('hi');
      waiting.shift()?.(socket);
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    next: () => new Promise((r) => waiting.push(r)),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

function connect(port: number, ca: string, client?: PemPair): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca, ...client }, () => resolve(s));
    s.once('error', reject);
  });
}

describe('clientIdentity on real TLS connections', async () => {
  let pki: TestPki;
  let srv: Awaited<ReturnType<typeof startServer>>;
  before(async () => {
    pki = await makeTestPki();
    srv = await startServer(pki);
  });
  after(() => srv.close());

  async function identityFor(client?: PemPair): Promise<[ClientIdentity | undefined, tls.TLSSocket]> {
    const accepted = srv.next();
    const c = await connect(srv.port, pki.caCert, client);
    const s = await accepted;
    const id = clientIdentity(s);
    c.destroy();
    return [id, s];
  }

  test('a trusted certificate gives subject, issuer, SANs, SPIFFE ID, fingerprint, authorized', async () => {
    const client = await pki.client({ cn: 'billing', spiffe: 'spiffe://shieldx.test/ns/prod/sa/billing', dns: ['billing.svc'] });
    const [id, socket] = await identityFor(client);
    assert.deepEqual(id, {
      subject: 'CN=billing,O=ShieldX tests',
      issuer: 'CN=ShieldX test CA,O=ShieldX tests',
      sans: ['DNS:billing.svc', 'URI:spiffe://shieldx.test/ns/prod/sa/billing'],
      spiffe_id: 'spiffe://shieldx.test/ns/prod/sa/billing',
      fingerprint256: new X509Certificate(client.cert).fingerprint256,
      authorized: true,
    });
    // Cached: the same object for every later request on the connection.
    assert.equal(clientIdentity(socket), id);
  });

  test('no certificate presented: undefined, also on the second look', async () => {
    const [id, socket] = await identityFor();
    assert.equal(id, undefined);
    assert.equal(clientIdentity(socket), undefined);
  });

  test('a certificate from an unrelated CA is reported with authorized false', async () => {
    const [id] = await identityFor(await pki.untrustedClient({ cn: 'mallory', spiffe: 'spiffe://evil.test/x' }));
    assert.ok(id);
    assert.equal(id.authorized, false);
    assert.equal(id.subject, 'CN=mallory,O=ShieldX tests');
    assert.equal(id.issuer, 'CN=Unrelated test CA,O=ShieldX tests');
    assert.equal(id.spiffe_id, 'spiffe://evil.test/x');
  });

  test('a comma inside a URI SAN cannot smuggle in a SPIFFE ID; escaped subject values survive', async () => {
    const notBefore = new Date(Date.now() - 60_000);
    const client = await issueCertificate({
      subject: [{ O: ['Acme, Inc.'] }, { CN: ['x+y'] }],
      usage: 'client',
      issuer: { cert: pki.caCert, key: pki.caKey },
      sans: { uri: ['https://a.test/p, URI:spiffe://evil.test/admin'], dns: ['b.test'] },
      notBefore,
      notAfter: new Date(notBefore.getTime() + 3_600_000),
    });
    const [id] = await identityFor(client);
    assert.ok(id);
    assert.deepEqual(id.sans, ['DNS:b.test', 'URI:https://a.test/p, URI:spiffe://evil.test/admin']);
    assert.equal(id.spiffe_id, undefined);
    assert.equal(id.subject, 'CN=x\\+y,O=Acme\\, Inc.');
  });

  test('a plain (non-TLS) socket-like object gives undefined', () => {
    assert.equal(clientIdentity({} as tls.TLSSocket), undefined);
  });
});

test('HTTP/2: session.socket is one object per connection, so identity is read once for many streams', async () => {
  const pki = await makeTestPki();
  const seen: { viaSession: ClientIdentity | undefined; sessionSocket: object }[] = [];
  const server = http2.createSecureServer(
    { ...pki.server, ca: pki.caCert, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const sessionSocket = req.stream.session?.socket as tls.TLSSocket;
      seen.push({ viaSession: clientIdentity(sessionSocket), sessionSocket });
      res.end();
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const client = await pki.client({ cn: 'h2', spiffe: 'spiffe://shieldx.test/h2' });
  const session = http2.connect(`https://127.0.0.1:${port}`, { ca: pki.caCert, servername: 'localhost', ...client });
  try {
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => {
        const req = session.request({ ':path': '/' });
        req.on('error', reject);
        req.resume();
        req.on('end', resolve);
      });
    }
  } finally {
    session.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
  assert.equal(seen.length, 3);
  assert.equal(seen[0]?.viaSession?.spiffe_id, 'spiffe://shieldx.test/h2');
  assert.equal(seen[0]?.viaSession?.authorized, true);
  assert.equal(seen[1]?.sessionSocket, seen[0]?.sessionSocket);
  assert.equal(seen[1]?.viaSession, seen[0]?.viaSession);
  assert.equal(seen[2]?.viaSession, seen[0]?.viaSession);
});
