// Active health checks against real local HTTP servers.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { upstreamSchema } from '../../config/schema.js';
import { metrics } from '../../telemetry/metrics.js';
import { type Target, UpstreamPool } from './pool.js';

interface TestServer {
  url: string;
  paths: string[];
  status: number;
  stop(): Promise<void>;
}

const servers: TestServer[] = [];
const pools: UpstreamPool[] = [];
after(async () => {
  await Promise.all(pools.map((p) => p.close()));
  await Promise.all(servers.map((s) => s.stop()));
});

/** A server answering `status` (changeable), or never answering when status is 0. */
async function startServer(status: number): Promise<TestServer> {
  const s: TestServer = { url: '', paths: [], status, stop: async () => {} };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    s.paths.push(req.url ?? '');
    if (s.status === 0) return; // hang
    res.writeHead(s.status, { 'content-type': 'text/plain' });
    res.end('x'.repeat(100));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  s.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let stopped: Promise<void> | undefined;
  s.stop = () =>
    (stopped ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  servers.push(s);
  return s;
}

let seq = 0;
function makePool(targets: unknown[], health_check: Record<string, unknown>) {
  const name = `hc-test-${++seq}`;
  const pool = new UpstreamPool(name, upstreamSchema.parse({ targets, health_check }));
  pools.push(pool);
  return { pool, name };
}

async function gauge(name: string, target: string): Promise<number | undefined> {
  const m = await metrics.upstreamHealthy.get();
  return m.values.find((v) => v.labels.upstream === name && v.labels.target === target)?.value;
}

/** Poll until cond() holds; fails after a generous deadline (this is not a timing assertion). */
async function eventually(cond: () => boolean, what: string, deadlineMs = 10_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('health checks', { timeout: 60_000 }, () => {
  test('200 stays healthy, 500 and a stopped server go unhealthy after unhealthy_threshold', async () => {
    const ok = await startServer(200);
    const bad = await startServer(500);
    const gone = await startServer(200);
    await gone.stop();
    const { pool, name } = makePool([ok.url, bad.url, gone.url], {
      path: '/healthz',
      interval: 1_000,
      timeout: 2_000,
      unhealthy_threshold: 2,
      healthy_threshold: 2,
    });
    const [a, b, c] = pool.targets as [Target, Target, Target];
    const hc = pool.health;
    assert.ok(hc);
    await hc.runOnce();
    assert.deepEqual([a.healthy, b.healthy, c.healthy], [true, true, true]); // one failure is not enough
    await hc.runOnce();
    assert.deepEqual([a.healthy, b.healthy, c.healthy], [true, false, false]);
    assert.deepEqual(ok.paths, ['/healthz', '/healthz']);
    assert.equal(await gauge(name, a.id), 1);
    assert.equal(await gauge(name, b.id), 0);
    assert.equal(await gauge(name, c.id), 0);
    for (let i = 0; i < 10; i++) assert.equal(pool.pick(`k${i}`), a);

    // Recovery needs healthy_threshold consecutive passes.
    bad.status = 204;
    await hc.runOnce();
    assert.equal(b.healthy, false);
    await hc.runOnce();
    assert.equal(b.healthy, true);
    assert.equal(await gauge(name, b.id), 1);
    assert.deepEqual(new Set([pool.pick('1'), pool.pick('2')]), new Set([a, b]));
  });

  test('the timer loop checks every interval and a server stopped later goes unhealthy', async () => {
    const ok = await startServer(200);
    const later = await startServer(200);
    const bad = await startServer(503);
    const { pool, name } = makePool([ok.url, later.url, bad.url], {
      interval: 20,
      timeout: 1_000,
      unhealthy_threshold: 1,
      healthy_threshold: 1,
    });
    const [a, b, c] = pool.targets as [Target, Target, Target];
    pool.startHealthChecks();
    pool.startHealthChecks(); // idempotent
    await eventually(() => !c.healthy, '503 target unhealthy');
    await eventually(() => ok.paths.length >= 3, 'several checks of the healthy target');
    assert.ok(a.healthy && b.healthy);
    await later.stop();
    await eventually(() => !b.healthy, 'stopped target unhealthy');
    assert.equal(await gauge(name, b.id), 0);
    assert.equal(a.healthy, true);
    await pool.close();
    // A request already on the wire may still land just after close(); after that, silence.
    await new Promise((r) => setTimeout(r, 50));
    const n = ok.paths.length;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(ok.paths.length, n, 'no checks after close');
  });

  test('a target that does not answer within the timeout is unhealthy', async () => {
    const hang = await startServer(0);
    const { pool } = makePool([hang.url], { timeout: 300, unhealthy_threshold: 1 });
    await pool.health?.runOnce();
    assert.equal(pool.targets[0]?.healthy, false);
    assert.equal(hang.paths.length, 1);
  });

  test('expected_status is an inclusive range', async () => {
    const s204 = await startServer(204);
    const s302 = await startServer(302);
    const { pool } = makePool([s204.url, s302.url], { expected_status: [200, 204], unhealthy_threshold: 1 });
    await pool.health?.runOnce();
    assert.deepEqual(
      pool.targets.map((t) => t.healthy),
      [true, false],
    );
  });

  test('the check path goes under the target path prefix', async () => {
    const s = await startServer(200);
    const { pool } = makePool([`${s.url}/app/`], { path: '/status' });
    assert.equal(await pool.health?.probe(0), true);
    assert.deepEqual(s.paths, ['/app/status']);
  });

  test('close() aborts a check in flight and returns', async () => {
    const hang = await startServer(0);
    const { pool } = makePool([hang.url], { timeout: 60_000, interval: 10 });
    pool.startHealthChecks();
    await eventually(() => hang.paths.length === 1, 'the check reached the server');
    await pool.close();
    assert.equal(pool.targets[0]?.healthy, true); // an aborted check is not a result
  });
});
