// Certificate chain verification as Go's (*x509.Certificate).Verify does it for OPA's
// crypto.x509.parse_and_verify_certificates*: chain building from the leaf through the given
// intermediates to the given root, signature, validity period, CA, path length, name constraint,
// host name and extended key usage checks. Errors only decide "not verified"; their text is Go-like.
import { constants, verify } from 'node:crypto';
import { ipEqual, ipFromBytes, parseIP } from './cidr.js';
import type { GoCertificate } from './x509parse.js';
import { spkiKeyObject } from './x509name.js';

export interface VerifyOptions {
  dnsName: string;
  /** Verification time in ns since the epoch. */
  nowNs: bigint;
  /** Go ExtKeyUsage numbers; empty means server authentication. */
  keyUsages: number[];
  maxConstraintComparisons: number;
}

const KEY_USAGE_CERT_SIGN = 1 << 5;
const EKU_ANY = 0;
const EKU_SERVER_AUTH = 1;
const MAX_SIGNATURE_CHECKS = 100;

type CertType = 'leaf' | 'intermediate' | 'root';

class VerifyError extends Error {}

// Signature algorithm number → [key kind, hash, padding].
const SIG: Record<number, [string, string | null, 'pkcs1' | 'pss' | 'none']> = {
  4: ['rsa', 'sha256', 'pkcs1'],
  5: ['rsa', 'sha384', 'pkcs1'],
  6: ['rsa', 'sha512', 'pkcs1'],
  10: ['ecdsa', 'sha256', 'none'],
  11: ['ecdsa', 'sha384', 'none'],
  12: ['ecdsa', 'sha512', 'none'],
  13: ['rsa', 'sha256', 'pss'],
  14: ['rsa', 'sha384', 'pss'],
  15: ['rsa', 'sha512', 'pss'],
  16: ['ed25519', null, 'none'],
};
const INSECURE = new Set([1, 2, 3, 7, 9]);
const HASH_LEN: Record<string, number> = { sha256: 32, sha384: 48, sha512: 64 };

/** Go's CheckSignatureFrom (SHA-1 and MD5 signatures are refused). */
function checkSignatureFrom(child: GoCertificate, parent: GoCertificate): void {
  if ((parent.version === 3 && !parent.basicConstraintsValid) || (parent.basicConstraintsValid && !parent.isCA)) {
    throw new VerifyError('x509: invalid signature: parent certificate cannot sign this kind of certificate');
  }
  if (parent.keyUsage !== 0 && (parent.keyUsage & KEY_USAGE_CERT_SIGN) === 0) {
    throw new VerifyError('x509: invalid signature: parent certificate cannot sign this kind of certificate');
  }
  const pk = parent.publicKey;
  if (parent.publicKeyAlgorithm === 0 || !pk) throw new VerifyError('x509: cannot verify signature: algorithm unimplemented');
  if (INSECURE.has(child.signatureAlgorithm)) throw new VerifyError('x509: cannot verify signature: insecure algorithm');
  const spec = SIG[child.signatureAlgorithm];
  if (!spec) throw new VerifyError('x509: cannot verify signature: algorithm unimplemented');
  const [kind, hash, padding] = spec;
  if (pk.kind !== kind)
    throw new VerifyError(`x509: signature algorithm specifies an ${kind} public key, but have public key of another type`);
  if (pk.kind === 'rsa' && pk.n.toString(2).length < 1024)
    throw new VerifyError('crypto/rsa: 1024-bit or larger RSA keys required');
  const key = spkiKeyObject(parent.rawSPKI);
  if (!key) throw new VerifyError('x509: cannot verify signature: bad public key');
  let ok = false;
  try {
    if (padding === 'pss') {
      ok = verify(
        hash,
        child.rawTBS,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LEN[hash as string] },
        child.signature,
      );
    } else {
      ok = verify(hash, child.rawTBS, key, child.signature);
    }
  } catch {
    ok = false;
  }
  if (!ok) throw new VerifyError('x509: ECDSA verification failure');
}

function lower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function validHostname(host: string, isPattern: boolean): boolean {
  const h = isPattern ? host : host.replace(/\.$/, '');
  if (h.length === 0 || h === '*') return false;
  const parts = h.split('.');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string;
    if (p === '') return false;
    if (isPattern && i === 0 && p === '*') continue;
    for (let j = 0; j < p.length; j++) {
      const c = p[j] as string;
      if (/[a-zA-Z0-9_]/.test(c) || (c === '-' && j !== 0)) continue;
      return false;
    }
  }
  return true;
}

function matchHostnames(pattern: string, host: string): boolean {
  const p = lower(pattern);
  const h = lower(host.replace(/\.$/, ''));
  if (p.length === 0 || h.length === 0) return false;
  const pp = p.split('.');
  const hp = h.split('.');
  if (pp.length !== hp.length) return false;
  return pp.every((part, i) => (i === 0 && part === '*') || part === hp[i]);
}

function matchExactly(a: string, b: string): boolean {
  if (a === '' || a === '.' || b === '' || b === '.') return false;
  return lower(a) === lower(b);
}

