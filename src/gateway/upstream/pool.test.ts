import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { upstreamSchema } from '../../config/schema.js';
import { metrics } from '../../telemetry/metrics.js';
import { MAX_EJECTION_MULTIPLIER } from './outlier-detector.js';
import { type Target, UpstreamPool } from './pool.js';

const pools: UpstreamPool[] = [];
after(() => Promise.all(pools.map((p) => p.close())));

let seq = 0;
function makePool(cfg: Record<string, unknown>, opts: { random?: () => number } = {}) {
  let now = 10_000;
  const name = `pool-test-${++seq}`;
  const pool = new UpstreamPool(name, upstreamSchema.parse(cfg), { now: () => now, ...opts });
  pools.push(pool);
  return { pool, name, advance: (ms: number) => void (now += ms), clock: () => now };
}

const urls = (n: number) => Array.from({ length: n }, (_, i) => `http://127.0.0.1:${40001 + i}`);

async function gauge(name: string, target: string): Promise<number | undefined> {
  const m = await metrics.upstreamHealthy.get();
  return m.values.find((v) => v.labels.upstream === name && v.labels.target === target)?.value;
}
async function breakerGauge(name: string): Promise<number | undefined> {
  const m = await metrics.breakerState.get();
  return m.values.find((v) => v.labels.upstream === name)?.value;
}
async function errors(name: string, target: string, kind: string): Promise<number> {
  const m = await metrics.upstreamErrors.get();
  return m.values.find((v) => v.labels.upstream === name && v.labels.target === target && v.labels.kind === kind)?.value ?? 0;
}

function fail(pool: UpstreamPool, t: Target, times: number, kind: 'connect' | 'status_5xx' = 'connect') {
  for (let i = 0; i < times; i++) {
    pool.begin(t);
    pool.end(t, 1, kind);
  }
}
function succeed(pool: UpstreamPool, t: Target) {
  pool.begin(t);
  pool.end(t, 1);
}
function picks(pool: UpstreamPool, n: number, key = 'k'): Set<Target> {
  const s = new Set<Target>();
  for (let i = 0; i < n; i++) {
    const t = pool.pick(`${key}${i}`);
    if (t) s.add(t);
  }
  return s;
}

describe('targets', () => {
  test('parses URLs, weights and path prefixes; one undici Pool per target', () => {
    const { pool } = makePool({
      targets: ['http://127.0.0.1:3001', { url: 'https://backend.internal:8443/api/', weight: 3 }],
    });
    const [a, b] = pool.targets as [Target, Target];
    assert.equal(a.id, 'http://127.0.0.1:3001');
    assert.equal(a.pathPrefix, '');
    assert.equal(a.weight, 1);
    assert.equal(b.id, 'https://backend.internal:8443/api');
    assert.equal(b.pathPrefix, '/api');
    assert.equal(b.url.pathname, '/api/');
    assert.equal(b.weight, 3);
    assert.notEqual(a.dispatcher, b.dispatcher);
    assert.deepEqual(
      pool.targets.map((t) => [t.active, t.healthy, t.ejectedUntil]),
      [
        [0, true, 0],
        [0, true, 0],
      ],
    );
  });

  test('bad targets are clear errors naming the upstream', () => {
    const base = upstreamSchema.parse({ targets: ['http://x:1'] });
    const mk = (targets: unknown[]) => () => new UpstreamPool('bad', { ...base, targets } as never);
    assert.throws(mk(['ftp://h/']), /upstream "bad": target "ftp:\/\/h\/" must be an http/);
    assert.throws(mk(['http://u:p@h/']), /must not carry credentials/);
    assert.throws(mk(['http://h/?a=1']), /must not carry a query/);
    assert.throws(mk(['not a url']), /invalid target URL/);
    assert.throws(mk(['http://h:1', 'http://h:1/']), /duplicate target "http:\/\/h:1"/);
    assert.throws(mk([{ url: 'http://h:1', weight: 0 }]), /weight must be a positive number/);
    assert.throws(mk([]), /at least one target/);
  });

  test('an unknown balancer is a clear error', () => {
    const cfg = { ...upstreamSchema.parse({ targets: ['http://x:1'] }), balancer: 'nope' } as never;
    assert.throws(() => new UpstreamPool('b2', cfg), /upstream "b2": unknown balancer "nope"/);
  });

  test('bad breaker or retry settings are clear errors naming the upstream', () => {
    const base = upstreamSchema.parse({ targets: ['http://x:1'] });
    const cb = { ...base, circuit_breaker: { ...base.circuit_breaker, failure_threshold: 0 } };
    assert.throws(() => new UpstreamPool('b4', cb), /upstream "b4": circuit_breaker.failure_threshold/);
    const rt = { ...base, retries: { ...base.retries, budget_percent: 500 } };
    assert.throws(() => new UpstreamPool('b5', rt), /upstream "b5": retries.budget_percent/);
  });

  test('a health check with a zero interval is a clear error', () => {
    const cfg = upstreamSchema.parse({ targets: ['http://x:1'], health_check: { interval: 0 } });
    assert.throws(() => new UpstreamPool('b3', cfg), /upstream "b3": health_check.interval must be greater than 0/);
  });
});

