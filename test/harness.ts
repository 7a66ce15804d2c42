// Integration-test harness: real upstream servers, a real gateway (in this process or as child
// processes running the CLI), config files in a temp dir.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { type Running, startInProcess } from '../src/cli/up.js';
import { repoRoot } from '../src/testing/services.js';

export interface Upstream {
  id: string;
  url: string;
  port: number;
  server: http.Server;
  /** Requests seen, in order (method + url + selected headers). */
  seen: { method: string; url: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export type UpstreamHandler = (req: http.IncomingMessage, res: http.ServerResponse, up: Upstream) => void;

/** An upstream that answers `{"upstream": id, ...}` unless given a handler. */
export async function startUpstream(id: string, handler?: UpstreamHandler, port = 0): Promise<Upstream> {
  const up = { id, seen: [] } as unknown as Upstream;
  const server = http.createServer((req, res) => {
    up.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (handler) return handler(req, res, up);
    if (req.url === '/healthz') {
      res.writeHead(200).end('ok');
      return;
    }
    req.resume();
    req.on('end', () => {
      const body = JSON.stringify({ upstream: id, method: req.method, url: req.url, headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': id }).end(body);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  up.server = server;
  up.port = (server.address() as AddressInfo).port;
  up.url = `http://127.0.0.1:${up.port}`;
  up.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return up;
}

export function tempDir(prefix = 'shieldx-it-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Write a config file. `yaml` is the full config text. */
export function writeConfig(dir: string, yaml: string, name = 'shieldx.yaml'): string {
  const file = path.join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

/** A gateway in this process on the given config file. */
export async function startGateway(configFile: string, env: NodeJS.ProcessEnv = {}): Promise<Running> {
  return startInProcess({ config: configFile, demo: false, env: { ...env }, signals: false });
}

export function listenerUrl(r: Running, name: string): string {
  const l = r.gateway.listener(name);
  if (!l) throw new Error(`no listener ${name}`);
  return l.url;
}

export interface GatewayProcess {
  child: ChildProcess;
  /** Parsed "shieldx ready" log line. */
  ready: { listeners: { name: string; url: string }[]; admin?: string };
  logs: string[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Run `shieldx up --config FILE` as a child process (from dist/, so build first) and wait until ready. */
export async function spawnGateway(
  configFile: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<GatewayProcess> {
  const main = path.join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
  const child = spawn(process.execPath, [main, 'up', '--config', configFile, '--no-demo', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const ready = await new Promise<GatewayProcess['ready']>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway not ready in 20s:\n${logs.join('\n')}`)), 20_000);
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        logs.push(line);
        try {
          const j = JSON.parse(line) as { msg?: string } & GatewayProcess['ready'];
          if (j.msg === 'shieldx ready') {
            clearTimeout(timer);
            resolve(j);
          }
        } catch {
          // not JSON
        }
      }
    });
    child.stderr?.on('data', (d: Buffer) => logs.push(d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code}:\n${logs.join('\n')}`));
    });
  });
  return {
    child,
    ready,
    logs,
    stop: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

/** Simple request helper over undici-free node:http (keeps tests independent of the proxy's client). */
export function request(
  url: string,
  opts: { method?: string; headers?: http.OutgoingHttpHeaders; body?: string | Buffer; agent?: http.Agent | false } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: opts.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Raw HTTP/1.1 exchanges: for the malformed and hostile requests no client library will send.

export interface RawResponse {
  status: number;
  statusLine: string;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The response head exactly as received (status line and header lines). */
  head: string;
  body: string;
  /** The server closed (or reset) the connection after answering. */
  closed: boolean;
}

/**
 * Connect to an http:// or https:// URL (https: TLS with ALPN http/1.1, certificate not verified
 * unless `tls` says otherwise), send `data` (or let `send` write in steps), and read one response.
 * Resolves once the response is complete and, if it says `Connection: close`, the server has closed.
 * Rejects when the connection ends without a complete response or after `timeoutMs`.
 */
export function rawExchange(
  url: string,
  data: string | Buffer | ((socket: net.Socket) => void),
  opts: { timeoutMs?: number; tls?: tls.ConnectionOptions } = {},
): Promise<RawResponse> {
  const u = new URL(url);
  const port = Number(u.port);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise<RawResponse>((resolve, reject) => {
    const socket: net.Socket =
      u.protocol === 'https:'
        ? tls.connect({
            host,
            port,
            rejectUnauthorized: false,
            ALPNProtocols: ['http/1.1'],
            servername: 'localhost',
            ...opts.tls,
          })
        : net.connect({ host, port });
    let buf = Buffer.alloc(0);
    let parsed: RawResponse | undefined;
    let settled = false;
    const timer = setTimeout(
      () =>
        done(
          new Error(
            `no complete response in ${opts.timeoutMs ?? 5000}ms; got ${JSON.stringify(buf.toString('latin1').slice(0, 400))}`,
          ),
        ),
      opts.timeoutMs ?? 5000,
    );
    const done = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(parsed as RawResponse);
    };
    const tryParse = (): void => {
      if (parsed) return;
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
      const statusLine = lines[0] ?? '';
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const i = line.indexOf(':');
        const k = line.slice(0, i).trim().toLowerCase();
        const v = line.slice(i + 1).trim();
        headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
      }
      let body: Buffer | undefined;
      const cl = headers['content-length'];
      if (cl !== undefined) {
        const bodyEnd = end + 4 + Number(cl);
        if (buf.length >= bodyEnd) body = buf.subarray(end + 4, bodyEnd);
      } else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(buf.subarray(end + 4));
      else body = Buffer.alloc(0);
      if (body === undefined) return;
      parsed = {
        status: Number(statusLine.split(' ')[1]),
        statusLine,
        head: buf.subarray(0, end).toString('latin1'),
        headers,
        body: body.toString('utf8'),
        closed: false,
      };
      if (!/\bclose\b/i.test(headers.connection ?? '')) done();
    };
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      tryParse();
    });
    const onEnd = () => {
      tryParse();
      if (parsed) {
        parsed.closed = true;
        done();
      } else
        done(
          new Error(`connection closed without a complete response; got ${JSON.stringify(buf.toString('latin1').slice(0, 400))}`),
        );
    };
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.on('error', (e) => {
      // A reset after a complete answer still counts as closed.
      if (parsed) onEnd();
      else done(e);
    });
    socket.once(u.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      if (typeof data === 'function') data(socket);
      else socket.write(data);
    });
  });
}

/** A complete chunked body decoded, or undefined while it is incomplete. */
function dechunk(b: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = b.indexOf('\r\n', at);
    if (eol < 0) return undefined;
    const size = Number.parseInt(b.subarray(at, eol).toString('latin1'), 16);
    if (size === 0) return b.indexOf('\r\n', eol + 2) < 0 ? undefined : Buffer.concat(parts);
    if (b.length < eol + 2 + size + 2) return undefined;
    parts.push(b.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/** Fetch the Prometheus text from an admin listener. */
export async function scrapeMetrics(adminUrl: string): Promise<string> {
  const r = await request(`${adminUrl}/metrics`);
  if (r.status !== 200) throw new Error(`GET ${adminUrl}/metrics: ${r.status} ${r.body}`);
  return r.body;
}

/** Sum of the samples of `name` whose labels include all of `labels` (0 when there are none). */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== '{' && rest[0] !== ' ') continue;
    const close = rest[0] === '{' ? rest.indexOf('}') : -1;
    const labelText = close > 0 ? rest.slice(1, close) : '';
    const ok = Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`));
    if (!ok) continue;
    sum += Number(
      rest
        .slice(close + 1)
        .trim()
        .split(' ')[0],
    );
  }
  return sum;
}

// ---- Additions for the gateway-spine integration tests (all new exports; nothing above changed). ----

/** Minimal gateway config for tests: one plain HTTP listener on port 0, admin on port 0, silent logs. */
export interface TestConfigInput {
  dataDir: string;
  upstreams: Record<string, unknown>;
  routes: unknown[];
  listeners?: unknown[];
  /** Top-level keys merged over the defaults (logging, store, limits, identity, ...). */
  extra?: Record<string, unknown>;
}

/** A config document as YAML text (JSON is valid YAML). */
export function testConfigYaml(i: TestConfigInput): string {
  return JSON.stringify(
    {
      version: 1,
      data_dir: i.dataDir,
      listeners: i.listeners ?? [{ name: 'public', address: '127.0.0.1:0', protocol: 'http' }],
      admin: { address: '127.0.0.1:0' },
      logging: { level: 'silent', access_log: false },
      upstreams: i.upstreams,
      routes: i.routes,
      ...(i.extra ?? {}),
    },
    null,
    2,
  );
}

/** Poll `fn` until it returns true (every intervalMs, at most timeoutMs); resolves to whether it did. */
export async function waitFor(fn: () => boolean | Promise<boolean>, timeoutMs = 10_000, intervalMs = 25): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return true;
    if (Date.now() > end) return false;
    await sleep(intervalMs);
  }
}

export interface TestGateway {
  gw: Running;
  /** URL of the first listener ("public" unless listeners are given). */
  base: string;
  dir: string;
  /** Stop the gateway and remove its temp dir. */
  stop(): Promise<void>;
}

/** A gateway in this process on a testConfigYaml config written to a fresh temp dir. */
export async function startTestGateway(i: Omit<TestConfigInput, 'dataDir'>): Promise<TestGateway> {
  const tmp = tempDir();
  try {
    const gw = await startGateway(writeConfig(tmp.dir, testConfigYaml({ ...i, dataDir: tmp.dir })));
    const first = gw.gateway.listenerUrls()[0];
    return {
      gw,
      base: first?.url ?? '',
      dir: tmp.dir,
      stop: async () => {
        await gw.stop();
        tmp.cleanup();
      },
    };
  } catch (e) {
    tmp.cleanup();
    throw e;
  }
}
