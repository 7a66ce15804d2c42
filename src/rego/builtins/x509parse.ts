// X.509 certificate parsing into the fields of Go's x509.Certificate, following Go's parser
// (crypto/x509/parser.go) so OPA's output shape, defaults and error texts carry over.
import { Der, type GoTime, oidString, readTime, rightAlign, TAG, ctx } from './der.js';
import type { GoURL } from './gourl.js';
import { fail, processExtensions } from './x509ext.js';
import { type GoPublicKey, type PkixName, parseName, parsePublicKey, signatureAlgorithm } from './x509name.js';

export { parseSAN, X509Error } from './x509ext.js';

export interface Extension {
  id: number[];
  critical: boolean;
  value: Buffer;
}

export interface IPNet {
  ip: Buffer;
  mask: Buffer;
}

export interface GoCertificate {
  raw: Buffer;
  rawTBS: Buffer;
  rawSPKI: Buffer;
  rawSubject: Buffer;
  rawIssuer: Buffer;
  signature: Buffer;
  signatureAlgorithm: number;
  publicKeyAlgorithm: number;
  publicKey: GoPublicKey | null;
  version: number;
  serialNumber: bigint;
  issuer: PkixName;
  subject: PkixName;
  notBefore: GoTime;
  notAfter: GoTime;
  keyUsage: number;
  extensions: Extension[] | null;
  unhandledCriticalExtensions: number[][] | null;
  extKeyUsage: number[] | null;
  unknownExtKeyUsage: number[][] | null;
  basicConstraintsValid: boolean;
  isCA: boolean;
  maxPathLen: number;
  maxPathLenZero: boolean;
  subjectKeyId: Buffer | null;
  authorityKeyId: Buffer | null;
  ocspServer: string[] | null;
  issuingCertificateURL: string[] | null;
  dnsNames: string[] | null;
  emailAddresses: string[] | null;
  ipAddresses: Buffer[] | null;
  uris: GoURL[] | null;
  permittedDNSDomainsCritical: boolean;
  permittedDNSDomains: string[] | null;
  excludedDNSDomains: string[] | null;
  permittedIPRanges: IPNet[] | null;
  excludedIPRanges: IPNet[] | null;
  permittedEmailAddresses: string[] | null;
  excludedEmailAddresses: string[] | null;
  permittedURIDomains: string[] | null;
  excludedURIDomains: string[] | null;
  crlDistributionPoints: string[] | null;
  policyIdentifiers: number[][] | null;
  policies: string[] | null;
  inhibitAnyPolicy: number;
  inhibitAnyPolicyZero: boolean;
  inhibitPolicyMapping: number;
  inhibitPolicyMappingZero: boolean;
  requireExplicitPolicy: number;
  requireExplicitPolicyZero: boolean;
  policyMappings: { issuer: string; subject: string }[] | null;
}

function parseExtension(d: Der): Extension {
  const id = d.readOID();
  if (!id) fail('x509: malformed extension OID field');
  let critical = false;
  if (d.peek(TAG.BOOLEAN)) {
    const b = d.readBool();
    if (b === null) fail('x509: malformed extension critical field');
    critical = b;
  }
  const v = d.read(TAG.OCTET_STRING);
  if (!v) fail('x509: malformed extension value field');
  return { id, critical, value: Buffer.from(v.body) };
}

function readValidity(d: Der): GoTime {
  const utc = d.peek(TAG.UTCTime);
  const t = readTime(d);
  if (t === 'unsupported') fail('x509: unsupported time format');
  if (t === null) fail(utc ? 'x509: malformed UTCTime' : 'x509: malformed GeneralizedTime');
  return t;
}

