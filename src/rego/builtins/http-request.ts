// Pieces shared by http.send and providers.aws.sign_req, which read the same request objects:
// OPA's request-key checks and Go's url.Parse (the parts signing and host checks need). A "body"
// is turned into bytes by go-json.ts's marshalJSON.
import { BuiltinError } from '../errors.js';
import { format, type RObject, RSet } from '../value.js';
import { goQuote } from './gostrconv.js';

export const ALLOWED_REQUEST_KEYS = [
  'method',
  'url',
  'body',
  'enable_redirect',
  'force_json_decode',
  'force_yaml_decode',
  'headers',
  'raw_body',
  'tls_use_system_certs',
  'tls_ca_cert',
  'tls_ca_cert_file',
  'tls_ca_cert_env_variable',
  'tls_client_cert',
  'tls_client_cert_file',
  'tls_client_cert_env_variable',
  'tls_client_key',
  'tls_client_key_file',
  'tls_client_key_env_variable',
  'tls_insecure_skip_verify',
  'tls_server_name',
  'timeout',
  'cache',
  'force_cache',
  'force_cache_duration_seconds',
  'raise_error',
  'caching_mode',
  'max_retry_attempts',
  'cache_ignored_headers',
];
const ALLOWED = new Set(ALLOWED_REQUEST_KEYS);

/** OPA's "operand N <reason>" errors (eval_type_error). */
export function operandErr(fname: string, pos: number, reason: string): BuiltinError {
  return new BuiltinError(`${fname}: operand ${pos} ${reason}`, 'eval_type_error');
}

/** The request object checks OPA applies before using one: no unknown keys, method and url set. */
export function checkRequestKeys(fname: string, req: RObject, pos: number): void {
  const invalid = [...req.keys()].filter((k) => typeof k !== 'string' || !ALLOWED.has(k));
  if (invalid.length) throw operandErr(fname, pos, `invalid request parameters(s): ${format(RSet.from(invalid))}`);
  const missing = ['method', 'url'].filter((k) => !req.has(k));
  if (missing.length) throw operandErr(fname, pos, `missing required request parameters(s): ${format(RSet.from(missing))}`);
}

// ---------------------------------------------------------------- Go's url.Parse

export interface GoURL {
  scheme: string;
  /** host[:port] as written. */
  host: string;
  /** Path in its escaped form (Go's URL.EscapedPath()). */
  escapedPath: string;
  rawQuery: string;
}

/** url.Parse failed; the message is Go's `parse "<url>": <reason>`. */
export class URLError extends Error {}

const HEX = '0123456789ABCDEF';

function shouldEscapePath(c: number): boolean {
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) return false;
  if ('-_.~'.includes(String.fromCharCode(c))) return false;
  if ('$&+,/:;=?@'.includes(String.fromCharCode(c))) return c === 0x3f;
  return true;
}

function escapePath(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    out += shouldEscapePath(b) ? `%${HEX[b >> 4]}${HEX[b & 15]}` : String.fromCharCode(b);
  }
  return out;
}

function validEncodedPath(s: string): boolean {
  for (const b of Buffer.from(s, 'utf8')) {
    if ("!$&'()*+,;=:@[]%".includes(String.fromCharCode(b))) continue;
    if (shouldEscapePath(b)) return false;
  }
  return true;
}

function checkEscapes(s: string, raw: string): void {
  const m = /%(?![0-9a-fA-F]{2})(.{0,2})/s.exec(s);
  if (m) throw new URLError(`parse ${goQuote(raw)}: invalid URL escape ${goQuote(`%${m[1]}`)}`);
}

/** The parts of Go's url.Parse that request signing and host checks use. */
export function parseGoURL(raw: string): GoURL {
  const fail = (why: string): never => {
    throw new URLError(`parse ${goQuote(raw)}: ${why}`);
  };
  if ([...raw].some((c) => c < ' ' || c === '\x7f')) fail('net/url: invalid control character in URL');
  let rest = raw;
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  let scheme = '';
  const sm = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (sm) {
    scheme = (sm[1] as string).toLowerCase();
    rest = rest.slice(sm[0].length);
  } else if (rest.startsWith(':')) {
    fail('missing protocol scheme');
  }
  let rawQuery = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  let host = '';
  if (scheme !== '' && rest !== '' && !rest.startsWith('/')) {
    return { scheme, host: '', escapedPath: '', rawQuery }; // an opaque URL ("mailto:x")
  }
  if (rest.startsWith('//') && (scheme !== '' || !rest.startsWith('///'))) {
    const slash = rest.indexOf('/', 2);
    const authority = slash >= 0 ? rest.slice(2, slash) : rest.slice(2);
    rest = slash >= 0 ? rest.slice(slash) : '';
    host = authority.slice(authority.lastIndexOf('@') + 1);
    let port = '';
    if (host.startsWith('[')) {
      const close = host.indexOf(']');
      if (close < 0) fail("missing ']' in host");
      port = host.slice(close + 1);
    } else if (host.lastIndexOf(':') >= 0) {
      port = host.slice(host.lastIndexOf(':'));
    }
    if (port !== '' && !/^:\d*$/.test(port)) fail(`invalid port ${goQuote(port)} after host`);
    checkEscapes(host, raw);
    const bad = /[^A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"%\u0080-\uffff]/.exec(host);
    if (bad) fail(`invalid character ${goQuote(bad[0])} in host name`);
  } else if (scheme === '' && /^[^/]*:/.test(rest)) {
    fail('first path segment in URL cannot contain colon');
  }
  checkEscapes(rest, raw);
  const escapedPath = validEncodedPath(rest) ? rest : escapePath(percentDecode(rest));
  return { scheme, host, escapedPath, rawQuery };
}

/** %XX sequences to bytes, the rest as UTF-8; the bytes read back as UTF-8. */
function percentDecode(s: string): string {
  const bytes: number[] = [];
  const chars = Array.from(s);
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === '%') {
      bytes.push(Number.parseInt(`${chars[i + 1]}${chars[i + 2]}`, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(chars[i] as string, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
