import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject, webcrypto } from 'node:crypto';
import { before, test } from 'node:test';
import './jwt.js';
import { getBuiltin } from './registry.js';
import { type Issued, issue } from './x509fixtures.js';
import { callJSON, testContext, thrownBy } from './testing.js';

const NOW_S = 1_700_000_000;
const ctx = testContext(BigInt(NOW_S) * 1_000_000_000n);

const call = (name: string, ...args: unknown[]) => callJSON(name, args, ctx);
const callErr = (name: string, ...args: unknown[]) => (thrownBy(name, () => call(name, ...args)) as Error).message;

const b64u = (s: string) => Buffer.from(s).toString('base64url');
const jwkOf = (k: KeyObject) => k.export({ format: 'jwk' }) as Record<string, string>;
const pemOf = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }) as string;

interface Pair {
  priv: Record<string, string>;
  pub: Record<string, string>;
  pem: string;
}

function pair(kind: 'rsa' | 'P-256' | 'P-384' | 'P-521' | 'ed25519'): Pair {
  const kp =
    kind === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : kind === 'ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('ec', { namedCurve: kind });
  return { priv: jwkOf(kp.privateKey), pub: jwkOf(kp.publicKey), pem: pemOf(kp.publicKey) };
}

let rsa: Pair;
let rsa2: Pair;
let p256: Pair;
let p384: Pair;
let p521: Pair;
let ed: Pair;
let ecCert: Issued;
let ecCertJwk: Record<string, string>;

before(async () => {
  rsa = pair('rsa');
  rsa2 = pair('rsa');
  p256 = pair('P-256');
  p384 = pair('P-384');
  p521 = pair('P-521');
  ed = pair('ed25519');
  ecCert = await issue({ subject: 'CN=signer' });
  ecCertJwk = (await webcrypto.subtle.exportKey('jwk', ecCert.keys.privateKey)) as Record<string, string>;
});

const PAYLOAD = { iss: 'opa', sub: 'alice' };
const sign = (alg: string, key: Record<string, string>, payload: object = PAYLOAD, extra: object = {}) =>
  call('io.jwt.encode_sign', { alg, typ: 'JWT', ...extra }, payload, key) as string;

