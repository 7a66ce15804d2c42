// Pieces of Go's x509 parser shared by certificates and CSRs: distinguished names (pkix.Name),
// public keys (SubjectPublicKeyInfo) and signature algorithm identifiers.
import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  type BitString,
  bytesToBigInt,
  Der,
  type GoTime,
  oidEquals,
  parseIntegerBytes,
  readTime,
  rightAlign,
  TAG,
  ctx,
} from './der.js';

/** An attribute value as Go's readASN1Any decodes it. */
export type AttrValue =
  | { k: 'str'; v: string }
  | { k: 'int'; v: bigint }
  | { k: 'bits'; v: BitString }
  | { k: 'bytes'; v: Buffer }
  | { k: 'oid'; v: number[] }
  | { k: 'time'; v: GoTime }
  | { k: 'bool'; v: boolean }
  | { k: 'null' }
  | { k: 'raw'; cls: number; tag: number; compound: boolean; bytes: Buffer; full: Buffer };

export interface Attribute {
  type: number[];
  value: AttrValue;
}

export interface PkixName {
  country: string[] | null;
  organization: string[] | null;
  organizationalUnit: string[] | null;
  locality: string[] | null;
  province: string[] | null;
  streetAddress: string[] | null;
  postalCode: string[] | null;
  serialNumber: string;
  commonName: string;
  names: Attribute[] | null;
}

class NameError extends Error {}

function isPrintable(b: number): boolean {
  return (
    (b >= 0x61 && b <= 0x7a) ||
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x30 && b <= 0x39) ||
    (b >= 0x27 && b <= 0x29) ||
    (b >= 0x2b && b <= 0x2f) ||
    b === 0x20 ||
    b === 0x3a ||
    b === 0x3d ||
    b === 0x3f ||
    b === 0x2a ||
    b === 0x26
  );
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** Go's parseASN1String for the six string types; throws with Go's reason. */
export function asn1String(tag: number, v: Buffer): string {
  switch (tag) {
    case TAG.T61String:
      return v.toString('latin1');
    case TAG.PrintableString:
      for (const b of v) if (!isPrintable(b)) throw new NameError('invalid PrintableString');
      return v.toString('latin1');
    case TAG.UTF8String:
      try {
        return utf8Strict.decode(v);
      } catch {
        throw new NameError('invalid UTF-8 string');
      }
    case TAG.BMPString: {
      if (v.length % 2 !== 0) throw new NameError('invalid BMPString');
      let s = v;
      if (s.length >= 2 && s[s.length - 1] === 0 && s[s.length - 2] === 0) s = s.subarray(0, s.length - 2);
      let out = '';
      for (let i = 0; i < s.length; i += 2) {
        const p = ((s[i] as number) << 8) | (s[i + 1] as number);
        if (p === 0xfffe || p === 0xffff || (p >= 0xfdd0 && p <= 0xfdef) || (p >= 0xd800 && p <= 0xdfff)) {
          throw new NameError('invalid BMPString');
        }
        out += String.fromCharCode(p);
      }
      return out;
    }
    case TAG.IA5String:
      for (const b of v) if (b > 0x7f) throw new NameError('invalid IA5String');
      return v.toString('latin1');
    case TAG.NumericString:
      for (const b of v) if (!((b >= 0x30 && b <= 0x39) || b === 0x20)) throw new NameError('invalid NumericString');
      return v.toString('latin1');
  }
  throw new NameError(`unsupported string type: ${tag}`);
}

const STRING_TAGS: number[] = [
  TAG.T61String,
  TAG.PrintableString,
  TAG.UTF8String,
  TAG.BMPString,
  TAG.IA5String,
  TAG.NumericString,
];

/** Go's readASN1Any. */
function readAny(d: Der): AttrValue {
  const e = d.readAny();
  if (!e) throw new NameError('invalid ASN.1 element');
  if (STRING_TAGS.includes(e.tag)) return { k: 'str', v: asn1String(e.tag, e.body) };
  switch (e.tag) {
    case TAG.INTEGER: {
      const v = parseIntegerBytes(e.body);
      if (v === null || v > 0x7fffffffffffffffn || v < -0x8000000000000000n) throw new NameError('invalid ASN.1 integer');
      return { k: 'int', v };
    }
    case TAG.BIT_STRING: {
      const bs = new Der(e.full).readBitString();
      if (!bs) throw new NameError('invalid ASN.1 BIT STRING');
      return { k: 'bits', v: bs };
    }
    case TAG.OCTET_STRING:
      return { k: 'bytes', v: Buffer.from(e.body) };
    case TAG.OID: {
      const oid = new Der(e.full).readOID();
      if (!oid) throw new NameError('invalid ASN.1 OBJECT IDENTIFIER');
      return { k: 'oid', v: oid };
    }
    case TAG.UTCTime:
    case TAG.GeneralizedTime: {
      const t = readTime(new Der(e.full));
      if (t === null || t === 'unsupported')
        throw new NameError(`x509: malformed ${e.tag === TAG.UTCTime ? 'UTCTime' : 'GeneralizedTime'}`);
      return { k: 'time', v: t };
    }
    case TAG.BOOLEAN: {
      const b = new Der(e.full).readBool();
      if (b === null) throw new NameError('invalid ASN.1 BOOLEAN');
      return { k: 'bool', v: b };
    }
    case TAG.NULL:
      return { k: 'null' };
  }
  return {
    k: 'raw',
    cls: (e.tag >>> 6) & 3,
    tag: e.tag & 0x1f,
    compound: (e.tag & 0x20) !== 0,
    bytes: Buffer.from(e.body),
    full: Buffer.from(e.full),
  };
}

