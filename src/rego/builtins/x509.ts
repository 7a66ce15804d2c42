// crypto.x509.* and crypto.parse_private_keys: certificate, CSR and key parsing with OPA's input
// conventions (PEM text, or base64 of PEM or DER) and Go's output shapes and error texts.
import { bytesToBigInt } from './der.js';
import { fromJSON, type RObject, RSet, type Value } from '../value.js';
import { guard, obj, str, typeErr } from './args.js';
import { parseAnyPrivateKey, parsePrivateKeyDER, type PrivateKey, privateKeyJSON, privateKeyJWK } from './keys.js';
import { goBase64Decode, pemDecode, pemEncode, stdDecodeString } from './pem.js';
import { type BuiltinContext, registerBuiltin } from './registry.js';
import { parseCertificateRequest } from './x509csr.js';
import { certificateJSON } from './x509json.js';
import { type GoCertificate, parseCertificates, parseOneCertificate } from './x509parse.js';
import { type VerifyOptions, verifyChain } from './x509verify.js';

const BEGIN = '-----BEGIN';

function certsFromPem(data: Buffer): GoCertificate[] {
  const ders: Buffer[] = [];
  let rest = data;
  while (rest.length > 0) {
    const [block, next] = pemDecode(rest);
    if (!block) break;
    if (block.type !== 'CERTIFICATE') throw new Error(`PEM block type is '${block.type}', expected CERTIFICATE`);
    ders.push(block.bytes);
    rest = next;
  }
  return parseCertificates(Buffer.concat(ders));
}

/** OPA's getX509CertsFromString: PEM, or base64 of PEM, or base64 of concatenated DER. */
export function certsFromString(s: string): GoCertificate[] {
  if (s.startsWith(BEGIN)) return certsFromPem(Buffer.from(s, 'utf8'));
  const der = stdDecodeString(s);
  if (der.subarray(0, BEGIN.length).toString('latin1') === BEGIN) return certsFromPem(der);
  return parseCertificates(der);
}

const jsonCerts = (certs: GoCertificate[], ext: boolean): Value => fromJSON(certs.map((c) => certificateJSON(c, ext)));

registerBuiltin({
  name: 'crypto.x509.parse_certificates',
  decl: { args: ['string'], result: 'array' },
  fn: (args) => {
    const name = 'crypto.x509.parse_certificates';
    const input = str(args, 0, name);
    return guard(name, () => jsonCerts(certsFromString(input), true));
  },
});

function defaultOptions(ctx: BuiltinContext): VerifyOptions {
  return { dnsName: '', nowNs: ctx.nowNs, keyUsages: [], maxConstraintComparisons: 250000 };
}

function tryVerify(certs: GoCertificate[] | null, opts: VerifyOptions): GoCertificate[] | null {
  if (!certs) return null;
  try {
    return verifyChain(certs, opts);
  } catch {
    return null;
  }
}

function tryParse(s: string): GoCertificate[] | null {
  try {
    return certsFromString(s);
  } catch {
    return null;
  }
}

registerBuiltin({
  name: 'crypto.x509.parse_and_verify_certificates',
  decl: { args: ['string'], result: 'array' },
  fn: (args, ctx) => {
    const input = str(args, 0, 'crypto.x509.parse_and_verify_certificates');
    const verified = tryVerify(tryParse(input), defaultOptions(ctx));
    return verified ? [true, jsonCerts(verified, true)] : [false, []];
  },
});

const KEY_USAGES: Record<string, number> = {
  KeyUsageAny: 0,
  KeyUsageServerAuth: 1,
  KeyUsageClientAuth: 2,
  KeyUsageCodeSigning: 3,
  KeyUsageEmailProtection: 4,
  KeyUsageIPSECEndSystem: 5,
  KeyUsageIPSECTunnel: 6,
  KeyUsageIPSECUser: 7,
  KeyUsageTimeStamping: 8,
  KeyUsageOCSPSigning: 9,
  KeyUsageMicrosoftServerGatedCrypto: 10,
  KeyUsageNetscapeServerGatedCrypto: 11,
  KeyUsageMicrosoftCommercialCodeSigning: 12,
  KeyUsageMicrosoftKernelCodeSigning: 13,
};

