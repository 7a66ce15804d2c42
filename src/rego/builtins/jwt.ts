// io.jwt.*: decoding, signature verification (HS/RS/PS/ES/EdDSA with certificates, PEM public
// keys, JWKs or JWK Sets), constraint-checked decode_verify, and signing from JWKs, following
// OPA's topdown/tokens.go semantics and error texts.
import { format, RObject, type Value } from '../value.js';
import { guard, obj, str, typeErr } from './args.js';
import { marshalJSON } from './go-json.js';
import { fastjsonParse, GoJSONError, goJSONValid, goUnmarshal } from './gojson.js';
import {
  algHash,
  familyOf,
  type Jwk,
  type JwsKey,
  keyFromObject,
  parseJwkSet,
  signWith,
  TOKEN_ALGORITHMS,
  verifyByAlg,
  verifyWith,
} from './jws.js';
import { base64UrlDecode, b64url, pemDecode } from './pem.js';
import { type BuiltinContext, registerBuiltin } from './registry.js';
import { parsePublicKey, spkiKeyObject } from './x509name.js';
import { parseOneCertificate } from './x509parse.js';

class TokenError extends Error {}

interface Token {
  header: string;
  payload: string;
  signature: string;
}

function decodeJWT(v: Value, fname: string): Token {
  if (typeof v !== 'string') throw typeErr(fname, 0, 'string', v);
  if (!v.includes('.')) throw new TokenError('encoded JWT had no period separators');
  const parts = v.split('.');
  if (parts.length !== 3) throw new TokenError(`encoded JWT must have 3 sections, found ${parts.length}`);
  return { header: parts[0] as string, payload: parts[1] as string, signature: parts[2] as string };
}

function decodeSegment(s: string, what: string | null): Buffer {
  try {
    return base64UrlDecode(s);
  } catch (err) {
    const msg = (err as Error).message;
    throw new TokenError(what ? `JWT ${what} had invalid encoding: ${msg}` : msg);
  }
}

/** OPA's extractJSONObject. */
function jsonObject(text: string): RObject {
  let v: Value;
  try {
    v = goUnmarshal(text);
  } catch (err) {
    throw new TokenError(`invalid JSON: ${err instanceof GoJSONError ? err.message : String(err)}`);
  }
  if (!(v instanceof RObject)) throw new TokenError('decoded JSON type was not an Object');
  return v;
}

function decodeHeader(t: Token): RObject {
  const text = decodeSegment(t.header, 'header').toString('utf8');
  let h: RObject;
  try {
    h = jsonObject(text);
  } catch (err) {
    throw new TokenError(`bad JWT header: ${(err as Error).message}`);
  }
  if (h.getStr('enc') !== undefined) throw new TokenError('JWT is a JWE object, which is not supported');
  return h;
}

interface Header {
  alg: string;
  kid: string;
  cty: string;
  crit: Set<string>;
  unknown: string[];
}

/** OPA's parseTokenHeader: the registered parameters must have the right types. */
function parseHeader(h: RObject): Header {
  const out: Header = { alg: '', kid: '', cty: '', crit: new Set(), unknown: [] };
  for (const k of h.sortedKeys()) {
    const key = typeof k === 'string' ? k : format(k);
    const v = h.get(k) as Value;
    if (key === 'alg' || key === 'kid' || key === 'typ' || key === 'cty') {
      if (typeof v !== 'string') throw new TokenError(`${key}: must be a string`);
      if (key !== 'typ') out[key] = v;
    } else if (key === 'crit') {
      if (!Array.isArray(v)) throw new TokenError('crit: must be a list');
      for (const e of v) {
        if (typeof e !== 'string') break;
        out.crit.add(e);
      }
      if (out.crit.size === 0) throw new TokenError('crit: must be a nonempty list');
    } else out.unknown.push(key);
  }
  return out;
}

function headerValid(h: Header): boolean {
  return h.alg !== '' && !h.unknown.some((u) => h.crit.has(u));
}