describe('pick', () => {
  test('uses the configured balancer (weighted round robin)', () => {
    const { pool } = makePool({
      targets: [
        { url: 'http://h:1', weight: 1 },
        { url: 'http://h:2', weight: 2 },
      ],
    });
    const seq = Array.from({ length: 6 }, () => pool.pick('')?.id);
    assert.deepEqual(seq, ['http://h:2', 'http://h:1', 'http://h:2', 'http://h:2', 'http://h:1', 'http://h:2']);
  });

  test('skips excluded targets and returns undefined when none is left', () => {
    const { pool } = makePool({ targets: urls(3) });
    const [a, b, c] = pool.targets as [Target, Target, Target];
    const ex = new Set([a, c]);
    for (let i = 0; i < 5; i++) assert.equal(pool.pick('', ex), b);
    assert.equal(pool.pick('', new Set([a, b, c])), undefined);
  });

  test('skips unhealthy targets', () => {
    const { pool } = makePool({ targets: urls(2) });
    const [a, b] = pool.targets as [Target, Target];
    a.healthy = false;
    assert.deepEqual([...picks(pool, 10)], [b]);
    b.healthy = false;
    assert.equal(pool.pick('x'), undefined);
  });

  test('begin/end/cancel keep the in-flight count', () => {
    const { pool } = makePool({ targets: urls(1) });
    const t = pool.targets[0] as Target;
    pool.begin(t);
    pool.begin(t);
    pool.begin(t);
    pool.end(t, 5);
    pool.end(t, 5, 'reset');
    assert.equal(t.active, 1);
    pool.cancel(t);
    assert.equal(t.active, 0);
    pool.end(t, 5); // unbalanced end never goes negative
    assert.equal(t.active, 0);
  });

  test('least_conn through the pool follows begin/end', () => {
    const { pool } = makePool({ targets: urls(3), balancer: 'least_conn' });
    const [a, b, c] = pool.targets as [Target, Target, Target];
    pool.begin(a);
    pool.begin(c);
    assert.equal(pool.pick(''), b);
  });

  test('ewma through the pool learns from end() latencies', () => {
    const { pool, advance } = makePool({ targets: urls(3), balancer: 'ewma' });
    const lat = [50, 5, 30];
    for (let r = 0; r < 10; r++) {
      for (const t of pool.targets) {
        pool.begin(t);
        advance(10);
        pool.end(t, lat[t.index] as number);
      }
    }
    assert.deepEqual([...picks(pool, 20)], [pool.targets[1]]);
  });

  test('rendezvous through the pool keeps keys; ejection moves only the ejected target keys', () => {
    const { pool } = makePool({
      targets: urls(4),
      balancer: 'rendezvous',
      outlier_detection: { consecutive_failures: 1, max_ejection_percent: 100 },
    });
    const keys = Array.from({ length: 2000 }, (_, i) => `192.168.${i >> 8}.${i & 255}`);
    const before = keys.map((k) => pool.pick(k) as Target);
    const gone = pool.targets[1] as Target;
    fail(pool, gone, 1);
    assert.ok(gone.ejectedUntil > 0);
    keys.forEach((k, i) => {
      const t = pool.pick(k) as Target;
      if (before[i] === gone) assert.notEqual(t, gone);
      else assert.equal(t, before[i]);
    });
  });

  test('foreign targets are rejected', () => {
    const a = makePool({ targets: urls(1) }).pool;
    const b = makePool({ targets: urls(1) }).pool;
    assert.throws(() => a.end(b.targets[0] as Target, 1), /does not belong to upstream/);
  });
});

