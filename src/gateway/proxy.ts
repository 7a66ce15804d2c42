// Forwarding a request to an upstream pool: target choice, circuit breaker, streaming both ways,
// timeouts, and retries (idempotent methods without a request body only, within the retry budget).
import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import { Readable, Transform, type TransformCallback, type Writable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { RequestContext } from '../pipeline/stage.js';
import { metrics } from '../telemetry/metrics.js';
import type { AnyRequest } from './context.js';
import { sendJson } from './respond.js';
import type { FailureKind, Target, UpstreamPool } from './upstream/pool.js';

export type AnyResponse = ServerResponse | Http2ServerResponse;

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
const RETRY_STATUS = new Set([502, 503, 504]);

/** Hop-by-hop headers (RFC 9110 §7.6.1) and others a proxy must not forward as they are. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'http2-settings',
  'proxy-authorization',
]);

export interface ProxyOptions {
  pool: UpstreamPool;
  hashKey: string;
  /** Path (after strip_prefix) and query to send. */
  path: string;
  query: string;
  readTimeoutMs: number;
  maxBodyBytes: number;
  /** Whether the request carries a body to stream upstream. */
  hasBody: boolean;
  /** The body as read before the stages ran (routes with a body-inspecting stage); sent instead of streaming req. */
  buffered?: BufferedBody;
  clientPort: number | undefined;
  /** Where the exchange records the status and action it ended with (for metrics and the access log). */
  outcome: ProxyOutcome;
}

/** A request body read up front: all of it (complete), or a prefix whose remainder is still in the request stream. */
export interface BufferedBody {
  bytes: Buffer;
  complete: boolean;
}

/** The buffered prefix, then whatever the client still sends. */
async function* prefixed(head: Buffer, rest: Readable): AsyncGenerator<Buffer> {
  yield head;
  for await (const chunk of rest) yield chunk as Buffer;
}

/** The final status and action of a proxied request, written by the proxy when it knows them. */
export interface ProxyOutcome {
  status: number;
  action: string;
}

/** The header names a Connection header lists, beyond the hop-by-hop ones always dropped; undefined for none. */
function connectionTokens(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  // The usual values name nothing to drop: skip the split.
  if (typeof v === 'string' && v.length <= 10) {
    const lower = v.toLowerCase();
    if (lower === 'keep-alive' || lower === 'close') return undefined;
  }
  return (Array.isArray(v) ? v.join(',') : v)
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

/** The client's port as a header value, cached: a listener's port rarely changes. */
let portNumber = -1;
let portText = '';
function portHeader(port: number): string {
  if (port !== portNumber) {
    portNumber = port;
    portText = String(port);
  }
  return portText;
}

/**
 * Headers to send upstream as a flat [name, value, ...] list (undici takes it as is, no object to
 * build): hop-by-hop and HTTP/2 pseudo-headers removed, forwarding headers and X-Request-ID set.
 * Names are unique; a repeated header keeps its array value.
 */
export function upstreamRequestHeaderList(ctx: RequestContext, clientPort: number | undefined): (string | string[])[] {
  const src = ctx.request.headers;
  const req = ctx.request;
  const out: (string | string[])[] = [];
  const conn = src.connection;
  const named = conn === undefined ? undefined : connectionTokens(conn);
  let host = src.host;
  if (host === undefined) {
    const authority = src[':authority'];
    if (typeof authority === 'string') {
      host = authority;
      out.push('host', authority);
    }
  }
  for (const k in src) {
    const v = src[k];
    if (v === undefined || k.charCodeAt(0) === 58 /* : */ || HOP_BY_HOP.has(k)) continue;
    if (named?.includes(k)) continue;
    // Set below; the client's own values are replaced, not passed along.
    switch (k) {
      case 'x-forwarded-for':
      case 'x-forwarded-proto':
      case 'forwarded':
      case 'x-request-id':
        continue;
      case 'x-forwarded-host':
        if (host !== undefined) continue;
        break;
      case 'x-forwarded-port':
        if (clientPort !== undefined) continue;
        break;
    }
    out.push(k, v);
  }
  const ip = req.client_ip;
  const prior = src['x-forwarded-for'];
  out.push('x-forwarded-for', prior ? `${Array.isArray(prior) ? prior.join(', ') : prior}, ${ip}` : ip);
  out.push('x-forwarded-proto', req.scheme);
  if (host !== undefined) out.push('x-forwarded-host', host);
  if (clientPort !== undefined) out.push('x-forwarded-port', portHeader(clientPort));
  const forFor = ip.includes(':') ? `"[${ip}]"` : ip;
  const fwd = host !== undefined ? `for=${forFor};proto=${req.scheme};host="${host}"` : `for=${forFor};proto=${req.scheme}`;
  const priorFwd = src.forwarded;
  out.push('forwarded', priorFwd ? `${priorFwd}, ${fwd}` : fwd);
  out.push('x-request-id', ctx.id);
  return out;
}

/** upstreamRequestHeaderList as an object (the WebSocket path writes its own request head). */
export function upstreamRequestHeaders(ctx: RequestContext, clientPort: number | undefined): Record<string, string | string[]> {
  const list = upstreamRequestHeaderList(ctx, clientPort);
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i < list.length; i += 2) out[list[i] as string] = list[i + 1] as string | string[];
  return out;
}