/** OPA's extractVerifyOpts; throws Error with OPA's messages. */
function verifyOptions(o: RObject, ctx: BuiltinContext): VerifyOptions {
  const opts = defaultOptions(ctx);
  for (const k of o.sortedKeys()) {
    if (typeof k !== 'string') continue;
    const v = o.get(k) as Value;
    switch (k) {
      case 'DNSName':
        if (typeof v !== 'string') throw new Error("'DNSName' should be a string");
        opts.dnsName = v.replace(/^"+|"+$/g, '');
        break;
      case 'CurrentTime':
        if (typeof v !== 'number') throw new Error("'CurrentTime' should be a number");
        if (!Number.isInteger(v) || Math.abs(v) >= 2 ** 63) throw new Error("'CurrentTime' should be a valid int64 number");
        opts.nowNs = BigInt(v);
        break;
      case 'MaxConstraintComparisons':
        if (typeof v !== 'number') throw new Error("'MaxConstraintComparisons' should be a number");
        if (!Number.isInteger(v) || Math.abs(v) >= 2 ** 63)
          throw new Error("'MaxConstraintComparisons' should be a valid number");
        // Go treats zero (and below) as "use the default".
        opts.maxConstraintComparisons = v > 0 ? v : 250000;
        break;
      case 'KeyUsages': {
        if (!Array.isArray(v) && !(v instanceof RSet)) throw new Error("'KeyUsages' should be an Array or Set");
        const items = Array.isArray(v) ? v : v.sorted();
        const invalid: string[] = [];
        for (const u of items) {
          if (typeof u !== 'string') continue;
          const t = u.replace(/^"+|"+$/g, '');
          const n = KEY_USAGES[t];
          if (n === undefined || !Object.hasOwn(KEY_USAGES, t)) invalid.push(t);
          else opts.keyUsages.push(n);
        }
        if (invalid.length > 0) throw new Error(`invalid entries for 'KeyUsages' found: [${invalid.join(' ')}]`);
        break;
      }
      default:
        throw new Error('invalid key option');
    }
  }
  return opts;
}

registerBuiltin({
  name: 'crypto.x509.parse_and_verify_certificates_with_options',
  decl: { args: ['string', 'object'], result: 'array' },
  fn: (args, ctx) => {
    const name = 'crypto.x509.parse_and_verify_certificates_with_options';
    const input = str(args, 0, name);
    const options = obj(args, 1, name);
    const certs = tryParse(input);
    if (!certs) return [false, []];
    const opts = guard(name, () => verifyOptions(options, ctx));
    const verified = tryVerify(certs, opts);
    // OPA returns the plain certificates here (no URIStrings).
    return verified ? [true, jsonCerts(verified, false)] : [false, []];
  },
});

registerBuiltin({
  name: 'crypto.x509.parse_certificate_request',
  decl: { args: ['string'], result: 'object' },
  fn: (args) => {
    const name = 'crypto.x509.parse_certificate_request';
    const input = str(args, 0, name);
    return guard(name, () => {
      let bytes = input.startsWith('-----BEGIN CERTIFICATE REQUEST-----') ? Buffer.from(input, 'utf8') : stdDecodeString(input);
      const [block] = pemDecode(bytes);
      if (block && block.type !== 'CERTIFICATE REQUEST') throw new Error('invalid PEM-encoded certificate signing request');
      if (block) bytes = block.bytes;
      return fromJSON(parseCertificateRequest(bytes));
    });
  },
});

const KEY_BLOCKS: Record<string, 'pkcs1' | 'pkcs8' | 'sec1'> = {
  'RSA PRIVATE KEY': 'pkcs1',
  'PRIVATE KEY': 'pkcs8',
  'EC PRIVATE KEY': 'sec1',
};

/** OPA's getPrivateKeysFromPEMData: every RSA / PKCS#8 / EC private key block, in order. */
function privateKeysFromPEM(data: Buffer): PrivateKey[] {
  let bs: Buffer;
  try {
    bs = goBase64Decode(data);
  } catch {
    bs = data;
  }
  const keys: PrivateKey[] = [];
  while (bs.length > 0) {
    const before = bs.length;
    const [block, rest] = pemDecode(bs);
    bs = rest;
    if (!block && bs.length === 0) break;
    if (before === bs.length) break;
    if (!block) continue;
    const format = KEY_BLOCKS[block.type];
    if (format) keys.push(parsePrivateKeyDER(block.bytes, format));
  }
  return keys;
}

registerBuiltin({
  name: 'crypto.x509.parse_rsa_private_key',
  decl: { args: ['string'], result: 'object' },
  fn: (args) => {
    const name = 'crypto.x509.parse_rsa_private_key';
    const input = str(args, 0, name);
    return guard(name, () => {
      if (input === '') throw new Error('input PEM data was empty');
      const pem = input.startsWith(BEGIN) ? Buffer.from(input, 'utf8') : stdDecodeString(input);
      const keys = privateKeysFromPEM(pem);
      if (keys.length === 0) return null;
      return fromJSON(privateKeyJWK(keys[0] as PrivateKey));
    });
  },
});

