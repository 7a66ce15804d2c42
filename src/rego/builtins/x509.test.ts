import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { before, test } from 'node:test';
import './x509.js';
import { CLIENT_AUTH, type Issued, issue, nameConstraints, request, SERVER_AUTH } from './x509fixtures.js';
import { callJSON, testContext, thrownBy } from './testing.js';

// 2025-01-01, inside the fixtures' 2020..2040 validity.
const NOW_NS = BigInt(Date.UTC(2025, 0, 1)) * 1_000_000n;
const ctx = testContext(NOW_NS);

const call = (name: string, ...args: unknown[]) => callJSON(name, args, ctx);
const callErr = (name: string, ...args: unknown[]) => (thrownBy(name, () => call(name, ...args)) as Error).message;

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

let root: Issued;
let inter: Issued;
let leaf: Issued;
let rsaLeaf: Issued;
let expired: Issued;
let constrainedRoot: Issued;
let allowedLeaf: Issued;
let forbiddenLeaf: Issued;
let sha1Root: Issued;
let sha1Leaf: Issued;

before(async () => {
  root = await issue({ subject: 'CN=Test Root,O=Acme', ca: true });
  inter = await issue({ subject: 'CN=Test Intermediate,O=Acme', ca: true, pathLen: 0, issuer: root });
  leaf = await issue({
    subject: 'CN=www.example.com,O=Acme,C=DE',
    issuer: inter,
    dns: ['www.example.com', '*.api.example.com'],
    ips: ['10.1.2.3', '2001:db8::7'],
    uris: ['spiffe://example.com/ns/default/sa/web'],
    emails: ['ops@example.com'],
    eku: [SERVER_AUTH],
  });
  rsaLeaf = await issue({ subject: 'CN=rsa.example.com', issuer: inter, alg: 'rsa', dns: ['rsa.example.com'] });
  expired = await issue({
    subject: 'CN=old.example.com',
    issuer: inter,
    dns: ['old.example.com'],
    notAfter: new Date('2021-01-01T00:00:00Z'),
  });
  constrainedRoot = await issue({ subject: 'CN=Constrained Root', ca: true, extra: [nameConstraints(['example.com'])] });
  allowedLeaf = await issue({ subject: 'CN=ok', issuer: constrainedRoot, dns: ['svc.example.com'] });
  forbiddenLeaf = await issue({ subject: 'CN=bad', issuer: constrainedRoot, dns: ['svc.example.org'] });
  sha1Root = await issue({ subject: 'CN=SHA1 Root', ca: true, alg: 'rsa-sha1' });
  sha1Leaf = await issue({ subject: 'CN=sha1 leaf', issuer: sha1Root, dns: ['sha1.example.com'] });
});

