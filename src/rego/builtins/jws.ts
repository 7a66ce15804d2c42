// JWS keys and signatures: JWK / JWK Set parsing (as jwx's jwk.Parse accepts them) and the sign /
// verify primitives per algorithm, synchronous through node:crypto.
import {
  constants,
  createHmac,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import { Der, TAG } from './der.js';
import { GoJSONError, goUnmarshal } from './gojson.js';
import { lenientBase64 } from './pem.js';
import { RObject, type Value } from '../value.js';

/** The algorithms OPA accepts in tokens. */
export const TOKEN_ALGORITHMS = new Set([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'HS256',
  'HS384',
  'HS512',
  'EdDSA',
]);

export type HashName = 'sha256' | 'sha384' | 'sha512';

export function algHash(alg: string): HashName {
  return alg.endsWith('384') ? 'sha384' : alg.endsWith('512') ? 'sha512' : 'sha256';
}

/** A key usable for JWS: an asymmetric KeyObject (public or private) or an HMAC secret. */
export type JwsKey =
  | { kind: 'rsa' | 'ec' | 'ed25519' | 'other'; key: KeyObject; isPrivate: boolean }
  | { kind: 'oct'; secret: Buffer };

export interface Jwk {
  key: JwsKey;
  alg: string;
  kid: string;
}

function kindOf(k: KeyObject): 'rsa' | 'ec' | 'ed25519' | 'other' {
  const t = k.asymmetricKeyType;
  return t === 'rsa' ? 'rsa' : t === 'ec' ? 'ec' : t === 'ed25519' ? 'ed25519' : 'other';
}

export function keyFromObject(k: KeyObject): JwsKey {
  return { kind: kindOf(k), key: k, isPrivate: k.type === 'private' };
}

const B64_MEMBERS: Record<string, string[]> = {
  RSA: ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'],
  EC: ['x', 'y', 'd'],
  OKP: ['x', 'd'],
};

function str(o: RObject, k: string): string | undefined {
  const v = o.getStr(k);
  return typeof v === 'string' ? v : undefined;
}

/** One JWK object → key. Throws Error with a jwx-like message. */
function parseKey(o: RObject): Jwk {
  const ktyV = o.getStr('kty');
  if (ktyV === undefined) throw new Error('failed to parse key: missing "kty" field');
  if (typeof ktyV !== 'string') throw new Error('failed to parse key: invalid "kty" field');
  const kty = ktyV;
  const alg = str(o, 'alg') ?? '';
  const kid = str(o, 'kid') ?? '';
  if (kty === 'oct') {
    const k = str(o, 'k');
    const secret = k === undefined ? null : lenientBase64(k);
    if (!secret) throw new Error('failed to parse key: required field "k" is missing or invalid');
    return { key: { kind: 'oct', secret }, alg, kid };
  }
  const members = B64_MEMBERS[kty];
  if (!members) throw new Error(`failed to parse key: invalid key type from JSON (${kty})`);
  const jwk: Record<string, string> = { kty };
  for (const m of members) {
    const v = o.getStr(m);
    if (v === undefined) continue;
    const bytes = typeof v === 'string' ? lenientBase64(v) : null;
    if (!bytes) throw new Error(`failed to parse key: failed to decode field "${m}"`);
    jwk[m] = bytes.toString('base64url');
  }
  const crv = str(o, 'crv');
  if (crv !== undefined) jwk.crv = crv;
  try {
    const key =
      jwk.d !== undefined ? createPrivateKey({ key: jwk, format: 'jwk' }) : createPublicKey({ key: jwk, format: 'jwk' });
    return { key: keyFromObject(key), alg, kid };
  } catch (err) {
    throw new Error(`failed to parse key: ${(err as Error).message}`);
  }
}

/** jwx's jwk.Parse: a JWK or a JWK Set ({"keys": [...]}) in JSON text. */
export function parseJwkSet(text: string): Jwk[] {
  let v: Value;
  try {
    v = goUnmarshal(text);
  } catch (err) {
    throw new Error(`failed to unmarshal JWK: ${err instanceof GoJSONError ? err.message : String(err)}`);
  }
  if (!(v instanceof RObject)) throw new Error('failed to unmarshal JWK: expected a JSON object');
  const keys = v.getStr('keys');
  if (keys !== undefined && v.getStr('kty') === undefined) {
    if (!Array.isArray(keys)) throw new Error('failed to parse JWK set: "keys" must be an array');
    return keys.map((k, i) => {
      if (!(k instanceof RObject)) throw new Error(`failed to parse key #${i + 1} in key set: expected a JSON object`);
      return parseKey(k);
    });
  }
  return [parseKey(v)];
}

/** Turns an ECDSA signature split in two halves (JWS r || s, any length) into DER. */
function halvesToDer(sig: Buffer): Buffer | null {
  const n = sig.length >> 1;
  const int = (b: Buffer) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    let body = b.subarray(i);
    if (body.length === 0) body = Buffer.from([0]);
    if (((body[0] as number) & 0x80) !== 0) body = Buffer.concat([Buffer.from([0]), body]);
    return Buffer.concat([Buffer.from([TAG.INTEGER]), derLen(body.length), body]);
  };
  const seq = Buffer.concat([int(sig.subarray(0, n)), int(sig.subarray(n))]);
  const out = Buffer.concat([Buffer.from([TAG.SEQUENCE]), derLen(seq.length), seq]);
  // Sanity check that the encoding reads back.
  const d = new Der(out).sub(TAG.SEQUENCE);
  return d && d.readBigInt() !== null ? out : null;
}