describe('outlier detection', () => {
  const od = { consecutive_failures: 3, base_ejection_time: 1_000, max_ejection_percent: 100 };

  test('consecutive failures eject for base_ejection_time; then the target returns', async () => {
    const { pool, name, advance, clock } = makePool({ targets: urls(3), outlier_detection: od });
    const [a] = pool.targets as [Target];
    assert.equal(await gauge(name, a.id), 1);
    fail(pool, a, 2);
    assert.equal(a.ejectedUntil, 0);
    fail(pool, a, 1);
    assert.equal(a.ejectedUntil, clock() + 1_000);
    assert.equal(await gauge(name, a.id), 0);
    assert.equal(pool.isAvailable(a), false);
    assert.ok(!picks(pool, 30).has(a));
    assert.equal(pool.snapshot().targets[0]?.ejectedForMs, 1_000);
    advance(999);
    assert.ok(!picks(pool, 30).has(a));
    advance(1);
    assert.ok(picks(pool, 30).has(a));
    assert.equal(a.ejectedUntil, 0);
    assert.equal(await gauge(name, a.id), 1);
  });

  test('a success resets the failure run', () => {
    const { pool } = makePool({ targets: urls(2), outlier_detection: od });
    const [a] = pool.targets as [Target];
    for (let i = 0; i < 5; i++) {
      fail(pool, a, 2, 'status_5xx');
      succeed(pool, a);
    }
    assert.equal(a.ejectedUntil, 0);
  });

  test('repeat ejections last longer, capped at 10 x base', () => {
    const { pool, advance, clock } = makePool({ targets: urls(2), outlier_detection: od });
    const [a] = pool.targets as [Target];
    for (let n = 1; n <= MAX_EJECTION_MULTIPLIER + 2; n++) {
      fail(pool, a, 3);
      const want = Math.min(n, MAX_EJECTION_MULTIPLIER) * 1_000;
      assert.equal(a.ejectedUntil - clock(), want, `ejection ${n}`);
      advance(want);
      pool.pick('');
      assert.equal(a.ejectedUntil, 0);
    }
  });

  test('time back in service shrinks the multiplier', () => {
    const { pool, advance, clock } = makePool({ targets: urls(2), outlier_detection: od });
    const [a] = pool.targets as [Target];
    for (const d of [1_000, 2_000, 3_000]) {
      fail(pool, a, 3);
      advance(d);
      pool.pick('');
    }
    advance(2_000); // two base periods healthy: multiplier 3 -> 1
    fail(pool, a, 3);
    assert.equal(a.ejectedUntil - clock(), 2_000);
  });

  test('failures of attempts still in flight on an ejected target do not extend it', () => {
    const { pool, clock } = makePool({ targets: urls(2), outlier_detection: od });
    const [a] = pool.targets as [Target];
    fail(pool, a, 3);
    const until = a.ejectedUntil;
    fail(pool, a, 10);
    assert.equal(a.ejectedUntil, until);
    assert.equal(until - clock(), 1_000);
  });

  test('max_ejection_percent caps how many targets are out at once', async () => {
    const { pool, name, advance } = makePool({ targets: urls(4), outlier_detection: { ...od, max_ejection_percent: 50 } });
    const [a, b, c, d] = pool.targets as [Target, Target, Target, Target];
    fail(pool, a, 3);
    fail(pool, b, 3);
    fail(pool, c, 3);
    fail(pool, c, 10);
    assert.ok(a.ejectedUntil > 0 && b.ejectedUntil > 0);
    assert.equal(c.ejectedUntil, 0);
    assert.equal(await gauge(name, c.id), 1);
    assert.deepEqual(new Set(picks(pool, 20)), new Set([c, d]));
    // Once one returns, the next failure of c may eject it.
    advance(1_000);
    pool.pick('');
    fail(pool, c, 1);
    assert.ok(c.ejectedUntil > 0);
  });

  test('a single-target pool is not ejected under the default 50%', () => {
    const { pool } = makePool({ targets: urls(1), outlier_detection: { consecutive_failures: 1 } });
    const [a] = pool.targets as [Target];
    fail(pool, a, 20);
    assert.equal(a.ejectedUntil, 0);
    assert.equal(pool.pick(''), a);
  });

  test('each failure is counted in shieldx_upstream_errors_total by kind', async () => {
    const { pool, name } = makePool({ targets: urls(1) });
    const [a] = pool.targets as [Target];
    fail(pool, a, 2, 'connect');
    fail(pool, a, 1, 'status_5xx');
    pool.begin(a);
    pool.end(a, 3, 'timeout');
    assert.equal(await errors(name, a.id, 'connect'), 2);
    assert.equal(await errors(name, a.id, 'status_5xx'), 1);
    assert.equal(await errors(name, a.id, 'timeout'), 1);
    assert.equal(await errors(name, a.id, 'reset'), 0);
  });
});

