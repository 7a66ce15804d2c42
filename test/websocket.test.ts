// WebSocket pass-through: a real `ws` echo server behind the gateway, `ws` clients in front of it
// (plain HTTP and HTTPS/HTTP/1.1), text and binary frames both ways, and upgrades the gateway must
// refuse (route with websocket: false, access rule denying the path).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { Running } from '../src/cli/up.js';
import { listenerUrl, startGateway, tempDir, writeConfig } from './harness.js';

interface EchoUpstream {
  url: string;
  /** Upgrade requests seen: path and headers. */
  upgrades: { url: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/** A WebSocket server that greets with the upgrade request it saw, then echoes every frame as it came. */
async function startEchoUpstream(): Promise<EchoUpstream> {
  const server = http.createServer((_req, res) => res.writeHead(200).end('plain http'));
  const wss = new WebSocketServer({ server });
  const upgrades: EchoUpstream['upgrades'] = [];
  wss.on('connection', (ws, req) => {
    upgrades.push({ url: req.url ?? '', headers: req.headers });
    ws.send(JSON.stringify({ hello: 'from upstream', url: req.url, xff: req.headers['x-forwarded-for'] }));
    ws.on('message', (data: RawData, isBinary: boolean) => ws.send(data, { binary: isBinary }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    upgrades,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

let tmp: { dir: string; cleanup(): void };
let echo: EchoUpstream;
let gw: Running;

before(async () => {
  tmp = tempDir();
  echo = await startEchoUpstream();
  gw = await startGateway(
    writeConfig(
      tmp.dir,
      `version: 1
data_dir: ${JSON.stringify(path.join(tmp.dir, 'data'))}
listeners:
  - { name: plain, address: 127.0.0.1:0, protocol: http }
  - { name: secure, address: 127.0.0.1:0, protocol: https }
admin: { enabled: false }
upstreams:
  echo: { targets: [${JSON.stringify(echo.url)}] }
routes:
  - name: no-ws
    match: { path: /nows }
    upstream: echo
    websocket: false
  - name: ws
    upstream: echo
    strip_prefix: /gw
    access_rules:
      default: allow
      rules:
        - { action: deny, path: "/gw/private/**", reason: private sockets }
logging: { level: silent }
`,
    ),
  );
});

after(async () => {
  await gw?.stop();
  await echo?.close();
  tmp?.cleanup();
});

const wsUrl = (listener: 'plain' | 'secure', p: string) => listenerUrl(gw, listener).replace(/^http/, 'ws') + p;

/** Messages as they arrive, awaitable one at a time. */
function inbox(ws: WebSocket): () => Promise<{ data: Buffer; isBinary: boolean }> {
  const queue: { data: Buffer; isBinary: boolean }[] = [];
  const waiting: { resolve(m: { data: Buffer; isBinary: boolean }): void; reject(e: Error): void }[] = [];
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const m = { data: Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]), isBinary };
    const w = waiting.shift();
    if (w) w.resolve(m);
    else queue.push(m);
  });
  ws.on('close', () => {
    for (const w of waiting.splice(0)) w.reject(new Error('socket closed while waiting for a message'));
  });
  return () => {
    const m = queue.shift();
    if (m) return Promise.resolve(m);
    if (ws.readyState === WebSocket.CLOSED) return Promise.reject(new Error('socket closed'));
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
}

/** Connect; the inbox listens from the start, since a first frame can arrive with the 101 response. */
async function open(url: string): Promise<{ ws: WebSocket; next: ReturnType<typeof inbox> }> {
  const ws = new WebSocket(url, { rejectUnauthorized: false });
  ws.on('error', () => undefined); // surfaced through open/close below
  const next = inbox(ws);
  await once(ws, 'open');
  return { ws, next };
}

/** Attempt an upgrade that should be refused; resolves with the HTTP answer the gateway gave. */
function refusedUpgrade(url: string): Promise<{ status: number; contentType: string; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { rejectUnauthorized: false });
    ws.on('open', () => {
      ws.terminate();
      reject(new Error(`upgrade to ${url} was accepted`));
    });
    ws.on('error', () => undefined);
    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        try {
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body: JSON.parse(text) });
        } catch {
          reject(new Error(`not JSON: ${text}`));
        }
        ws.terminate();
      });
    });
  });
}

