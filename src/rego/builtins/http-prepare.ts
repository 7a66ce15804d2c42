// http.send's reading of the request object (OPA's createHTTPRequest rules and messages) and the
// host allow-list every request and redirect target must pass.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { BuiltinError } from '../errors.js';
import { canonical, RObject, type Value } from '../value.js';
import { marshalJSON } from './go-json.js';
import { parseGoURL } from './http-request.js';
import { parseGoDuration } from './go-duration.js';
import type { BuiltinContext } from './registry.js';

const NAME = 'http.send';
const DEFAULT_TIMEOUT_MS = 5000;
/** Requests with "no timeout" (0) still end after this long. */
const MAX_TIMEOUT_MS = 300_000;
const USER_AGENT = 'ShieldX-Rego/1.0';

/** A failure while talking to the server (Go's *url.Error): `<Op> "<url>": <reason>`. */
export class NetworkError extends Error {
  constructor(
    readonly op: string,
    readonly url: string,
    readonly reason: string,
    readonly timedOut = false,
  ) {
    super(`${op} ${JSON.stringify(url)}: ${reason}`);
  }
}

/** Any other problem with the request (bad parameter, disallowed host, …), reported as is. */
export class RequestError extends Error {}

/** Go's url.Error Op: the method with only its first letter upper case ("Get", "Post"). */
export const opOf = (method: string): string => method.charAt(0) + method.slice(1).toLowerCase();

// ---------------------------------------------------------------- host allow-list

export function allowedHosts(ctx: BuiltinContext): string[] | null {
  const cfg = ctx.options?.httpSend as { allowedHosts?: unknown } | undefined;
  if (!cfg || !Array.isArray(cfg.allowedHosts)) return null;
  return cfg.allowedHosts.filter((h): h is string => typeof h === 'string').map((h) => h.trim().toLowerCase());
}

function splitHostPort(hp: string): [string, string] {
  if (hp.startsWith('[')) {
    const close = hp.indexOf(']');
    return [hp.slice(1, close), hp.slice(close + 2)];
  }
  const i = hp.lastIndexOf(':');
  return i >= 0 && hp.indexOf(':') === i ? [hp.slice(0, i), hp.slice(i + 1)] : [hp, ''];
}

/** Whether the URL's host (and port) is on the allow-list. */
export function hostAllowed(patterns: string[], scheme: string, hostPort: string): boolean {
  const [host, port0] = splitHostPort(hostPort.toLowerCase());
  const port = port0 || (scheme === 'https' ? '443' : scheme === 'http' ? '80' : '');
  return patterns.some((p) => {
    if (p === '*') return true;
    const [ph, pp] = splitHostPort(p);
    if (pp !== '' && pp !== port) return false;
    return ph.startsWith('*.') ? host.endsWith(ph.slice(1)) && host.length > ph.length - 1 : ph === host;
  });
}

export function checkHost(patterns: string[], url: string): void {
  const u = parseGoURL(url);
  const [host] = splitHostPort(u.host);
  if (!hostAllowed(patterns, u.scheme === 'unix' ? 'http' : u.scheme, u.host)) {
    throw new RequestError(`host not allowed: ${host}`);
  }
}

// ---------------------------------------------------------------- request parameters

/** Go's strconv.ParseBool over the operand's Rego text (so only true/false and 1/0 pass). */
function parseBool(v: Value): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === 0) return v === 1;
  const text = typeof v === 'string' ? JSON.stringify(v) : canonical(v);
  throw new RequestError(`strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax`);
}

export function boolField(req: RObject, key: string): boolean {
  const v = req.get(key);
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new RequestError(`invalid value for "${key}" field`);
  return v;
}

function parseTimeout(v: Value): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new RequestError(`invalid timeout number value ${v}, must be int64`);
    return v / 1e6;
  }
  if (typeof v === 'string') {
    if (/^[+-]?\d+$/.test(v)) return Number(v) / 1e6;
    try {
      return Number(parseGoDuration(v)) / 1e6;
    } catch (e) {
      throw new RequestError(`invalid timeout value ${JSON.stringify(v)}: ${(e as Error).message}`);
    }
  }
  throw new BuiltinError(
    `${NAME}: operand 1 'timeout' must be one of {string, number} but got ${typeNameOf(v)}`,
    'eval_type_error',
  );
}

function typeNameOf(v: Value): string {
  return v === null
    ? 'null'
    : Array.isArray(v)
      ? 'array'
      : typeof v === 'object'
        ? v instanceof RObject
          ? 'object'
          : 'set'
        : typeof v;
}

/** "X-Foo-Bar" spelling of a header name (Go's CanonicalHeaderKey). */
function canonicalHeader(k: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(k)) return k;
  return k.toLowerCase().replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

export interface Prepared {
  method: string;
  url: string;
  socketPath?: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  tls: Record<string, unknown>;
  followRedirects: boolean;
  gzip: boolean;
}

const STRING_PARAMS = new Set([
  'method',
  'url',
  'raw_body',
  'tls_ca_cert',
  'tls_ca_cert_file',
  'tls_ca_cert_env_variable',
  'tls_client_cert',
  'tls_client_cert_file',
  'tls_client_cert_env_variable',
  'tls_client_key',
  'tls_client_key_file',
  'tls_client_key_env_variable',
  'tls_server_name',
]);