describe('circuit breaker through the pool', () => {
  const cb = { failure_threshold: 3, open_duration: 500, half_open_requests: 1 };

  test('end() feeds the breaker; its state is published', async () => {
    const { pool, name, advance } = makePool({ targets: urls(2), circuit_breaker: cb });
    const [a, b] = pool.targets as [Target, Target];
    assert.equal(await breakerGauge(name), 0);
    fail(pool, a, 2);
    fail(pool, b, 1);
    assert.equal(pool.breaker.state, 'open');
    assert.equal(await breakerGauge(name), 2);
    assert.equal(pool.breaker.tryAcquire(), false);
    advance(500);
    assert.equal(pool.breaker.tryAcquire(), true);
    assert.equal(await breakerGauge(name), 1);
    pool.begin(a);
    pool.end(a, 3); // the trial succeeds
    assert.equal(pool.breaker.state, 'closed');
    assert.equal(await breakerGauge(name), 0);
  });

  test('a failed trial reopens; cancel() frees the trial slot without an outcome', () => {
    const { pool, advance } = makePool({ targets: urls(1), circuit_breaker: cb });
    const [a] = pool.targets as [Target];
    fail(pool, a, 3);
    advance(500);
    assert.equal(pool.breaker.tryAcquire(), true);
    pool.begin(a);
    assert.equal(pool.breaker.tryAcquire(), false);
    pool.cancel(a);
    assert.equal(pool.breaker.state, 'half_open');
    assert.equal(pool.breaker.tryAcquire(), true);
    pool.begin(a);
    pool.end(a, 2, 'reset');
    assert.equal(pool.breaker.state, 'open');
  });
});

describe('lifecycle', () => {
  test('startHealthChecks is a no-op without health_check; close is idempotent', async () => {
    const { pool } = makePool({ targets: urls(2) });
    assert.equal(pool.health, undefined);
    pool.startHealthChecks();
    const p1 = pool.close();
    assert.equal(pool.close(), p1);
    await p1;
    assert.equal(pool.targets[0]?.dispatcher.closed, true);
  });

  test('close clears pending return-from-ejection timers', async () => {
    const { pool } = makePool({
      targets: urls(2),
      outlier_detection: { consecutive_failures: 1, base_ejection_time: 3_600_000, max_ejection_percent: 100 },
    });
    fail(pool, pool.targets[0] as Target, 1);
    await pool.close();
  });
});
