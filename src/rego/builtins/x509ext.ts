// Certificate extensions as Go's processExtensions reads them: key usage, basic constraints,
// subject alternative names, name constraints, CRL distribution points, key identifiers, policies
// and authority information access; unknown critical extensions are recorded.
import { type BitString, bitAt, Der, type Element, oidEquals, oidString, TAG, ctx } from './der.js';
import { type GoURL, parseGoURL } from './gourl.js';
import type { Extension, GoCertificate, IPNet } from './x509parse.js';

/** Go's extended key usage table: OID → ExtKeyUsage number. */
const EKU: [string, number][] = [
  ['2.5.29.37.0', 0],
  ['1.3.6.1.5.5.7.3.1', 1],
  ['1.3.6.1.5.5.7.3.2', 2],
  ['1.3.6.1.5.5.7.3.3', 3],
  ['1.3.6.1.5.5.7.3.4', 4],
  ['1.3.6.1.5.5.7.3.5', 5],
  ['1.3.6.1.5.5.7.3.6', 6],
  ['1.3.6.1.5.5.7.3.7', 7],
  ['1.3.6.1.5.5.7.3.8', 8],
  ['1.3.6.1.5.5.7.3.9', 9],
  ['1.3.6.1.4.1.311.10.3.3', 10],
  ['2.16.840.1.113730.4.1', 11],
  ['1.3.6.1.4.1.311.2.1.22', 12],
  ['1.3.6.1.4.1.311.61.1.1', 13],
];
const EKU_BY_OID = new Map(EKU);

const OID_AIA = [1, 3, 6, 1, 5, 5, 7, 1, 1];
const OID_AIA_OCSP = [1, 3, 6, 1, 5, 5, 7, 48, 1];
const OID_AIA_ISSUERS = [1, 3, 6, 1, 5, 5, 7, 48, 2];

export class X509Error extends Error {}

export function fail(msg: string): never {
  throw new X509Error(msg);
}

export function isIA5(s: Buffer): boolean {
  for (const c of s) if (c > 0x7f) return false;
  return true;
}

/** Go's domainNameValid (the checks currently enforced). */
export function domainNameValid(s: string, constraint: boolean): boolean {
  if (s.length === 0) return true;
  if (s.endsWith('.')) return false;
  let t = s;
  if (constraint && t.startsWith('.')) t = t.slice(1);
  let last = -1;
  for (let i = 0; i <= t.length; i++) {
    const c = i < t.length ? t.charCodeAt(i) : -1;
    if (i < t.length && (c < 33 || c > 126)) return false;
    if (i === t.length || c === 0x2e) {
      if (i - (last + 1) === 0) return false;
      last = i;
    }
  }
  return true;
}

export interface SANs {
  dnsNames: string[] | null;
  emailAddresses: string[] | null;
  ipAddresses: Buffer[] | null;
  uris: GoURL[] | null;
}

function isV4Mapped(ip: Buffer): boolean {
  for (let i = 0; i < 10; i++) if (ip[i] !== 0) return false;
  return ip[10] === 0xff && ip[11] === 0xff;
}

/** Subject Alternative Names, as Go's parseSANExtension. */
export function parseSAN(value: Buffer): SANs {
  const out: SANs = { dnsNames: null, emailAddresses: null, ipAddresses: null, uris: null };
  const seq = new Der(value).sub(TAG.SEQUENCE);
  if (!seq) fail('x509: invalid subject alternative names');
  while (!seq.empty()) {
    const e = seq.readAny();
    if (!e) fail('x509: invalid subject alternative name');
    const data = e.body;
    switch (e.tag ^ 0x80) {
      case 1:
        if (!isIA5(data)) fail('x509: SAN rfc822Name is malformed');
        out.emailAddresses ??= [];
        out.emailAddresses.push(data.toString('latin1'));
        break;
      case 2:
        if (!isIA5(data)) fail('x509: SAN dNSName is malformed');
        out.dnsNames ??= [];
        out.dnsNames.push(data.toString('latin1'));
        break;
      case 6: {
        if (!isIA5(data)) fail('x509: SAN uniformResourceIdentifier is malformed');
        const s = data.toString('latin1');
        let u: GoURL;
        try {
          u = parseGoURL(s);
        } catch (err) {
          fail(`x509: cannot parse URI ${JSON.stringify(s)}: parse ${JSON.stringify(s)}: ${(err as Error).message}`);
        }
        if (u.host.length > 0 && !domainNameValid(u.host, false))
          fail(`x509: cannot parse URI ${JSON.stringify(s)}: invalid domain`);
        out.uris ??= [];
        out.uris.push(u);
        break;
      }
      case 7:
        if (data.length === 16) {
          if (isV4Mapped(data)) fail('x509: SAN iPAddress contains IPv4-mapped IPv6 address');
        } else if (data.length !== 4) fail(`x509: cannot parse IP address of length ${data.length}`);
        out.ipAddresses ??= [];
        out.ipAddresses.push(Buffer.from(data));
        break;
    }
  }
  return out;
}

