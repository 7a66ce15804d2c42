import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { pino } from 'pino';
import type { RouteConfig } from '../../config/schema.js';
import { MemoryKeyValueStore } from '../../store/kv-memory.js';
import { RedisKeyValueStore } from '../../store/kv-redis.js';
import { metrics } from '../../telemetry/metrics.js';
import { REDIS_URL, serviceSkipReason } from '../../testing/services.js';
import { StageConfigError, type RequestContext, type StageResult, type Verdict } from '../stage.js';
import { RateLimitStage, rateLimitStage } from './rate-limit.js';
import { type ContextInput, type RouteInput, makeContext, makeDeps, makeRoute, runSync } from './test-context.js';

function isPromise(v: unknown): v is Promise<StageResult> {
  return typeof (v as Promise<unknown> | undefined)?.then === 'function';
}

/** A memory store on a hand-driven clock. */
function clockedMemory() {
  const clock = { t: 1_000_000 };
  const store = new MemoryKeyValueStore({ now: () => clock.t, sweepIntervalMs: 0 });
  return { clock, store };
}

function ctxFor(route: RouteConfig, input: ContextInput = {}): RequestContext {
  const c = makeContext(input);
  return { ...c, route } as RequestContext;
}

async function rejectedCount(route: string, limit: string): Promise<number> {
  const m = await metrics.rateLimited.get();
  return m.values.find((v) => v.labels.route === route && v.labels.limit === limit)?.value ?? 0;
}

function asDeny(v: StageResult): Extract<Verdict, { action: 'deny' }> {
  assert.ok(v && v.action === 'deny', `expected deny, got ${JSON.stringify(v)}`);
  return v;
}

