// A throwaway PKI for TLS and mTLS tests: a CA, a server certificate for localhost, client
// certificates on demand, and an unrelated CA whose clients a server must not trust.
import { issueCertificate, type PemPair } from '../gateway/tls.js';

export type { PemPair };

export interface TestClientOptions {
  cn: string;
  /** URI SAN, e.g. "spiffe://example.org/ns/default/sa/api". */
  spiffe?: string;
  dns?: string[];
}

export interface TestCa extends PemPair {
  /** A client certificate (EKU clientAuth) signed by this CA. */
  client(opts: TestClientOptions): Promise<PemPair>;
}

export interface TestPki {
  caCert: string;
  caKey: string;
  /** Signed by the CA; SANs localhost, 127.0.0.1 and ::1. */
  server: PemPair;
  /** A client certificate signed by the CA. */
  client(opts: TestClientOptions): Promise<PemPair>;
  /** An unrelated CA: what it signs must not be trusted by a server trusting caCert. */
  otherCa: TestCa;
  /** A client certificate signed by otherCa. */
  untrustedClient(opts?: Partial<TestClientOptions>): Promise<PemPair>;
}

const HOUR_MS = 3_600_000;

/** Certificates valid from an hour ago to a day from now, so clock skew never matters in tests. */
function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - HOUR_MS), notAfter: new Date(now + 24 * HOUR_MS) };
}

// Names are given most general first, the order they are encoded in (as `openssl -subj /O=../CN=..`
// does), so their RFC 4514 form reads the familiar way round: "CN=api,O=ShieldX tests".
async function makeCa(cn: string): Promise<TestCa> {
  const ca = await issueCertificate({ subject: [{ O: ['ShieldX tests'] }, { CN: [cn] }], usage: 'ca', ...validity() });
  return {
    ...ca,
    client: (opts) =>
      issueCertificate({
        subject: [{ O: ['ShieldX tests'] }, { CN: [opts.cn] }],
        usage: 'client',
        issuer: ca,
        sans: { dns: opts.dns ?? [], uri: opts.spiffe ? [opts.spiffe] : [] },
        ...validity(),
      }),
  };
}

export async function makeTestPki(): Promise<TestPki> {
  const [ca, otherCa] = await Promise.all([makeCa('ShieldX test CA'), makeCa('Unrelated test CA')]);
  const server = await issueCertificate({
    subject: 'O=ShieldX tests, CN=localhost',
    usage: 'server',
    issuer: ca,
    sans: { dns: ['localhost'], ip: ['127.0.0.1', '::1'] },
    ...validity(),
  });
  return {
    caCert: ca.cert,
    caKey: ca.key,
    server,
    client: ca.client,
    otherCa,
    untrustedClient: (opts) => otherCa.client({ cn: 'untrusted client', ...opts }),
  };
}