registerBuiltin({
  name: 'io.jwt.decode',
  decl: { args: ['string'], result: 'array' },
  fn: (args) => {
    const name = 'io.jwt.decode';
    return guard(name, () => decode(args[0] as Value, name));
  },
});

function decode(v: Value, name: string): Value {
  const t = decodeJWT(v, name);
  const header = decodeHeader(t);
  let payload = decodeSegment(t.payload, 'payload').toString('utf8');
  const cty = header.getStr('cty');
  if (cty === 'JWT') {
    // A nested token, quoted the way jwt.io writes it.
    payload = payload.replace(/^["']+|["']+$/g, '');
    return decode(payload, name);
  }
  const claims = jsonObject(payload);
  const sig = decodeSegment(t.signature, 'signature');
  return [header, claims, sig.toString('hex')];
}

interface VerificationKey {
  key: JwsKey | null;
  alg: string;
  kid: string;
}

/** OPA's getKeysFromCertOrJWK: a PEM certificate or public key, or a JWK (Set). */
function keysFromCertOrJWK(text: string): VerificationKey[] {
  const [block, rest] = pemDecode(Buffer.from(text, 'utf8'));
  if (block) {
    if (rest.length > 0) throw new TokenError('extra data after a PEM certificate block');
    if (block.type === 'CERTIFICATE') {
      let spki: Buffer;
      let hasKey: boolean;
      try {
        const cert = parseOneCertificate(block.bytes);
        spki = cert.rawSPKI;
        hasKey = cert.publicKey !== null;
      } catch (err) {
        throw new TokenError(`failed to parse a PEM certificate: ${(err as Error).message}`);
      }
      const ko = hasKey ? spkiKeyObject(spki) : null;
      return [{ key: ko ? keyFromObject(ko) : null, alg: '', kid: '' }];
    }
    if (block.type === 'PUBLIC KEY') {
      try {
        parsePublicKey(block.bytes, false);
      } catch (err) {
        throw new TokenError(`failed to parse a PEM public key: ${(err as Error).message}`);
      }
      const ko = spkiKeyObject(block.bytes);
      return [{ key: ko ? keyFromObject(ko) : null, alg: '', kid: '' }];
    }
    throw new TokenError('failed to extract a Key from the PEM certificate');
  }
  let jwks: Jwk[];
  try {
    jwks = parseJwkSet(text);
  } catch (err) {
    throw new TokenError(`failed to parse a JWK key (set): ${(err as Error).message}`);
  }
  return jwks.filter((k) => k.alg === '' || TOKEN_ALGORITHMS.has(k.alg)).map((k) => ({ key: k.key, alg: k.alg, kid: k.kid }));
}

function registerHS(alg: string): void {
  const name = `io.jwt.verify_${alg.toLowerCase()}`;
  registerBuiltin({
    name,
    decl: { args: ['string', 'string'], result: 'boolean' },
    fn: (args) => {
      const jwt = str(args, 0, name);
      const secret = str(args, 1, name);
      return guard(name, () => {
        const t = decodeJWT(jwt, name);
        const sig = decodeSegment(t.signature, null);
        const input = Buffer.from(`${t.header}.${t.payload}`, 'utf8');
        return verifyWith('HS', algHash(alg), { kind: 'oct', secret: Buffer.from(secret, 'utf8') }, input, sig);
      });
    },
  });
}

function registerAsymmetric(alg: string): void {
  const name = `io.jwt.verify_${alg.toLowerCase()}`;
  const fam = familyOf(alg) as 'RS' | 'PS' | 'ES' | 'EdDSA';
  const hash = algHash(alg);
  registerBuiltin({
    name,
    decl: { args: ['string', 'string'], result: 'boolean' },
    fn: (args) =>
      guard(name, () => {
        const t = decodeJWT(args[0] as Value, name);
        const keyText = str(args, 1, name);
        const keys = keysFromCertOrJWK(keyText);
        const sig = decodeSegment(t.signature, null);
        const header = parseHeader(decodeHeader(t));
        const input = Buffer.from(`${t.header}.${t.payload}`, 'utf8');
        // These builtins want public keys: a private JWK is the wrong key type in OPA (decode_verify,
        // through jwx, uses its public half).
        const check = (k: VerificationKey) =>
          k.key !== null && !(k.key.kind !== 'oct' && k.key.isPrivate) && verifyWith(fam, hash, k.key, input, sig);
        if (header.kid !== '') {
          const byKid = keys.find((k) => k.kid === header.kid);
          if (byKid) return check(byKid);
        }
        return keys.some((k) => (k.alg === '' || k.alg === header.alg) && check(k));
      }),
  });
}

for (const alg of ['HS256', 'HS384', 'HS512']) registerHS(alg);
for (const alg of ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'])
  registerAsymmetric(alg);

interface Constraints {
  secret: string;
  alg: string;
  iss: string;
  aud: string;
  keys: VerificationKey[] | null;
  time: number;
}

function timeFromValue(v: Value): number {
  if (typeof v !== 'number') throw new TokenError('token time constraint: must be a number');
  if (!Number.isFinite(v)) throw new TokenError('token time constraint: unvalid float64');
  if (v < 0) throw new TokenError('token time constraint: must not be negative');
  return v;
}

function parseConstraints(o: RObject, ctx: BuiltinContext): Constraints {
  const c: Constraints = { secret: '', alg: '', iss: '', aud: '', keys: null, time: -1 };
  for (const k of o.sortedKeys()) {
    const v = o.get(k) as Value;
    const key = typeof k === 'string' ? k : format(k);
    switch (key) {
      case 'cert':
        if (typeof v !== 'string') throw new TokenError('cert constraint: must be a string');
        c.keys = keysFromCertOrJWK(v);
        break;
      case 'secret':
      case 'alg':
      case 'iss':
      case 'aud':
        if (typeof v !== 'string') throw new TokenError(`${key} constraint: must be a string`);
        c[key] = v;
        break;
      case 'time':
        c.time = timeFromValue(v);
        break;
      default:
        throw new TokenError(`unknown token validation constraint: ${key}`);
    }
  }
  if (c.time === -1) c.time = timeFromValue(Number(ctx.nowNs));
  const n = (c.keys !== null ? 1 : 0) + (c.secret !== '' ? 1 : 0);
  if (n > 1) throw new TokenError('duplicate key constraints');
  if (n < 1) throw new TokenError('no key constraint');
  return c;
}

function signatureOK(c: Constraints, h: Header, input: Buffer, sig: Buffer): boolean {
  if (c.keys !== null) {
    const check = (k: VerificationKey) => k.key !== null && verifyByAlg(h.alg, k.key, input, sig);
    if (h.kid !== '') {
      const byKid = c.keys.find((k) => k.kid === h.kid);
      if (byKid) return check(byKid);
    }
    return c.keys.some((k) => (k.alg === '' || k.alg === h.alg) && check(k));
  }
  return familyOf(h.alg) === 'HS' && verifyByAlg(h.alg, { kind: 'oct', secret: Buffer.from(c.secret, 'utf8') }, input, sig);
}

function validAudience(c: Constraints, aud: Value): boolean {
  if (typeof aud === 'string') return aud === c.aud;
  return Array.isArray(aud) && aud.some((e) => typeof e === 'string' && e === c.aud);
}

const UNVERIFIED: Value = [false, new RObject(), new RObject()];

function decodeVerify(jwt: Value, c: Constraints, name: string): Value {
  let a = jwt;
  let token: Token;
  let headerObj: RObject;
  let payloadText: string;
  for (;;) {
    token = decodeJWT(a, name);
    headerObj = decodeHeader(token);
    const h = parseHeader(headerObj);
    if (!headerValid(h)) return UNVERIFIED;
    if (c.alg !== '' && c.alg !== h.alg) return UNVERIFIED;
    const sig = decodeSegment(token.signature, null);
    if (!signatureOK(c, h, Buffer.from(`${token.header}.${token.payload}`, 'utf8'), sig)) return UNVERIFIED;
    payloadText = decodeSegment(token.payload, 'payload').toString('utf8');
    if (h.cty.toLowerCase() !== 'jwt') break;
    // A nested token: verify the inner one with the same constraints.
    a = payloadText;
  }
  const payload = jsonObject(payloadText);
  if (c.iss !== '') {
    const iss = payload.getStr('iss');
    if (iss === undefined || iss !== c.iss) return UNVERIFIED;
  }
  const aud = payload.getStr('aud');
  if (aud !== undefined ? !validAudience(c, aud) : c.aud !== '') return UNVERIFIED;
  // Claim times are in seconds, the constraint time in nanoseconds.
  const now = c.time / 1e9;
  const exp = payload.getStr('exp');
  if (exp !== undefined) {
    if (typeof exp !== 'number') throw new TokenError('exp value must be a number');
    if (!(now < exp)) return UNVERIFIED;
  }
  const nbf = payload.getStr('nbf');
  if (nbf !== undefined) {
    if (typeof nbf !== 'number') throw new TokenError('nbf value must be a number');
    if (now < nbf) return UNVERIFIED;
  }
  return [true, headerObj, payload];
}

registerBuiltin({
  name: 'io.jwt.decode_verify',
  decl: { args: ['string', 'object'], result: 'array' },
  // The default verification time is the query's clock, as in OPA.
  nondeterministic: true,
  fn: (args, ctx) => {
    const name = 'io.jwt.decode_verify';
    const constraints = obj(args, 1, name);
    return guard(name, () => decodeVerify(args[0] as Value, parseConstraints(constraints, ctx), name));
  },
});

/** OPA's commonBuiltinJWTEncodeSign over raw header, payload and JWK bytes. */
function encodeSign(headers: string, payload: string, jwkSrc: string): string {
  const keys = parseJwkSet(jwkSrc);
  if (keys.length === 0) throw new TokenError('no keys found in JWK set');
  const key = (keys[0] as Jwk).key;
  const h = fastjsonParse(headers);
  const field = (k: string): string => {
    if ('error' in h) throw new TokenError(h.error);
    const v = h.get(k);
    if (!v) throw new TokenError(`jwsbb: header ${JSON.stringify(k)} not found`);
    if (v.type !== 'string') throw new TokenError(`value doesn't contain string; it contains ${v.type}`);
    return v.str as string;
  };
  let alg: string;
  try {
    alg = field('alg');
  } catch (err) {
    throw new TokenError(`missing or invalid 'alg' header: ${(err as Error).message}`);
  }
  if (!TOKEN_ALGORITHMS.has(alg)) throw new TokenError(`unknown JWS algorithm: ${alg}`);
  let typ: string | null;
  try {
    typ = field('typ');
  } catch {
    typ = null;
  }
  if ((typ === null || typ === 'JWT') && !goJSONValid(payload)) throw new TokenError('type is JWT but payload is not JSON');
  const input = `${b64url(Buffer.from(headers, 'utf8'))}.${b64url(Buffer.from(payload, 'utf8'))}`;
  const sig = signWith(alg, key, Buffer.from(input, 'utf8'));
  return `${input}.${b64url(sig)}`;
}

registerBuiltin({
  name: 'io.jwt.encode_sign_raw',
  decl: { args: ['string', 'string', 'string'], result: 'string' },
  // PS* and ES* signatures are randomized.
  nondeterministic: true,
  fn: (args) => {
    const name = 'io.jwt.encode_sign_raw';
    const jwk = str(args, 2, name);
    const headers = str(args, 0, name);
    const payload = str(args, 1, name);
    return guard(name, () => encodeSign(headers, payload, jwk));
  },
});

registerBuiltin({
  name: 'io.jwt.encode_sign',
  decl: { args: ['object', 'object', 'object'], result: 'string' },
  nondeterministic: true,
  fn: (args) => {
    const name = 'io.jwt.encode_sign';
    return guard(name, () =>
      encodeSign(marshalJSON(args[0] as Value), marshalJSON(args[1] as Value), marshalJSON(args[2] as Value)),
    );
  },
});
