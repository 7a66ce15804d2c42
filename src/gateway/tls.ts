// TLS for the HTTPS listeners: certificate issuing (ECDSA P-256 via @peculiar/x509 on Node's WebCrypto),
// the self-signed development certificate used when none is configured, the server options built from
// `tls:` config, and swapping certificates on a running listener for config hot reload.
import { randomBytes, webcrypto, X509Certificate as NodeX509Certificate, createPrivateKey } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import * as x509 from '@peculiar/x509';
import type { TlsConfig } from '../config/schema.js';
import { type Logger, silentLogger } from '../telemetry/log.js';

// The library is typed against the DOM's Crypto; Node's webcrypto is that API.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

/** Browsers refuse leaf certificates valid for more than 398 days. */
export const DEV_CERT_VALIDITY_DAYS = 397;
/** notBefore is moved back this much so a client whose clock is a little behind still accepts the certificate. */
const BACKDATE_MS = 5 * 60_000;
const DAY_MS = 86_400_000;
const EC_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DEV_SUBJECT = 'CN=ShieldX development';

/** A bad TLS setting or an unusable certificate/key file; the message names the setting and the file. */
export class TlsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TlsConfigError';
  }
}

export interface PemPair {
  cert: string;
  /** PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"). */
  key: string;
}

export interface SubjectAltNames {
  dns?: string[];
  ip?: string[];
  uri?: string[];
}

export interface IssueCertificateOptions {
  /**
   * Distinguished name, most general first (the order it is encoded in): a string such as
   * "O=Example, CN=api", or attribute lists such as [{ O: ['Example'] }, { CN: ['a, b'] }] for values
   * that would need escaping.
   */
  subject: string | x509.JsonName;
  /** ca: may sign certificates; server / client: leaf with EKU serverAuth / clientAuth. */
  usage: 'ca' | 'server' | 'client';
  sans?: SubjectAltNames;
  /** Signing CA; absent = self-signed. */
  issuer?: PemPair;
  notBefore: Date;
  notAfter: Date;
}

/**
 * Issue an ECDSA P-256 certificate with a fresh key. Used for the development certificate and by
 * src/testing/pki.ts; not a general CA.
 */
export async function issueCertificate(opts: IssueCertificateOptions): Promise<PemPair> {
  const keys = (await webcrypto.subtle.generateKey(EC_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const extensions: x509.Extension[] = [];
  if (opts.usage === 'ca') {
    extensions.push(new x509.BasicConstraintsExtension(true, undefined, true));
    extensions.push(
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
    );
  } else {
    extensions.push(new x509.BasicConstraintsExtension(false, undefined, true));
    extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true));
    extensions.push(
      new x509.ExtendedKeyUsageExtension([
        opts.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
      ]),
    );
  }
  const names = sanList(opts.sans);
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey));

  const common = {
    serialNumber: randomSerial(),
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    signingAlgorithm: EC_ALGORITHM,
    extensions,
  };
  let cert: x509.X509Certificate;
  if (opts.issuer) {
    const issuerCert = parseCertificate(opts.issuer.cert);
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuerCert.publicKey));
    cert = await x509.X509CertificateGenerator.create({
      ...common,
      subject: opts.subject,
      issuer: issuerCert.subjectName,
      publicKey: keys.publicKey,
      signingKey: await importPrivateKey(opts.issuer.key),
    });
  } else {
    cert = await x509.X509CertificateGenerator.createSelfSigned({ ...common, name: opts.subject, keys });
  }
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { cert: cert.toString('pem'), key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

function sanList(sans: SubjectAltNames | undefined): x509.JsonGeneralName[] {
  if (!sans) return [];
  const out: x509.JsonGeneralName[] = [];
  for (const value of sans.dns ?? []) out.push({ type: 'dns', value });
  for (const value of sans.ip ?? []) out.push({ type: 'ip', value });
  for (const value of sans.uri ?? []) out.push({ type: 'url', value });
  return out;
}

/** 16 random bytes with the top bit clear: a positive serial, as RFC 5280 requires. */
function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0] as number) & 0x7f;
  return b.toString('hex');
}

function parseCertificate(pem: string): x509.X509Certificate {
  return new x509.X509Certificate(pem);
}

async function importPrivateKey(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return (await webcrypto.subtle.importKey('pkcs8', der, EC_ALGORITHM, false, ['sign'])) as CryptoKey;
}

// ---------------------------------------------------------------------------------------------
// Development certificate

export interface DevCertificate {
  certPath: string;
  keyPath: string;
  cert: string;
  key: string;
  /** True when this call created the files (first start, expired or unusable files). */
  generated: boolean;
}

/** localhost, 127.0.0.1, ::1 and the machine's host name when it is a valid DNS name. */
export function devCertificateNames(hostname = os.hostname()): Required<SubjectAltNames> {
  const dns = ['localhost'];
  const host = hostname.trim().toLowerCase();
  if (host !== 'localhost' && DNS_NAME_RE.test(host)) dns.push(host);
  return { dns, ip: ['127.0.0.1', '::1'], uri: [] };
}
const DNS_NAME_RE = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * The self-signed certificate a listener uses when `tls.cert`/`tls.key` are not configured:
 * `<dataDir>/tls/dev-cert.pem` and `dev-key.pem` (0600), created on first start and reused until
 * they expire or cannot be used, in which case they are replaced and the reason logged.
 * `now` is injectable so expiry can be tested without waiting a year.
 */
