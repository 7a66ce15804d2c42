// Rate limiting through the real gateway: the memory backend in this process, and the Redis backend
// shared by two gateway processes (`shieldx up` from dist/: build first) that must draw from one
// bucket. Redis at 127.0.0.1:6379 (SHIELDX_TEST_REDIS_URL); skipped with a reason outside CI.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Running } from '../src/cli/up.js';
import { REDIS_URL, repoRoot, serviceSkipReason } from '../src/testing/services.js';
import {
  type GatewayProcess,
  listenerUrl,
  metricValue,
  request,
  scrapeMetrics,
  sleep,
  spawnGateway,
  startGateway,
  startUpstream,
  tempDir,
  testConfigYaml,
  type Upstream,
  writeConfig,
} from './harness.js';

const redisSkip = await serviceSkipReason(REDIS_URL);

const body0 = (text: string) => JSON.parse(text) as Record<string, unknown>;

describe('memory rate limit through the gateway', { timeout: 60_000 }, () => {
  const tmp = tempDir();
  const agent = new http.Agent({ keepAlive: true });
  let up: Upstream;
  let gw: Running;
  let base: string;
  const get = (p: string, client?: string) => request(`${base}${p}`, { agent, headers: client ? { 'x-client': client } : {} });

  before(async () => {
    up = await startUpstream('app');
    const cfg = testConfigYaml({
      dataDir: tmp.dir,
      upstreams: { app: { targets: [up.url] } },
      routes: [
        // Burst 5, then one token every 3 s: the 6th request of a quick burst is refused.
        {
          name: 'limited',
          match: { path: '/' },
          upstream: 'app',
          rate_limits: [{ name: 'per-client', key: 'header:x-client', rate: 1, per: '3s', burst: 5 }],
        },
      ],
    });
    gw = await startGateway(writeConfig(tmp.dir, cfg));
    base = listenerUrl(gw, 'public');
  });

  after(async () => {
    agent.destroy();
    await gw?.stop();
    await up?.close();
    tmp.cleanup();
  });

  test('429 with Retry-After, RateLimit-* headers and a JSON body after the burst; served again after the refill', async () => {
    const client = `c-${randomUUID()}`;
    const seenBefore = up.seen.length;
    const started = performance.now();
    const allowed: http.IncomingHttpHeaders[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await get('/a', client);
      assert.equal(r.status, 200, `request ${i} within the burst: ${r.status} ${r.body}`);
      allowed.push(r.headers);
    }
    const refused = await get('/a', client);
    const elapsed = performance.now() - started;
    // A whole token refills in 3 s; the six requests take far less even on a loaded machine.
    assert.ok(elapsed < 3000, `the burst took ${elapsed.toFixed(0)} ms, too long to tell refill from limit`);
    assert.equal(refused.status, 429, refused.body);
    assert.equal(up.seen.length - seenBefore, 5, 'the refused request never reached the upstream');

    for (const [i, h] of allowed.entries()) {
      assert.equal(h['ratelimit-limit'], '5');
      assert.equal(h['ratelimit-remaining'], String(4 - i));
      assert.ok(Number(h['ratelimit-reset']) >= 1, `RateLimit-Reset ${h['ratelimit-reset']}`);
    }
    assert.equal(refused.headers['content-type'], 'application/json');
    assert.equal(refused.headers['ratelimit-limit'], '5');
    assert.equal(refused.headers['ratelimit-remaining'], '0');
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(
      Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 3,
      `Retry-After ${refused.headers['retry-after']}`,
    );
    assert.equal(body0(refused.body).retry_after, retryAfter);
    const body = JSON.parse(refused.body) as Record<string, unknown>;
    assert.equal(body.error, 'rate_limited');
    assert.equal(body.limit, 'per-client');
    assert.equal(typeof body.reason, 'string');
    assert.ok(refused.headers['x-request-id']);

    // Other keys have their own bucket.
    assert.equal((await get('/a', `other-${randomUUID()}`)).status, 200);

    // After Retry-After seconds a token is back: one request passes, the next is refused again.
    await sleep(retryAfter * 1000 + 50);
    const again = await get('/a', client);
    assert.equal(again.status, 200, again.body);
    assert.equal((await get('/a', client)).status, 429);

    const text = await scrapeMetrics(gw.admin?.url as string);
    assert.ok(metricValue(text, 'shieldx_ratelimit_rejections_total', { route: 'limited', limit: 'per-client' }) >= 2);
  });
});