function readPem(kind: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new RequestError(
      `open ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message} (${kind})`,
    );
  }
}

/** Reads the request object the way OPA's createHTTPRequest does. */
export function prepare(req: RObject, patterns: string[]): Prepared {
  const p: Record<string, string> = {};
  let body = '';
  let rawBody: string | undefined;
  let headers: RObject | undefined;
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  let followRedirects = false;
  let insecure = false;
  let useSystemCerts: boolean | undefined;
  for (const k of req.sortedKeys()) {
    const key = k as string;
    const v = req.get(k) as Value;
    if (typeof v === 'string') p[key] = v.replace(/^"+|"+$/g, '');
    else if (STRING_PARAMS.has(key)) throw new RequestError(`"${key}" must be a string`);
    switch (key) {
      case 'url':
        checkHost(patterns, p.url as string);
        break;
      case 'enable_redirect':
        followRedirects = parseBool(v);
        break;
      case 'body':
        body = marshalJSON(v);
        break;
      case 'raw_body':
        rawBody = p.raw_body;
        break;
      case 'headers':
        if (!(v instanceof RObject)) throw new RequestError('invalid type for headers key');
        headers = v;
        break;
      case 'tls_use_system_certs':
        useSystemCerts = parseBool(v);
        break;
      case 'tls_insecure_skip_verify':
        insecure = parseBool(v);
        break;
      case 'timeout':
        timeoutMs = parseTimeout(v);
        break;
    }
  }
  const tls: Record<string, unknown> = {};
  if (insecure) tls.rejectUnauthorized = false;
  const ca: string[] = [];
  if (p.tls_ca_cert) ca.push(p.tls_ca_cert.replaceAll('\\n', '\n'));
  if (p.tls_ca_cert_file) ca.push(readPem('tls_ca_cert_file', p.tls_ca_cert_file));
  if (p.tls_ca_cert_env_variable) ca.push(process.env[p.tls_ca_cert_env_variable] ?? '');
  if (ca.length) tls.ca = useSystemCerts ? [...rootCertificates, ...ca] : ca;
  const cert =
    p.tls_client_cert ?? (p.tls_client_cert_file ? readPem('tls_client_cert_file', p.tls_client_cert_file) : undefined);
  const key = p.tls_client_key ?? (p.tls_client_key_file ? readPem('tls_client_key_file', p.tls_client_key_file) : undefined);
  if (cert && key) Object.assign(tls, { cert, key });
  if (p.tls_client_cert_env_variable && p.tls_client_key_env_variable) {
    Object.assign(tls, {
      cert: process.env[p.tls_client_cert_env_variable] ?? '',
      key: process.env[p.tls_client_key_env_variable] ?? '',
    });
  }

  const out: Record<string, string> = {};
  let hasUA = false;
  for (const [k, v] of headers?.entries() ?? []) {
    if (typeof v !== 'string') throw new RequestError(`invalid type for headers value ${canonical(v)}`);
    const name = canonicalHeader(typeof k === 'string' ? k : canonical(k));
    if (name === 'User-Agent') hasUA = true;
    out[name] = v;
  }
  if (!hasUA) out['User-Agent'] = USER_AGENT;
  if (out.Host !== undefined) tls.servername = out.Host;
  if (p.tls_server_name) tls.servername = p.tls_server_name;
  const method = (p.method ?? '').toUpperCase() || 'GET';
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Z]+$/.test(method)) throw new RequestError(`net/http: invalid method ${JSON.stringify(method)}`);
  const sendBody = rawBody ?? body;
  if (sendBody !== '' || method === 'POST' || method === 'PUT' || method === 'PATCH') {
    out['Content-Length'] = String(Buffer.byteLength(sendBody));
  }
  const gzip = !Object.keys(out).some((h) => h.toLowerCase() === 'accept-encoding') && method !== 'HEAD';
  if (gzip) out['Accept-Encoding'] = 'gzip';

  let url = p.url as string;
  let socketPath: string | undefined;
  const u = parseGoURL(url);
  if (u.scheme === 'unix') {
    // unix://localhost/path?socket=%2Ftmp%2Fapi.sock: the socket comes from the query.
    const q = new URLSearchParams(u.rawQuery);
    socketPath = q.get('socket') ?? undefined;
    q.delete('socket');
    const rest = q.toString();
    url = `http://${u.host || 'localhost'}${u.escapedPath}${rest ? `?${rest}` : ''}`;
  } else if (u.scheme !== 'http' && u.scheme !== 'https') {
    throw new NetworkError(opOf(method), url, `unsupported protocol scheme ${JSON.stringify(u.scheme)}`);
  }
  if (timeoutMs <= 0) timeoutMs = MAX_TIMEOUT_MS;
  return {
    method,
    url,
    socketPath,
    headers: out,
    body: sendBody,
    timeoutMs: Math.min(timeoutMs, MAX_TIMEOUT_MS),
    tls,
    followRedirects,
    gzip,
  };
}