test('encode_sign_raw matches the RFC 7515 A.1 HS256 example', () => {
  const key = '{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}';
  const token = call(
    'io.jwt.encode_sign_raw',
    '{"typ":"JWT",\r\n "alg":"HS256"}',
    '{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}',
    key,
  );
  assert.equal(
    token,
    'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  );
});

test('encode_sign serialises like Go: sorted keys, HTML escaping, sets as arrays', () => {
  const token = call('io.jwt.encode_sign', { typ: 'JWT', alg: 'HS256' }, { b: '<&>', a: 1 }, { kty: 'oct', k: b64u('k') });
  const [h, p] = token.split('.');
  assert.equal(Buffer.from(h, 'base64url').toString(), '{"alg":"HS256","typ":"JWT"}');
  assert.equal(Buffer.from(p, 'base64url').toString(), '{"a":1,"b":"\\u003c\\u0026\\u003e"}');
});

test('sign and verify round trips per algorithm', () => {
  const cases: [string, () => Pair, () => Pair][] = [
    ['RS256', () => rsa, () => rsa2],
    ['RS384', () => rsa, () => rsa2],
    ['RS512', () => rsa, () => rsa2],
    ['PS256', () => rsa, () => rsa2],
    ['PS384', () => rsa, () => rsa2],
    ['PS512', () => rsa, () => rsa2],
    ['ES256', () => p256, () => p384],
    ['ES384', () => p384, () => p256],
    ['ES512', () => p521, () => p256],
    ['EdDSA', () => ed, () => p256],
  ];
  for (const [alg, good, other] of cases) {
    const verify = `io.jwt.verify_${alg.toLowerCase()}`;
    const token = sign(alg, good().priv);
    const [h, p, s] = token.split('.');
    const tampered = `${h}.${b64u('{"iss":"mallory"}')}.${s}`;
    const checks: [string, string, boolean][] = [
      ['PEM public key', good().pem, true],
      ['JWK', JSON.stringify(good().pub), true],
      ['JWK Set', JSON.stringify({ keys: [other().pub, good().pub] }), true],
      ['a private JWK is the wrong key type', JSON.stringify(good().priv), false],
      ['other key', other().pem, false],
      ['JWK Set with a mismatching alg', JSON.stringify({ keys: [{ ...good().pub, alg: 'HS256' }] }), false],
      ['JWK Set with an unknown alg is skipped', JSON.stringify({ keys: [{ ...good().pub, alg: 'XY999' }] }), false],
    ];
    for (const [what, key, want] of checks) assert.equal(call(verify, token, key), want, `${alg}: ${what}`);
    assert.equal(call(verify, tampered, good().pem), false, `${alg}: tampered payload`);
    assert.equal(p.length > 0, true);
  }
  // A verifier for another family refuses the token.
  assert.equal(call('io.jwt.verify_rs256', sign('ES256', p256.priv), p256.pem), false);
  assert.equal(call('io.jwt.verify_es256', sign('RS256', rsa.priv), rsa.pem), false);
});

test('verification with a certificate and with kid selection', () => {
  const token = sign('ES256', ecCertJwk);
  assert.equal(call('io.jwt.verify_es256', token, ecCert.pem), true);
  // One line end after the block is part of it; anything more is extra data.
  const pem = ecCert.pem.trimEnd();
  assert.equal(call('io.jwt.verify_es256', token, `${pem}\n`), true);
  assert.equal(
    callErr('io.jwt.verify_es256', token, `${pem}\n\n`),
    'io.jwt.verify_es256: extra data after a PEM certificate block',
  );
  const withKid = sign('RS256', rsa.priv, PAYLOAD, { kid: 'b' });
  const set = (kidB: Pair) =>
    JSON.stringify({
      keys: [
        { ...rsa.pub, kid: 'a' },
        { ...kidB.pub, kid: 'b' },
      ],
    });
  assert.equal(call('io.jwt.verify_rs256', withKid, set(rsa)), true, 'kid b holds the signing key');
  assert.equal(call('io.jwt.verify_rs256', withKid, set(rsa2)), false, 'only the key with the matching kid is tried');
});

test('HS verification takes the secret as plain text', () => {
  const token = sign('HS256', { kty: 'oct', k: b64u('secret') });
  const cases: [string, string, boolean][] = [
    ['io.jwt.verify_hs256', 'secret', true],
    ['io.jwt.verify_hs256', 'Secret', false],
    ['io.jwt.verify_hs384', 'secret', false],
  ];
  for (const [name, secret, want] of cases) assert.equal(call(name, token, secret), want, `${name} ${secret}`);
  for (const alg of ['HS384', 'HS512']) {
    assert.equal(call(`io.jwt.verify_${alg.toLowerCase()}`, sign(alg, { kty: 'oct', k: b64u('s') }), 's'), true, alg);
  }
});

test('verify errors', () => {
  const token = sign('RS256', rsa.priv);
  const cases: [string, unknown[], string][] = [
    ['io.jwt.verify_rs256', ['abc', rsa.pem], 'encoded JWT had no period separators'],
    ['io.jwt.verify_rs256', ['a.b', rsa.pem], 'encoded JWT must have 3 sections, found 2'],
    ['io.jwt.verify_rs256', [token, 'not a key'], 'failed to parse a JWK key (set): '],
    ['io.jwt.verify_rs256', [token, `${rsa.pem}extra`], 'extra data after a PEM certificate block'],
    [
      'io.jwt.verify_rs256',
      [token, '-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n'],
      'failed to extract a Key from the PEM certificate',
    ],
    [
      'io.jwt.verify_rs256',
      [token, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'],
      'failed to parse a PEM certificate: x509: malformed certificate',
    ],
    ['io.jwt.verify_rs256', [1, rsa.pem], 'operand 1 must be string but got number'],
    ['io.jwt.verify_rs256', [token, 1], 'operand 2 must be string but got number'],
    ['io.jwt.verify_hs256', ['a.b.c(', 'k'], 'illegal base64 data at input byte 1'],
  ];
  for (const [name, args, msg] of cases) {
    const got = callErr(name, ...args);
    assert.ok(got.startsWith(`${name}: ${msg}`), `${got} should start with ${name}: ${msg}`);
  }
});

test('io.jwt.decode', () => {
  const token = sign('HS256', { kty: 'oct', k: b64u('k') }, { sub: '0', ext: { list: [1, '1'] } });
  const [h, p, s] = call('io.jwt.decode', token);
  assert.deepEqual(h, { alg: 'HS256', typ: 'JWT' });
  assert.deepEqual(p, { sub: '0', ext: { list: [1, '1'] } });
  assert.equal(s, Buffer.from(token.split('.')[2], 'base64url').toString('hex'));
  // A nested token, its payload quoted.
  const nested = `${b64u('{"alg":"HS256","cty":"JWT"}')}.${b64u(JSON.stringify(token))}.${b64u('sig')}`;
  assert.deepEqual(call('io.jwt.decode', nested)[1], p);
  const cases: [string, string][] = [
    ['abc', 'encoded JWT had no period separators'],
    ['a.b.c.d', 'encoded JWT must have 3 sections, found 4'],
    [`${b64u('{')}.e30.`, 'bad JWT header: invalid JSON: unexpected EOF'],
    [`${b64u('[1]')}.e30.`, 'bad JWT header: decoded JSON type was not an Object'],
    [`${b64u('{"alg":"RSA-OAEP","enc":"A128GCM"}')}.e30.`, 'JWT is a JWE object, which is not supported'],
    ['e30.eyJzdWIiOiIwIiwia/XNzIjoib3BhIn0.', 'JWT payload had invalid encoding: illegal base64 data at input byte 17'],
    [`e30.${b64u('"x"')}.`, 'decoded JSON type was not an Object'],
    ['e30.e30.XmVoLoHI3pxMtMO(_W', 'JWT signature had invalid encoding: illegal base64 data at input byte 15'],
    ['*.e30.', 'JWT header had invalid encoding: illegal base64url string: *'],
  ];
  for (const [input, msg] of cases) assert.equal(callErr('io.jwt.decode', input), `io.jwt.decode: ${msg}`, input);
});

test('io.jwt.decode_verify constraints', () => {
  const hs = { kty: 'oct', k: b64u('secret') };
  const tok = (claims: object, header: object = {}) => sign('HS256', hs, claims, header);
  const U = [false, {}, {}];
  const cases: [string, string, Record<string, unknown>, boolean][] = [
    ['secret', tok({ iss: 'a' }), { secret: 'secret' }, true],
    ['wrong secret', tok({ iss: 'a' }), { secret: 'other' }, false],
    ['alg matches', tok({}), { secret: 'secret', alg: 'HS256' }, true],
    ['alg differs', tok({}), { secret: 'secret', alg: 'RS256' }, false],
    ['iss matches', tok({ iss: 'a' }), { secret: 'secret', iss: 'a' }, true],
    ['iss differs', tok({ iss: 'a' }), { secret: 'secret', iss: 'b' }, false],
    ['iss required but absent', tok({}), { secret: 'secret', iss: 'a' }, false],
    ['aud string matches', tok({ aud: 'x' }), { secret: 'secret', aud: 'x' }, true],
    ['aud list contains', tok({ aud: ['y', 'x'] }), { secret: 'secret', aud: 'x' }, true],
    ['aud list lacks', tok({ aud: ['y'] }), { secret: 'secret', aud: 'x' }, false],
    ['aud in token but no aud constraint', tok({ aud: 'x' }), { secret: 'secret' }, false],
    ['aud constraint but none in token', tok({}), { secret: 'secret', aud: 'x' }, false],
    ['exp in the future (query clock)', tok({ exp: NOW_S + 60 }), { secret: 'secret' }, true],
    ['exp in the past (query clock)', tok({ exp: NOW_S - 60 }), { secret: 'secret' }, false],
    ['exp equal to now is expired', tok({ exp: 2000 }), { secret: 'secret', time: 2000e9 }, false],
    ['exp fractional, just before', tok({ exp: 2000.5 }), { secret: 'secret', time: 2000.4e9 }, true],
    ['nbf reached', tok({ nbf: 1000 }), { secret: 'secret', time: 1000e9 }, true],
    ['nbf not yet', tok({ nbf: 1000 }), { secret: 'secret', time: 999e9 }, false],
    ['crit lists an unknown header', tok({}, { crit: ['x'], x: 1 }), { secret: 'secret' }, false],
    ['crit lists a known header', tok({}, { crit: ['typ'] }), { secret: 'secret' }, true],
    ['RSA key for an HS token', tok({}), { cert: rsa.pem }, false],
    ['RS256 with PEM key', sign('RS256', rsa.priv), { cert: rsa.pem }, true],
    ['PS384 with JWK', sign('PS384', rsa.priv), { cert: JSON.stringify(rsa.pub) }, true],
    ['private JWK verifies through its public half', sign('PS256', rsa.priv), { cert: JSON.stringify(rsa.priv) }, true],
    ['ES512 with JWK Set', sign('ES512', p521.priv), { cert: JSON.stringify({ keys: [p256.pub, p521.pub] }) }, true],
    ['EdDSA with certificate of another key', sign('EdDSA', ed.priv), { cert: ecCert.pem }, false],
    ['ES256 with certificate', sign('ES256', ecCertJwk), { cert: ecCert.pem }, true],
    ['secret for an RS token', sign('RS256', rsa.priv), { secret: 'secret' }, false],
  ];
  for (const [what, token, constraints, valid] of cases) {
    const got = call('io.jwt.decode_verify', token, constraints);
    if (!valid) {
      assert.deepEqual(got, U, what);
      continue;
    }
    assert.equal(got[0], true, what);
    assert.deepEqual(got[2], call('io.jwt.decode', token)[1], what);
  }
  // A nested token (cty "jwt", case-insensitively): both levels are verified, the inner header returned.
  const inner = tok({ sub: 'x' });
  const outer = call('io.jwt.encode_sign_raw', '{"alg":"HS256","cty":"jwt","typ":"JOSE"}', inner, JSON.stringify(hs));
  assert.deepEqual(call('io.jwt.decode_verify', outer, { secret: 'secret' }), [true, { alg: 'HS256', typ: 'JWT' }, { sub: 'x' }]);
  assert.deepEqual(call('io.jwt.decode_verify', outer, { secret: 'secret', iss: 'a' }), U);
});

test('io.jwt.decode_verify errors', () => {
  const hs = { kty: 'oct', k: b64u('secret') };
  const cases: [unknown, unknown, string][] = [
    ['a.b.c', {}, 'no key constraint'],
    ['a.b.c', { secret: 's', cert: rsa.pem }, 'duplicate key constraints'],
    ['a.b.c', { secret: 's', bogus: 1 }, 'unknown token validation constraint: bogus'],
    ['a.b.c', { secret: 1 }, 'secret constraint: must be a string'],
    ['a.b.c', { cert: 1 }, 'cert constraint: must be a string'],
    ['a.b.c', { secret: 's', time: 'now' }, 'token time constraint: must be a number'],
    ['a.b.c', { secret: 's', time: -1 }, 'token time constraint: must not be negative'],
    ['abc', { secret: 's' }, 'encoded JWT had no period separators'],
    [sign('HS256', hs, { exp: 'soon' }), { secret: 'secret' }, 'exp value must be a number'],
    [sign('HS256', hs, { nbf: 'later' }), { secret: 'secret' }, 'nbf value must be a number'],
    [sign('HS256', hs, {}, { kid: 1 }), { secret: 'secret' }, 'kid: must be a string'],
    [sign('HS256', hs, {}, { crit: 'x' }), { secret: 'secret' }, 'crit: must be a list'],
    [sign('HS256', hs, {}, { crit: [] }), { secret: 'secret' }, 'crit: must be a nonempty list'],
    ['a.b.c', 'x', 'operand 2 must be object but got string'],
  ];
  for (const [token, constraints, msg] of cases)
    assert.equal(callErr('io.jwt.decode_verify', token, constraints), `io.jwt.decode_verify: ${msg}`, msg);
});

test('encode_sign errors', () => {
  const hs = JSON.stringify({ kty: 'oct', k: b64u('k') });
  const raw = (h: string, p: string, k: string) => callErr('io.jwt.encode_sign_raw', h, p, k);
  const cases: [string, string, string, string][] = [
    ['{"typ:"JWT","alg":"HS256"}', '{}', hs, "missing or invalid 'alg' header: cannot parse JSON"],
    ['{}', '{}', hs, `missing or invalid 'alg' header: jwsbb: header "alg" not found`],
    ['', '{}', hs, "missing or invalid 'alg' header: cannot parse JSON: cannot parse empty string"],
    ['e', '{}', hs, `missing or invalid 'alg' header: jwsbb: header "alg" not found`],
    ['{"alg":1}', '{}', hs, "missing or invalid 'alg' header: value doesn't contain string; it contains number"],
    ['{"alg":"none"}', '{}', hs, 'unknown JWS algorithm: none'],
    ['{"alg":"HS256","typ":"JWT"}', 'e', hs, 'type is JWT but payload is not JSON'],
    ['{"alg":"HS256"}', '', hs, 'type is JWT but payload is not JSON'],
    ['{"alg":"RS256"}', '{}', hs, 'jwsbb.Sign: invalid key type jwk.symmetricKey. *rsa.PrivateKey is required'],
    ['{"alg":"HS256"}', '{}', '{"keys":[]}', 'no keys found in JWK set'],
    ['{"alg":"HS256"}', '{}', '{"kty":"XX"}', 'failed to parse key: invalid key type from JSON (XX)'],
  ];
  for (const [h, p, k, msg] of cases) {
    const got = raw(h, p, k);
    assert.ok(got.startsWith(`io.jwt.encode_sign_raw: ${msg}`), `${got} should start with ${msg}`);
  }
  // A non-JWT typ allows any payload.
  const token = call('io.jwt.encode_sign_raw', '{"alg":"HS256","typ":"text"}', 'hello', hs);
  assert.equal(Buffer.from(token.split('.')[1], 'base64url').toString(), 'hello');
  assert.equal(
    callErr('io.jwt.encode_sign', { alg: 'ES256' }, {}, rsa.priv),
    'io.jwt.encode_sign: jwsbb.Sign: invalid key type jwk.rsaPrivateKey. *ecdsa.PrivateKey is required',
  );
  assert.equal(
    callErr('io.jwt.encode_sign_raw', '{}', '{}', 3),
    'io.jwt.encode_sign_raw: operand 3 must be string but got number',
  );
});

test('only signing and clock-dependent builtins are nondeterministic', () => {
  const nondet = ['io.jwt.encode_sign', 'io.jwt.encode_sign_raw', 'io.jwt.decode_verify'];
  for (const name of ['io.jwt.decode', 'io.jwt.verify_rs256', 'io.jwt.verify_hs256', ...nondet]) {
    assert.equal(getBuiltin(name)?.nondeterministic === true, nondet.includes(name), name);
  }
});