test('parse_certificates: Go x509.Certificate fields', () => {
  const [c] = call('crypto.x509.parse_certificates', leaf.pem);
  const [ic] = call('crypto.x509.parse_certificates', inter.pem);
  const cases: [string, unknown, unknown][] = [
    ['Subject.CommonName', c.Subject.CommonName, 'www.example.com'],
    ['Subject.Organization', c.Subject.Organization, ['Acme']],
    ['Subject.Country', c.Subject.Country, ['DE']],
    ['Subject.Locality', c.Subject.Locality, null],
    ['Issuer.CommonName', c.Issuer.CommonName, 'Test Intermediate'],
    ['Names[0]', c.Subject.Names[0], { Type: [2, 5, 4, 3], Value: 'www.example.com' }],
    ['Version', c.Version, 3],
    ['SignatureAlgorithm (ECDSAWithSHA256)', c.SignatureAlgorithm, 10],
    ['PublicKeyAlgorithm (ECDSA)', c.PublicKeyAlgorithm, 3],
    ['PublicKey.Curve', c.PublicKey.Curve, {}],
    ['NotBefore', c.NotBefore, '2020-01-01T00:00:00Z'],
    ['NotAfter', c.NotAfter, '2040-01-01T00:00:00Z'],
    ['KeyUsage (digitalSignature|keyEncipherment)', c.KeyUsage, 5],
    ['ExtKeyUsage', c.ExtKeyUsage, [1]],
    ['BasicConstraintsValid', c.BasicConstraintsValid, true],
    ['IsCA', c.IsCA, false],
    ['MaxPathLen', c.MaxPathLen, -1],
    ['DNSNames', c.DNSNames, ['www.example.com', '*.api.example.com']],
    ['IPAddresses', c.IPAddresses, ['10.1.2.3', '2001:db8::7']],
    ['EmailAddresses', c.EmailAddresses, ['ops@example.com']],
    ['URIStrings', c.URIStrings, ['spiffe://example.com/ns/default/sa/web']],
    ['URIs[0].Host', c.URIs[0].Host, 'example.com'],
    ['URIs[0].User', c.URIs[0].User, null],
    ['Raw', c.Raw, leaf.der.toString('base64')],
    ['AuthorityKeyId matches issuer SubjectKeyId', c.AuthorityKeyId, ic.SubjectKeyId],
    ['OCSPServer', c.OCSPServer, null],
    ['UnhandledCriticalExtensions', c.UnhandledCriticalExtensions, null],
    ['ExtraExtensions', c.ExtraExtensions, null],
    [
      'Extensions ids',
      c.Extensions.map((e: { Id: number[] }) => e.Id.join('.')).sort(),
      ['2.5.29.14', '2.5.29.15', '2.5.29.17', '2.5.29.19', '2.5.29.35', '2.5.29.37'],
    ],
    ['intermediate IsCA', ic.IsCA, true],
    ['intermediate MaxPathLen', ic.MaxPathLen, 0],
    ['intermediate MaxPathLenZero', ic.MaxPathLenZero, true],
    ['intermediate KeyUsage (digitalSignature|keyCertSign|cRLSign)', ic.KeyUsage, 97],
    ['intermediate URIStrings', ic.URIStrings, null],
  ];
  for (const [what, got, want] of cases) assert.deepEqual(got, want, what);
  const [r] = call('crypto.x509.parse_certificates', rsaLeaf.pem);
  assert.equal(r.PublicKeyAlgorithm, 1);
  assert.equal(r.SignatureAlgorithm, 10, 'signed by the EC intermediate');
  assert.equal(r.PublicKey.E, 65537);
  assert.equal(typeof r.SerialNumber, 'number');
});

test('parse_certificates: PEM, base64 PEM and base64 DER inputs agree', () => {
  const chain = [leaf, inter, root];
  const pem = chain.map((c) => c.pem).join('\n');
  const forms: [string, string][] = [
    ['PEM', pem],
    ['base64 of PEM', b64(pem)],
    ['base64 of DER', b64(Buffer.concat(chain.map((c) => c.der)))],
  ];
  const want = ['www.example.com', 'Test Intermediate', 'Test Root'];
  for (const [what, input] of forms) {
    assert.deepEqual(
      call('crypto.x509.parse_certificates', input).map((c: { Subject: { CommonName: string } }) => c.Subject.CommonName),
      want,
      what,
    );
  }
  assert.deepEqual(call('crypto.x509.parse_certificates', ''), []);
});

test('parse_certificates: errors', () => {
  const cases: [unknown, string][] = [
    ['not base64!', 'crypto.x509.parse_certificates: illegal base64 data at input byte 3'],
    [b64('badstring'), 'crypto.x509.parse_certificates: x509: malformed certificate'],
    [root.keyPem, "crypto.x509.parse_certificates: PEM block type is 'PRIVATE KEY', expected CERTIFICATE"],
    [
      b64(Buffer.concat([root.der, Buffer.from([0x30, 0x03, 0x02, 0x01])])),
      'crypto.x509.parse_certificates: x509: malformed certificate',
    ],
    [42, 'crypto.x509.parse_certificates: operand 1 must be string but got number'],
  ];
  for (const [input, msg] of cases) assert.equal(callErr('crypto.x509.parse_certificates', input), msg);
});

const names = (r: [boolean, { Subject: { CommonName: string } }[]]) => [r[0], r[1].map((c) => c.Subject.CommonName)];