export async function ensureDevCertificate(
  dataDir: string,
  log: Logger = silentLogger,
  now: Date = new Date(),
): Promise<DevCertificate> {
  const dir = path.resolve(dataDir, 'tls');
  const certPath = path.join(dir, 'dev-cert.pem');
  const keyPath = path.join(dir, 'dev-key.pem');

  const existing = await loadDevCertificate(certPath, keyPath, now);
  let result: DevCertificate;
  if ('cert' in existing) {
    result = { certPath, keyPath, cert: existing.cert, key: existing.key, generated: false };
  } else {
    if (existing.reason) log.warn({ certPath, reason: existing.reason }, 'replacing the development TLS certificate');
    const notBefore = new Date(now.getTime() - BACKDATE_MS);
    const notAfter = new Date(notBefore.getTime() + DEV_CERT_VALIDITY_DAYS * DAY_MS);
    const pair = await issueCertificate({
      subject: DEV_SUBJECT,
      usage: 'server',
      sans: devCertificateNames(),
      notBefore,
      notAfter,
    });
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // Key first: a reader that sees the new certificate also finds its key.
      await writeFileAtomic(keyPath, pair.key, 0o600);
      await writeFileAtomic(certPath, pair.cert, 0o644);
    } catch (err) {
      throw new TlsConfigError(`cannot write the development TLS certificate to ${dir}: ${errorMessage(err)}`);
    }
    result = { certPath, keyPath, ...pair, generated: true };
  }
  const notAfter = parseCertificate(result.cert).notAfter.toISOString();
  log.warn(
    { certPath, notAfter, generated: result.generated },
    'TLS uses a self-signed development certificate; set tls.cert and tls.key for production',
  );
  return result;
}

/** The stored pair, or why it cannot be used (reason undefined = files absent, nothing to report). */
async function loadDevCertificate(
  certPath: string,
  keyPath: string,
  now: Date,
): Promise<PemPair | { reason: string | undefined }> {
  const [cert, key] = await Promise.all([readOptional(certPath), readOptional(keyPath)]);
  if (cert === undefined && key === undefined) return { reason: undefined };
  if (cert === undefined) return { reason: `${certPath} is missing` };
  if (key === undefined) return { reason: `${keyPath} is missing` };
  let parsed: NodeX509Certificate;
  try {
    parsed = new NodeX509Certificate(cert);
  } catch (err) {
    return { reason: `${certPath} is not a readable certificate (${errorMessage(err)})` };
  }
  try {
    if (!parsed.checkPrivateKey(createPrivateKey(key))) return { reason: `${keyPath} does not match ${certPath}` };
  } catch (err) {
    return { reason: `${keyPath} is not a readable private key (${errorMessage(err)})` };
  }
  const validity = parseCertificate(cert);
  if (validity.notAfter.getTime() <= now.getTime())
    return { reason: `certificate expired at ${validity.notAfter.toISOString()}` };
  if (validity.notBefore.getTime() > now.getTime())
    return { reason: `certificate is not valid before ${validity.notBefore.toISOString()}` };
  return { cert, key };
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ENOTDIR: a path component is a file; the write that follows reports it clearly.
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new TlsConfigError(`cannot read ${file}: ${errorMessage(err)}`);
  }
}

/** Write to a temporary file created with `mode`, then rename: readers never see a half-written file. */
async function writeFileAtomic(file: string, data: string, mode: number): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Server options

export type SecureServerOptions = tls.TlsOptions & { allowHTTP1: boolean; ALPNProtocols: string[] };

export interface SecureContextSetup {
  /**
   * For `http2.createSecureServer(options)` when tls.http2 is on (h2 and HTTP/1.1 on one port).
   * When it is off use `https.createServer(options)`: http2.createSecureServer replaces
   * ALPNProtocols with ['h2', 'http/1.1'] whatever is passed.
   */
  options: SecureServerOptions;
  certPath: string;
  keyPath: string;
  /** True when no certificate is configured and the development certificate is in use. */
  devCertificate: boolean;
  /** When the served certificate expires. */
  notAfter: Date;
}

/**
 * Read and check the certificate, key and client CA files named by a listener's `tls:` settings
 * (or the development certificate when none is named) and build the server options.
 * Throws TlsConfigError naming the setting and file when one is missing, unreadable, not PEM, or
 * when the key does not match the certificate.
 */