/** Go's VerifyHostname. */
export function verifyHostname(c: GoCertificate, h: string): void {
  const candidateIP = h.length >= 3 && h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
  const ip = parseIP(candidateIP);
  if (ip) {
    if (
      (c.ipAddresses ?? []).some((x) => {
        const a = ipFromBytes(x);
        return a !== null && ipEqual(a, ip);
      })
    )
      return;
    throw new VerifyError(`x509: certificate is not valid for ${candidateIP}`);
  }
  const name = lower(h);
  const validName = validHostname(name, false);
  for (const m of c.dnsNames ?? []) {
    if (validName && validHostname(m, true) ? matchHostnames(m, name) : matchExactly(m, name)) return;
  }
  throw new VerifyError(`x509: certificate is not valid for ${h}`);
}

function matchDomain(domain: string, constraint: string): boolean {
  if (constraint === '') return true;
  const d = lower(domain);
  const c = lower(constraint);
  if (c.startsWith('.')) return d.endsWith(c) && d.length > c.length;
  return d === c || d.endsWith(`.${c}`);
}

function matchIP(ip: Buffer, net: { ip: Buffer; mask: Buffer }): boolean {
  if (ip.length !== net.ip.length) return false;
  for (let i = 0; i < ip.length; i++) {
    if (((ip[i] as number) & (net.mask[i] as number)) >>> 0 !== ((net.ip[i] as number) & (net.mask[i] as number)) >>> 0)
      return false;
  }
  return true;
}

function matchEmail(email: string, constraint: string): boolean {
  const at = email.lastIndexOf('@');
  if (at < 0) return false;
  if (constraint.includes('@')) return lower(email) === lower(constraint);
  return matchDomain(email.slice(at + 1), constraint);
}

/** Name constraints of a CA applied to the SANs of the certificates below it. */
function checkNameConstraints(ca: GoCertificate, chain: GoCertificate[], opts: VerifyOptions): void {
  let comparisons = 0;
  function check<X>(name: string, permitted: X[] | null, excluded: X[] | null, match: (c: X) => boolean): void {
    comparisons += (permitted?.length ?? 0) + (excluded?.length ?? 0);
    if (comparisons > opts.maxConstraintComparisons) throw new VerifyError('x509: too many constraints');
    if ((excluded ?? []).some(match)) {
      throw new VerifyError(`x509: a root or intermediate certificate is not authorized for this name: ${name}`);
    }
    if (permitted && permitted.length > 0 && !permitted.some(match)) {
      throw new VerifyError(`x509: a root or intermediate certificate is not authorized to sign for this name: ${name}`);
    }
  }
  for (const cert of chain) {
    if (!sanValue(cert)) continue;
    for (const d of cert.dnsNames ?? []) check(d, ca.permittedDNSDomains, ca.excludedDNSDomains, (c) => matchDomain(d, c));
    for (const e of cert.emailAddresses ?? [])
      check(e, ca.permittedEmailAddresses, ca.excludedEmailAddresses, (c) => matchEmail(e, c));
    for (const ip of cert.ipAddresses ?? [])
      check(ip.toString('hex'), ca.permittedIPRanges, ca.excludedIPRanges, (c) => matchIP(ip, c));
    for (const u of cert.uris ?? []) {
      const host = u.host.replace(/:\d*$/, '');
      if (parseIP(host.replace(/^\[|\]$/g, ''))) throw new VerifyError('x509: URI with IP cannot be matched against constraints');
      check(host, ca.permittedURIDomains, ca.excludedURIDomains, (c) => matchDomain(host, c));
    }
  }
}

function nsOf(ms: number): bigint {
  return BigInt(ms) * 1_000_000n;
}

/** Go's isValid. */
function isValid(c: GoCertificate, type: CertType, chain: GoCertificate[], opts: VerifyOptions): void {
  if (c.unhandledCriticalExtensions) throw new VerifyError('x509: unhandled critical extension');
  if (chain.length > 0 && !(chain[chain.length - 1] as GoCertificate).rawIssuer.equals(c.rawSubject)) {
    throw new VerifyError('x509: issuer name does not match subject from issuing certificate');
  }
  if (opts.nowNs < nsOf(c.notBefore.ms) || opts.nowNs > nsOf(c.notAfter.ms)) {
    throw new VerifyError('x509: certificate has expired or is not yet valid');
  }
  const hasConstraints =
    c.permittedDNSDomains ||
    c.excludedDNSDomains ||
    c.permittedIPRanges ||
    c.excludedIPRanges ||
    c.permittedEmailAddresses ||
    c.excludedEmailAddresses ||
    c.permittedURIDomains ||
    c.excludedURIDomains;
  if (type !== 'leaf' && hasConstraints) checkNameConstraints(c, chain, opts);
  if (type === 'intermediate' && (!c.basicConstraintsValid || !c.isCA)) {
    throw new VerifyError('x509: certificate is not authorized to sign other certificates');
  }
  if (c.basicConstraintsValid && c.maxPathLen >= 0 && chain.length - 1 > c.maxPathLen) {
    throw new VerifyError('x509: too many intermediates for path length constraint');
  }
}

