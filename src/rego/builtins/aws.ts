// providers.aws.sign_req: AWS Signature Version 4 for an http.send request object, as OPA does it
// (same canonical request, signed headers and checks; the result is the request with its headers
// replaced by the signed set).
import { createHash, createHmac } from 'node:crypto';
import { RObject, RSet, format, type Value } from '../value.js';
import { builtinErr, obj, typeErr } from './args.js';
import { marshalJSON } from './go-json.js';
import { checkRequestKeys, operandErr, parseGoURL, URLError } from './http-request.js';
import { registerBuiltin } from './registry.js';

const NAME = 'providers.aws.sign_req';
const REQUIRED_CONFIG = ['aws_access_key', 'aws_region', 'aws_secret_access_key', 'aws_service'];
/** Headers a proxy may change on the way, so AWS signers leave them out. */
const UNSIGNED_HEADERS = new Set(['authorization', 'user-agent', 'x-amzn-trace-id']);
const INT64_MAX = 2 ** 63;

const strOf = (v: Value | undefined): string => (typeof v === 'string' ? v : '');
const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

function checkConfig(cfg: RObject): void {
  const missing = REQUIRED_CONFIG.filter((k) => !cfg.has(k));
  if (missing.length) {
    throw operandErr(NAME, 2, `missing required AWS config parameters(s): ${format(RSet.from(missing))}`);
  }
  const invalid = REQUIRED_CONFIG.filter((k) => typeof cfg.get(k) !== 'string');
  if (invalid.length) {
    throw operandErr(NAME, 2, `invalid values for required AWS config parameters(s): ${format(RSet.from(invalid))}`);
  }
}

/** "20151228T140825Z" and "20151228" for a time given in ns since the epoch. */
function amzDates(ns: number): [string, string] {
  const iso = new Date(Math.floor(ns / 1e6)).toISOString(); // 2015-12-28T14:08:25.000Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return [stamp, stamp.slice(0, 8)];
}

export interface SigV4Input {
  method: string;
  host: string;
  escapedPath: string;
  rawQuery: string;
  headers: Map<string, string>;
  body: string;
  service: string;
  region: string;
  accessKey: string;
  secretKey: string;
  sessionToken: string;
  timeNs: number;
  disablePayloadSigning: boolean;
}

/** Returns the Authorization header and the x-amz-* / host headers to add. */
export function signV4(r: SigV4Input): { authorization: string; awsHeaders: Map<string, string> } {
  const [stamp, day] = amzDates(r.timeNs);
  const contentSha256 = r.disablePayloadSigning ? 'UNSIGNED-PAYLOAD' : sha256Hex(r.body);
  const awsHeaders = new Map<string, string>([
    ['host', r.host],
    ['x-amz-date', stamp],
  ]);
  // S3 and Glacier want the payload hash as a header; other services do not.
  if (r.service === 's3' || r.service === 'glacier') awsHeaders.set('x-amz-content-sha256', contentSha256);
  if (r.sessionToken !== '') awsHeaders.set('x-amz-security-token', r.sessionToken);

  const toSign = new Map(awsHeaders);
  for (const [k, v] of r.headers) {
    const lk = k.toLowerCase();
    if (!UNSIGNED_HEADERS.has(lk)) toSign.set(lk, v);
  }
  const names = [...toSign.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaders = names.join(';');
  const canonical = [
    r.method,
    r.escapedPath,
    r.rawQuery,
    ...names.map((k) => `${k}:${toSign.get(k)}`),
    '',
    signedHeaders,
    contentSha256,
  ].join('\n');
  const scope = `${day}/${r.region}/${r.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', stamp, scope, sha256Hex(canonical)].join('\n');
  let key = hmac(`AWS4${r.secretKey}`, day);
  key = hmac(key, r.region);
  key = hmac(key, r.service);
  key = hmac(key, 'aws4_request');
  const signature = hmac(key, stringToSign).toString('hex');
  return {
    authorization: `AWS4-HMAC-SHA256 Credential=${r.accessKey}/${scope},SignedHeaders=${signedHeaders},Signature=${signature}`,
    awsHeaders,
  };
}

registerBuiltin({
  name: NAME,
  decl: { args: ['object', 'object', 'number'], result: 'object' },
  fn: (args) => {
    const req = obj(args, 0, NAME);
    const cfg = args[1] as Value;
    // OPA reads the config and the time as "operand 1" (its own numbering quirk).
    if (!(cfg instanceof RObject)) throw typeErr(NAME, 0, 'object', cfg);
    checkConfig(cfg);
    const t = args[2] as Value;
    if (typeof t !== 'number') throw typeErr(NAME, 0, 'number', t);
    // OPA needs an int64 literal; written forms like -1e9 fail there, so negative times fail here.
    if (!Number.isInteger(t) || t < 0 || t >= INT64_MAX) {
      throw operandErr(NAME, 3, 'could not convert time_ns value into a unix timestamp');
    }
    checkRequestKeys(NAME, req, 1);
    const headersVal = req.get('headers');
    if (headersVal !== undefined && !(headersVal instanceof RObject)) throw typeErr(NAME, -1, 'object', headersVal);
    const invalid = ['method', 'url'].filter((k) => typeof req.get(k) !== 'string');
    if (invalid.length) {
      throw operandErr(NAME, 1, `invalid values for required request parameters(s): ${format(RSet.from(invalid))}`);
    }
    let url: ReturnType<typeof parseGoURL>;
    try {
      url = parseGoURL(req.get('url') as string);
    } catch (e) {
      if (e instanceof URLError) throw builtinErr(NAME, e.message);
      throw e;
    }
    const rawBody = req.get('raw_body');
    const body = req.get('body');
    const bodyText = rawBody !== undefined ? strOf(rawBody) : body !== undefined ? marshalJSON(body) : '';
    const headers = new Map<string, string>();
    for (const [k, v] of headersVal instanceof RObject ? headersVal.entries() : []) headers.set(strOf(k), strOf(v));
    const dps = cfg.get('disable_payload_signing');
    if (dps !== undefined && typeof dps !== 'boolean') {
      throw operandErr(NAME, 2, "invalid value for 'disable_payload_signing' in AWS config");
    }
    const { authorization, awsHeaders } = signV4({
      method: req.get('method') as string,
      host: url.host,
      escapedPath: url.escapedPath,
      rawQuery: url.rawQuery,
      headers,
      body: bodyText,
      service: cfg.get('aws_service') as string,
      region: cfg.get('aws_region') as string,
      accessKey: cfg.get('aws_access_key') as string,
      secretKey: cfg.get('aws_secret_access_key') as string,
      sessionToken: strOf(cfg.get('aws_session_token')),
      timeNs: t,
      disablePayloadSigning: dps === true,
    });
    const signed = new RObject();
    for (const [k, v] of headers) signed.set(k, v);
    signed.set('Authorization', authorization);
    for (const [k, v] of awsHeaders) signed.set(k, v);
    const out = req.clone();
    out.set('headers', signed);
    return out;
  },
});
