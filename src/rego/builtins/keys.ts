// Private keys: Go's ParsePKCS1PrivateKey / ParsePKCS8PrivateKey / ParseECPrivateKey (via
// OpenSSL), the JSON Go's key structs marshal to, and the JWK form OPA's jwk.New produces.
import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { bytesToBigInt, Der, TAG } from './der.js';
import { lenientBase64 } from './pem.js';
import { bigNum } from './x509json.js';

export type PrivateKeyKind = 'rsa' | 'ecdsa' | 'ed25519' | 'x25519' | 'other';

export interface PrivateKey {
  kind: PrivateKeyKind;
  key: KeyObject;
  jwk: JsonWebKey;
}

type Format = 'pkcs1' | 'pkcs8' | 'sec1';

function tryImport(der: Buffer, type: Format): KeyObject | null {
  try {
    return createPrivateKey({ key: der, format: 'der', type });
  } catch {
    return null;
  }
}

function classify(key: KeyObject): PrivateKey {
  let jwk: JsonWebKey = {};
  try {
    jwk = key.export({ format: 'jwk' });
  } catch {
    // Keys OpenSSL cannot express as JWK (DSA, multi-prime RSA) keep an empty form.
  }
  const t = key.asymmetricKeyType;
  const kind: PrivateKeyKind =
    t === 'rsa' ? 'rsa' : t === 'ec' ? 'ecdsa' : t === 'ed25519' ? 'ed25519' : t === 'x25519' ? 'x25519' : 'other';
  return { kind, key, jwk };
}

const HINT: Record<Format, string> = {
  pkcs1: 'x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)',
  pkcs8: 'x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)',
  sec1: 'x509: failed to parse private key (use ParseECPrivateKey instead for this key format)',
};

/** Which private key structure DER holds, by its second element: PKCS #1 has the modulus
 *  (INTEGER), PKCS #8 an AlgorithmIdentifier (SEQUENCE), SEC 1 the key octets (OCTET STRING).
 *  OpenSSL would accept PKCS #8 where the others are asked for; Go does not. */
function sniff(der: Buffer): Format | null {
  const s = new Der(der).sub(TAG.SEQUENCE);
  if (!s || s.readBigInt() === null) return null;
  const t = s.peekTag();
  return t === TAG.INTEGER ? 'pkcs1' : t === TAG.SEQUENCE ? 'pkcs8' : t === TAG.OCTET_STRING ? 'sec1' : null;
}

/** Parses DER in one format; on failure names the format it does parse in, as Go does. */
export function parsePrivateKeyDER(der: Buffer, format: Format): PrivateKey {
  const shape = sniff(der);
  const key = shape === format ? tryImport(der, format) : null;
  if (key) {
    const k = classify(key);
    if (format === 'pkcs1' && k.kind !== 'rsa') throw new Error(HINT.pkcs8);
    if (format === 'sec1' && k.kind !== 'ecdsa') throw new Error(HINT.pkcs8);
    return k;
  }
  if (shape !== null && shape !== format && tryImport(der, shape)) throw new Error(HINT[shape]);
  if (format === 'sec1') throw new Error('x509: failed to parse EC private key: asn1: structure error');
  return failGeneric(format);
}

function failGeneric(format: Format): never {
  throw new Error(format === 'pkcs8' ? "asn1: structure error: tags don't match" : 'x509: failed to parse private key');
}

/** crypto/tls's parsePrivateKey: PKCS#1, then PKCS#8, then SEC 1. */
export function parseAnyPrivateKey(der: Buffer): PrivateKey {
  const shape = sniff(der);
  const key = shape ? tryImport(der, shape) : null;
  if (!shape || !key) throw new Error('tls: failed to parse private key');
  const k = classify(key);
  if (shape === 'pkcs8' && k.kind !== 'rsa' && k.kind !== 'ecdsa' && k.kind !== 'ed25519') {
    throw new Error('tls: found unknown private key type in PKCS#8 wrapping');
  }
  return k;
}

function n(x: string | undefined): number {
  if (x === undefined) return 0;
  return bigNum(bytesToBigInt(lenientBase64(x) ?? Buffer.alloc(0)));
}

/** The JSON of Go's *rsa.PrivateKey, *ecdsa.PrivateKey or ed25519.PrivateKey. */
export function privateKeyJSON(k: PrivateKey): unknown {
  const j = k.jwk;
  switch (k.kind) {
    case 'rsa':
      return {
        N: n(j.n),
        E: n(j.e),
        D: n(j.d),
        Primes: [n(j.p), n(j.q)],
        Precomputed: { Dp: n(j.dp), Dq: n(j.dq), Qinv: n(j.qi), CRTValues: [] },
      };
    case 'ecdsa':
      return { Curve: {}, X: n(j.x), Y: n(j.y), D: n(j.d) };
    case 'ed25519': {
      // Go's ed25519.PrivateKey is seed || public key.
      const seed = lenientBase64(j.d ?? '') ?? Buffer.alloc(0);
      const pub = lenientBase64(j.x ?? '') ?? Buffer.alloc(0);
      return Buffer.concat([seed, pub]).toString('base64');
    }
    default:
      return {};
  }
}

/** The JWK OPA returns for a private key (kty plus the key members). */
export function privateKeyJWK(k: PrivateKey): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(k.jwk)) if (typeof v === 'string') out[key] = v;
  return out;
}