/** A pkix.Name with no attributes. */
export function emptyName(): PkixName {
  return {
    country: null,
    organization: null,
    organizationalUnit: null,
    locality: null,
    province: null,
    streetAddress: null,
    postalCode: null,
    serialNumber: '',
    commonName: '',
    names: null,
  };
}

const NAME_FIELDS: Record<number, keyof PkixName> = {
  6: 'country',
  7: 'locality',
  8: 'province',
  9: 'streetAddress',
  10: 'organization',
  11: 'organizationalUnit',
  17: 'postalCode',
};

/** Parses a DER Name (the whole SEQUENCE element) and fills a pkix.Name like Go's
 *  FillFromRDNSequence. Throws Error with Go's message. */
export function parseName(full: Buffer): PkixName {
  const seq = new Der(full).sub(TAG.SEQUENCE);
  if (!seq) throw new Error('x509: invalid RDNSequence');
  const n = emptyName();
  while (!seq.empty()) {
    const set = seq.sub(TAG.SET);
    if (!set) throw new Error('x509: invalid RDNSequence');
    while (!set.empty()) {
      const atv = set.sub(TAG.SEQUENCE);
      if (!atv) throw new Error('x509: invalid RDNSequence: invalid attribute');
      const type = atv.readOID();
      if (!type) throw new Error('x509: invalid RDNSequence: invalid attribute type');
      let value: AttrValue;
      try {
        value = readAny(atv);
      } catch (err) {
        throw new Error(`x509: invalid RDNSequence: invalid attribute value: ${(err as Error).message}`);
      }
      addAttribute(n, type, value);
    }
  }
  return n;
}

/** One step of Go's FillFromRDNSequence: every attribute lands in Names; string values of the
 *  known id-at attributes also fill their field. */
export function addAttribute(n: PkixName, type: number[], value: AttrValue): void {
  (n.names ??= []).push({ type, value });
  if (value.k !== 'str' || type.length !== 4 || type[0] !== 2 || type[1] !== 5 || type[2] !== 4) return;
  const which = type[3] as number;
  if (which === 3) n.commonName = value.v;
  else if (which === 5) n.serialNumber = value.v;
  else {
    const field = NAME_FIELDS[which];
    if (field) ((n[field] as string[] | null) ??= []).push(value.v);
  }
}

/** A public key in the shape Go's parsed key types marshal to. */
export type GoPublicKey =
  | { kind: 'rsa'; n: bigint; e: bigint }
  | { kind: 'ecdsa'; curve: string; size: number; x: bigint; y: bigint }
  | { kind: 'ed25519'; pub: Buffer }
  | { kind: 'x25519'; pub: Buffer }
  | { kind: 'dsa'; p: bigint; q: bigint; g: bigint; y: bigint };

const OID_RSA = [1, 2, 840, 113549, 1, 1, 1];
const OID_DSA = [1, 2, 840, 10040, 4, 1];
const OID_EC = [1, 2, 840, 10045, 2, 1];
const OID_ED25519 = [1, 3, 101, 112];
const OID_X25519 = [1, 3, 101, 110];

export const CURVES: { oid: number[]; name: string; jwk: string; size: number }[] = [
  { oid: [1, 3, 132, 0, 33], name: 'secp224r1', jwk: 'P-224', size: 28 },
  { oid: [1, 2, 840, 10045, 3, 1, 7], name: 'prime256v1', jwk: 'P-256', size: 32 },
  { oid: [1, 3, 132, 0, 34], name: 'secp384r1', jwk: 'P-384', size: 48 },
  { oid: [1, 3, 132, 0, 35], name: 'secp521r1', jwk: 'P-521', size: 66 },
];