function isValidMask(mask: Buffer): boolean {
  let seenZero = false;
  for (const b of mask) {
    if (seenZero) {
      if (b !== 0) return false;
      continue;
    }
    if ([0x00, 0x80, 0xc0, 0xe0, 0xf0, 0xf8, 0xfc, 0xfe].includes(b)) seenZero = true;
    else if (b !== 0xff) return false;
  }
  return true;
}

function parseNameConstraints(c: GoCertificate, e: Extension): boolean {
  const outer = new Der(e.value);
  const top = outer.sub(TAG.SEQUENCE);
  if (!top || !outer.empty()) fail('x509: invalid NameConstraints extension');
  const permitted = top.readOptional(ctx(0, true));
  const excluded = top.readOptional(ctx(1, true));
  if (permitted === null || excluded === null || !top.empty()) fail('x509: invalid NameConstraints extension');
  if (!permitted && !excluded) fail('x509: empty name constraints extension');
  if ((permitted && permitted.body.length === 0) || (excluded && excluded.body.length === 0)) {
    fail('x509: empty name constraints subtree sequence');
  }
  let unhandled = false;
  const values = (el: Element | undefined) => {
    const r = {
      dns: null as string[] | null,
      ips: null as IPNet[] | null,
      emails: null as string[] | null,
      uris: null as string[] | null,
    };
    if (!el) return r;
    const d = new Der(el.body);
    while (!d.empty()) {
      const seq = d.sub(TAG.SEQUENCE);
      const v = seq?.readAny();
      if (!v) fail('x509: invalid NameConstraints extension');
      const s = v.body.toString('latin1');
      switch (v.tag) {
        case ctx(2):
          if (!isIA5(v.body)) fail('x509: invalid constraint value: IA5String contains invalid character');
          if (!domainNameValid(s, true)) fail(`x509: failed to parse dnsName constraint ${JSON.stringify(s)}`);
          r.dns ??= [];
          r.dns.push(s);
          break;
        case ctx(7): {
          const l = v.body.length;
          if (l !== 8 && l !== 32) fail(`x509: IP constraint contained value of length ${l}`);
          const ip = Buffer.from(v.body.subarray(0, l / 2));
          const mask = Buffer.from(v.body.subarray(l / 2));
          if (!isValidMask(mask)) fail(`x509: IP constraint contained invalid mask ${mask.toString('hex')}`);
          if (ip.length === 16 && isV4Mapped(ip)) fail('x509: IP constraint contained IPv4-mapped IPv6 address');
          r.ips ??= [];
          r.ips.push({ ip, mask });
          break;
        }
        case ctx(1):
          if (!isIA5(v.body)) fail('x509: invalid constraint value: IA5String contains invalid character');
          if (s.includes('@') ? !/^[^@]+@[^@]+$/.test(s) : !domainNameValid(s, true)) {
            fail(`x509: failed to parse rfc822Name constraint ${JSON.stringify(s)}`);
          }
          r.emails ??= [];
          r.emails.push(s);
          break;
        case ctx(6):
          if (!isIA5(v.body)) fail('x509: invalid constraint value: IA5String contains invalid character');
          if (/^[0-9.]+$/.test(s) || s.includes(':'))
            fail(`x509: failed to parse URI constraint ${JSON.stringify(s)}: cannot be IP address`);
          if (!domainNameValid(s, true)) fail(`x509: failed to parse URI constraint ${JSON.stringify(s)}`);
          r.uris ??= [];
          r.uris.push(s);
          break;
        default:
          unhandled = true;
      }
    }
    return r;
  };
  const p = values(permitted);
  const x = values(excluded);
  c.permittedDNSDomains = p.dns;
  c.permittedIPRanges = p.ips;
  c.permittedEmailAddresses = p.emails;
  c.permittedURIDomains = p.uris;
  c.excludedDNSDomains = x.dns;
  c.excludedIPRanges = x.ips;
  c.excludedEmailAddresses = x.emails;
  c.excludedURIDomains = x.uris;
  c.permittedDNSDomainsCritical = e.critical;
  return unhandled;
}