/**
 * Response headers for the client as a flat [name, value, ...] list (Node's writeHead takes it
 * without an object in between), from the upstream's raw header list: hop-by-hop and the names its
 * Connection header lists removed, repeated fields joined (Set-Cookie kept apart), the stages'
 * headers (e.g. RateLimit-*) and X-Request-ID set over the upstream's. Also returns Content-Length.
 */
function clientResponseHeaders(ctx: RequestContext, raw: Buffer[] | string[] | null, out: string[]): string | undefined {
  const extra = ctx.responseHeaders;
  let extraLower: string[] | undefined;
  extraNames.length = 0;
  for (const k in extra) {
    extraLower = extraNames;
    extraLower.push(lowerName(k));
  }
  let named: string[] | undefined;
  let contentLength: string | undefined;
  if (raw !== null) {
    next: for (let i = 0; i < raw.length; i += 2) {
      const k = (raw[i] as Buffer | string).toString('latin1').toLowerCase();
      const v = (raw[i + 1] as Buffer | string).toString('latin1');
      if (HOP_BY_HOP.has(k)) {
        if (k === 'connection') named = connectionTokens(named === undefined ? v : `${named.join(',')},${v}`);
        continue;
      }
      if (k === 'x-request-id' || extraLower?.includes(k)) continue;
      if (k === 'content-length') contentLength = v;
      if (k !== 'set-cookie') {
        // Repeated fields are rare: a linear scan of the names so far is cheaper than a map.
        for (let j = 0; j < out.length; j += 2) {
          if (out[j] === k) {
            out[j + 1] = `${out[j + 1] as string}, ${v}`;
            continue next;
          }
        }
      }
      out.push(k, v);
    }
  }
  if (named !== undefined) {
    let w = 0;
    for (let i = 0; i < out.length; i += 2) {
      const k = out[i] as string;
      if (named.includes(k)) {
        if (k === 'content-length') contentLength = undefined;
        continue;
      }
      out[w++] = k;
      out[w++] = out[i + 1] as string;
    }
    out.length = w;
  }
  for (const k in extra) out.push(k, extra[k] as string);
  out.push('x-request-id', ctx.id);
  return contentLength;
}

/** Scratch list of the stages' header names, lower-cased (reused: the function above is synchronous). */
const extraNames: string[] = [];
/** Lower-cased stage header names: a handful of constants ("RateLimit-Limit", ...), so cached. */
const lowerNames = new Map<string, string>();
function lowerName(k: string): string {
  let l = lowerNames.get(k);
  if (l === undefined) {
    l = k.toLowerCase();
    if (lowerNames.size < 1000) lowerNames.set(k, l);
  }
  return l;
}

/** Counts request body bytes where no Content-Length bounded it up front. */
class BodyLimit extends Transform {
  private seen = 0;
  exceeded = false;
  constructor(private readonly max: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.max) {
      this.exceeded = true;
      cb(new Error('request body exceeds the configured limit'));
      return;
    }
    cb(null, chunk);
  }
}

function classify(err: Error & { code?: string }): FailureKind {
  switch (err.code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 'timeout';
    case 'ECONNREFUSED':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EAI_AGAIN':
      return 'connect';
    default:
      return 'reset';
  }
}

/**
 * One proxied exchange. It is its own undici dispatch handler (the low-level callback interface:
 * no per-request stream wrappers or listeners), and an object rather than closures so each attempt
 * allocates little.
 */