test('parse_and_verify_certificates: chains root first, results leaf first', () => {
  const join = (...cs: Issued[]) => cs.map((c) => c.pem).join('\n');
  const cases: [string, string, unknown][] = [
    ['root, intermediate, leaf', join(root, inter, leaf), [true, ['www.example.com', 'Test Intermediate', 'Test Root']]],
    ['RSA leaf under EC CA', join(root, inter, rsaLeaf), [true, ['rsa.example.com', 'Test Intermediate', 'Test Root']]],
    ['intermediate as the trust anchor', join(inter, leaf), [true, ['www.example.com', 'Test Intermediate']]],
    ['missing intermediate', join(root, leaf), [false, []]],
    ['single certificate', join(leaf), [false, []]],
    ['reversed order', join(leaf, inter, root), [false, []]],
    ['expired leaf', join(root, inter, expired), [false, []]],
    ['name constraint satisfied', join(constrainedRoot, allowedLeaf), [true, ['ok', 'Constrained Root']]],
    ['name constraint violated', join(constrainedRoot, forbiddenLeaf), [false, []]],
    ['SHA-1 signature refused', join(sha1Root, sha1Leaf), [false, []]],
    ['unparsable input', 'garbage!', [false, []]],
  ];
  for (const [what, input, want] of cases)
    assert.deepEqual(names(call('crypto.x509.parse_and_verify_certificates', input)), want, what);
  const [, certs] = call('crypto.x509.parse_and_verify_certificates', join(root, inter, leaf));
  assert.deepEqual(certs[0].URIStrings, ['spiffe://example.com/ns/default/sa/web']);
});

test('parse_and_verify_certificates_with_options', () => {
  const chain = [root, inter, leaf].map((c) => c.pem).join('\n');
  const ns = (iso: string) => Date.parse(iso) * 1e6;
  const cases: [string, Record<string, unknown>, boolean][] = [
    ['no options', {}, true],
    ['DNS name in SANs', { DNSName: 'www.example.com' }, true],
    ['DNS name, other case and quotes', { DNSName: '"WWW.Example.com"' }, true],
    ['wildcard SAN', { DNSName: 'v1.api.example.com' }, true],
    ['wildcard covers one label only', { DNSName: 'a.b.api.example.com' }, false],
    ['DNS name not in SANs', { DNSName: 'example.org' }, false],
    ['IP SAN', { DNSName: '10.1.2.3' }, true],
    ['IPv6 SAN in brackets', { DNSName: '[2001:db8::7]' }, true],
    ['IP not in SANs', { DNSName: '10.1.2.4' }, false],
    ['time inside validity', { CurrentTime: ns('2030-06-01T00:00:00Z') }, true],
    ['time before NotBefore', { CurrentTime: ns('2019-06-01T00:00:00Z') }, false],
    ['time after NotAfter', { CurrentTime: ns('2041-06-01T00:00:00Z') }, false],
    ['server auth usage', { KeyUsages: ['KeyUsageServerAuth'] }, true],
    ['client auth not granted', { KeyUsages: ['KeyUsageClientAuth'] }, false],
    ['any usage', { KeyUsages: ['KeyUsageAny', 'KeyUsageClientAuth'] }, true],
    ['one of several usages', { KeyUsages: ['KeyUsageClientAuth', 'KeyUsageServerAuth'] }, true],
    ['constraint budget', { MaxConstraintComparisons: 10 }, true],
  ];
  for (const [what, opts, want] of cases) {
    const [ok, certs] = call('crypto.x509.parse_and_verify_certificates_with_options', chain, opts);
    assert.equal(ok, want, what);
    if (ok) assert.equal(certs[0].URIStrings, undefined, `${what}: plain certificates, no URIStrings`);
  }
  const errors: [unknown, string][] = [
    [{ Foo: 1 }, 'invalid key option'],
    [{ DNSName: 1 }, "'DNSName' should be a string"],
    [{ CurrentTime: 'now' }, "'CurrentTime' should be a number"],
    [{ CurrentTime: 1.5 }, "'CurrentTime' should be a valid int64 number"],
    [{ MaxConstraintComparisons: 'x' }, "'MaxConstraintComparisons' should be a number"],
    [{ KeyUsages: 'KeyUsageAny' }, "'KeyUsages' should be an Array or Set"],
    [{ KeyUsages: ['KeyUsageAny', 'Nope', 'Nah'] }, "invalid entries for 'KeyUsages' found: [Nope Nah]"],
  ];
  for (const [opts, msg] of errors) {
    assert.equal(
      callErr('crypto.x509.parse_and_verify_certificates_with_options', chain, opts),
      `crypto.x509.parse_and_verify_certificates_with_options: ${msg}`,
    );
  }
  // Unparsable certificates win over bad options, as in OPA.
  assert.deepEqual(call('crypto.x509.parse_and_verify_certificates_with_options', 'garbage!', { Foo: 1 }), [false, []]);
  assert.equal(
    callErr('crypto.x509.parse_and_verify_certificates_with_options', chain, 'x'),
    'crypto.x509.parse_and_verify_certificates_with_options: operand 2 must be object but got string',
  );
  assert.equal(CLIENT_AUTH, '1.3.6.1.5.5.7.3.2');
});