registerBuiltin({
  name: 'crypto.parse_private_keys',
  decl: { args: ['string'], result: 'array' },
  fn: (args) => {
    const name = 'crypto.parse_private_keys';
    const input = str(args, 0, name);
    if (input === '') return null;
    return guard(name, () => fromJSON(privateKeysFromPEM(Buffer.from(input, 'utf8')).map(privateKeyJSON)));
  },
});

/** Go's tls.X509KeyPair, giving the JSON of tls.Certificate. */
function x509KeyPair(certPEM: Buffer, keyPEM: Buffer): Record<string, unknown> {
  const ders: Buffer[] = [];
  const skipped: string[] = [];
  for (let rest = certPEM; ; ) {
    const [block, next] = pemDecode(rest);
    if (!block) break;
    if (block.type === 'CERTIFICATE') ders.push(block.bytes);
    else skipped.push(block.type);
    rest = next;
  }
  if (ders.length === 0) {
    if (skipped.length === 0) throw new Error('tls: failed to find any PEM data in certificate input');
    if (skipped.length === 1 && (skipped[0] as string).endsWith('PRIVATE KEY')) {
      throw new Error(
        'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched',
      );
    }
    throw new Error(
      `tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [${skipped.join(' ')}]`,
    );
  }
  const skippedKeys: string[] = [];
  let keyDER: Buffer | null = null;
  for (let rest = keyPEM; ; ) {
    const [block, next] = pemDecode(rest);
    if (!block) {
      if (skippedKeys.length === 0) throw new Error('tls: failed to find any PEM data in key input');
      if (skippedKeys.length === 1 && skippedKeys[0] === 'CERTIFICATE')
        throw new Error('tls: found a certificate rather than a key in the PEM for the private key');
      throw new Error(
        `tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [${skippedKeys.join(' ')}]`,
      );
    }
    if (block.type === 'PRIVATE KEY' || block.type.endsWith(' PRIVATE KEY')) {
      keyDER = block.bytes;
      break;
    }
    skippedKeys.push(block.type);
    rest = next;
  }
  const leaf = parseOneCertificate(ders[0] as Buffer);
  const key = parseAnyPrivateKey(keyDER);
  const pub = leaf.publicKey;
  const jwk = key.jwk;
  const big = (s: string | undefined) => bytesToBigInt(Buffer.from(s ?? '', 'base64url'));
  if (pub?.kind === 'rsa') {
    if (key.kind !== 'rsa') throw new Error('tls: private key type does not match public key type');
    if (big(jwk.n) !== pub.n) throw new Error('tls: private key does not match public key');
  } else if (pub?.kind === 'ecdsa') {
    if (key.kind !== 'ecdsa') throw new Error('tls: private key type does not match public key type');
    if (big(jwk.x) !== pub.x || big(jwk.y) !== pub.y) throw new Error('tls: private key does not match public key');
  } else if (pub?.kind === 'ed25519') {
    if (key.kind !== 'ed25519') throw new Error('tls: private key type does not match public key type');
    if (!Buffer.from(jwk.x ?? '', 'base64url').equals(pub.pub)) throw new Error('tls: private key does not match public key');
  } else {
    throw new Error('tls: unknown public key algorithm');
  }
  return {
    Certificate: ders.map((d) => d.toString('base64')),
    PrivateKey: privateKeyJSON(key),
    SupportedSignatureAlgorithms: null,
    OCSPStaple: null,
    SignedCertificateTimestamps: null,
    Leaf: certificateJSON(leaf, false),
  };
}

registerBuiltin({
  name: 'crypto.x509.parse_keypair',
  decl: { args: ['string', 'string'], result: 'object' },
  fn: (args) => {
    const name = 'crypto.x509.parse_keypair';
    const cert = str(args, 0, name);
    // OPA checks the key operand with position 1 as well.
    const key = args[1] as Value;
    if (typeof key !== 'string') throw typeErr(name, 0, 'string', key);
    return guard(name, () => {
      let certPEM: Buffer = Buffer.from(cert, 'utf8');
      let keyPEM: Buffer = Buffer.from(key, 'utf8');
      if (!cert.startsWith('-----BEGIN ')) certPEM = stdDecodeString(cert);
      if (!key.startsWith('-----BEGIN ')) keyPEM = stdDecodeString(key);
      if (!certPEM.subarray(0, 11).equals(Buffer.from('-----BEGIN '))) certPEM = pemEncode('CERTIFICATE', certPEM);
      if (!keyPEM.subarray(0, 10).equals(Buffer.from('-----BEGIN'))) keyPEM = pemEncode('PRIVATE KEY', keyPEM);
      return fromJSON(x509KeyPair(certPEM, keyPEM));
    });
  },
});
