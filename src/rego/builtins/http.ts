// http.send: OPA's request object, response object, caching and error conventions. It is off unless
// the host enables it with options.httpSend = { allowedHosts: [...] } ("host", "host:port", "*",
// "*.example.com"); every request and redirect target must match. The request itself runs on the
// helper thread (sync-worker.ts) because builtins are synchronous.
import { BuiltinError } from '../errors.js';
import { canonical, RObject } from '../value.js';
import { obj } from './args.js';
import {
  CACHEABLE_CODES,
  type CachedResponse,
  cacheDelete,
  cacheGet,
  cachePut,
  canStore,
  expiryFromHeaders,
} from './http-cache.js';
import { type RawResponse, responseValue, send, toCached } from './http-client.js';
import { allowedHosts, boolField, NetworkError, prepare, RequestError } from './http-prepare.js';
import { checkRequestKeys, URLError } from './http-request.js';
import { type BuiltinContext, registerBuiltin } from './registry.js';

const NAME = 'http.send';
const NETWORK_ERR = 'eval_http_send_network_error';
const INTERNAL_ERR = 'eval_http_send_internal_error';

/** The cache key: the request without the headers listed in cache_ignored_headers. */
function cacheKey(req: RObject): string {
  const key = req.clone();
  const ignored = req.get('cache_ignored_headers');
  const headers = req.get('headers');
  if (Array.isArray(ignored) && headers instanceof RObject) {
    const kept = headers.clone();
    for (const h of ignored) kept.delete(h);
    key.set('headers', kept);
  }
  key.set('cache_ignored_headers', null);
  return canonical(key);
}

interface InterQuery {
  forceSeconds: number;
}

function interQuerySettings(req: RObject): InterQuery | null {
  const cache = boolField(req, 'cache');
  if (boolField(req, 'force_cache')) {
    const d = req.get('force_cache_duration_seconds');
    if (d === undefined) throw new RequestError("'force_cache' set but 'force_cache_duration_seconds' parameter is missing");
    const text = typeof d === 'number' ? canonical(d) : JSON.stringify(canonical(d));
    if (typeof d !== 'number' || !Number.isInteger(d) || Math.abs(d) > 2 ** 31 - 1) {
      throw new RequestError(`strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax`);
    }
    return { forceSeconds: d };
  }
  return cache ? { forceSeconds: 0 } : null;
}

function retries(req: RObject): number {
  const v = req.get('max_retry_attempts');
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new RequestError(`invalid value ${canonical(v)} for field "max_retry_attempts"`);
  }
  return Math.min(v, 10);
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function fetchFresh(req: RObject, patterns: string[]): RawResponse {
  const p = prepare(req, patterns);
  const attempts = retries(req);
  for (let i = 0; ; i++) {
    try {
      return send(p, patterns);
    } catch (e) {
      if (!(e instanceof NetworkError) || i >= attempts) throw e;
      sleepMs(Math.min(100 * 2 ** i, 2000));
    }
  }
}

/** Keeps a response for later queries when OPA's rules allow it. */
function store(key: string, res: CachedResponse, inter: InterQuery, now: number): void {
  if (!CACHEABLE_CODES.has(res.statusCode) || (inter.forceSeconds <= 0 && !canStore(res.headers))) return;
  try {
    res.expiresAt = inter.forceSeconds > 0 ? now + inter.forceSeconds * 1000 : expiryFromHeaders(res.headers);
    if (res.expiresAt > now) cachePut(key, res);
  } catch {
    // not cacheable (e.g. max-age without a Date header)
  }
}

/**
 * A stale cached response: asks the server whether it changed (ETag / Last-Modified). 304 keeps
 * the body with refreshed headers; 200 replaces it; anything else means "fetch normally".
 */