test('parse_certificate_request', async () => {
  const csr = await request('CN=csr.example.com,O=Acme', ['csr.example.com', 'alt.example.com']);
  for (const [what, input] of [
    ['PEM', csr.pem],
    ['base64 of PEM', b64(csr.pem)],
    ['base64 of DER', b64(csr.der)],
  ] as const) {
    const r = call('crypto.x509.parse_certificate_request', input);
    assert.equal(r.Subject.CommonName, 'csr.example.com', what);
    assert.deepEqual(r.Subject.Organization, ['Acme'], what);
    assert.deepEqual(r.DNSNames, ['csr.example.com', 'alt.example.com'], what);
    assert.equal(r.Version, 0, what);
    assert.equal(r.PublicKeyAlgorithm, 3, what);
    assert.equal(r.SignatureAlgorithm, 10, what);
    assert.deepEqual(
      r.Extensions.map((e: { Id: number[] }) => e.Id),
      [[2, 5, 29, 17]],
      what,
    );
    assert.deepEqual(r.Attributes[0].Type, [1, 2, 840, 113549, 1, 9, 14], what);
    assert.deepEqual(r.Attributes[0].Value[0][0].Type, [2, 5, 29, 17], what);
    assert.equal(r.Raw, csr.der.toString('base64'), what);
  }
  const errors: [string, string][] = [
    ['foobar', 'illegal base64 data at input byte 4'],
    [b64(leaf.pem), 'invalid PEM-encoded certificate signing request'],
    [b64('not a csr'), 'asn1: structure error'],
  ];
  for (const [input, msg] of errors) {
    const got = callErr('crypto.x509.parse_certificate_request', input);
    assert.ok(got.startsWith(`crypto.x509.parse_certificate_request: ${msg}`), got);
  }
});

