import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { certificateJSON } from './x509json.js';
import { der } from './x509fixtures.js';
import { parseCertificates, parseOneCertificate } from './x509parse.js';

// Hand-built certificates: the parser does not check signatures, so every field can be varied.
const SPKI = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });

function oid(s: string): Buffer {
  const parts = s.split('.').map(BigInt);
  const arcs = [(parts[0] as bigint) * 40n + (parts[1] as bigint), ...parts.slice(2)];
  const bytes: number[] = [];
  for (const a of arcs) {
    const chunk: number[] = [];
    let v = a;
    do {
      chunk.unshift(Number(v & 0x7fn));
      v >>= 7n;
    } while (v > 0n);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i] = (chunk[i] as number) | 0x80;
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

const int = (hex: string) => der(0x02, Buffer.from(hex, 'hex'));
const name = (cn: string, tag = 0x0c, raw?: Buffer) =>
  der(0x30, der(0x31, der(0x30, oid('2.5.4.3'), der(tag, raw ?? Buffer.from(cn, 'utf8')))));
const ECDSA_SHA256 = der(0x30, oid('1.2.840.10045.4.3.2'));
const ext = (id: string, value: Buffer, critical = false) =>
  der(0x30, oid(id), ...(critical ? [der(0x01, Buffer.from([0xff]))] : []), der(0x04, value));

interface Parts {
  version?: Buffer | null;
  serial?: Buffer;
  innerAlg?: Buffer;
  outerAlg?: Buffer;
  issuer?: Buffer;
  validity?: Buffer;
  subject?: Buffer;
  extensions?: Buffer[];
}

function cert(p: Parts = {}): Buffer {
  const version = p.version === undefined ? der(0xa0, int('02')) : p.version;
  const tbs = der(
    0x30,
    ...(version ? [version] : []),
    p.serial ?? int('01'),
    p.innerAlg ?? ECDSA_SHA256,
    p.issuer ?? name('issuer'),
    p.validity ?? der(0x30, der(0x17, '200101000000Z'), der(0x17, '300101000000Z')),
    p.subject ?? name('subject'),
    SPKI,
    ...(p.extensions ? [der(0xa3, der(0x30, ...p.extensions))] : []),
  );
  return der(0x30, tbs, p.outerAlg ?? ECDSA_SHA256, der(0x03, Buffer.from([0, 1, 2, 3])));
}

// biome-ignore lint/suspicious/noExplicitAny: the tests walk free-form JSON results.
type J = Record<string, any>;
const json = (d: Buffer) => certificateJSON(parseOneCertificate(d), true) as J;

test('hand-built certificate fields', () => {
  const bigArc = '1.2.18446744073709551616';
  const cases: [string, Parts, (c: J) => unknown, unknown][] = [
    [
      'minimal v3 defaults',
      {},
      (c) => [c.Version, c.BasicConstraintsValid, c.MaxPathLen, c.KeyUsage, c.Extensions, c.SubjectKeyId],
      [3, false, 0, 0, null, null],
    ],
    ['v1 certificate', { version: null }, (c) => c.Version, 1],
    ['signature bits right-aligned', {}, (c) => c.Signature, Buffer.from([1, 2, 3]).toString('base64')],
    [
      'UTCTime century split',
      { validity: der(0x30, der(0x17, '491231235959Z'), der(0x17, '500101000000Z')) },
      (c) => [c.NotBefore, c.NotAfter],
      ['2049-12-31T23:59:59Z', '1950-01-01T00:00:00Z'],
    ],
    [
      'GeneralizedTime and zone offsets',
      { validity: der(0x30, der(0x17, '2001010000+0130'), der(0x18, '20510101000000Z')) },
      (c) => [c.NotBefore, c.NotAfter],
      ['2020-01-01T00:00:00+01:30', '2051-01-01T00:00:00Z'],
    ],
    [
      'BMPString and T61String names',
      { subject: name('', 0x1e, Buffer.from([0, 0x41, 0x20, 0xac])), issuer: name('', 0x14, Buffer.from([0xe9])) },
      (c) => [c.Subject.CommonName, c.Issuer.CommonName],
      ['A€', 'é'],
    ],
    [
      'basic constraints with path length 0',
      { extensions: [ext('2.5.29.19', der(0x30, der(0x01, Buffer.from([0xff])), int('00')), true)] },
      (c) => [c.IsCA, c.MaxPathLen, c.MaxPathLenZero],
      [true, 0, true],
    ],
    [
      'key usage bits',
      { extensions: [ext('2.5.29.15', der(0x03, Buffer.from([0x07, 0x80, 0x80])))] },
      (c) => c.KeyUsage,
      1 + 256,
    ],
    [
      'unknown critical extension',
      { extensions: [ext('1.2.3.4', Buffer.alloc(0), true)] },
      (c) => c.UnhandledCriticalExtensions,
      [[1, 2, 3, 4]],
    ],
    [
      'SAN with only unsupported names is unhandled when critical',
      { extensions: [ext('2.5.29.17', der(0x30, der(0x88, oid('1.2.3').subarray(2))), true)] },
      (c) => [c.DNSNames, c.UnhandledCriticalExtensions],
      [null, [[2, 5, 29, 17]]],
    ],
    [
      'certificate policies with a huge arc',
      { extensions: [ext('2.5.29.32', der(0x30, der(0x30, oid('2.23.140.1.2.1')), der(0x30, oid(bigArc))))] },
      (c) => [c.Policies, c.PolicyIdentifiers],
      [['2.23.140.1.2.1', bigArc], [[2, 23, 140, 1, 2, 1]]],
    ],
    [
      'extended key usage, known and unknown',
      { extensions: [ext('2.5.29.37', der(0x30, oid('1.3.6.1.5.5.7.3.2'), oid('1.2.3.4.5')))] },
      (c) => [c.ExtKeyUsage, c.UnknownExtKeyUsage],
      [[2], [[1, 2, 3, 4, 5]]],
    ],
    [
      'CRL distribution points and AIA',
      {
        extensions: [
          ext('2.5.29.31', der(0x30, der(0x30, der(0xa0, der(0xa0, der(0x86, 'http://crl/x')))))),
          ext('1.3.6.1.5.5.7.1.1', der(0x30, der(0x30, oid('1.3.6.1.5.5.7.48.1'), der(0x86, 'http://ocsp')))),
        ],
      },
      (c) => [c.CRLDistributionPoints, c.OCSPServer, c.IssuingCertificateURL],
      [['http://crl/x'], ['http://ocsp'], null],
    ],
    [
      'name constraints',
      {
        extensions: [
          ext(
            '2.5.29.30',
            der(
              0x30,
              der(0xa0, der(0x30, der(0x82, '.example.com')), der(0x30, der(0x87, Buffer.from([10, 0, 0, 0, 255, 0, 0, 0])))),
              der(0xa1, der(0x30, der(0x81, 'bad.example.com'))),
            ),
            true,
          ),
        ],
      },
      (c) => [c.PermittedDNSDomains, c.PermittedIPRanges, c.ExcludedEmailAddresses, c.PermittedDNSDomainsCritical],
      [['.example.com'], [{ IP: '10.0.0.0', Mask: Buffer.from([255, 0, 0, 0]).toString('base64') }], ['bad.example.com'], true],
    ],
    [
      'URI SAN parsed like net/url',
      { extensions: [ext('2.5.29.17', der(0x30, der(0x86, 'https://u:p@Host.example:8443/a%2Fb?q#f')))] },
      (c) => [
        c.URIs[0].Scheme,
        c.URIs[0].User,
        c.URIs[0].Host,
        c.URIs[0].Path,
        c.URIs[0].RawPath,
        c.URIs[0].RawQuery,
        c.URIs[0].Fragment,
        c.URIStrings[0],
      ],
      ['https', {}, 'Host.example:8443', '/a/b', '/a%2Fb', 'q', 'f', 'https://u:p@Host.example:8443/a%2Fb?q#f'],
    ],
  ];
  for (const [what, parts, pick, want] of cases) assert.deepEqual(pick(json(cert(parts))), want, what);
});

test('malformed certificates fail with Go error texts', () => {
  const cases: [string, Buffer, string][] = [
    ['empty', Buffer.alloc(0), 'x509: malformed certificate'],
    ['not a sequence', Buffer.from('hello'), 'x509: malformed certificate'],
    ['negative serial', cert({ serial: int('ff') }), 'x509: negative serial number'],
    ['non-minimal serial', cert({ serial: int('0001') }), 'x509: malformed serial number'],
    ['version 4', cert({ version: der(0xa0, int('03')) }), 'x509: invalid version'],
    ['version 6', cert({ version: der(0xa0, int('05')) }), 'x509: malformed version'],
    [
      'outer algorithm differs',
      cert({ outerAlg: der(0x30, oid('1.2.840.10045.4.3.3')) }),
      "x509: inner and outer signature algorithm identifiers don't match",
    ],
    [
      'bad UTCTime',
      cert({ validity: der(0x30, der(0x17, '201301000000Z'), der(0x17, '300101000000Z')) }),
      'x509: malformed UTCTime',
    ],
    [
      'zero offset must be Z',
      cert({ validity: der(0x30, der(0x17, '2001010000+0000'), der(0x17, '300101000000Z')) }),
      'x509: malformed UTCTime',
    ],
    [
      'wrong time type',
      cert({ validity: der(0x30, der(0x04, 'x'), der(0x17, '300101000000Z')) }),
      'x509: unsupported time format',
    ],
    [
      'invalid PrintableString',
      cert({ subject: name('a@b', 0x13) }),
      'x509: invalid RDNSequence: invalid attribute value: invalid PrintableString',
    ],
    [
      'duplicate extension',
      cert({ extensions: [ext('1.2.3', Buffer.alloc(0)), ext('1.2.3', Buffer.alloc(0))] }),
      'x509: certificate contains duplicate extension with OID "1.2.3"',
    ],
    [
      'critical subject key id',
      cert({ extensions: [ext('2.5.29.14', der(0x04, 'k'), true)] }),
      'x509: subject key identifier incorrectly marked critical',
    ],
    [
      'IP SAN of length 5',
      cert({ extensions: [ext('2.5.29.17', der(0x30, der(0x87, Buffer.alloc(5))))] }),
      'x509: cannot parse IP address of length 5',
    ],
    [
      'non-ASCII DNS SAN',
      cert({ extensions: [ext('2.5.29.17', der(0x30, der(0x82, Buffer.from('é', 'utf8'))))] }),
      'x509: SAN dNSName is malformed',
    ],
    ['bad basic constraints', cert({ extensions: [ext('2.5.29.19', der(0x04, 'x'))] }), 'x509: invalid basic constraints'],
    ['non-minimal length', Buffer.from([0x30, 0x81, 0x03, 0x02, 0x01, 0x01]), 'x509: malformed certificate'],
  ];
  for (const [what, input, msg] of cases) assert.throws(() => parseOneCertificate(input), { message: msg }, what);
  assert.throws(() => parseOneCertificate(Buffer.concat([cert(), Buffer.from([0])])), { message: 'x509: trailing data' });
  assert.equal(parseCertificates(Buffer.concat([cert(), cert({ serial: int('02') })])).length, 2);
  assert.deepEqual(parseCertificates(Buffer.alloc(0)), []);
});