for (const listener of ['plain', 'secure'] as const) {
  describe(`WebSocket through the ${listener} listener`, () => {
    test('text and binary frames echo both ways, after the upstream speaks first', async () => {
      const { ws, next } = await open(wsUrl(listener, `/gw/chat?room=${listener}`));
      try {
        const hello = await next();
        assert.equal(hello.isBinary, false);
        const greeting = JSON.parse(hello.data.toString()) as { hello: string; url: string; xff: string };
        assert.equal(greeting.hello, 'from upstream');
        assert.equal(greeting.url, `/chat?room=${listener}`, 'strip_prefix applies to the upgrade request');
        assert.equal(greeting.xff, '127.0.0.1');

        for (let i = 0; i < 5; i++) {
          ws.send(`text ${i} ${'x'.repeat(i * 1000)}`);
          const m = await next();
          assert.equal(m.isBinary, false);
          assert.equal(m.data.toString(), `text ${i} ${'x'.repeat(i * 1000)}`);
        }
        // Binary, including every byte value and a frame over 64 KiB (extended length).
        const small = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
        const big = Buffer.alloc(200 * 1024);
        for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
        for (const payload of [small, big]) {
          ws.send(payload);
          const m = await next();
          assert.equal(m.isBinary, true);
          assert.ok(m.data.equals(payload), `binary payload of ${payload.length} bytes echoed intact`);
        }
      } finally {
        ws.close();
        await once(ws, 'close');
      }
    });

    test('a closing handshake travels through: close code and reason reach the client', async () => {
      const { ws, next } = await open(wsUrl(listener, '/gw/closing'));
      await next(); // greeting
      ws.close(4001, 'done here');
      const [code, reason] = (await once(ws, 'close')) as [number, Buffer];
      // The echo server answers the close frame with the same code, through the gateway.
      assert.equal(code, 4001);
      assert.equal(reason.toString(), 'done here');
    });

    test('a route with websocket: false refuses the upgrade with a JSON error', async () => {
      const before = echo.upgrades.length;
      const r = await refusedUpgrade(wsUrl(listener, '/nows/socket'));
      assert.equal(r.status, 404);
      assert.match(r.contentType, /^application\/json/);
      assert.equal(r.body.error, 'no_route');
      assert.equal(echo.upgrades.length, before, 'the upstream saw no upgrade');
    });

    test('an access rule denying the path refuses the upgrade with 403 JSON', async () => {
      const before = echo.upgrades.length;
      const r = await refusedUpgrade(wsUrl(listener, '/gw/private/room'));
      assert.equal(r.status, 403);
      assert.match(r.contentType, /^application\/json/);
      assert.equal(r.body.error, 'forbidden');
      assert.equal(r.body.reason, 'private sockets');
      assert.equal(echo.upgrades.length, before, 'the upstream saw no upgrade');
      // The same listener still upgrades allowed paths.
      const { ws } = await open(wsUrl(listener, '/gw/public/room'));
      ws.close();
      await once(ws, 'close');
    });
  });
}

test('many concurrent sockets each get their own echoes', async () => {
  const clients = await Promise.all(Array.from({ length: 10 }, (_, i) => open(wsUrl(i % 2 ? 'secure' : 'plain', `/gw/c${i}`))));
  const sockets = clients.map((c) => c.ws);
  try {
    await Promise.all(
      clients.map(async ({ ws, next }, i) => {
        await next();
        for (let j = 0; j < 20; j++) {
          ws.send(`socket ${i} message ${j}`);
          assert.equal((await next()).data.toString(), `socket ${i} message ${j}`);
        }
      }),
    );
  } finally {
    for (const ws of sockets) ws.close();
    await Promise.all(sockets.map((ws) => (ws.readyState === WebSocket.CLOSED ? undefined : once(ws, 'close'))));
  }
});