interface AlgorithmIdentifier {
  oid: number[];
  params: Buffer | null;
}

/** Go's parseAI over the contents of an AlgorithmIdentifier SEQUENCE. */
export function parseAI(body: Buffer): AlgorithmIdentifier {
  const d = new Der(body);
  const oid = d.readOID();
  if (!oid) throw new Error('x509: malformed OID');
  if (d.empty()) return { oid, params: null };
  const p = d.readAny();
  if (!p) throw new Error('x509: malformed parameters');
  return { oid, params: p.full };
}

/** Go's PublicKeyAlgorithm number for an SPKI algorithm OID (0 = unknown). */
export function publicKeyAlgorithm(oid: number[]): number {
  if (oidEquals(oid, OID_RSA)) return 1;
  if (oidEquals(oid, OID_DSA)) return 2;
  if (oidEquals(oid, OID_EC)) return 3;
  if (oidEquals(oid, OID_ED25519)) return 4;
  return 0;
}

const NULL_PARAMS = Buffer.from([0x05, 0x00]);

/** Parses a SubjectPublicKeyInfo element. In certificates (`inCert`) an unknown algorithm gives a
 *  null key; ParsePKIXPublicKey (inCert false) rejects it. Throws Error with Go's messages. */
export function parsePublicKey(spki: Buffer, inCert: boolean): { algorithm: number; key: GoPublicKey | null } {
  const d = new Der(spki).sub(TAG.SEQUENCE);
  if (!d) throw new Error(inCert ? 'x509: malformed spki' : "asn1: structure error: tags don't match");
  const aiEl = d.read(TAG.SEQUENCE);
  if (!aiEl) throw new Error('x509: malformed public key algorithm identifier');
  const ai = parseAI(aiEl.body);
  const bits = d.readBitString();
  if (!bits) throw new Error('x509: malformed subjectPublicKey');
  if (!inCert && !d.empty()) throw new Error('x509: trailing data after ASN.1 of public-key');
  const algorithm = publicKeyAlgorithm(ai.oid);
  if (inCert && algorithm === 0) return { algorithm, key: null };
  const data = rightAlign(bits);
  if (oidEquals(ai.oid, OID_RSA)) {
    if (!ai.params?.equals(NULL_PARAMS)) throw new Error('x509: RSA key missing NULL parameters');
    const s = new Der(data).sub(TAG.SEQUENCE);
    if (!s) throw new Error('x509: invalid RSA public key');
    const n = s.readBigInt();
    if (n === null) throw new Error('x509: invalid RSA modulus');
    const e = s.readBigInt();
    if (e === null || e > 0x7fffffffffffffffn) throw new Error('x509: invalid RSA public exponent');
    if (n <= 0n) throw new Error('x509: RSA modulus is not a positive number');
    if (e <= 0n) throw new Error('x509: RSA public exponent is not a positive number');
    return { algorithm, key: { kind: 'rsa', n, e } };
  }
  if (oidEquals(ai.oid, OID_EC)) {
    const named = ai.params ? new Der(ai.params).readOID() : null;
    if (!named) throw new Error('x509: invalid ECDSA parameters');
    const curve = CURVES.find((c) => oidEquals(named, c.oid));
    if (!curve) throw new Error('x509: unsupported elliptic curve');
    if (data.length !== 1 + 2 * curve.size || data[0] !== 4 || !validKey(spki)) {
      throw new Error('x509: failed to unmarshal elliptic curve point');
    }
    const x = bytesToBigInt(data.subarray(1, 1 + curve.size));
    const y = bytesToBigInt(data.subarray(1 + curve.size));
    return { algorithm, key: { kind: 'ecdsa', curve: curve.jwk, size: curve.size, x, y } };
  }
  if (oidEquals(ai.oid, OID_ED25519)) {
    if (ai.params) throw new Error('x509: Ed25519 key encoded with illegal parameters');
    if (data.length !== 32) throw new Error('x509: wrong Ed25519 public key size');
    return { algorithm, key: { kind: 'ed25519', pub: Buffer.from(data) } };
  }
  if (oidEquals(ai.oid, OID_X25519)) {
    if (ai.params) throw new Error('x509: X25519 key encoded with illegal parameters');
    if (data.length !== 32) throw new Error('crypto/ecdh: invalid public key');
    return { algorithm, key: { kind: 'x25519', pub: Buffer.from(data) } };
  }
  if (oidEquals(ai.oid, OID_DSA)) {
    const y = new Der(data).readBigInt();
    if (y === null) throw new Error('x509: invalid DSA public key');
    const p = ai.params ? new Der(ai.params).sub(TAG.SEQUENCE) : null;
    const P = p?.readBigInt();
    const Q = p?.readBigInt();
    const G = p?.readBigInt();
    if (P == null || Q == null || G == null) throw new Error('x509: invalid DSA parameters');
    if (y <= 0n || P <= 0n || Q <= 0n || G <= 0n) throw new Error('x509: zero or negative DSA parameter');
    return { algorithm, key: { kind: 'dsa', p: P, q: Q, g: G, y } };
  }
  throw new Error('x509: unknown public key algorithm');
}

