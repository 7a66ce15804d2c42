// The JSON shapes Go's encoding/json gives x509 types (which OPA returns after a JSON round
// trip): []byte as base64, big.Int as a number, time.Time as RFC 3339, nil slices as null.
//
// Numbers are JS doubles here: big integers (serial numbers, RSA moduli) are rounded, and values
// beyond the double range (2048-bit moduli) become Infinity, as a JSON reader would make them.
import { goTimeJSON } from './der.js';
import { ipString } from './cidr.js';
import { type GoURL, goURLString } from './gourl.js';
import type { GoCertificate, IPNet } from './x509parse.js';
import type { AttrValue, GoPublicKey, PkixName } from './x509name.js';

type J = unknown;

export function b64(b: Buffer | null): string | null {
  return b === null ? null : b.toString('base64');
}

export function bigNum(n: bigint): number {
  return Number(n);
}

/** An attribute value as Go marshals the `any` it was decoded into. */
export function attrJSON(v: AttrValue): J {
  switch (v.k) {
    case 'str':
    case 'bool':
      return v.v;
    case 'int':
      return bigNum(v.v);
    case 'bits':
      return { Bytes: v.v.bytes.toString('base64'), BitLength: v.v.bitLength };
    case 'bytes':
      return v.v.toString('base64');
    case 'oid':
      return v.v;
    case 'time':
      return goTimeJSON(v.v);
    case 'null':
      return null;
    case 'raw':
      return { Class: v.cls, Tag: v.tag, IsCompound: v.compound, Bytes: b64(v.bytes), FullBytes: b64(v.full) };
  }
}

export function nameJSON(n: PkixName): J {
  return {
    Country: n.country,
    Organization: n.organization,
    OrganizationalUnit: n.organizationalUnit,
    Locality: n.locality,
    Province: n.province,
    StreetAddress: n.streetAddress,
    PostalCode: n.postalCode,
    SerialNumber: n.serialNumber,
    CommonName: n.commonName,
    Names: n.names ? n.names.map((a) => ({ Type: a.type, Value: attrJSON(a.value) })) : null,
    ExtraNames: null,
  };
}

export function publicKeyJSON(k: GoPublicKey | null): J {
  if (!k) return null;
  switch (k.kind) {
    case 'rsa':
      return { N: bigNum(k.n), E: bigNum(k.e) };
    case 'ecdsa':
      // elliptic.Curve implementations have only unexported fields.
      return { Curve: {}, X: bigNum(k.x), Y: bigNum(k.y) };
    case 'ed25519':
      return k.pub.toString('base64');
    case 'x25519':
      return {};
    case 'dsa':
      return { Parameters: { P: bigNum(k.p), Q: bigNum(k.q), G: bigNum(k.g) }, Y: bigNum(k.y) };
  }
}

export function urlJSON(u: GoURL): J {
  return {
    Scheme: u.scheme,
    Opaque: u.opaque,
    // url.Userinfo has only unexported fields.
    User: u.user === null ? null : {},
    Host: u.host,
    Path: u.path,
    RawPath: u.rawPath,
    OmitHost: u.omitHost,
    ForceQuery: u.forceQuery,
    RawQuery: u.rawQuery,
    Fragment: u.fragment,
    RawFragment: u.rawFragment,
  };
}

function ipNets(n: IPNet[] | null): J {
  return n ? n.map((r) => ({ IP: ipString(r.ip), Mask: r.mask.toString('base64') })) : null;
}

export function extensionsJSON(exts: { id: number[]; critical: boolean; value: Buffer }[] | null): J {
  return exts ? exts.map((e) => ({ Id: e.id, Critical: e.critical, Value: e.value.toString('base64') })) : null;
}

/** x509.Certificate as JSON; `withURIStrings` adds OPA's URIStrings field. */
export function certificateJSON(c: GoCertificate, withURIStrings: boolean): Record<string, J> {
  const out: Record<string, J> = {
    Raw: b64(c.raw),
    RawTBSCertificate: b64(c.rawTBS),
    RawSubjectPublicKeyInfo: b64(c.rawSPKI),
    RawSubject: b64(c.rawSubject),
    RawIssuer: b64(c.rawIssuer),
    Signature: b64(c.signature),
    SignatureAlgorithm: c.signatureAlgorithm,
    PublicKeyAlgorithm: c.publicKeyAlgorithm,
    PublicKey: publicKeyJSON(c.publicKey),
    Version: c.version,
    SerialNumber: bigNum(c.serialNumber),
    Issuer: nameJSON(c.issuer),
    Subject: nameJSON(c.subject),
    NotBefore: goTimeJSON(c.notBefore),
    NotAfter: goTimeJSON(c.notAfter),
    KeyUsage: c.keyUsage,
    Extensions: extensionsJSON(c.extensions),
    ExtraExtensions: null,
    UnhandledCriticalExtensions: c.unhandledCriticalExtensions,
    ExtKeyUsage: c.extKeyUsage,
    UnknownExtKeyUsage: c.unknownExtKeyUsage,
    BasicConstraintsValid: c.basicConstraintsValid,
    IsCA: c.isCA,
    MaxPathLen: c.maxPathLen,
    MaxPathLenZero: c.maxPathLenZero,
    SubjectKeyId: b64(c.subjectKeyId),
    AuthorityKeyId: b64(c.authorityKeyId),
    OCSPServer: c.ocspServer,
    IssuingCertificateURL: c.issuingCertificateURL,
    DNSNames: c.dnsNames,
    EmailAddresses: c.emailAddresses,
    IPAddresses: c.ipAddresses ? c.ipAddresses.map(ipString) : null,
    URIs: c.uris ? c.uris.map(urlJSON) : null,
    PermittedDNSDomainsCritical: c.permittedDNSDomainsCritical,
    PermittedDNSDomains: c.permittedDNSDomains,
    ExcludedDNSDomains: c.excludedDNSDomains,
    PermittedIPRanges: ipNets(c.permittedIPRanges),
    ExcludedIPRanges: ipNets(c.excludedIPRanges),
    PermittedEmailAddresses: c.permittedEmailAddresses,
    ExcludedEmailAddresses: c.excludedEmailAddresses,
    PermittedURIDomains: c.permittedURIDomains,
    ExcludedURIDomains: c.excludedURIDomains,
    CRLDistributionPoints: c.crlDistributionPoints,
    PolicyIdentifiers: c.policyIdentifiers,
    Policies: c.policies,
    InhibitAnyPolicy: c.inhibitAnyPolicy,
    InhibitAnyPolicyZero: c.inhibitAnyPolicyZero,
    InhibitPolicyMapping: c.inhibitPolicyMapping,
    InhibitPolicyMappingZero: c.inhibitPolicyMappingZero,
    RequireExplicitPolicy: c.requireExplicitPolicy,
    RequireExplicitPolicyZero: c.requireExplicitPolicyZero,
    PolicyMappings: c.policyMappings
      ? c.policyMappings.map((m) => ({ IssuerDomainPolicy: m.issuer, SubjectDomainPolicy: m.subject }))
      : null,
  };
  if (withURIStrings) out.URIStrings = c.uris ? c.uris.map(goURLString) : null;
  return out;
}
