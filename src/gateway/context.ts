// Building the RequestContext from a Node request: request id, client IP, protocol, identity.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import { isIP } from 'node:net';
import { compileCidrs, type IpMatcher } from '../pipeline/cidr.js';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { ClientIdentity, Principal, RequestContext, RequestInfo } from '../pipeline/stage.js';
import type { RouteConfig } from '../config/schema.js';
import { clientIdentity } from './client-identity.js';
import { normalizeHost } from './router.js';

export type AnyRequest = IncomingMessage | Http2ServerRequest;

const REQUEST_ID_RE = /^[A-Za-z0-9._:@=+/-]{1,128}$/;

/** Propagate a well-formed incoming X-Request-ID, otherwise generate one. */
export function requestId(incoming: string | string[] | undefined): string {
  if (typeof incoming === 'string' && REQUEST_ID_RE.test(incoming)) return incoming;
  return randomUUID();
}

function stripMapped(ip: string): string {
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}

/** Trusted-proxy aware client IP resolution. */
export class ClientIpResolver {
  private readonly trusted: IpMatcher | undefined;

  /** Throws StageConfigError naming an invalid CIDR. */
  constructor(trustedCidrs: readonly string[]) {
    if (trustedCidrs.length > 0) this.trusted = compileCidrs(trustedCidrs, ['identity', 'trusted_proxies']);
  }

  private isTrusted(ip: string): boolean {
    return this.trusted?.(ip) === true;
  }

  /** The peer address, or — when the peer is a trusted proxy — the right-most untrusted X-Forwarded-For hop. */
  resolve(peer: string | undefined, xff: string | string[] | undefined): string {
    const remote = stripMapped(peer ?? '');
    if (!this.trusted || xff === undefined || !this.isTrusted(remote)) return remote;
    const hops = (Array.isArray(xff) ? xff.join(',') : xff).split(',');
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = stripMapped((hops[i] as string).trim());
      if (isIP(hop) === 0) return remote;
      if (!this.isTrusted(hop)) return hop;
    }
    return remote;
  }
}

export function tlsSocketOf(req: AnyRequest): TLSSocket | undefined {
  const h2 = (req as Http2ServerRequest).stream;
  const sock = (h2 ? h2.session?.socket : req.socket) as TLSSocket | undefined;
  return sock && (sock as TLSSocket).encrypted ? sock : undefined;
}

export function protocolOf(req: AnyRequest): RequestInfo['protocol'] {
  const v = req.httpVersion;
  return v === '2.0' ? 'HTTP/2' : v === '1.0' ? 'HTTP/1.0' : 'HTTP/1.1';
}

/** Split "/a/b?x=1" into path and query (without "?"). */
export function splitUrl(url: string): [string, string] {
  const q = url.indexOf('?');
  return q < 0 ? [url, ''] : [url.slice(0, q), url.slice(q + 1)];
}

export function hostOf(req: AnyRequest): string {
  const h = req.headers;
  return normalizeHost((h[':authority'] as string | undefined) ?? h.host);
}

export interface ContextInput {
  req: AnyRequest;
  id: string;
  startNs: bigint;
  scheme: 'http' | 'https';
  host: string;
  path: string;
  query: string;
  clientIp: string;
  route: RouteConfig;
  mtls: boolean;
  tenantHeader: string;
  log: Logger;
}

/** The per-request context. The request-scoped logger (carrying request_id) is made on first use only. */
class GatewayRequestContext implements RequestContext {
  principal: Principal;
  signals: Record<string, unknown> = {};
  responseHeaders: Record<string, string> = {};
  private childLog: Logger | undefined;

  constructor(
    readonly id: string,
    readonly startNs: bigint,
    readonly request: RequestInfo,
    readonly route: RouteConfig,
    readonly contentLength: number | undefined,
    readonly clientCert: ClientIdentity | undefined,
    private readonly baseLog: Logger,
    tenant: string | undefined,
  ) {
    this.principal = tenant ? { tenant } : {};
  }

  get log(): Logger {
    if (this.childLog === undefined) this.childLog = this.baseLog.child({ request_id: this.id });
    return this.childLog;
  }
}

export function buildContext(i: ContextInput): RequestContext {
  const req = i.req;
  const headers = req.headers;
  const cl = headers['content-length'];
  let contentLength: number | undefined;
  if (cl !== undefined && /^\d+$/.test(cl)) contentLength = Number(cl);
  let cert: ClientIdentity | undefined;
  if (i.mtls) {
    const sock = tlsSocketOf(req);
    if (sock) cert = clientIdentity(sock);
  }
  const tenant = headers[i.tenantHeader];
  const request: RequestInfo = {
    method: req.method ?? 'GET',
    scheme: i.scheme,
    host: i.host,
    path: i.path,
    query: i.query,
    headers,
    client_ip: i.clientIp,
    protocol: protocolOf(req),
  };
  return new GatewayRequestContext(
    i.id,
    i.startNs,
    request,
    i.route,
    contentLength,
    cert,
    i.log,
    typeof tenant === 'string' && tenant !== '' ? tenant : undefined,
  );
}
