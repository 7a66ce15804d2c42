// Test fixtures (used only by the x509 and jwt tests): certificates, chains and CSRs issued on the
// fly with @peculiar/x509 over Node's WebCrypto, so the tests need no checked-in key material.
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export type KeyAlg = 'rsa' | 'ec' | 'rsa-sha1' | 'ed25519';

const ALGS: Record<KeyAlg, { name: string } & Record<string, unknown>> = {
  rsa: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 },
  'rsa-sha1': { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 },
  ec: { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
  ed25519: { name: 'Ed25519' },
};

export interface Issued {
  name: string;
  cert: x509.X509Certificate;
  keys: webcrypto.CryptoKeyPair;
  alg: KeyAlg;
  pem: string;
  der: Buffer;
  /** PKCS#8 PEM of the private key. */
  keyPem: string;
}

export interface IssueOptions {
  subject: string;
  issuer?: Issued;
  ca?: boolean;
  pathLen?: number;
  dns?: string[];
  ips?: string[];
  uris?: string[];
  emails?: string[];
  /** Extended key usage OIDs. */
  eku?: string[];
  notBefore?: Date;
  notAfter?: Date;
  alg?: KeyAlg;
  serial?: string;
  extra?: x509.Extension[];
}

export const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
export const CODE_SIGNING = '1.3.6.1.5.5.7.3.3';

function pemOf(type: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${type}-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${type}-----\n`;
}

/** Issues a certificate: self-signed without `issuer`, else signed by the issuer's key. */
export async function issue(o: IssueOptions): Promise<Issued> {
  const alg = o.alg ?? 'ec';
  const keys = (await webcrypto.subtle.generateKey(ALGS[alg] as unknown as webcrypto.EcKeyGenParams, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const extensions: x509.Extension[] = [];
  if (o.ca) extensions.push(new x509.BasicConstraintsExtension(true, o.pathLen, true));
  else extensions.push(new x509.BasicConstraintsExtension(false, undefined, true));
  const usage = o.ca
    ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature
    : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment;
  extensions.push(new x509.KeyUsagesExtension(usage, true));
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey));
  if (o.issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(o.issuer.keys.publicKey));
  const names: x509.JsonGeneralName[] = [
    ...(o.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(o.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
    ...(o.uris ?? []).map((value) => ({ type: 'url' as const, value })),
    ...(o.emails ?? []).map((value) => ({ type: 'email' as const, value })),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  if (o.eku) extensions.push(new x509.ExtendedKeyUsageExtension(o.eku));
  extensions.push(...(o.extra ?? []));
  const signer = o.issuer ?? null;
  const signingAlgorithm = ALGS[signer ? signer.alg : alg];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber:
      o.serial ??
      Buffer.from(webcrypto.getRandomValues(new Uint8Array(8)))
        .toString('hex')
        .replace(/^[89a-f]/, '1'),
    subject: o.subject,
    issuer: signer ? signer.name : o.subject,
    notBefore: o.notBefore ?? new Date('2020-01-01T00:00:00Z'),
    notAfter: o.notAfter ?? new Date('2040-01-01T00:00:00Z'),
    signingAlgorithm,
    publicKey: keys.publicKey,
    signingKey: signer ? signer.keys.privateKey : keys.privateKey,
    extensions,
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    name: o.subject,
    cert,
    keys,
    alg,
    pem: cert.toString('pem'),
    der: Buffer.from(cert.rawData),
    keyPem: pemOf('PRIVATE KEY', pkcs8),
  };
}

/** A minimal DER encoder for hand-built extension values. */
export function der(tag: number, ...content: (Buffer | string)[]): Buffer {
  const body = Buffer.concat(content.map((c) => (typeof c === 'string' ? Buffer.from(c, 'latin1') : c)));
  const n = body.length;
  const len = n < 128 ? Buffer.from([n]) : n < 256 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
}

/** A NameConstraints extension with permitted and excluded dNSName subtrees. */
export function nameConstraints(permitted: string[], excluded: string[] = []): x509.Extension {
  const subtrees = (names: string[]) => names.map((n) => der(0x30, der(0x82, n)));
  const parts: Buffer[] = [];
  if (permitted.length) parts.push(der(0xa0, ...subtrees(permitted)));
  if (excluded.length) parts.push(der(0xa1, ...subtrees(excluded)));
  const value = der(0x30, ...parts);
  return new x509.Extension('2.5.29.30', true, value);
}

/** A PKCS #10 request with a DNS SAN. */
export async function request(subject: string, dns: string[]): Promise<{ pem: string; der: Buffer }> {
  const alg = ALGS.ec;
  const keys = (await webcrypto.subtle.generateKey(alg as unknown as webcrypto.EcKeyGenParams, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: subject,
    keys,
    signingAlgorithm: alg,
    extensions: [new x509.SubjectAlternativeNameExtension(dns.map((value) => ({ type: 'dns' as const, value })))],
  });
  return { pem: csr.toString('pem'), der: Buffer.from(csr.rawData) };
}
