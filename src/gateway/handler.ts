// The request path for HTTP/1.1 and HTTP/2: route, run the stages, act on the verdict, proxy.
// Routes with a stage that inspects the body (Stage.needsBody) read it first; all others stream it.
import { createHash } from 'node:crypto';
import type { Http2ServerRequest } from 'node:http2';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { Pipeline } from '../pipeline/pipeline.js';
import type { BodyNeed, RequestContext, StageResult, Verdict } from '../pipeline/stage.js';
import { metrics } from '../telemetry/metrics.js';
import { type AnyRequest, buildContext, hostOf, requestId } from './context.js';
import type { Generation, RouteRuntime } from './generation.js';
import { type AnyResponse, type BufferedBody, proxyRequest } from './proxy.js';
import { sendJson } from './respond.js';

export interface HandlerEnv {
  /** The generation requests start on (swapped on reload). */
  current(): Generation;
  log: Logger;
  listenerName: string;
  scheme: 'http' | 'https';
  mtls: boolean;
  /** Port the listener is bound to (X-Forwarded-Port). */
  port(): number | undefined;
}

/** Per-request state hung on the response so the shared 'close' listener needs no closure. */
interface Exchange {
  gen: Generation;
  env: HandlerEnv;
  ctx: RequestContext | undefined;
  routeName: string;
  method: string;
  path: string;
  clientIp: string;
  startNs: bigint;
  status: number;
  action: string;
  proxy: { clientClosed(): void } | undefined;
  /** The request body read before the stages ran (routes with a needsBody stage only). */
  body: BufferedBody | undefined;
}

const EXCHANGE = Symbol('shieldx.exchange');
type Tracked = AnyResponse & { [EXCHANGE]?: Exchange };

// route -> action -> status -> counter child: lookups by strings whose hash V8 already has (route
// names and actions are long-lived strings) and small integers, no key string built per request.
const counterCache = new Map<string, Map<string, Map<number, { inc(): void }>>>();
let counterCacheSize = 0;
function countRequest(route: string, action: string, status: number): void {
  let byAction = counterCache.get(route);
  let byStatus = byAction?.get(action);
  let c = byStatus?.get(status);
  if (c === undefined) {
    c = metrics.requests.labels(route, action, String(status));
    if (counterCacheSize < 10_000) {
      if (byAction === undefined) counterCache.set(route, (byAction = new Map()));
      if (byStatus === undefined) byAction.set(action, (byStatus = new Map()));
      byStatus.set(status, c);
      counterCacheSize++;
    }
  }
  c.inc();
}
const durationCache = new Map<string, { observe(v: number): void }>();
function observeDuration(route: string, seconds: number): void {
  let h = durationCache.get(route);
  if (h === undefined) {
    h = metrics.requestDuration.labels(route);
    if (durationCache.size < 10_000) durationCache.set(route, h);
  }
  h.observe(seconds);
}

function onResponseClose(this: Tracked): void {
  const x = this[EXCHANGE];
  if (x === undefined) return;
  this[EXCHANGE] = undefined;
  if (x.proxy !== undefined && !this.writableFinished) x.proxy.clientClosed();
  x.gen.leave();
  const status = x.status || (this.headersSent ? this.statusCode : 499);
  const action = x.status ? x.action : this.writableFinished ? 'allow' : 'client_closed';
  const seconds = Number(process.hrtime.bigint() - x.startNs) / 1e9;
  countRequest(x.routeName, action, status);
  observeDuration(x.routeName, seconds);
  if (x.gen.config.logging.access_log) {
    x.env.log.info(
      {
        request_id: x.ctx?.id,
        listener: x.env.listenerName,
        method: x.method,
        path: x.path,
        route: x.routeName,
        client_ip: x.clientIp,
        status,
        action,
        duration_ms: Math.round(seconds * 1e6) / 1e3,
      },
      'request',
    );
  }
}

function hasBody(req: AnyRequest, contentLength: number | undefined): boolean {
  const stream = (req as Http2ServerRequest).stream;
  if (stream !== undefined) return contentLength !== 0 && !stream.endAfterHeaders;
  if (contentLength !== undefined) return contentLength > 0;
  return req.headers['transfer-encoding'] !== undefined;
}