describe('Redis rate limit through the gateway', { skip: redisSkip, timeout: 60_000 }, () => {
  const tmp = tempDir();
  let up: Upstream;
  let gw: Running;

  before(async () => {
    up = await startUpstream('app');
  });

  after(async () => {
    await gw?.stop();
    await up?.close();
    tmp.cleanup();
  });

  test('a Redis bucket limits like the memory one', async () => {
    const cfg = testConfigYaml({
      dataDir: tmp.dir,
      upstreams: { app: { targets: [up.url] } },
      routes: [
        {
          name: 'redis-one',
          upstream: 'app',
          rate_limits: [{ name: 'shared', key: 'header:x-client', rate: 1, per: '60s', burst: 3, backend: 'redis' }],
        },
      ],
      extra: { store: { redis_url: REDIS_URL } },
    });
    gw = await startGateway(writeConfig(tmp.dir, cfg));
    const base = listenerUrl(gw, 'public');
    const client = `it-${randomUUID()}`;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await request(`${base}/`, { headers: { 'x-client': client } })).status);
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    const r = await request(`${base}/`, { headers: { 'x-client': client } });
    assert.equal(r.headers['ratelimit-limit'], '3');
    assert.ok(Number(r.headers['retry-after']) >= 1);
  });
});

describe('two gateway processes share one Redis bucket', { skip: redisSkip, timeout: 60_000 }, () => {
  const tmp = tempDir();
  let up: Upstream;
  const gws: GatewayProcess[] = [];

  before(async () => {
    const main = path.join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
    assert.ok(existsSync(main), `${main} is missing: run \`npm run build\` first`);
    up = await startUpstream('app');
    // Same configuration for both (ports 0: each binds its own); separate data dirs for their SQLite files.
    for (const name of ['gw-a', 'gw-b']) {
      const dir = path.join(tmp.dir, name);
      const cfg = testConfigYaml({
        dataDir: dir,
        upstreams: { app: { targets: [up.url] } },
        routes: [
          {
            name: 'shared-route',
            upstream: 'app',
            // Burst 10, then one token a minute: the test ends long before a second one.
            rate_limits: [{ name: 'shared', key: 'header:x-client', rate: 1, per: '60s', burst: 10, backend: 'redis' }],
          },
        ],
        extra: { store: { redis_url: REDIS_URL }, logging: { level: 'info', access_log: false }, shutdown_timeout: '5s' },
      });
      mkdirSync(dir);
      gws.push(await spawnGateway(writeConfig(dir, cfg)));
    }
  });

  after(async () => {
    await Promise.all(gws.map((g) => g.stop()));
    await up?.close();
    tmp.cleanup();
  });

  test('requests alternating between the two are allowed burst times in total, not burst times each', async () => {
    const urls = gws.map((g) => g.ready.listeners.find((l) => l.name === 'public')?.url as string);
    assert.equal(urls.length, 2);
    assert.notEqual(urls[0], urls[1]);
    const client = `shared-${randomUUID()}`;
    const allowed = [0, 0];
    const refused = [0, 0];
    for (let i = 0; i < 30; i++) {
      const k = i % 2;
      const r = await request(`${urls[k]}/x`, { headers: { 'x-client': client } });
      if (r.status === 200) allowed[k]++;
      else {
        assert.equal(r.status, 429, r.body);
        refused[k]++;
      }
    }
    const total = (allowed[0] as number) + (allowed[1] as number);
    // 10 from the burst, plus at most one refilled token if the test straddled a minute boundary.
    assert.ok(
      total >= 10 && total <= 11,
      `allowed ${JSON.stringify(allowed)} (total ${total}), refused ${JSON.stringify(refused)}`,
    );
    assert.ok(
      (allowed[0] as number) >= 4 && (allowed[1] as number) >= 4,
      `both processes served from the bucket: ${JSON.stringify(allowed)}`,
    );
    assert.ok(
      (refused[0] as number) > 0 && (refused[1] as number) > 0,
      `both processes refused once it was empty: ${JSON.stringify(refused)}`,
    );
    // A request the upstream saw for every allowed one and none for a refused one.
    assert.equal(up.seen.filter((s) => s.headers['x-client'] === client).length, total);
  });
});
