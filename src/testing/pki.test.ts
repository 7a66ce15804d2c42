import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, test } from 'node:test';
import tls from 'node:tls';
import { makeTestPki } from './pki.js';

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

describe('makeTestPki', async () => {
  const pki = await makeTestPki();
  const ca = new X509Certificate(pki.caCert);
  const otherCa = new X509Certificate(pki.otherCa.cert);

  test('the CA is a self-signed CA certificate with a PKCS#8 EC P-256 key', () => {
    assert.equal(ca.ca, true);
    assert.ok(ca.checkIssued(ca));
    assert.ok(ca.verify(ca.publicKey));
    assert.match(pki.caKey, /^-----BEGIN PRIVATE KEY-----/);
    const key = createPrivateKey(pki.caKey);
    assert.equal(key.asymmetricKeyType, 'ec');
    assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.ok(ca.checkPrivateKey(key));
  });

  test('the server certificate is signed by the CA, for localhost, 127.0.0.1 and ::1', () => {
    const cert = new X509Certificate(pki.server.cert);
    assert.equal(cert.ca, false);
    assert.ok(cert.checkIssued(ca));
    assert.ok(cert.verify(ca.publicKey));
    assert.ok(cert.checkPrivateKey(createPrivateKey(pki.server.key)));
    assert.equal(cert.checkHost('localhost'), 'localhost');
    assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(cert.checkIP('::1'), '::1');
    assert.deepEqual(cert.keyUsage, [SERVER_AUTH]);
    // Node's own hostname check, as a TLS client runs it.
    assert.equal(tls.checkServerIdentity('localhost', cert.toLegacyObject()), undefined);
  });

  test('client certificates carry the CN, SPIFFE URI and DNS names asked for', async () => {
    const pair = await pki.client({ cn: 'api', spiffe: 'spiffe://shieldx.test/ns/prod/sa/api', dns: ['api.internal'] });
    const cert = new X509Certificate(pair.cert);
    assert.ok(cert.verify(ca.publicKey));
    assert.ok(cert.checkPrivateKey(createPrivateKey(pair.key)));
    assert.match(cert.subject, /^CN=api$/m);
    assert.equal(cert.subjectAltName, 'DNS:api.internal, URI:spiffe://shieldx.test/ns/prod/sa/api');
    assert.deepEqual(cert.keyUsage, [CLIENT_AUTH]);
    const plain = new X509Certificate((await pki.client({ cn: 'bare' })).cert);
    assert.equal(plain.subjectAltName, undefined);
  });

  test('untrusted clients chain to the unrelated CA, not to the test CA', async () => {
    const cert = new X509Certificate((await pki.untrustedClient()).cert);
    assert.ok(cert.verify(otherCa.publicKey));
    assert.equal(cert.verify(ca.publicKey), false);
    assert.equal(cert.checkIssued(ca), false);
    assert.notEqual(otherCa.fingerprint256, ca.fingerprint256);
  });

  test('every certificate is currently valid and has a distinct serial', async () => {
    const certs = [pki.caCert, pki.server.cert, pki.otherCa.cert, (await pki.client({ cn: 'x' })).cert].map(
      (pem) => new X509Certificate(pem),
    );
    const now = Date.now();
    for (const c of certs) {
      assert.ok(Date.parse(c.validFrom) <= now && now < Date.parse(c.validTo), `${c.subject} valid now`);
    }
    assert.equal(new Set(certs.map((c) => c.serialNumber)).size, certs.length);
  });
});
