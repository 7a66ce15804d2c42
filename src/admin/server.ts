// The admin listener: health, readiness, Prometheus metrics and read-only introspection.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Address } from '../config/schema.js';
import { listStages } from '../pipeline/registry.js';
import type { PreparedPolicy } from '../rego/index.js';
import { handleOpaApi } from './opa-api.js';

export interface AdminSources {
  /** Prometheus exposition text and its content type. */
  metrics(): Promise<{ text: string; contentType: string }>;
  /** Reasons the process is not ready; empty when ready. */
  notReady(): Promise<string[]>;
  /** Current configuration revision summary. */
  config(): { sha256: string; source: string; listeners: unknown; routes: string[] } | undefined;
  revisions?(limit: number): Promise<unknown[]>;
  /** The current prepared Rego policy set (OPA Data API), if any. */
  policy?(): PreparedPolicy | undefined;
}

export interface AdminServer {
  url: string;
  close(): Promise<void>;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

export async function startAdminServer(addr: Address, src: AdminSources, log: Logger): Promise<AdminServer> {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://admin');
    const p = url.pathname;
    try {
      if (await handleOpaApi(req, res, url, { policy: () => src.policy?.() })) return;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        json(res, 405, { error: 'method_not_allowed', reason: 'this admin endpoint is read-only' });
        return;
      }
      switch (p) {
        case '/healthz':
          json(res, 200, { status: 'ok' });
          return;
        case '/readyz': {
          const reasons = await src.notReady();
          json(res, reasons.length ? 503 : 200, reasons.length ? { status: 'not_ready', reasons } : { status: 'ready' });
          return;
        }
        case '/metrics': {
          const m = await src.metrics();
          res.writeHead(200, { 'content-type': m.contentType });
          res.end(m.text);
          return;
        }
        case '/v1/stages':
          json(res, 200, { stages: listStages().map((s) => ({ name: s.name, description: s.description })) });
          return;
        case '/v1/config':
          json(res, 200, src.config() ?? {});
          return;
        case '/v1/config/revisions': {
          const limit = Math.min(Math.max(Number(url.searchParams.get('limit') ?? 20) || 20, 1), 500);
          json(res, 200, { revisions: src.revisions ? await src.revisions(limit) : [] });
          return;
        }
        default:
          json(res, 404, { error: 'not_found', reason: `no admin endpoint ${p}` });
      }
    } catch (e) {
      log.error({ err: e, path: p }, 'admin request failed');
      if (!res.headersSent) json(res, 500, { error: 'internal_error', reason: (e as Error).message });
      else res.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(addr.port, addr.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = addr.host === '0.0.0.0' ? '127.0.0.1' : addr.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