function readPolicyInt(d: Der, tag: number, what: string): number {
  const v = d.readSmallInt(tag);
  if (v === null) fail(`x509: invalid policy constraints extension${what}`);
  return v;
}

/** Go's processExtensions: fills the typed fields from the raw extensions. */
export function processExtensions(c: GoCertificate): void {
  for (const e of c.extensions ?? []) {
    let unhandled = false;
    const id = e.id;
    if (id.length === 4 && id[0] === 2 && id[1] === 5 && id[2] === 29) {
      const d = new Der(e.value);
      switch (id[3]) {
        case 15: {
          const bits = d.readBitString();
          if (!bits) fail('x509: invalid key usage');
          let usage = 0;
          for (let i = 0; i < 9; i++) if (bitAt(bits as BitString, i)) usage |= 1 << i;
          c.keyUsage = usage;
          break;
        }
        case 19: {
          const s = d.sub(TAG.SEQUENCE);
          if (!s) fail('x509: invalid basic constraints');
          let isCA = false;
          if (s.peek(TAG.BOOLEAN)) {
            const b = s.readBool();
            if (b === null) fail('x509: invalid basic constraints');
            isCA = b;
          }
          let mpl = -1;
          if (s.peek(TAG.INTEGER)) {
            const v = s.readBigInt();
            if (v === null || v < 0n || v > BigInt(Number.MAX_SAFE_INTEGER)) fail('x509: invalid basic constraints');
            mpl = Number(v);
          }
          c.isCA = isCA;
          c.maxPathLen = mpl;
          c.basicConstraintsValid = true;
          c.maxPathLenZero = mpl === 0;
          break;
        }
        case 17: {
          const san = parseSAN(e.value);
          Object.assign(c, san);
          if (!san.dnsNames && !san.emailAddresses && !san.ipAddresses && !san.uris) unhandled = true;
          break;
        }
        case 30:
          unhandled = parseNameConstraints(c, e);
          break;
        case 31: {
          const s = d.sub(TAG.SEQUENCE);
          if (!s) fail('x509: invalid CRL distribution points');
          while (!s.empty()) {
            const dp = s.sub(TAG.SEQUENCE);
            if (!dp) fail('x509: invalid CRL distribution point');
            const name = dp.readOptional(ctx(0, true));
            if (name === null) fail('x509: invalid CRL distribution point');
            if (!name) continue;
            const full = new Der(name.body).sub(ctx(0, true));
            if (!full) fail('x509: invalid CRL distribution point');
            while (!full.empty() && full.peek(ctx(6))) {
              const uri = full.read(ctx(6));
              if (!uri) fail('x509: invalid CRL distribution point');
              c.crlDistributionPoints ??= [];
              c.crlDistributionPoints.push(uri.body.toString('latin1'));
            }
          }
          break;
        }
        case 35: {
          if (e.critical) fail('x509: authority key identifier incorrectly marked critical');
          const akid = d.sub(TAG.SEQUENCE);
          if (!akid) fail('x509: invalid authority key identifier');
          if (akid.peek(ctx(0))) {
            const k = akid.read(ctx(0));
            if (!k) fail('x509: invalid authority key identifier');
            c.authorityKeyId = Buffer.from(k.body);
          }
          break;
        }
        case 36: {
          const s = d.sub(TAG.SEQUENCE);
          if (!s) fail('x509: invalid policy constraints extension');
          if (s.peek(ctx(0))) {
            c.requireExplicitPolicy = readPolicyInt(s, ctx(0), '');
            c.requireExplicitPolicyZero = c.requireExplicitPolicy === 0;
          }
          if (s.peek(ctx(1))) {
            c.inhibitPolicyMapping = readPolicyInt(s, ctx(1), '');
            c.inhibitPolicyMappingZero = c.inhibitPolicyMapping === 0;
          }
          break;
        }
        case 37: {
          const s = d.sub(TAG.SEQUENCE);
          if (!s) fail('x509: invalid extended key usages');
          while (!s.empty()) {
            const oid = s.readOID();
            if (!oid) fail('x509: invalid extended key usages');
            const known = EKU_BY_OID.get(oidString(oid));
            if (known !== undefined) {
              c.extKeyUsage ??= [];
              c.extKeyUsage.push(known);
            } else {
              c.unknownExtKeyUsage ??= [];
              c.unknownExtKeyUsage.push(oid);
            }
          }
          break;
        }
        case 14: {
          if (e.critical) fail('x509: subject key identifier incorrectly marked critical');
          const k = d.read(TAG.OCTET_STRING);
          if (!k) fail('x509: invalid subject key identifier');
          c.subjectKeyId = Buffer.from(k.body);
          break;
        }
        case 32: {
          const s = d.sub(TAG.SEQUENCE);
          if (!s) fail('x509: invalid certificate policies');
          const seen = new Set<string>();
          c.policies = [];
          c.policyIdentifiers = [];
          while (!s.empty()) {
            const cp = s.sub(TAG.SEQUENCE);
            const oidEl = cp?.read(TAG.OID);
            if (!oidEl) fail('x509: invalid certificate policies');
            const key = oidEl.body.toString('hex');
            if (seen.has(key)) fail('x509: invalid certificate policies');
            seen.add(key);
            const big = parseOIDBig(oidEl.body);
            if (!big) fail('x509: invalid certificate policies');
            c.policies.push(big.map(String).join('.'));
            if (big.every((n) => n <= 0x7fffffffffffffffn)) c.policyIdentifiers.push(big.map(Number));
          }
          if (c.policies.length === 0) c.policies = null;
          break;
        }
        case 33: {
          const s = d.sub(TAG.SEQUENCE);
          if (!s) fail('x509: invalid policy mappings extension');
          while (!s.empty()) {
            const m = s.sub(TAG.SEQUENCE);
            const a = m?.read(TAG.OID);
            const b = m?.read(TAG.OID);
            const ai = a && parseOIDBig(a.body);
            const bi = b && parseOIDBig(b.body);
            if (!ai || !bi) fail('x509: invalid policy mappings extension');
            c.policyMappings ??= [];
            c.policyMappings.push({ issuer: ai.map(String).join('.'), subject: bi.map(String).join('.') });
          }
          break;
        }
        case 54: {
          const v = d.readSmallInt();
          if (v === null) fail('x509: invalid inhibit any policy extension');
          c.inhibitAnyPolicy = v;
          c.inhibitAnyPolicyZero = v === 0;
          break;
        }
        default:
          unhandled = true;
      }
    } else if (oidEquals(id, OID_AIA)) {
      if (e.critical) fail('x509: authority info access incorrectly marked critical');
      const s = new Der(e.value).sub(TAG.SEQUENCE);
      if (!s) fail('x509: invalid authority info access');
      while (!s.empty()) {
        const ad = s.sub(TAG.SEQUENCE);
        const method = ad?.readOID();
        if (!ad || !method) fail('x509: invalid authority info access');
        if (!ad.peek(ctx(6))) continue;
        const loc = ad.read(ctx(6));
        if (!loc) fail('x509: invalid authority info access');
        const url = loc.body.toString('latin1');
        if (oidEquals(method, OID_AIA_OCSP)) (c.ocspServer ??= []).push(url);
        else if (oidEquals(method, OID_AIA_ISSUERS)) (c.issuingCertificateURL ??= []).push(url);
      }
    } else {
      unhandled = true;
    }
    if (e.critical && unhandled) (c.unhandledCriticalExtensions ??= []).push(e.id);
  }
}

/** OID components as bigints (certificate policies may carry arbitrarily large arcs). */
function parseOIDBig(b: Buffer): bigint[] | null {
  if (b.length === 0) return null;
  const out: bigint[] = [];
  let i = 0;
  while (i < b.length) {
    if (b[i] === 0x80) return null;
    let v = 0n;
    for (;;) {
      if (i >= b.length) return null;
      const c = b[i++] as number;
      v = v * 128n + BigInt(c & 0x7f);
      if ((c & 0x80) === 0) break;
    }
    if (out.length === 0) {
      if (v < 80n) out.push(v / 40n, v % 40n);
      else out.push(2n, v - 80n);
    } else out.push(v);
  }
  return out;
}