class Exchange implements Dispatcher.DispatchHandler {
  private attempt = 0;
  private tried: Set<Target> | undefined;
  private target: Target | undefined;
  private t0 = 0;
  /** The attempt's outcome has been reported to the pool (pool.end / cancel). */
  private ended = false;
  /** The upstream exchange finished (complete or error). */
  private settled = true;
  private responded = false;
  /** Response body bytes still expected per Content-Length (-1 unknown), to end with the last chunk. */
  private remaining = -1;
  private retryStatus = 0;
  private abortUpstream: ((err?: Error) => void) | undefined;
  private resumeUpstream: (() => void) | undefined;
  private readonly body: Readable | Buffer | null;
  private readonly limit: BodyLimit | undefined;
  private readonly retryable: boolean;
  private readonly headers: (string | string[])[];
  private readonly fullPath: string;

  constructor(
    private readonly ctx: RequestContext,
    private readonly req: AnyRequest,
    private readonly res: AnyResponse,
    private readonly o: ProxyOptions,
  ) {
    this.headers = upstreamRequestHeaderList(ctx, o.clientPort);
    const method = ctx.request.method;
    const buffered = o.buffered;
    // A fully buffered body can be sent again, so such requests stay retryable.
    this.retryable = (!o.hasBody || buffered?.complete === true) && IDEMPOTENT.has(method) && o.pool.cfg.retries.attempts > 0;
    if (!o.hasBody) this.body = null;
    else if (buffered?.complete) this.body = buffered.bytes;
    else if (buffered) {
      const rest = Readable.from(prefixed(buffered.bytes, req as Readable), { objectMode: false });
      if (ctx.contentLength !== undefined) this.body = rest;
      else {
        this.limit = new BodyLimit(o.maxBodyBytes);
        this.body = rest.pipe(this.limit);
      }
    } else if (ctx.contentLength !== undefined) this.body = req as Readable;
    else {
      this.limit = new BodyLimit(o.maxBodyBytes);
      this.body = (req as Readable).pipe(this.limit);
    }
    this.fullPath = o.path + (o.query ? `?${o.query}` : '');
    o.pool.retryBudget.recordRequest();
  }

  start(): void {
    const pool = this.o.pool;
    if (clientGone(this.res)) return;
    const t = pool.pick(this.o.hashKey, this.tried);
    if (t === undefined) {
      this.fail(503, 'no_upstream', `no available target in upstream "${pool.name}"`);
      return;
    }
    if (!pool.breaker.tryAcquire()) {
      this.fail(503, 'circuit_open', `circuit breaker for upstream "${pool.name}" is open`);
      return;
    }
    this.target = t;
    this.ended = false;
    this.settled = false;
    this.retryStatus = 0;
    this.abortUpstream = undefined;
    pool.begin(t);
    this.t0 = performance.now();
    t.dispatcher.dispatch(
      {
        path: t.pathPrefix + this.fullPath,
        method: this.ctx.request.method as Dispatcher.HttpMethod,
        headers: this.headers as string[],
        body: this.body,
        headersTimeout: this.o.readTimeoutMs,
        bodyTimeout: this.o.readTimeoutMs,
      },
      this,
    );
  }

  /** The client went away: stop the upstream exchange too. */
  clientClosed(): void {
    if (!this.settled) this.abortUpstream?.(new ClientClosedError());
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abortUpstream = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[] | string[] | null, resume: () => void): boolean {
    if (statusCode < 200) return true; // interim responses are not forwarded
    const latency = performance.now() - this.t0;
    const pool = this.o.pool;
    const t = this.target as Target;
    this.ended = true;
    this.resumeUpstream = resume;
    upstreamTimer(pool).observe(latency / 1000);
    pool.end(t, latency, statusCode >= 500 ? 'status_5xx' : undefined);
    if (RETRY_STATUS.has(statusCode) && this.canRetry()) {
      this.retryStatus = statusCode;
      return true;
    }
    const res = this.res;
    if (res.headersSent || res.destroyed) return true;
    this.responded = true;
    try {
      const headers: string[] = [];
      const cl = clientResponseHeaders(this.ctx, rawHeaders, headers);
      this.remaining = cl !== undefined && this.ctx.request.method !== 'HEAD' ? Number(cl) : -1;
      // Both ServerResponse and Http2ServerResponse take a flat list (Node's types omit the latter).
      (res as ServerResponse).writeHead(statusCode, headers);
    } catch (e) {
      this.ctx.log.warn({ err: e }, 'upstream response headers rejected');
      this.responded = false;
      this.fail(502, 'bad_upstream_response', 'upstream sent headers that cannot be forwarded');
      return true;
    }
    this.done(statusCode, 'allow');
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (!this.responded) return true; // a response being discarded (retry, or the client is gone)
    const res = this.res;
    if (res.destroyed) return true;
    if (this.remaining === chunk.length) {
      // The last chunk of a sized body: headers, body and end go out in one write.
      this.remaining = 0;
      res.end(chunk);
      return true;
    }
    if (this.remaining > 0) this.remaining -= chunk.length;
    if ((res as Writable).write(chunk)) return true;
    // Backpressure: undici stops reading the upstream until the client drains.
    res.once('drain', this.resumeUpstream as () => void);
    return false;
  }