function revalidate(
  key: string,
  cached: CachedResponse,
  req: RObject,
  patterns: string[],
  inter: InterQuery,
  now: number,
): CachedResponse | undefined {
  cacheDelete(key);
  const etag = cached.headers.get('etag')?.[0];
  const lastModified = cached.headers.get('last-modified')?.[0];
  if (!etag && !lastModified) return undefined;
  const p = prepare(req, patterns);
  if (etag) p.headers['If-None-Match'] = etag;
  if (lastModified) p.headers['If-Modified-Since'] = lastModified;
  const res = toCached(send(p, patterns));
  if (res.statusCode === 200) {
    store(key, res, inter, now);
    return res;
  }
  if (res.statusCode !== 304) return undefined;
  const headers = new Map(cached.headers);
  for (const [k, vs] of res.headers) headers.set(k, vs);
  const refreshed: CachedResponse = { ...cached, headers, expiresAt: 0 };
  try {
    refreshed.expiresAt = inter.forceSeconds > 0 ? now + inter.forceSeconds * 1000 : expiryFromHeaders(headers);
  } catch {
    refreshed.expiresAt = 0;
  }
  if (refreshed.expiresAt > now) cachePut(key, refreshed);
  return refreshed;
}

/** The response for the request, from the caches when they allow. */
function execute(req: RObject, ctx: BuiltinContext, patterns: string[]): RObject {
  const key = cacheKey(req);
  const intraKey = `http.send\u0000${key}`;
  const hit = ctx.cache.get(intraKey) as { value?: RObject; error?: Error } | undefined;
  if (hit?.error) throw hit.error;
  if (hit?.value) return hit.value;
  const forceJSON = boolField(req, 'force_json_decode');
  const forceYAML = boolField(req, 'force_yaml_decode');
  const inter = interQuerySettings(req);
  const now = Number(ctx.nowNs / 1_000_000n);
  try {
    let cached = inter ? cacheGet(key) : undefined;
    if (cached && inter && now >= cached.expiresAt) cached = revalidate(key, cached, req, patterns, inter, now);
    let value: RObject;
    if (cached) {
      value = responseValue(cached, forceJSON, forceYAML);
    } else {
      const res = toCached(fetchFresh(req, patterns));
      value = responseValue(res, forceJSON, forceYAML);
      if (inter) store(key, res, inter, now);
      if (!inter && !CACHEABLE_CODES.has(res.statusCode)) return value;
    }
    ctx.cache.set(intraKey, { value });
    return value;
  } catch (e) {
    if (e instanceof NetworkError || e instanceof RequestError || e instanceof URLError) ctx.cache.set(intraKey, { error: e });
    throw e;
  }
}

function errorResult(code: string, message: string): RObject {
  return new RObject().set('status_code', 0).set('error', new RObject().set('code', code).set('message', message));
}

registerBuiltin({
  name: NAME,
  decl: { args: ['object'], result: 'object' },
  nondeterministic: true,
  fn: (args, ctx) => {
    const req = obj(args, 0, NAME);
    const patterns = allowedHosts(ctx);
    if (patterns === null) {
      throw new BuiltinError(`${NAME}: disabled (enable it with options.httpSend.allowedHosts)`);
    }
    const re = req.get('raise_error');
    if (re !== undefined && typeof re !== 'boolean') throw new BuiltinError(`${NAME}: invalid value for raise_error field`);
    const raise = re !== false;
    try {
      checkRequestKeys(NAME, req, 1);
      return execute(req, ctx, patterns);
    } catch (e) {
      if (raise) {
        if (e instanceof NetworkError && e.timedOut) throw new BuiltinError(`${NAME}: ${e.op} ${e.url}: request timed out`);
        if (e instanceof NetworkError || e instanceof RequestError || e instanceof URLError) {
          throw new BuiltinError(`${NAME}: ${e.message}`);
        }
        throw e;
      }
      if (e instanceof NetworkError) return errorResult(NETWORK_ERR, e.message);
      if (e instanceof BuiltinError) return errorResult(INTERNAL_ERR, `${e.code}: ${e.message}`);
      if (e instanceof RequestError || e instanceof URLError) {
        return errorResult(INTERNAL_ERR, `eval_builtin_error: ${NAME}: ${e.message}`);
      }
      throw e;
    }
  },
});
