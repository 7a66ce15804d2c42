// WebSocket (and other HTTP/1.1 Upgrade) pass-through: the stages run on the upgrade request, then the
// two sockets are joined byte for byte.
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { RequestContext, StageResult } from '../pipeline/stage.js';
import { metrics } from '../telemetry/metrics.js';
import { buildContext, hostOf, requestId, splitUrl } from './context.js';
import type { RouteRuntime } from './generation.js';
import type { HandlerEnv } from './handler.js';
import { upstreamRequestHeaders } from './proxy.js';

function rawResponse(socket: Duplex, status: number, body: Record<string, unknown>, extra?: Record<string, string>): void {
  if (socket.destroyed) return;
  const text = JSON.stringify(body);
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n`;
  if (extra) for (const k in extra) head += `${k}: ${extra[k]}\r\n`;
  socket.end(`${head}\r\n${text}`);
}

export function handleUpgrade(env: HandlerEnv, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on('error', () => socket.destroy());
  const gen = env.current();
  const [path, query] = splitUrl(req.url ?? '/');
  const host = hostOf(req);
  const id = requestId(req.headers['x-request-id']);
  const rt = gen.router.match(host, path, req.method ?? 'GET');
  if (rt === undefined || !rt.route.websocket) {
    metrics.requests.labels(rt?.route.name ?? '(none)', 'no_route', '404').inc();
    rawResponse(socket, 404, { error: 'no_route', reason: 'no route accepts upgrades here', request_id: id });
    return;
  }
  const clientIp = gen.clientIp.resolve(req.socket.remoteAddress, req.headers['x-forwarded-for']);
  const ctx = buildContext({
    req,
    id,
    startNs: process.hrtime.bigint(),
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
  const after = (v: StageResult) => {
    if (v !== undefined && v.action === 'deny') {
      metrics.requests.labels(rt.route.name, 'deny', String(v.status)).inc();
      rawResponse(socket, v.status, v.body ?? { error: 'forbidden', reason: v.reason, request_id: id }, {
        ...ctx.responseHeaders,
        ...(v.headers ?? {}),
      });
      return;
    }
    connectUpstream(env, rt, ctx, req, socket, head);
  };
  try {
    const v = rt.pipeline.run(ctx);
    if (v !== undefined && typeof (v as Promise<StageResult>).then === 'function') {
      (v as Promise<StageResult>).then(after, () => rawResponse(socket, 500, { error: 'internal_error', request_id: id }));
    } else after(v as StageResult);
  } catch {
    rawResponse(socket, 500, { error: 'internal_error', request_id: id });
  }
}

function connectUpstream(
  env: HandlerEnv,
  rt: RouteRuntime,
  ctx: RequestContext,
  req: IncomingMessage,
  client: Duplex,
  head: Buffer,
): void {
  const pool = rt.pool;
  const t = pool.pick(rt.pool.cfg.balancer === 'rendezvous' ? rt.hashKey(ctx) : '');
  if (t === undefined || !pool.breaker.tryAcquire()) {
    rawResponse(client, 503, { error: 'no_upstream', reason: `upstream "${pool.name}" unavailable`, request_id: ctx.id });
    return;
  }
  pool.begin(t);
  const t0 = performance.now();
  const port = Number(t.url.port || (t.url.protocol === 'https:' ? 443 : 80));
  const upstream: net.Socket =
    t.url.protocol === 'https:'
      ? tls.connect({ host: t.url.hostname, port, servername: t.url.hostname, ALPNProtocols: ['http/1.1'] })
      : net.connect({ host: t.url.hostname, port });
  upstream.setTimeout(pool.cfg.connect_timeout, () => upstream.destroy(new Error('connect timeout')));
  let connected = false;
  upstream.once(t.url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
    connected = true;
    upstream.setTimeout(0);
    pool.end(t, performance.now() - t0);
    const headers = upstreamRequestHeaders(ctx, env.port());
    // Upgrade requests keep their Connection/Upgrade headers (they are hop-by-hop otherwise).
    headers.connection = 'Upgrade';
    const up = req.headers.upgrade;
    if (up !== undefined) headers.upgrade = up;
    let strip = ctx.request.path;
    if (rt.stripPrefix && strip.startsWith(rt.stripPrefix)) strip = strip.slice(rt.stripPrefix.length) || '/';
    const target = strip + (ctx.request.query ? `?${ctx.request.query}` : '');
    let text = `${req.method} ${target} HTTP/1.1\r\n`;
    for (const k in headers) {
      const v = headers[k];
      if (Array.isArray(v)) for (const one of v) text += `${k}: ${one}\r\n`;
      else text += `${k}: ${v}\r\n`;
    }
    upstream.write(`${text}\r\n`);
    if (head.length) upstream.write(head);
    metrics.requests.labels(rt.route.name, 'upgrade', '101').inc();
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', (err) => {
    if (!connected) {
      pool.end(t, performance.now() - t0, 'connect');
      rawResponse(client, 502, { error: 'upstream_error', reason: err.message, request_id: ctx.id });
    } else client.destroy();
  });
  upstream.on('close', () => client.destroy());
  client.on('close', () => upstream.destroy());
}
