// Sending a prepared http.send request through the helper thread, following redirects the way
// Go's http.Client does, and turning the answer into OPA's response object.
import YAML from 'yaml';
import { fromJSON, RObject, type Value } from '../value.js';
import type { CachedResponse } from './http-cache.js';
import { checkHost, NetworkError, opOf, type Prepared, RequestError } from './http-prepare.js';
import { callSync, SyncCallError } from './sync-worker.js';

const MAX_REDIRECTS = 10;

export interface RawResponse {
  statusCode: number;
  statusMessage: string;
  rawHeaders: string[];
  body: Uint8Array;
}

/** Node's error for a request, in the words of Go's net/http where they differ. */
function reasonOf(e: SyncCallError, url: string): string {
  let host = '';
  try {
    host = new URL(url).host;
  } catch {
    // keep empty
  }
  switch (e.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${host}: connect: connection refused`;
    case 'ENOTFOUND':
    case 'EAI_NONAME':
      return `dial tcp: lookup ${host.replace(/:\d+$/, '')}: no such host`;
    case 'ECONNRESET':
      return 'read: connection reset by peer';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
    case 'CERT_HAS_EXPIRED':
      return 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `tls: failed to verify certificate: x509: ${e.message}`;
    default:
      return e.message;
  }
}

function sendOnce(
  p: Prepared,
  url: string,
  method: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): RawResponse {
  try {
    return callSync<RawResponse>(
      'http',
      { method, url, headers, body, timeoutMs, tls: p.tls, socketPath: p.socketPath, gzip: p.gzip },
      timeoutMs + 2000,
    );
  } catch (e) {
    if (!(e instanceof SyncCallError)) throw e;
    if (e.timedOut) {
      throw new NetworkError(
        opOf(p.method),
        url,
        'context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
        true,
      );
    }
    throw new NetworkError(opOf(p.method), url, reasonOf(e, url));
  }
}

/** One request, following redirects when asked (Go's client rules: at most 10, 301/302/303 → GET). */
export function send(p: Prepared, patterns: string[]): RawResponse {
  const deadline = Date.now() + p.timeoutMs;
  let url = p.url;
  let method = p.method;
  let body = p.body;
  let headers = { ...p.headers };
  for (let hops = 0; ; hops++) {
    const left = deadline - Date.now();
    if (left <= 0)
      throw new NetworkError(
        opOf(p.method),
        url,
        'context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
        true,
      );
    const res = sendOnce(p, url, method, body, headers, left);
    const location = res.rawHeaders.find((_, i, a) => i % 2 === 1 && (a[i - 1] as string).toLowerCase() === 'location');
    if (!p.followRedirects || ![301, 302, 303, 307, 308].includes(res.statusCode) || location === undefined) return res;
    if (hops + 1 > MAX_REDIRECTS) throw new NetworkError(opOf(p.method), url, `stopped after ${MAX_REDIRECTS} redirects`);
    const next = new URL(location, url).toString();
    try {
      checkHost(patterns, next);
    } catch (e) {
      if (e instanceof RequestError) throw new NetworkError(opOf(p.method), next, e.message);
      throw e;
    }
    if (res.statusCode <= 303 && method !== 'GET' && method !== 'HEAD') {
      method = 'GET';
      body = '';
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'Content-Length' && k !== 'Content-Type'));
    }
    // Credentials stay with the host they were meant for.
    if (new URL(next).host !== new URL(url).host) {
      headers = Object.fromEntries(
        Object.entries(headers).filter(([k]) => !['Authorization', 'Cookie', 'Www-Authenticate'].includes(k)),
      );
    }
    if (headers.Host !== undefined) delete headers.Host;
    url = next;
  }
}

// ---------------------------------------------------------------- responses

function headerMap(rawHeaders: string[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const k = (rawHeaders[i] as string).toLowerCase();
    m.set(k, [...(m.get(k) ?? []), rawHeaders[i + 1] as string]);
  }
  return m;
}

function isJSONType(headers: Map<string, string[]>): boolean {
  const ct = (headers.get('content-type')?.[0] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const [type, sub] = ct.split('/');
  return type === 'application' && sub !== undefined && (sub === 'json' || sub.endsWith('+json'));
}

/** OPA's response object; a body that cannot be decoded is null (not an error). */
export function responseValue(r: CachedResponse, forceJSON: boolean, forceYAML: boolean): RObject {
  const text = Buffer.from(r.body).toString('utf8');
  let body: Value = null;
  const ct = r.headers.get('content-type')?.[0] ?? '';
  try {
    if (forceJSON || isJSONType(r.headers)) body = fromJSON(JSON.parse(text));
    else if (forceYAML || ct.includes('application/yaml') || ct.includes('application/x-yaml')) body = fromJSON(YAML.parse(text));
  } catch {
    body = null;
  }
  const headers = new RObject();
  for (const [k, vs] of r.headers) headers.set(k, vs);
  return new RObject()
    .set('status', r.status)
    .set('status_code', r.statusCode)
    .set('body', body)
    .set('raw_body', text)
    .set('headers', headers);
}

export function toCached(res: RawResponse): CachedResponse {
  return {
    status: res.statusMessage ? `${res.statusCode} ${res.statusMessage}` : String(res.statusCode),
    statusCode: res.statusCode,
    headers: headerMap(res.rawHeaders),
    body: res.body,
    expiresAt: 0,
  };
}