describe('rate_limit on memory', () => {
  test('a route without rate limits passes untouched', () => {
    const stage = rateLimitStage.create(makeRoute(), makeDeps());
    const ctx = makeContext();
    assert.equal(runSync(stage, ctx), undefined);
    assert.deepEqual(ctx.responseHeaders, {});
    assert.equal(ctx.signals.ratelimit, undefined);
  });

  test('takes tokens, sets RateLimit-* and signals, refuses with 429 + Retry-After, refills on the clock', async () => {
    const { clock, store } = clockedMemory();
    const route = makeRoute({ name: 'mem-basic', rate_limits: [{ name: 'per-ip', rate: 2, per: '1s' }] });
    const stage = rateLimitStage.create(route, makeDeps({ memory: store }));

    const c1 = ctxFor(route);
    assert.equal(runSync(stage, c1), undefined);
    assert.deepEqual(c1.responseHeaders, { 'RateLimit-Limit': '2', 'RateLimit-Remaining': '1', 'RateLimit-Reset': '1' });
    assert.deepEqual(c1.signals.ratelimit, { remaining: 1 });

    const c2 = ctxFor(route);
    assert.equal(runSync(stage, c2), undefined);
    assert.equal(c2.responseHeaders['RateLimit-Remaining'], '0');

    const before = await rejectedCount('mem-basic', 'per-ip');
    const c3 = ctxFor(route);
    const v = asDeny(runSync(stage, c3));
    assert.equal(v.status, 429);
    assert.equal(v.headers?.['Retry-After'], '1'); // 500 ms to the next token, rounded up
    assert.deepEqual(v.body, { error: 'rate_limited', reason: 'rate limit "per-ip" exceeded', limit: 'per-ip', retry_after: 1 });
    assert.equal(c3.responseHeaders['RateLimit-Remaining'], '0');
    assert.deepEqual(c3.signals.ratelimit, { remaining: 0 });
    assert.equal(await rejectedCount('mem-basic', 'per-ip'), before + 1);

    clock.t += 499;
    asDeny(runSync(stage, ctxFor(route)));
    clock.t += 1;
    assert.equal(runSync(stage, ctxFor(route)), undefined);
    await store.close();
  });

  test('Retry-After is whole seconds rounded up', () => {
    const { store } = clockedMemory();
    const route = makeRoute({ name: 'mem-retry', rate_limits: [{ rate: 1, per: '2500ms' }] });
    const stage = rateLimitStage.create(route, makeDeps({ memory: store }));
    assert.equal(runSync(stage, ctxFor(route)), undefined);
    const v = asDeny(runSync(stage, ctxFor(route)));
    assert.equal(v.headers?.['Retry-After'], '3');
    assert.equal((v.body as { limit: string }).limit, '0'); // unnamed limit: its index
  });

  test('burst sets capacity above the rate', () => {
    const { clock, store } = clockedMemory();
    const route = makeRoute({ name: 'mem-burst', rate_limits: [{ rate: 1, per: '1s', burst: 5 }] });
    const stage = rateLimitStage.create(route, makeDeps({ memory: store }));
    for (let i = 0; i < 5; i++) assert.equal(runSync(stage, ctxFor(route)), undefined, `request ${i}`);
    const ctx = ctxFor(route);
    asDeny(runSync(stage, ctx));
    assert.equal(ctx.responseHeaders['RateLimit-Limit'], '5');
    assert.equal(ctx.responseHeaders['RateLimit-Reset'], '5'); // 5 tokens at 1/s
    clock.t += 1000;
    assert.equal(runSync(stage, ctxFor(route)), undefined);
  });

  test('buckets are per key value and per route', () => {
    const { store } = clockedMemory();
    const deps = makeDeps({ memory: store });
    const limits = [{ rate: 1, per: '1m', key: 'ip' }];
    const a = makeRoute({ name: 'route-a', rate_limits: limits });
    const b = makeRoute({ name: 'route-b', rate_limits: limits });
    const sa = rateLimitStage.create(a, deps);
    const sb = rateLimitStage.create(b, deps);
    const ip1 = { request: { client_ip: '198.51.100.1' } };
    const ip2 = { request: { client_ip: '198.51.100.2' } };
    assert.equal(runSync(sa, ctxFor(a, ip1)), undefined);
    asDeny(runSync(sa, ctxFor(a, ip1)));
    assert.equal(runSync(sa, ctxFor(a, ip2)), undefined);
    assert.equal(runSync(sb, ctxFor(b, ip1)), undefined);
  });

  test('header and tenant keys', () => {
    const { store } = clockedMemory();
    const route = makeRoute({ name: 'mem-keys', rate_limits: [{ rate: 1, per: '1m', key: 'tenant+header:x-api-key' }] });
    const stage = rateLimitStage.create(route, makeDeps({ memory: store }));
    const k1 = { principal: { tenant: 't1' }, request: { headers: { host: 'h', 'x-api-key': 'k' } } };
    const k2 = { principal: { tenant: 't2' }, request: { headers: { host: 'h', 'x-api-key': 'k' } } };
    assert.equal(runSync(stage, ctxFor(route, k1)), undefined);
    asDeny(runSync(stage, ctxFor(route, k1)));
    assert.equal(runSync(stage, ctxFor(route, k2)), undefined);
  });

  test('several limits: headers show the most restrictive; the first refusal answers', () => {
    const { store } = clockedMemory();
    const route = makeRoute({
      name: 'mem-multi',
      rate_limits: [
        { name: 'loose', rate: 100, per: '1s' },
        { name: 'tight', rate: 2, per: '1m' },
      ],
    });
    const stage = rateLimitStage.create(route, makeDeps({ memory: store }));
    const c1 = ctxFor(route);
    assert.equal(runSync(stage, c1), undefined);
    assert.deepEqual(c1.responseHeaders, { 'RateLimit-Limit': '2', 'RateLimit-Remaining': '1', 'RateLimit-Reset': '30' });
    assert.deepEqual(c1.signals.ratelimit, { remaining: 1 });
    assert.equal(runSync(stage, ctxFor(route)), undefined);
    const v = asDeny(runSync(stage, ctxFor(route)));
    assert.equal((v.body as { limit: string }).limit, 'tight');
    assert.equal(v.headers?.['Retry-After'], '30');
  });

  test('a failing store fails open with one warning per interval', () => {
    const clock = { t: 0 };
    const lines: { msg: string; failed_open: number }[] = [];
    const log = pino({ level: 'warn' }, { write: (s: string) => lines.push(JSON.parse(s)) });
    const store = new MemoryKeyValueStore({ sweepIntervalMs: 0 });
    const route = makeRoute({ name: 'mem-broken', rate_limits: [{ rate: 1, per: '1s' }] });
    const stage = new RateLimitStage(
      route,
      { ...makeDeps({ memory: store }), log },
      { now: () => clock.t, warnIntervalMs: 10_000 },
    );
    void store.close(); // a closed store throws on every call
    for (let i = 0; i < 3; i++) assert.equal(runSync(stage, ctxFor(route)), undefined);
    assert.equal(lines.length, 1);
    assert.match(lines[0]?.msg ?? '', /fail open/);
    clock.t = 10_000;
    assert.equal(runSync(stage, ctxFor(route)), undefined);
    assert.equal(lines.length, 2);
    assert.equal(lines[1]?.failed_open, 3); // the two suppressed ones plus this one
  });
});