function sameKeyId(a: Buffer | null, b: Buffer | null): boolean {
  return (a ?? Buffer.alloc(0)).equals(b ?? Buffer.alloc(0));
}

/** Pool candidates whose subject is the certificate's issuer, best key-id matches first. */
function potentialParents(c: GoCertificate, pool: GoCertificate[]): GoCertificate[] {
  const match: GoCertificate[] = [];
  const one: GoCertificate[] = [];
  const mismatch: GoCertificate[] = [];
  for (const p of pool) {
    if (!p.rawSubject.equals(c.rawIssuer)) continue;
    const skid = p.subjectKeyId?.length ?? 0;
    const akid = c.authorityKeyId?.length ?? 0;
    if (sameKeyId(p.subjectKeyId, c.authorityKeyId)) match.push(p);
    else if ((skid === 0 && akid > 0) || (skid > 0 && akid === 0)) one.push(p);
    else mismatch.push(p);
  }
  return [...match, ...one, ...mismatch];
}

function sanValue(c: GoCertificate): Buffer | null {
  return c.extensions?.find((e) => e.id.join('.') === '2.5.29.17')?.value ?? null;
}

function alreadyInChain(candidate: GoCertificate, chain: GoCertificate[]): boolean {
  const cs = sanValue(candidate);
  return chain.some((c) => {
    if (!c.rawSubject.equals(candidate.rawSubject) || !c.rawSPKI.equals(candidate.rawSPKI)) return false;
    const s = sanValue(c);
    return (cs === null && s === null) || (cs !== null && s !== null && cs.equals(s));
  });
}

function buildChains(
  c: GoCertificate,
  chain: GoCertificate[],
  roots: GoCertificate[],
  inters: GoCertificate[],
  checks: { n: number },
  opts: VerifyOptions,
): GoCertificate[][] {
  const chains: GoCertificate[][] = [];
  let hint: Error | null = null;
  const consider = (type: CertType, candidate: GoCertificate) => {
    if (!candidate.publicKey || alreadyInChain(candidate, chain)) return;
    if (++checks.n > MAX_SIGNATURE_CHECKS) {
      hint = new VerifyError('x509: signature check attempts limit reached while verifying certificate chain');
      return;
    }
    try {
      checkSignatureFrom(c, candidate);
      isValid(candidate, type, chain, opts);
    } catch (err) {
      hint ??= err as Error;
      return;
    }
    if (type === 'root') chains.push([...chain, candidate]);
    else {
      try {
        chains.push(...buildChains(candidate, [...chain, candidate], roots, inters, checks, opts));
      } catch (err) {
        hint ??= err as Error;
      }
    }
  };
  for (const r of potentialParents(c, roots)) consider('root', r);
  for (const i of potentialParents(c, inters)) consider('intermediate', i);
  if (chains.length === 0) throw hint ?? new VerifyError('x509: certificate signed by unknown authority');
  return chains;
}

function chainAllowsUsage(chain: GoCertificate[], usages: number[]): boolean {
  const remaining = [...usages];
  let left = remaining.length;
  for (let i = chain.length - 1; i >= 0; i--) {
    const cert = chain[i] as GoCertificate;
    if (!cert.extKeyUsage && !cert.unknownExtKeyUsage) continue;
    if ((cert.extKeyUsage ?? []).includes(EKU_ANY)) continue;
    for (let k = 0; k < remaining.length; k++) {
      if (remaining[k] === -1) continue;
      if ((cert.extKeyUsage ?? []).includes(remaining[k] as number)) continue;
      remaining[k] = -1;
      if (--left === 0) return false;
    }
  }
  return true;
}

function dedupe(certs: GoCertificate[]): GoCertificate[] {
  const out: GoCertificate[] = [];
  for (const c of certs) if (!out.some((o) => o.raw.equals(c.raw))) out.push(c);
  return out;
}

/** OPA's verifyX509CertificateChain: the first certificate is the root, the last the leaf, the rest
 *  intermediates. Returns the first verified chain, leaf first. Throws when nothing verifies. */
export function verifyChain(certs: GoCertificate[], opts: VerifyOptions): GoCertificate[] {
  if (certs.length < 2) throw new VerifyError('must supply at least two certificates to be able to verify');
  const roots = [certs[0] as GoCertificate];
  const inters = dedupe(certs.slice(1, -1));
  const leaf = certs[certs.length - 1] as GoCertificate;
  isValid(leaf, 'leaf', [], opts);
  if (opts.dnsName.length > 0) verifyHostname(leaf, opts.dnsName);
  const candidates = roots.some((r) => r.raw.equals(leaf.raw))
    ? [[leaf]]
    : buildChains(leaf, [leaf], roots, inters, { n: 0 }, opts);
  const usages = opts.keyUsages.length > 0 ? opts.keyUsages : [EKU_SERVER_AUTH];
  if (usages.includes(EKU_ANY)) return candidates[0] as GoCertificate[];
  const ok = candidates.filter((ch) => chainAllowsUsage(ch, usages));
  if (ok.length === 0) throw new VerifyError('x509: certificate specifies an incompatible key usage');
  return ok[0] as GoCertificate[];
}
