// PKCS #10 certificate requests as Go's x509.ParseCertificateRequest reads them (through
// encoding/asn1), in the JSON shape of x509.CertificateRequest.
import {
  Der,
  type Element,
  oidEquals,
  oidString,
  parseBitString,
  parseIntegerBytes,
  readTime,
  rightAlign,
  TAG,
  ctx,
} from './der.js';
import {
  type AttrValue,
  addAttribute,
  asn1String,
  emptyName,
  type PkixName,
  parsePublicKey,
  signatureAlgorithm,
} from './x509name.js';
import { type Extension, parseSAN } from './x509parse.js';
import { attrJSON, b64, extensionsJSON, nameJSON, publicKeyJSON, urlJSON } from './x509json.js';
import { ipString } from './cidr.js';

const OID_EXTENSION_REQUEST = [1, 2, 840, 113549, 1, 9, 14];
const OID_SAN = [2, 5, 29, 17];

function structureError(msg: string): never {
  throw new Error(`asn1: structure error: ${msg}`);
}

/** encoding/asn1's decoding of a value into an `any` field: universal primitive types only;
 *  anything else (BOOLEAN, NULL, compound values) stays nil. */
function anyValue(e: Element): AttrValue {
  const STRINGS: number[] = [TAG.PrintableString, TAG.NumericString, TAG.IA5String, TAG.T61String, TAG.UTF8String, TAG.BMPString];
  if (STRINGS.includes(e.tag)) return { k: 'str', v: asn1String(e.tag, e.body) };
  switch (e.tag) {
    case TAG.INTEGER: {
      const v = parseIntegerBytes(e.body);
      if (v === null) structureError('integer not minimally-encoded');
      return { k: 'int', v };
    }
    case TAG.BIT_STRING: {
      const bs = parseBitString(e.body);
      if (!bs) structureError('invalid bit string');
      return { k: 'bits', v: bs };
    }
    case TAG.OID: {
      const oid = new Der(e.full).readOID();
      if (!oid) structureError('invalid object identifier');
      return { k: 'oid', v: oid };
    }
    case TAG.UTCTime:
    case TAG.GeneralizedTime: {
      const t = readTime(new Der(e.full));
      if (t === null || t === 'unsupported') structureError('invalid time');
      return { k: 'time', v: t };
    }
    case TAG.OCTET_STRING:
      return { k: 'bytes', v: Buffer.from(e.body) };
  }
  return { k: 'null' };
}

/** Subject Name through encoding/asn1 (pkix.RDNSequence) and FillFromRDNSequence. */
function parseSubject(full: Buffer): PkixName {
  const seq = new Der(full).sub(TAG.SEQUENCE);
  if (!seq) structureError("tags don't match");
  const n = emptyName();
  while (!seq.empty()) {
    const set = seq.sub(TAG.SET);
    if (!set) structureError("tags don't match");
    while (!set.empty()) {
      const atv = set.sub(TAG.SEQUENCE);
      const type = atv?.readOID();
      const val = atv?.readAny();
      if (!type || !val) structureError("tags don't match");
      addAttribute(n, type, anyValue(val));
    }
  }
  return n;
}

/** pkix.AttributeTypeAndValueSET for each attribute that parses as one (others are skipped). */
function parseAttributes(raw: Element[]): unknown[] | null {
  const out: unknown[] = [];
  for (const a of raw) {
    try {
      const seq = new Der(a.full).sub(TAG.SEQUENCE);
      const type = seq?.readOID();
      const set = seq?.sub(TAG.SET);
      if (!seq || !type || !set) continue;
      const values: unknown[][] = [];
      while (!set.empty()) {
        const inner = set.sub(TAG.SEQUENCE);
        if (!inner) throw new Error('not a sequence');
        const atvs: unknown[] = [];
        while (!inner.empty()) {
          const atv = inner.sub(TAG.SEQUENCE);
          const t = atv?.readOID();
          const v = atv?.readAny();
          if (!t || !v) throw new Error('not an attribute');
          atvs.push({ Type: t, Value: attrJSON(anyValue(v)) });
        }
        values.push(atvs);
      }
      out.push({ Type: type, Value: values });
    } catch {
      // Attributes such as challengePassword do not fit the structure and are left out.
    }
  }
  return out.length > 0 ? out : null;
}