describe('rate_limit configuration errors', () => {
  // [title, route input, message, path]
  const BAD: [string, RouteInput, RegExp, string][] = [
    [
      'redis backend without Redis',
      { rate_limits: [{ rate: 1, backend: 'redis' }] },
      /no Redis is configured/,
      'rate_limits.0.backend',
    ],
    [
      'unknown key part',
      { rate_limits: [{ rate: 1 }, { rate: 1, key: 'ip+cookie' }] },
      /unknown part "cookie"/,
      'rate_limits.1.key',
    ],
    [
      'duplicate names',
      {
        rate_limits: [
          { name: 'x', rate: 1 },
          { name: 'x', rate: 2 },
        ],
      },
      /used twice/,
      'rate_limits.1.name',
    ],
    ['capacity below one token', { rate_limits: [{ rate: 0.5 }] }, /at least 1/, 'rate_limits.0.rate'],
    ['burst below one token', { rate_limits: [{ rate: 5, burst: 0.5 }] }, /at least 1/, 'rate_limits.0.burst'],
  ];
  for (const [title, input, msg, path] of BAD) {
    test(title, () => {
      assert.throws(
        () => rateLimitStage.create(makeRoute(input), makeDeps()),
        (err: unknown) => err instanceof StageConfigError && msg.test(err.message) && err.path.join('.') === path,
      );
    });
  }
});

test('a zero interval is refused by the config schema itself', () => {
  assert.throws(() => makeRoute({ rate_limits: [{ rate: 5, per: 0 }] }), /per must be greater than 0/);
});

const skip = await serviceSkipReason(REDIS_URL);