  onComplete(): void {
    this.settled = true;
    if (this.retryStatus !== 0) {
      this.retry();
      return;
    }
    if (this.responded && !this.res.writableEnded) this.res.end();
  }

  onError(err: Error & { code?: string }): void {
    this.settled = true;
    const pool = this.o.pool;
    const t = this.target as Target;
    if (this.limit?.exceeded) {
      if (!this.ended) pool.cancel(t);
      this.ended = true;
      this.fail(413, 'payload_too_large', 'request body exceeds the configured limit');
      // The pipe into the limit is broken: discard the rest of the body, or the keep-alive
      // connection stalls with it unread and the client's next request on it hangs.
      (this.req as Readable).resume();
      return;
    }
    if (this.ended) {
      // Failure after the response started: nothing to retry, cut the client stream.
      if (this.responded && !this.res.writableFinished) this.res.destroy(err);
      else if (this.retryStatus !== 0) this.retry();
      return;
    }
    this.ended = true;
    // Not req.destroyed: undici destroys the request body stream on any upstream error.
    if (err instanceof ClientClosedError || clientGone(this.res)) {
      // The client went away and the upstream request was aborted with it: not the upstream's fault.
      pool.cancel(t);
      this.done(499, 'client_closed');
      return;
    }
    const kind = classify(err);
    pool.end(t, performance.now() - this.t0, kind);
    if (this.canRetry()) {
      this.retry();
      return;
    }
    if (kind === 'timeout') this.fail(504, 'upstream_timeout', `upstream "${pool.name}" timed out`);
    else this.fail(502, 'upstream_error', `upstream "${pool.name}" failed: ${kind}`);
  }

  private canRetry(): boolean {
    if (!this.retryable || this.attempt >= this.o.pool.cfg.retries.attempts) return false;
    const ok = this.o.pool.retryBudget.tryRetry();
    metrics.upstreamRetries.labels(this.o.pool.name, ok ? 'sent' : 'budget_exhausted').inc();
    return ok;
  }

  private retry(): void {
    this.attempt++;
    (this.tried ??= new Set()).add(this.target as Target);
    // A single-target pool retries the same target; otherwise try another one.
    if (this.tried.size >= this.o.pool.targets.length) this.tried = undefined;
    const backoff = this.o.pool.cfg.retries.backoff * this.attempt;
    if (backoff > 0) setTimeout(startExchange, backoff, this);
    else this.start();
  }

  private fail(status: number, error: string, reason: string): void {
    if (this.res.headersSent) {
      if (!this.res.writableFinished) this.res.destroy();
      return;
    }
    sendJson(this.res, status, { error, reason, request_id: this.ctx.id }, this.ctx.responseHeaders, this.ctx.id);
    this.done(status, error);
  }

  private done(status: number, action: string): void {
    const outcome = this.o.outcome;
    outcome.status = status;
    outcome.action = action;
  }
}

/** shieldx_upstream_duration_seconds{upstream} per pool, looked up once per pool rather than per response. */
const upstreamTimers = new WeakMap<UpstreamPool, { observe(v: number): void }>();
function upstreamTimer(pool: UpstreamPool): { observe(v: number): void } {
  let h = upstreamTimers.get(pool);
  if (h === undefined) {
    h = metrics.upstreamDuration.labels(pool.name);
    upstreamTimers.set(pool, h);
  }
  return h;
}

/** The client connection (HTTP/1) or stream (HTTP/2) is gone: no response can reach it. */
function clientGone(res: AnyResponse): boolean {
  return (
    (res as ServerResponse).destroyed === true ||
    res.socket?.destroyed === true ||
    (res as Http2ServerResponse).stream?.destroyed === true
  );
}

class ClientClosedError extends Error {
  constructor() {
    super('client closed the connection');
  }
}

function startExchange(x: Exchange): void {
  x.start();
}

/** Start proxying; the returned handle lets the caller abort the upstream side when the client leaves. */
export function proxyRequest(ctx: RequestContext, req: AnyRequest, res: AnyResponse, o: ProxyOptions): { clientClosed(): void } {
  const x = new Exchange(ctx, req, res, o);
  x.start();
  return x;
}