/** The requested extensions (extensionRequest attribute). */
function parseCSRExtensions(raw: Element[]): Extension[] | null {
  let ret: Extension[] | null = null;
  const seen = new Set<string>();
  for (const a of raw) {
    const seq = new Der(a.full).sub(TAG.SEQUENCE);
    const id = seq?.readOID();
    const set = seq?.sub(TAG.SET);
    const first = set?.readAny();
    if (!seq || !id || !first || !seq.empty()) continue;
    if (!oidEquals(id, OID_EXTENSION_REQUEST)) continue;
    const exts = new Der(first.full).sub(TAG.SEQUENCE);
    if (!exts) structureError("tags don't match");
    while (!exts.empty()) {
      const e = exts.sub(TAG.SEQUENCE);
      const eid = e?.readOID();
      if (!e || !eid) structureError("tags don't match");
      let critical = false;
      if (e.peek(TAG.BOOLEAN)) critical = e.readBool() ?? structureError('invalid boolean');
      const v = e.read(TAG.OCTET_STRING);
      if (!v) structureError("tags don't match");
      const key = oidString(eid);
      if (seen.has(key)) throw new Error('x509: certificate request contains duplicate requested extensions');
      seen.add(key);
      (ret ??= []).push({ id: eid, critical, value: Buffer.from(v.body) });
    }
  }
  return ret;
}

/** Parses a DER CSR into the JSON of Go's x509.CertificateRequest. Throws Error. */
export function parseCertificateRequest(der: Buffer): Record<string, unknown> {
  const top = new Der(der);
  const outer = top.read(TAG.SEQUENCE);
  if (!outer) structureError("tags don't match");
  if (!top.empty()) throw new Error('asn1: syntax error: trailing data');
  const body = new Der(outer.body);
  const tbsEl = body.read(TAG.SEQUENCE);
  const sigAI = body.read(TAG.SEQUENCE);
  const sigBits = body.readBitString();
  if (!tbsEl || !sigAI || !sigBits) structureError("tags don't match");
  const tbs = new Der(tbsEl.body);
  const version = tbs.readSmallInt();
  const subjectEl = tbs.read(TAG.SEQUENCE);
  const spkiEl = tbs.read(TAG.SEQUENCE);
  const attrsEl = tbs.read(ctx(0, true));
  if (version === null || !subjectEl || !spkiEl || !attrsEl) structureError("tags don't match");
  const rawAttrs: Element[] = [];
  const ad = new Der(attrsEl.body);
  while (!ad.empty()) {
    const a = ad.readAny();
    if (!a) structureError('invalid attributes');
    rawAttrs.push(a);
  }
  const { algorithm, key } = parsePublicKey(spkiEl.full, true);
  const subject = parseSubject(subjectEl.full);
  const extensions = parseCSRExtensions(rawAttrs);
  let san = {
    dnsNames: null as string[] | null,
    emailAddresses: null as string[] | null,
    ipAddresses: null as Buffer[] | null,
    uris: null as ReturnType<typeof parseSAN>['uris'],
  };
  for (const e of extensions ?? []) if (oidEquals(e.id, OID_SAN)) san = parseSAN(e.value);
  return {
    Raw: b64(outer.full),
    RawTBSCertificateRequest: b64(tbsEl.full),
    RawSubjectPublicKeyInfo: b64(spkiEl.full),
    RawSubject: b64(subjectEl.full),
    Version: version,
    Signature: b64(rightAlign(sigBits)),
    SignatureAlgorithm: signatureAlgorithm(sigAI.body),
    PublicKeyAlgorithm: algorithm,
    PublicKey: publicKeyJSON(key),
    Subject: nameJSON(subject),
    Attributes: parseAttributes(rawAttrs),
    Extensions: extensionsJSON(extensions),
    ExtraExtensions: null,
    DNSNames: san.dnsNames,
    EmailAddresses: san.emailAddresses,
    IPAddresses: san.ipAddresses ? san.ipAddresses.map(ipString) : null,
    URIs: san.uris ? san.uris.map(urlJSON) : null,
  };
}