export function handleRequest(env: HandlerEnv, req: AnyRequest, res: AnyResponse): void {
  const gen = env.current();
  gen.enter();
  const startNs = process.hrtime.bigint();
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  const method = req.method ?? 'GET';
  const clientIp = gen.clientIp.resolve(req.socket?.remoteAddress, req.headers['x-forwarded-for']);
  const x: Exchange = {
    gen,
    env,
    ctx: undefined,
    routeName: '',
    method,
    path,
    clientIp,
    startNs,
    status: 0,
    action: '',
    proxy: undefined,
    body: undefined,
  };
  const tracked = res as Tracked;
  tracked[EXCHANGE] = x;
  // 'close' comes once per response; on() rather than once() spares the per-request wrapper.
  res.on('close', onResponseClose);

  const host = hostOf(req);
  const id = requestId(req.headers['x-request-id']);
  // Node's HTTP/1 parser accepts any major.minor; only 1.0, 1.1 (and 2.0 on the HTTP/2 server) are real.
  const v = req.httpVersion;
  if (v !== '1.1' && v !== '2.0' && v !== '1.0') {
    x.routeName = '(none)';
    finish(x, 505, 'deny');
    sendJson(
      res,
      505,
      { error: 'http_version_not_supported', reason: `HTTP/${v} is not supported`, request_id: id },
      undefined,
      id,
      true,
    );
    return;
  }
  if (v === '2.0' && (req as Http2ServerRequest).stream === undefined) {
    x.routeName = '(none)';
    finish(x, 505, 'deny');
    sendJson(
      res,
      505,
      { error: 'http_version_not_supported', reason: 'HTTP/2.0 over an HTTP/1 connection', request_id: id },
      undefined,
      id,
      true,
    );
    return;
  }
  const rt = gen.router.match(host, path, method);
  if (rt === undefined) {
    x.routeName = '(none)';
    finish(x, 404, 'no_route');
    sendJson(res, 404, { error: 'no_route', reason: `no route for ${host}${path}`, request_id: id }, undefined, id);
    return;
  }
  x.routeName = rt.route.name;
  const ctx = buildContext({
    req,
    id,
    startNs,
    scheme: env.scheme,
    host,
    path,
    query,
    clientIp,
    route: rt.route,
    mtls: env.mtls,
    tenantHeader: gen.config.identity.tenant_header,
    log: env.log,
  });
  x.ctx = ctx;
  const need = bodyNeedOf(rt.pipeline);
  if (need !== undefined && hasBody(req, ctx.contentLength)) {
    readBody(x, rt, req, res, ctx, need);
    return;
  }
  runStages(x, rt, req, res, ctx);
}

function runStages(x: Exchange, rt: RouteRuntime, req: AnyRequest, res: AnyResponse, ctx: RequestContext): void {
  let verdict: StageResult | Promise<StageResult>;
  try {
    verdict = rt.pipeline.run(ctx);
  } catch (e) {
    stageFailed(x, res, ctx, e);
    return;
  }
  if (verdict !== undefined && typeof (verdict as Promise<StageResult>).then === 'function') {
    (verdict as Promise<StageResult>).then(
      (v) => act(x, rt, req, res, ctx, v),
      (e) => stageFailed(x, res, ctx, e),
    );
  } else act(x, rt, req, res, ctx, verdict as StageResult);
}

/** The combined body requirement of a pipeline's stages (computed once per pipeline): the smallest limit, reject if any stage rejects. */
const bodyNeeds = new WeakMap<Pipeline, BodyNeed | null>();
function bodyNeedOf(p: Pipeline): BodyNeed | undefined {
  let need = bodyNeeds.get(p);
  if (need === undefined) {
    need = null;
    for (const s of p.stages) {
      const n = s.needsBody;
      if (n === undefined) continue;
      need =
        need === null
          ? { maxBytes: n.maxBytes, onLimit: n.onLimit }
          : { maxBytes: Math.min(need.maxBytes, n.maxBytes), onLimit: n.onLimit === 'reject' ? 'reject' : need.onLimit };
    }
    bodyNeeds.set(p, need);
  }
  return need ?? undefined;
}

function noop(): void {}

/**
 * Reads the request body (up to need.maxBytes; never past limits.max_body_bytes) into ctx.body, then
 * runs the stages. Over the limit: 413 (reject), or the stages see the first maxBytes bytes and the
 * rest is streamed upstream after them (partial). A client that goes away mid-body gets no answer.
 */