describe('rate_limit on Redis', { skip }, () => {
  const prefix = `shieldx-test:${process.pid}:${Date.now()}:`;
  const stores: RedisKeyValueStore[] = [];
  const redisStore = () => {
    const s = new RedisKeyValueStore(REDIS_URL, { prefix });
    stores.push(s);
    return s;
  };

  after(async () => {
    const first = stores[0];
    if (first) {
      const keys = await first.client.keys(`${prefix}*`);
      if (keys.length > 0) await first.client.del(...keys);
    }
    await Promise.all(stores.map((s) => s.close()));
  });

  test('two gateways share one bucket; 429 with Retry-After from the Redis clock', async () => {
    const route = makeRoute({ name: 'redis-shared', rate_limits: [{ name: 'hourly', rate: 3, per: '1h', backend: 'redis' }] });
    const gw1 = rateLimitStage.create(route, makeDeps({ redis: redisStore() }));
    const gw2 = rateLimitStage.create(route, makeDeps({ redis: redisStore() }));
    const results: StageResult[] = [];
    const remaining: string[] = [];
    for (const stage of [gw1, gw2, gw1]) {
      const ctx = ctxFor(route);
      const r = stage.run(ctx);
      assert.ok(isPromise(r), 'a Redis limit waits for Redis');
      results.push(await r);
      remaining.push(ctx.responseHeaders['RateLimit-Remaining'] as string);
    }
    assert.deepEqual(results, [undefined, undefined, undefined]);
    assert.deepEqual(remaining, ['2', '1', '0']);

    const before = await rejectedCount('redis-shared', 'hourly');
    const ctx = ctxFor(route);
    const v = asDeny(await gw2.run(ctx));
    assert.equal(v.status, 429);
    const retryAfter = Number(v.headers?.['Retry-After']);
    assert.ok(retryAfter > 1100 && retryAfter <= 1200, `Retry-After ${retryAfter} (one token per 1200 s)`);
    assert.equal((v.body as { error: string }).error, 'rate_limited');
    assert.equal(ctx.responseHeaders['RateLimit-Limit'], '3');
    assert.deepEqual(ctx.signals.ratelimit, { remaining: 0 });
    assert.equal(await rejectedCount('redis-shared', 'hourly'), before + 1);

    // the key layout: rl:<route>:<limit>:<key value>
    assert.equal(await stores[0]?.client.exists(`${prefix}rl:redis-shared:hourly:192.0.2.10`), 1);
  });

  test('memory and Redis limits on one route: the most restrictive wins the headers', async () => {
    const { store } = clockedMemory();
    const route = makeRoute({
      name: 'redis-mixed',
      rate_limits: [
        { name: 'local', rate: 10, per: '1s' },
        { name: 'global', rate: 2, per: '1h', backend: 'redis' },
      ],
    });
    const stage = rateLimitStage.create(route, makeDeps({ memory: store, redis: redisStore() }));
    const c1 = ctxFor(route);
    assert.equal(await stage.run(c1), undefined);
    assert.equal(c1.responseHeaders['RateLimit-Limit'], '2');
    assert.equal(c1.responseHeaders['RateLimit-Remaining'], '1');
    assert.equal(await stage.run(ctxFor(route)), undefined);
    const v = asDeny(await stage.run(ctxFor(route)));
    assert.equal((v.body as { limit: string }).limit, 'global');
  });

  test('Redis down: fail open, warn once, back off, then try again', async () => {
    const clock = { t: 0 };
    const lines: { msg: string; backend: string; failed_open: number }[] = [];
    const log = pino({ level: 'warn' }, { write: (s: string) => lines.push(JSON.parse(s)) });
    const dead = new RedisKeyValueStore('redis://127.0.0.1:1', { prefix, commandTimeoutMs: 200, connectTimeoutMs: 200 });
    stores.push(dead);
    const { store } = clockedMemory();
    const route = makeRoute({
      name: 'redis-down',
      rate_limits: [
        { name: 'global', rate: 1, per: '1h', backend: 'redis' },
        { name: 'local', rate: 1, per: '1h' },
      ],
    });
    const stage = new RateLimitStage(
      route,
      { ...makeDeps({ memory: store, redis: dead }), log },
      { now: () => clock.t, redisRetryMs: 1000, warnIntervalMs: 10_000 },
    );

    const first = stage.run(ctxFor(route));
    assert.ok(isPromise(first));
    assert.equal(await first, undefined); // Redis failed: passes, the memory limit still counted
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.backend, 'redis');

    // within the back-off the Redis limit is skipped without waiting: synchronous again,
    // and the memory limit still refuses
    clock.t = 500;
    const second = stage.run(ctxFor(route));
    assert.ok(!isPromise(second));
    assert.equal(asDeny(second).reason, 'rate limit "local" exceeded');

    // after the back-off Redis is tried again (still down): fails open, no second warning yet
    clock.t = 1500;
    const third = stage.run(ctxFor(route, { request: { client_ip: '198.51.100.99' } }));
    assert.ok(isPromise(third));
    assert.equal(await third, undefined);
    assert.equal(lines.length, 1);

    clock.t = 20_000;
    assert.equal(await stage.run(ctxFor(route, { request: { client_ip: '198.51.100.98' } })), undefined);
    assert.equal(lines.length, 2);
    assert.equal(lines[1]?.failed_open, 3);
  });
});