function validKey(spki: Buffer): boolean {
  try {
    createPublicKey({ key: spki, format: 'der', type: 'spki' });
    return true;
  } catch {
    return false;
  }
}

/** A node:crypto key for an SPKI, or null when OpenSSL cannot use it. */
export function spkiKeyObject(spki: Buffer): KeyObject | null {
  try {
    return createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch {
    return null;
  }
}

const SIG_ALGS: [number[], number][] = [
  [[1, 2, 840, 113549, 1, 1, 2], 1],
  [[1, 2, 840, 113549, 1, 1, 4], 2],
  [[1, 2, 840, 113549, 1, 1, 5], 3],
  [[1, 3, 14, 3, 2, 29], 3],
  [[1, 2, 840, 113549, 1, 1, 11], 4],
  [[1, 2, 840, 113549, 1, 1, 12], 5],
  [[1, 2, 840, 113549, 1, 1, 13], 6],
  [[1, 2, 840, 10040, 4, 3], 7],
  [[2, 16, 840, 1, 101, 3, 4, 3, 2], 8],
  [[1, 2, 840, 10045, 4, 1], 9],
  [[1, 2, 840, 10045, 4, 3, 2], 10],
  [[1, 2, 840, 10045, 4, 3, 3], 11],
  [[1, 2, 840, 10045, 4, 3, 4], 12],
  [[1, 3, 101, 112], 16],
];
const OID_PSS = [1, 2, 840, 113549, 1, 1, 10];
const OID_MGF1 = [1, 2, 840, 113549, 1, 1, 8];
const HASHES: [number[], number, number][] = [
  [[2, 16, 840, 1, 101, 3, 4, 2, 1], 32, 13],
  [[2, 16, 840, 1, 101, 3, 4, 2, 2], 48, 14],
  [[2, 16, 840, 1, 101, 3, 4, 2, 3], 64, 15],
];

function nullOrAbsent(p: Buffer | null): boolean {
  return p === null || p.equals(NULL_PARAMS);
}

function pssAlgorithm(params: Buffer | null): number {
  if (!params) return 0;
  const s = new Der(params).sub(TAG.SEQUENCE);
  const hashEl = s?.read(ctx(0, true));
  const mgfEl = s?.read(ctx(1, true));
  const saltEl = s?.read(ctx(2, true));
  if (!s || !hashEl || !mgfEl || !saltEl) return 0;
  let trailer = 1;
  const tr = s.readOptional(ctx(3, true));
  if (tr === null) return 0;
  if (tr) trailer = new Der(tr.body).readSmallInt() ?? -1;
  const salt = new Der(saltEl.body).readSmallInt();
  try {
    const hashSeq = new Der(hashEl.body).read(TAG.SEQUENCE);
    const mgfSeq = new Der(mgfEl.body).read(TAG.SEQUENCE);
    if (!hashSeq || !mgfSeq) return 0;
    const hash = parseAI(hashSeq.body);
    const mgf = parseAI(mgfSeq.body);
    const mgfHashSeq = mgf.params ? new Der(mgf.params).read(TAG.SEQUENCE) : null;
    if (!mgfHashSeq) return 0;
    const mgfHash = parseAI(mgfHashSeq.body);
    if (!nullOrAbsent(hash.params) || !oidEquals(mgf.oid, OID_MGF1) || !oidEquals(mgfHash.oid, hash.oid)) return 0;
    if (!nullOrAbsent(mgfHash.params) || trailer !== 1) return 0;
    for (const [oid, len, alg] of HASHES) if (oidEquals(hash.oid, oid) && salt === len) return alg;
  } catch {
    return 0;
  }
  return 0;
}

/** Go's SignatureAlgorithm number for the contents of an AlgorithmIdentifier. Throws for
 *  malformed identifiers (as Go's parseAI does). */
export function signatureAlgorithm(body: Buffer): number {
  const ai = parseAI(body);
  if (oidEquals(ai.oid, OID_ED25519) && ai.params) return 0;
  if (!oidEquals(ai.oid, OID_PSS)) {
    for (const [oid, alg] of SIG_ALGS) if (oidEquals(ai.oid, oid)) return alg;
    return 0;
  }
  return pssAlgorithm(ai.params);
}