function derLen(n: number): Buffer {
  if (n < 128) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let x = n; x > 0; x = Math.floor(x / 256)) bytes.unshift(x & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Go 1.24+ refuses RSA keys under 1024 bits for signing and verification. */
function rsaSizeOK(k: KeyObject): boolean {
  return (k.asymmetricKeyDetails?.modulusLength ?? 0) >= 1024;
}

/** Public half of an asymmetric key (verification with a private JWK uses its public part). */
function publicOf(k: KeyObject): KeyObject {
  return k.type === 'private' ? createPublicKey(k) : k;
}

/** Verifies one signature by algorithm family; false on any mismatch or malformed input. */
export function verifyWith(
  family: 'RS' | 'PS' | 'ES' | 'EdDSA' | 'HS',
  hash: HashName,
  key: JwsKey,
  input: Buffer,
  sig: Buffer,
): boolean {
  try {
    if (family === 'HS') {
      if (key.kind !== 'oct') return false;
      const mac = createHmac(hash, key.secret).update(input).digest();
      return mac.length === sig.length && timingSafeEqual(mac, sig);
    }
    if (key.kind === 'oct') return false;
    const pub = publicOf(key.key);
    if (key.kind === 'rsa' && !rsaSizeOK(pub)) return false;
    switch (family) {
      case 'RS':
        return key.kind === 'rsa' && verify(hash, input, pub, sig);
      case 'PS':
        return (
          key.kind === 'rsa' &&
          verify(
            hash,
            input,
            { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
            sig,
          )
        );
      case 'ES': {
        if (key.kind !== 'ec' || sig.length === 0) return false;
        const der = halvesToDer(sig);
        return der !== null && verify(hash, input, { key: pub, dsaEncoding: 'der' }, der);
      }
      case 'EdDSA':
        return key.kind === 'ed25519' && sig.length === 64 && verify(null, input, pub, sig);
    }
  } catch {
    return false;
  }
}

export function familyOf(alg: string): 'RS' | 'PS' | 'ES' | 'EdDSA' | 'HS' | null {
  if (alg === 'EdDSA') return 'EdDSA';
  if (!TOKEN_ALGORITHMS.has(alg)) return null;
  return alg.slice(0, 2) as 'RS' | 'PS' | 'ES' | 'HS';
}

/** Verifies by the token's own algorithm (decode_verify): unknown algorithms never verify. */
export function verifyByAlg(alg: string, key: JwsKey, input: Buffer, sig: Buffer): boolean {
  const fam = familyOf(alg);
  return fam !== null && verifyWith(fam, algHash(alg), key, input, sig);
}

function keyTypeName(key: JwsKey): string {
  if (key.kind === 'oct') return 'jwk.symmetricKey';
  const kind = key.kind === 'rsa' ? 'rsa' : key.kind === 'ec' ? 'ecdsa' : key.kind === 'ed25519' ? 'okp' : 'unknown';
  return `jwk.${kind}${key.isPrivate ? 'PrivateKey' : 'PublicKey'}`;
}

/** Signs per jwsbb.Sign; throws Error with jwx-like messages when the key does not fit. */
export function signWith(alg: string, key: JwsKey, input: Buffer): Buffer {
  const fam = familyOf(alg);
  if (!fam) throw new Error(`jwsbb.Sign: unsupported signature algorithm ${JSON.stringify(alg)}`);
  const hash = algHash(alg);
  if (fam === 'HS') {
    if (key.kind !== 'oct') throw new Error(`jwsbb.Sign: invalid key type ${keyTypeName(key)}. []byte is required`);
    return createHmac(hash, key.secret).update(input).digest();
  }
  const need = { RS: 'rsa', PS: 'rsa', ES: 'ec', EdDSA: 'ed25519' }[fam];
  const goType = { RS: '*rsa.PrivateKey', PS: '*rsa.PrivateKey', ES: '*ecdsa.PrivateKey', EdDSA: 'ed25519.PrivateKey' }[fam];
  if (key.kind === 'oct' || key.kind !== need || !key.isPrivate)
    throw new Error(`jwsbb.Sign: invalid key type ${keyTypeName(key)}. ${goType} is required`);
  if (key.kind === 'rsa' && !rsaSizeOK(key.key)) throw new Error('crypto/rsa: 1024-bit or larger RSA keys required');
  switch (fam) {
    case 'RS':
      return sign(hash, input, key.key);
    case 'PS':
      return sign(hash, input, {
        key: key.key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
      });
    case 'ES':
      return sign(hash, input, { key: key.key, dsaEncoding: 'ieee-p1363' });
    default:
      return sign(null, input, key.key);
  }
}
