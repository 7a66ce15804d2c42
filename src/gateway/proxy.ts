// Forwarding a request to an upstream pool: target choice, circuit breaker, streaming both ways,
// timeouts, and retries (idempotent methods without a request body only, within the retry budget).
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import { Transform, type Readable, type TransformCallback, type Writable } from 'node:stream';
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
  clientPort: number | undefined;
  onDone: (status: number, action: string) => void;
}

function connectionTokens(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v.join(',') : v)
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

/** Headers to send upstream: hop-by-hop and HTTP/2 pseudo-headers removed, forwarding headers added. */
export function upstreamRequestHeaders(ctx: RequestContext, clientPort: number | undefined): Record<string, string | string[]> {
  const src = ctx.request.headers;
  const out: Record<string, string | string[]> = {};
  const named = connectionTokens(src.connection);
  for (const k in src) {
    if (k.charCodeAt(0) === 58 /* : */ || HOP_BY_HOP.has(k)) continue;
    if (named?.includes(k)) continue;
    const v = src[k];
    if (v !== undefined) out[k] = v;
  }
  const req = ctx.request;
  if (out.host === undefined) {
    const authority = src[':authority'];
    if (typeof authority === 'string') out.host = authority;
  }
  const ip = req.client_ip;
  const prior = src['x-forwarded-for'];
  out['x-forwarded-for'] = prior ? `${Array.isArray(prior) ? prior.join(', ') : prior}, ${ip}` : ip;
  out['x-forwarded-proto'] = req.scheme;
  if (out.host !== undefined) out['x-forwarded-host'] = out.host as string;
  if (clientPort !== undefined) out['x-forwarded-port'] = String(clientPort);
  const forFor = ip.includes(':') ? `"[${ip}]"` : ip;
  const fwd = `for=${forFor};proto=${req.scheme}${out.host !== undefined ? `;host="${out.host as string}"` : ''}`;
  const priorFwd = src.forwarded;
  out.forwarded = priorFwd ? `${priorFwd}, ${fwd}` : fwd;
  out['x-request-id'] = ctx.id;
  return out;
}

/** Response headers for the client from the upstream's raw header list: hop-by-hop removed, request id and stage headers added. */
function clientResponseHeaders(ctx: RequestContext, raw: Buffer[] | string[] | null): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  let named: string[] | undefined;
  if (raw !== null) {
    for (let i = 0; i < raw.length; i += 2) {
      const k = (raw[i] as Buffer | string).toString('latin1').toLowerCase();
      const v = (raw[i + 1] as Buffer | string).toString('latin1');
      if (k === 'connection') named = connectionTokens(v);
      if (HOP_BY_HOP.has(k)) continue;
      const prev = out[k];
      if (prev === undefined) out[k] = v;
      else if (Array.isArray(prev)) prev.push(v);
      else out[k] = k === 'set-cookie' ? [prev as string, v] : `${prev as string}, ${v}`;
    }
  }
  if (named !== undefined) for (const k of named) delete out[k];
  const extra = ctx.responseHeaders;
  for (const k in extra) out[k] = extra[k];
  out['x-request-id'] = ctx.id;
  return out;
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
  private readonly body: Readable | null;
  private readonly limit: BodyLimit | undefined;
  private readonly retryable: boolean;
  private readonly headers: Record<string, string | string[]>;
  private readonly fullPath: string;

  constructor(
    private readonly ctx: RequestContext,
    private readonly req: AnyRequest,
    private readonly res: AnyResponse,
    private readonly o: ProxyOptions,
  ) {
    this.headers = upstreamRequestHeaders(ctx, o.clientPort);
    const method = ctx.request.method;
    this.retryable = !o.hasBody && IDEMPOTENT.has(method) && o.pool.cfg.retries.attempts > 0;
    if (!o.hasBody) this.body = null;
    else if (ctx.contentLength !== undefined) this.body = req as Readable;
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
        headers: this.headers,
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
    metrics.upstreamDuration.labels(pool.name).observe(latency / 1000);
    pool.end(t, latency, statusCode >= 500 ? 'status_5xx' : undefined);
    if (RETRY_STATUS.has(statusCode) && this.canRetry()) {
      this.retryStatus = statusCode;
      return true;
    }
    const res = this.res;
    if (res.headersSent || res.destroyed) return true;
    this.responded = true;
    try {
      const headers = clientResponseHeaders(this.ctx, rawHeaders);
      const cl = headers['content-length'];
      this.remaining = typeof cl === 'string' && this.ctx.request.method !== 'HEAD' ? Number(cl) : -1;
      res.writeHead(statusCode, headers);
    } catch (e) {
      this.ctx.log.warn({ err: e }, 'upstream response headers rejected');
      this.responded = false;
      this.fail(502, 'bad_upstream_response', 'upstream sent headers that cannot be forwarded');
      return true;
    }
    this.o.onDone(statusCode, 'allow');
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
      this.o.onDone(499, 'client_closed');
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
    this.o.onDone(status, error);
  }
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