test('parse_keypair', () => {
  const pair = call('crypto.x509.parse_keypair', leaf.pem, leaf.keyPem);
  assert.deepEqual(pair.Certificate, [leaf.der.toString('base64')]);
  assert.equal(pair.Leaf.Subject.CommonName, 'www.example.com');
  assert.deepEqual(Object.keys(pair.PrivateKey).sort(), ['Curve', 'D', 'X', 'Y']);
  assert.deepEqual([pair.OCSPStaple, pair.SupportedSignatureAlgorithms, pair.SignedCertificateTimestamps], [null, null, null]);
  // DER inputs, base64 encoded, are wrapped into PEM first.
  const derKey = Buffer.from(leaf.keyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const fromDer = call('crypto.x509.parse_keypair', b64(leaf.der), b64(derKey));
  assert.deepEqual(fromDer.Certificate, pair.Certificate);
  const rsa = call('crypto.x509.parse_keypair', rsaLeaf.pem, b64(rsaLeaf.keyPem));
  assert.deepEqual(Object.keys(rsa.PrivateKey).sort(), ['D', 'E', 'N', 'Precomputed', 'Primes']);
  assert.equal(rsa.PrivateKey.E, 65537);
  const errors: [unknown, unknown, string][] = [
    [leaf.pem, root.keyPem, 'tls: private key does not match public key'],
    [rsaLeaf.pem, leaf.keyPem, 'tls: private key type does not match public key type'],
    [
      leaf.keyPem,
      leaf.pem,
      'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched',
    ],
    [leaf.pem, leaf.pem, 'tls: found a certificate rather than a key in the PEM for the private key'],
    ['%%%', leaf.keyPem, 'illegal base64 data at input byte 0'],
    [leaf.pem, 7, 'operand 1 must be string but got number'],
  ];
  for (const [cert, key, msg] of errors)
    assert.equal(callErr('crypto.x509.parse_keypair', cert, key), `crypto.x509.parse_keypair: ${msg}`);
});

test('parse_private_keys and parse_rsa_private_key', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ed = generateKeyPairSync('ed25519');
  const rsaPem = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  const ecPem = ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string;
  const edPem = ed.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const all = [rsaPem, root.pem, ecPem, edPem].join('\n');

  for (const input of [all, b64(all)]) {
    const keys = call('crypto.parse_private_keys', input);
    assert.equal(keys.length, 3);
    assert.deepEqual(Object.keys(keys[0]).sort(), ['D', 'E', 'N', 'Precomputed', 'Primes']);
    assert.equal(keys[0].E, 65537);
    assert.deepEqual(keys[0].Precomputed.CRTValues, []);
    assert.deepEqual(Object.keys(keys[1]).sort(), ['Curve', 'D', 'X', 'Y']);
    const edRaw = Buffer.from(keys[2], 'base64');
    const edJwk = ed.privateKey.export({ format: 'jwk' });
    assert.equal(edRaw.length, 64);
    assert.equal(edRaw.subarray(32).toString('base64url'), edJwk.x, 'seed || public key');
  }
  const cases: [string, unknown][] = [
    ['', null],
    ['nope', []],
    [root.pem, []],
  ];
  for (const [input, want] of cases) assert.deepEqual(call('crypto.parse_private_keys', input), want, JSON.stringify(input));
  // The block type decides the parser; Go names the format a mislabelled key is really in.
  const block = (type: string, body: Buffer) => `-----BEGIN ${type}-----\n${body.toString('base64')}\n-----END ${type}-----\n`;
  const p8 = rsa.privateKey.export({ type: 'pkcs8', format: 'der' });
  const p1 = rsa.privateKey.export({ type: 'pkcs1', format: 'der' });
  const sec1 = ec.privateKey.export({ type: 'sec1', format: 'der' });
  const mislabelled: [string, string][] = [
    [block('RSA PRIVATE KEY', p8), 'use ParsePKCS8PrivateKey instead'],
    [block('EC PRIVATE KEY', p8), 'use ParsePKCS8PrivateKey instead'],
    [block('PRIVATE KEY', p1), 'use ParsePKCS1PrivateKey instead'],
    [block('PRIVATE KEY', sec1), 'use ParseECPrivateKey instead'],
    [block('RSA PRIVATE KEY', Buffer.from([0, 0, 0])), ''],
  ];
  for (const [pem, hint] of mislabelled) {
    const got = callErr('crypto.parse_private_keys', pem);
    assert.ok(got.startsWith('crypto.parse_private_keys: x509: failed to parse'), got);
    assert.ok(got.includes(hint), got);
  }

  const jwk = rsa.privateKey.export({ format: 'jwk' });
  for (const input of [rsaPem, b64(rsaPem)]) assert.deepEqual(call('crypto.x509.parse_rsa_private_key', input), jwk);
  assert.deepEqual(call('crypto.x509.parse_rsa_private_key', ecPem), ec.privateKey.export({ format: 'jwk' }));
  assert.equal(call('crypto.x509.parse_rsa_private_key', root.pem), null);
  const errors: [string, string][] = [
    ['', 'input PEM data was empty'],
    ['invalid', 'illegal base64 data at input byte 4'],
  ];
  for (const [input, msg] of errors)
    assert.equal(callErr('crypto.x509.parse_rsa_private_key', input), `crypto.x509.parse_rsa_private_key: ${msg}`);
});