/** Parses the first certificate in `der` (Go's parseCertificate). Throws X509Error. */
export function parseCertificate(der: Buffer): GoCertificate {
  const top = new Der(der).read(TAG.SEQUENCE);
  if (!top) fail('x509: malformed certificate');
  const input = new Der(top.body);
  const tbsEl = input.read(TAG.SEQUENCE);
  if (!tbsEl) fail('x509: malformed tbs certificate');
  const tbs = new Der(tbsEl.body);

  let version = 0;
  const v = tbs.readOptional(ctx(0, true));
  if (v === null) fail('x509: malformed version');
  if (v) {
    const n = new Der(v.body).readSmallInt();
    if (n === null) fail('x509: malformed version');
    version = n;
  }
  if (version < 0 || version > 3) fail('x509: malformed version');
  version++;
  if (version > 3) fail('x509: invalid version');

  const serial = tbs.readBigInt();
  if (serial === null) fail('x509: malformed serial number');
  if (serial < 0n) fail('x509: negative serial number');

  const sigAI = tbs.read(TAG.SEQUENCE);
  if (!sigAI) fail('x509: malformed signature algorithm identifier');
  const outerAI = input.read(TAG.SEQUENCE);
  if (!outerAI) fail('x509: malformed algorithm identifier');
  if (!outerAI.body.equals(sigAI.body)) fail("x509: inner and outer signature algorithm identifiers don't match");
  const sigAlg = signatureAlgorithm(sigAI.body);

  const issuerEl = tbs.read(TAG.SEQUENCE);
  if (!issuerEl) fail('x509: malformed issuer');
  const issuer = parseName(issuerEl.full);

  const validity = tbs.sub(TAG.SEQUENCE);
  if (!validity) fail('x509: malformed validity');
  const notBefore = readValidity(validity);
  const notAfter = readValidity(validity);

  const subjectEl = tbs.read(TAG.SEQUENCE);
  if (!subjectEl) fail('x509: malformed issuer');
  const subject = parseName(subjectEl.full);

  const spkiEl = tbs.read(TAG.SEQUENCE);
  if (!spkiEl) fail('x509: malformed spki');
  const { algorithm, key } = parsePublicKey(spkiEl.full, true);

  const c: GoCertificate = {
    raw: top.full,
    rawTBS: tbsEl.full,
    rawSPKI: spkiEl.full,
    rawSubject: subjectEl.full,
    rawIssuer: issuerEl.full,
    signature: Buffer.alloc(0),
    signatureAlgorithm: sigAlg,
    publicKeyAlgorithm: algorithm,
    publicKey: key,
    version,
    serialNumber: serial,
    issuer,
    subject,
    notBefore,
    notAfter,
    keyUsage: 0,
    extensions: null,
    unhandledCriticalExtensions: null,
    extKeyUsage: null,
    unknownExtKeyUsage: null,
    basicConstraintsValid: false,
    isCA: false,
    maxPathLen: 0,
    maxPathLenZero: false,
    subjectKeyId: null,
    authorityKeyId: null,
    ocspServer: null,
    issuingCertificateURL: null,
    dnsNames: null,
    emailAddresses: null,
    ipAddresses: null,
    uris: null,
    permittedDNSDomainsCritical: false,
    permittedDNSDomains: null,
    excludedDNSDomains: null,
    permittedIPRanges: null,
    excludedIPRanges: null,
    permittedEmailAddresses: null,
    excludedEmailAddresses: null,
    permittedURIDomains: null,
    excludedURIDomains: null,
    crlDistributionPoints: null,
    policyIdentifiers: null,
    policies: null,
    inhibitAnyPolicy: 0,
    inhibitAnyPolicyZero: false,
    inhibitPolicyMapping: 0,
    inhibitPolicyMappingZero: false,
    requireExplicitPolicy: 0,
    requireExplicitPolicyZero: false,
    policyMappings: null,
  };

  if (version > 1) {
    if (tbs.readOptional(ctx(1)) === null) fail('x509: malformed issuerUniqueID');
    if (tbs.readOptional(ctx(2)) === null) fail('x509: malformed subjectUniqueID');
    if (version === 3) {
      const exts = tbs.readOptional(ctx(3, true));
      if (exts === null) fail('x509: malformed extensions');
      if (exts) {
        const seq = new Der(exts.body).sub(TAG.SEQUENCE);
        if (!seq) fail('x509: malformed extensions');
        const seen = new Set<string>();
        c.extensions = [];
        while (!seq.empty()) {
          const one = seq.sub(TAG.SEQUENCE);
          if (!one) fail('x509: malformed extension');
          const ext = parseExtension(one);
          const key = oidString(ext.id);
          if (seen.has(key)) fail(`x509: certificate contains duplicate extension with OID ${JSON.stringify(key)}`);
          seen.add(key);
          c.extensions.push(ext);
        }
        if (c.extensions.length === 0) c.extensions = null;
        processExtensions(c);
      }
    }
  }

  const sig = input.readBitString();
  if (!sig) fail('x509: malformed signature');
  c.signature = rightAlign(sig);
  return c;
}

/** Go's x509.ParseCertificates: concatenated DER certificates. */
export function parseCertificates(der: Buffer): GoCertificate[] {
  const out: GoCertificate[] = [];
  let rest = der;
  while (rest.length > 0) {
    const c = parseCertificate(rest);
    out.push(c);
    rest = rest.subarray(c.raw.length);
  }
  return out;
}

/** Go's x509.ParseCertificate: exactly one certificate. */
export function parseOneCertificate(der: Buffer): GoCertificate {
  const c = parseCertificate(der);
  if (c.raw.length !== der.length) fail('x509: trailing data');
  return c;
}
