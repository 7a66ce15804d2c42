// Listeners: plain HTTP/1.1, and HTTPS serving HTTP/2 and HTTP/1.1 on one port (ALPN), with
// optional client certificates. Parser-level limits and timeouts come from the `limits` config.
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Limits, ListenerConfig } from '../config/schema.js';
import { handleClientError } from '../pipeline/stages/protocol-guard.js';
import { metrics } from '../telemetry/metrics.js';
import type { Generation } from './generation.js';
import { type HandlerEnv, handleRequest } from './handler.js';
import { applySecureContext, buildSecureContextOptions } from './tls.js';
import { handleUpgrade } from './websocket.js';

type AnyServer = http.Server | https.Server | http2.Http2SecureServer;

/** How often slow heads and requests are looked for: the precision of header_timeout/request_timeout. */
const CONNECTIONS_CHECK_MS = 250;

export class Listener {
  private server: AnyServer | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly sessions = new Set<http2.ServerHttp2Session>();
  /** Sockets handed over to an upgrade (WebSocket): not HTTP-idle, left to run until the drain deadline. */
  private readonly upgraded = new WeakSet<Socket>();
  /** TLS sockets carrying an HTTP/2 session: those close through session.close(). */
  private readonly h2Sockets = new WeakSet<Socket>();
  private boundPort: number | undefined;
  certPath: string | undefined;

  constructor(
    readonly cfg: ListenerConfig,
    private readonly current: () => Generation,
    private readonly log: Logger,
    private readonly dataDir: string,
  ) {}

  get port(): number | undefined {
    return this.boundPort;
  }

  get url(): string {
    const h = this.cfg.address.host;
    const host = h === '0.0.0.0' || h === '::' ? '127.0.0.1' : h.includes(':') ? `[${h}]` : h;
    return `${this.cfg.protocol}://${host}:${this.boundPort ?? this.cfg.address.port}`;
  }

  async start(limits: Limits): Promise<void> {
    const cfg = this.cfg;
    const env: HandlerEnv = {
      current: this.current,
      log: this.log,
      listenerName: cfg.name,
      scheme: cfg.protocol,
      mtls: (cfg.tls?.client_auth.mode ?? 'none') !== 'none',
      port: () => this.boundPort,
    };
    const onRequest = (
      req: http.IncomingMessage | http2.Http2ServerRequest,
      res: http.ServerResponse | http2.Http2ServerResponse,
    ) => handleRequest(env, req, res);
    let server: AnyServer;
    if (cfg.protocol === 'http') {
      server = http.createServer(
        { maxHeaderSize: limits.max_header_bytes, requireHostHeader: false, joinDuplicateHeaders: false },
        onRequest,
      );
    } else {
      const { options, certPath } = await buildSecureContextOptions(cfg.tls, this.dataDir, this.log);
      this.certPath = certPath;
      if (cfg.tls?.http2 !== false) {
        server = http2.createSecureServer(
          {
            ...options,
            // A client that connects and never finishes the handshake is dropped like a slow header.
            handshakeTimeout: limits.header_timeout,
            allowHTTP1: true,
            maxSessionMemory: 20,
            settings: { maxHeaderListSize: limits.max_header_bytes, enablePush: false },
            maxHeaderListPairs: limits.max_header_count * 2,
          },
          onRequest,
        );
        // HTTP/1.1 connections on the HTTP/2 server are parsed by Node's HTTP/1 parser, which reads this.
        (server as unknown as { maxHeaderSize: number }).maxHeaderSize = limits.max_header_bytes;
      } else {
        server = https.createServer(
          { ...options, handshakeTimeout: limits.header_timeout, maxHeaderSize: limits.max_header_bytes },
          onRequest,
        );
      }
    }
    this.applyLimits(server, limits);
    // Node enforces headersTimeout/requestTimeout only when it sweeps its connection list, every
    // connectionsCheckingInterval (default 30s, read once at 'listening'): sweep often enough for
    // header_timeout to mean what it says.
    (server as unknown as { connectionsCheckingInterval: number }).connectionsCheckingInterval = CONNECTIONS_CHECK_MS;
    server.on('clientError', (err: Error, socket: Socket) => handleClientError(err, socket));
    server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
      this.upgraded.add(socket);
      handleUpgrade(env, req, socket, head);
    });
    server.on('tlsClientError', (err: Error) => this.log.debug({ err: err.message, listener: cfg.name }, 'TLS handshake failed'));
    server.on('sessionError', (err: Error) => this.log.debug({ err: err.message }, 'HTTP/2 session error'));
    server.on('session', (session: http2.ServerHttp2Session) => {
      this.sessions.add(session);
      if (session.socket) this.h2Sockets.add(session.socket as Socket);
      session.once('close', () => this.sessions.delete(session));
    });
    const gauge = metrics.activeConnections.labels(cfg.name);
    server.on(cfg.protocol === 'https' ? 'secureConnection' : 'connection', (s: Socket) => {
      this.sockets.add(s);
      gauge.inc();
      s.once('close', () => {
        this.sockets.delete(s);
        gauge.dec();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: cfg.address.host, port: cfg.address.port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.log.error({ err, listener: cfg.name }, 'listener error'));
    this.boundPort = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Timeouts and limits that can change on reload without re-binding. */
  applyLimits(server: AnyServer | undefined, limits: Limits): void {
    if (!server) return;
    const s = server as http.Server;
    s.headersTimeout = limits.header_timeout;
    s.requestTimeout = limits.request_timeout;
    s.keepAliveTimeout = limits.keepalive_timeout;
    // Header counting is the protocol guard's job (431); Node's maxHeadersCount would silently drop extras.
    s.maxHeadersCount = 0;
  }

  async reload(next: ListenerConfig, limits: Limits): Promise<void> {
    this.applyLimits(this.server, limits);
    if (next.protocol === 'https' && this.server && 'setSecureContext' in this.server) {
      const { options, certPath } = await buildSecureContextOptions(next.tls, this.dataDir, this.log);
      applySecureContext(this.server as https.Server, options);
      this.certPath = certPath;
    }
  }

  /** Stop accepting, let in-flight requests finish (up to timeoutMs), then close what is left. */
  async close(timeoutMs: number): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // HTTP/2 sessions get a GOAWAY and close once their open streams finish.
    for (const session of this.sessions) session.close();
    // HTTP/1 connections close as soon as no response is in progress on them, including connections
    // that never sent a request (Node's closeIdleConnections leaves those open).
    const sweep = () => {
      (server as http.Server).closeIdleConnections?.();
      for (const s of this.sockets) {
        if (this.h2Sockets.has(s) || this.upgraded.has(s)) continue;
        if ((s as Socket & { _httpMessage?: unknown })._httpMessage == null) s.destroy();
      }
    };
    sweep();
    const timer = setTimeout(() => {
      for (const s of this.sockets) s.destroy();
    }, timeoutMs);
    timer.unref();
    const idle = setInterval(sweep, 100);
    idle.unref();
    await closed;
    clearTimeout(timer);
    clearInterval(idle);
  }
}