function readBody(x: Exchange, rt: RouteRuntime, req: AnyRequest, res: AnyResponse, ctx: RequestContext, need: BodyNeed): void {
  const stream = req as Readable;
  // Errors after the client aborted must not go unhandled whatever happens to the stream next.
  stream.on('error', noop);
  const maxTotal = rt.limits.max_body_bytes;
  const cl = ctx.contentLength;
  if (cl !== undefined && (cl > maxTotal || (cl > need.maxBytes && need.onLimit === 'reject'))) {
    tooLarge(x, req, res, ctx);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const cleanup = () => {
    stream.off('data', onData);
    stream.off('end', onEnd);
    stream.off('close', onClose);
  };
  const proceed = (complete: boolean) => {
    cleanup();
    const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
    x.body = { bytes, complete };
    ctx.body = complete ? bytes : bytes.subarray(0, need.maxBytes);
    if (complete) ctx.request.body_sha256 = createHash('sha256').update(bytes).digest('hex');
    runStages(x, rt, req, res, ctx);
  };
  const onData = (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    if (size > maxTotal || (size > need.maxBytes && need.onLimit === 'reject')) {
      cleanup();
      tooLarge(x, req, res, ctx);
    } else if (size > need.maxBytes) {
      // ProcessPartial: inspect what we have; the proxy sends it and then the rest of the stream.
      stream.pause();
      proceed(false);
    }
  };
  const onEnd = () => proceed(true);
  const onClose = () => {
    // Closed before the end of the body: the client is gone (or timed out), nothing to answer.
    cleanup();
  };
  stream.on('data', onData);
  stream.once('end', onEnd);
  stream.once('close', onClose);
}

function tooLarge(x: Exchange, req: AnyRequest, res: AnyResponse, ctx: RequestContext): void {
  finish(x, 413, 'payload_too_large');
  sendJson(
    res,
    413,
    { error: 'payload_too_large', reason: 'request body exceeds the configured limit', request_id: ctx.id },
    ctx.responseHeaders,
    ctx.id,
    !req.readableEnded,
  );
  // Discard the rest so the response can be read before the connection closes.
  req.resume();
}

function finish(x: Exchange, status: number, action: string): void {
  x.status = status;
  x.action = action;
}

function stageFailed(x: Exchange, res: AnyResponse, ctx: RequestContext, e: unknown): void {
  ctx.log.error({ err: e }, 'stage failed');
  finish(x, 500, 'error');
  sendJson(res, 500, { error: 'internal_error', reason: 'a gateway stage failed', request_id: ctx.id }, undefined, ctx.id);
}

function act(
  x: Exchange,
  rt: RouteRuntime,
  req: AnyRequest,
  res: AnyResponse,
  ctx: RequestContext,
  v: Verdict | undefined,
): void {
  if (res.destroyed) return;
  if (v === undefined) {
    forward(x, rt, req, res, ctx);
    return;
  }
  if (v.action === 'allow') {
    if (v.headers) Object.assign(ctx.responseHeaders, v.headers);
    forward(x, rt, req, res, ctx, v.upstream);
    return;
  }
  if (v.action === 'deny') {
    deny(x, req, res, ctx, v.status, v.reason, v.body, v.headers);
    return;
  }
  // tarpit: hold the request without blocking anything, then continue or deny.
  const t = setTimeout(() => {
    if (res.destroyed) return;
    if (v.then === 'deny') deny(x, req, res, ctx, v.status ?? 403, v.reason, undefined, undefined, 'tarpit');
    else forward(x, rt, req, res, ctx);
  }, v.delayMs);
  res.once('close', () => clearTimeout(t));
}

function deny(
  x: Exchange,
  req: AnyRequest,
  res: AnyResponse,
  ctx: RequestContext,
  status: number,
  reason: string,
  body: Record<string, unknown> | undefined,
  headers: Record<string, string> | undefined,
  action = 'deny',
): void {
  finish(x, status, action);
  const all = headers ? { ...ctx.responseHeaders, ...headers } : ctx.responseHeaders;
  const unreadBody = hasBody(req, ctx.contentLength) && !req.readableEnded;
  sendJson(
    res,
    status,
    body ? { ...body, request_id: ctx.id } : { error: status === 429 ? 'rate_limited' : 'forbidden', reason, request_id: ctx.id },
    all,
    ctx.id,
    unreadBody,
  );
  if (unreadBody) req.resume();
}

function forward(x: Exchange, rt: RouteRuntime, req: AnyRequest, res: AnyResponse, ctx: RequestContext, upstream?: string): void {
  // A policy may divert the request to another configured pool (checked against the config when decided).
  const pool = upstream === undefined ? rt.pool : (x.gen.pools.get(upstream) ?? rt.pool);
  let path = ctx.request.path;
  const strip = rt.stripPrefix;
  if (strip !== undefined && path.startsWith(strip)) path = path.slice(strip.length) || '/';
  if (path.charCodeAt(0) !== 47 /* / */) path = `/${path}`;
  x.proxy = proxyRequest(ctx, req, res, {
    pool,
    hashKey: pool.cfg.balancer === 'rendezvous' ? rt.hashKey(ctx) : '',
    path,
    query: ctx.request.query,
    readTimeoutMs: pool.cfg.read_timeout,
    maxBodyBytes: rt.limits.max_body_bytes,
    hasBody: hasBody(req, ctx.contentLength),
    buffered: x.body,
    clientPort: x.env.port(),
    outcome: x,
  });
}