export async function buildSecureContextOptions(
  tlsConfig: TlsConfig | undefined,
  dataDir: string,
  log: Logger = silentLogger,
): Promise<SecureContextSetup> {
  let cert: string;
  let key: string;
  let certPath: string;
  let keyPath: string;
  const devCertificate = !tlsConfig?.cert;
  if (tlsConfig?.cert && tlsConfig.key) {
    certPath = tlsConfig.cert;
    keyPath = tlsConfig.key;
    [cert, key] = await Promise.all([
      readPemFile('tls.cert', certPath, CERT_PEM_RE, 'a PEM certificate (-----BEGIN CERTIFICATE-----)'),
      readPemFile('tls.key', keyPath, KEY_PEM_RE, 'a PEM private key (-----BEGIN PRIVATE KEY-----)'),
    ]);
  } else if (tlsConfig?.cert || tlsConfig?.key) {
    throw new TlsConfigError('tls.cert and tls.key must be given together');
  } else {
    const dev = await ensureDevCertificate(dataDir, log);
    ({ cert, key, certPath, keyPath } = dev);
  }
  const notAfter = checkKeyPair(cert, key, certPath, keyPath);

  const clientAuth = tlsConfig?.client_auth ?? { mode: 'none' as const };
  const http2 = tlsConfig?.http2 ?? true;
  const options: SecureServerOptions = {
    cert,
    key,
    minVersion: tlsConfig?.min_version ?? 'TLSv1.3',
    ALPNProtocols: http2 ? ['h2', 'http/1.1'] : ['http/1.1'],
    allowHTTP1: true,
    // Set explicitly in every mode so applySecureContext can also switch mTLS off.
    requestCert: false,
    rejectUnauthorized: false,
  };
  if (clientAuth.mode !== 'none') {
    if (!clientAuth.ca) throw new TlsConfigError('tls.client_auth.ca is required when client_auth.mode is not none');
    const ca = await readPemFile(
      'tls.client_auth.ca',
      clientAuth.ca,
      CERT_PEM_RE,
      'PEM CA certificate(s) (-----BEGIN CERTIFICATE-----)',
    );
    checkCertificates(ca, 'tls.client_auth.ca', clientAuth.ca);
    options.ca = ca;
    options.requestCert = true;
    options.rejectUnauthorized = clientAuth.mode === 'require';
  }
  try {
    // Surfaces anything OpenSSL still refuses (e.g. an unsupported key type) now, not at first handshake.
    tls.createSecureContext(options);
  } catch (err) {
    throw new TlsConfigError(`TLS settings for ${certPath} are not usable: ${errorMessage(err)}`);
  }
  return { options, certPath, keyPath, devCertificate, notAfter };
}

const CERT_PEM_RE = /-----BEGIN CERTIFICATE-----/;
const KEY_PEM_RE = /-----BEGIN (?:EC |RSA |ENCRYPTED )?PRIVATE KEY-----/;
const CERT_BLOCK_RE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

async function readPemFile(setting: string, file: string, re: RegExp, what: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new TlsConfigError(`${setting}: cannot read "${file}": ${errorMessage(err)}`);
  }
  if (!re.test(text)) throw new TlsConfigError(`${setting}: "${file}" is not ${what}`);
  return text;
}

/** Every certificate in a PEM bundle must parse. */
function checkCertificates(pem: string, setting: string, file: string): void {
  const blocks = pem.match(CERT_BLOCK_RE) ?? [];
  if (blocks.length === 0) throw new TlsConfigError(`${setting}: "${file}" holds no complete PEM certificate`);
  blocks.forEach((block, i) => {
    try {
      new NodeX509Certificate(block);
    } catch (err) {
      throw new TlsConfigError(`${setting}: certificate #${i + 1} in "${file}" is invalid: ${errorMessage(err)}`);
    }
  });
}

/** The key must parse, be unencrypted and belong to the first (leaf) certificate. Returns its expiry. */
function checkKeyPair(cert: string, key: string, certPath: string, keyPath: string): Date {
  checkCertificates(cert, 'tls.cert', certPath);
  const leafPem = (cert.match(CERT_BLOCK_RE) as RegExpMatchArray)[0];
  const leaf = new NodeX509Certificate(leafPem);
  if (key.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /Proc-Type:\s*4,ENCRYPTED/.test(key))
    throw new TlsConfigError(`tls.key: "${keyPath}" is encrypted; ShieldX needs an unencrypted private key`);
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(key);
  } catch (err) {
    throw new TlsConfigError(`tls.key: "${keyPath}" is not a usable private key: ${errorMessage(err)}`);
  }
  if (!leaf.checkPrivateKey(privateKey))
    throw new TlsConfigError(`tls.key: "${keyPath}" does not belong to the certificate in "${certPath}"`);
  return parseCertificate(leafPem).notAfter;
}

/**
 * Swap the certificate, key, client CA, minimum version and client-certificate mode of a running
 * listener (config hot reload). Open connections keep their session; new handshakes use the new
 * settings. The new context has fresh session-ticket keys, so sessions from before cannot be
 * resumed past a stricter client_auth. ALPN (tls.http2) cannot change without a new listener.
 */
export function applySecureContext(server: tls.Server, options: SecureServerOptions): void {
  server.setSecureContext(options);
  // setSecureContext leaves these alone; tls.Server reads them for every new connection.
  const s = server as tls.Server & { requestCert: boolean; rejectUnauthorized: boolean };
  s.requestCert = options.requestCert === true;
  s.rejectUnauthorized = options.rejectUnauthorized !== false;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
