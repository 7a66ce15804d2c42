// The one conformance suite every KeyValueStore runs (kv-memory.test.ts, kv-redis.test.ts). Time
// passes through `advance`: a fake clock for memory, real sleeps for Redis. Every timed assertion
// waits well past the deadline it checks, so a slow machine can only make a wait longer, never
// turn a correct answer wrong.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import type { KeyValueStore, TokenBucketParams, TokenBucketResult } from './kv.js';

export interface KeyValueConformanceOptions {
  skip?: string;
  /** Let `ms` of store time pass. Default: a real sleep. */
  advance?: (ms: number) => Promise<void>;
}

const HOUR = 3_600_000;

/** Run takeToken and always get a promise, so a synchronous throw becomes a rejection. */
async function take(kv: KeyValueStore, key: string, p: TokenBucketParams): Promise<TokenBucketResult> {
  return kv.takeToken(key, p);
}

export function keyValueConformance(
  name: string,
  make: () => Promise<KeyValueStore>,
  opts: KeyValueConformanceOptions = {},
): void {
  const advance = opts.advance ?? ((ms: number) => sleep(ms));

  /** A test with a fresh store, closed afterwards whatever happens. */
  function withStore(title: string, body: (kv: KeyValueStore) => Promise<void>): void {
    test(title, async () => {
      const kv = await make();
      try {
        await body(kv);
      } finally {
        await kv.close();
      }
    });
  }

  describe(`KeyValueStore conformance: ${name}`, { skip: opts.skip }, () => {
    withStore('get/set round-trips, overwrites, and misses read as undefined', async (kv) => {
      assert.equal(await kv.get('missing'), undefined);
      await kv.set('a', 'one');
      assert.equal(await kv.get('a'), 'one');
      await kv.set('a', 'two');
      assert.equal(await kv.get('a'), 'two');
      await kv.set('empty', '');
      assert.equal(await kv.get('empty'), '');
      await kv.set('unicode', 'żółw ✓ 🐢');
      assert.equal(await kv.get('unicode'), 'żółw ✓ 🐢');
    });

    withStore('set with ttlMs expires; without it the key stays', async (kv) => {
      await kv.set('short', 'x', 40);
      await kv.set('long', 'y', HOUR);
      await kv.set('forever', 'z');
      assert.equal(await kv.get('short'), 'x');
      await advance(150);
      assert.equal(await kv.get('short'), undefined);
      assert.equal(await kv.get('long'), 'y');
      assert.equal(await kv.get('forever'), 'z');
      // Overwriting without a TTL clears the old one.
      await kv.set('short2', 'x', 40);
      await kv.set('short2', 'kept');
      await advance(150);
      assert.equal(await kv.get('short2'), 'kept');
    });

    withStore('setIfAbsent sets once, and again after expiry', async (kv) => {
      assert.equal(await kv.setIfAbsent('k', 'first', 40), true);
      assert.equal(await kv.setIfAbsent('k', 'second', 40), false);
      assert.equal(await kv.get('k'), 'first');
      await advance(150);
      assert.equal(await kv.setIfAbsent('k', 'third'), true);
      assert.equal(await kv.get('k'), 'third');
    });

    withStore('delete reports whether the key existed', async (kv) => {
      await kv.set('d', 'v');
      assert.equal(await kv.delete('d'), true);
      assert.equal(await kv.get('d'), undefined);
      assert.equal(await kv.delete('d'), false);
      await kv.set('gone', 'v', 40);
      await advance(150);
      assert.equal(await kv.delete('gone'), false);
    });

    withStore('incrBy creates at 0, adds, and reads back as a string', async (kv) => {
      assert.equal(await kv.incrBy('n', 5), 5);
      assert.equal(await kv.incrBy('n', -2), 3);
      assert.equal(await kv.incrBy('n', 0), 3);
      assert.equal(await kv.get('n'), '3');
      await kv.set('preset', '10');
      assert.equal(await kv.incrBy('preset', 7), 17);
      assert.equal(await kv.incrBy('f', 1.5), 1.5);
      assert.equal(await kv.incrBy('f', 2.25), 3.75);
      assert.equal(await kv.get('f'), '3.75');
    });

    withStore('incrBy applies ttlMs only when it creates the key', async (kv) => {
      assert.equal(await kv.incrBy('t', 1, 40), 1);
      await advance(150);
      assert.equal(await kv.get('t'), undefined);
      assert.equal(await kv.incrBy('u', 1, 300), 1);
      await advance(150);
      // A later call must not push the expiry out.
      assert.equal(await kv.incrBy('u', 1, 300), 2);
      await advance(250);
      assert.equal(await kv.get('u'), undefined);
      assert.equal(await kv.incrBy('u', 1, 300), 1);
    });

    withStore('incrBy on a non-numeric value or with a bad delta rejects', async (kv) => {
      await kv.set('s', 'abc');
      await assert.rejects(kv.incrBy('s', 1), /integer/);
      await assert.rejects(kv.incrBy('s', 0.5));
      await kv.set('fl', '1.5');
      await assert.rejects(kv.incrBy('fl', 1), /integer/);
      await assert.rejects(kv.incrBy('x', Number.NaN), RangeError);
      await assert.rejects(kv.incrBy('x', Number.POSITIVE_INFINITY), RangeError);
      assert.equal(await kv.get('s'), 'abc');
      assert.equal(await kv.get('x'), undefined);
    });

    withStore('bad TTLs and keys reject with a clear error', async (kv) => {
      await assert.rejects(kv.set('k', 'v', 0), /ttlMs/);
      await assert.rejects(kv.set('k', 'v', -5), /ttlMs/);
      await assert.rejects(kv.setIfAbsent('k', 'v', Number.NaN), /ttlMs/);
      await assert.rejects(kv.incrBy('k', 1, Number.POSITIVE_INFINITY), /ttlMs/);
      await assert.rejects(kv.set('', 'v'), /key/);
      await assert.rejects(kv.get(''), /key/);
      await assert.rejects(take(kv, '', { capacity: 1, refillPerMs: 1, cost: 1 }), /key/);
      assert.equal(await kv.get('k'), undefined);
    });

    withStore('takeToken allows until the bucket is empty, then refuses with retryAfterMs', async (kv) => {
      const p = { capacity: 3, refillPerMs: 1 / HOUR, cost: 1 };
      const r1 = await take(kv, 'b', p);
      assert.equal(r1.allowed, true);
      assert.equal(r1.remaining, 2);
      assert.equal(r1.retryAfterMs, 0);
      // One token short of full: about an hour to refill (a little less as time passes).
      assert.ok(r1.resetMs > HOUR - 60_000 && r1.resetMs <= HOUR, `resetMs ${r1.resetMs}`);
      assert.deepEqual(
        [await take(kv, 'b', p), await take(kv, 'b', p)].map((r) => [r.allowed, r.remaining, r.retryAfterMs]),
        [
          [true, 1, 0],
          [true, 0, 0],
        ],
      );
      const refused = await take(kv, 'b', p);
      assert.equal(refused.allowed, false);
      assert.equal(refused.remaining, 0);
      assert.ok(refused.retryAfterMs > HOUR - 60_000 && refused.retryAfterMs <= HOUR, `retryAfterMs ${refused.retryAfterMs}`);
      assert.ok(refused.resetMs > 3 * HOUR - 60_000 && refused.resetMs <= 3 * HOUR, `resetMs ${refused.resetMs}`);
      // Other keys have their own buckets.
      assert.equal((await take(kv, 'other', p)).allowed, true);
    });

    withStore('takeToken takes `cost` tokens and refuses a cost larger than what is left', async (kv) => {
      const p = { capacity: 10, refillPerMs: 1 / HOUR, cost: 4 };
      assert.equal((await take(kv, 'c', p)).remaining, 6);
      assert.equal((await take(kv, 'c', p)).remaining, 2);
      const refused = await take(kv, 'c', p);
      assert.equal(refused.allowed, false);
      assert.equal(refused.remaining, 2);
      assert.ok(refused.retryAfterMs > 2 * HOUR - 60_000 && refused.retryAfterMs <= 2 * HOUR);
      const small = await take(kv, 'c', { ...p, cost: 2 });
      assert.equal(small.allowed, true);
      assert.equal(small.remaining, 0);
      // cost 0 peeks without taking.
      const peek = await take(kv, 'c', { ...p, cost: 0 });
      assert.equal(peek.allowed, true);
      assert.equal(peek.remaining, 0);
    });

    withStore('takeToken refills after waiting, capped at capacity', async (kv) => {
      const p = { capacity: 2, refillPerMs: 1 / 50, cost: 2 };
      assert.equal((await take(kv, 'r', p)).remaining, 0);
      await advance(250);
      const again = await take(kv, 'r', p);
      assert.equal(again.allowed, true);
      assert.equal(again.remaining, 0);
      await advance(500);
      // Ten tokens' worth of time, but the bucket holds two.
      const one = await take(kv, 'r', { ...p, cost: 1 });
      assert.equal(one.allowed, true);
      assert.equal(one.remaining, 1);
    });

    withStore('takeToken: waiting retryAfterMs is enough', async (kv) => {
      const p = { capacity: 1, refillPerMs: 1 / 1000, cost: 1 };
      assert.equal((await take(kv, 'w', p)).allowed, true);
      const refused = await take(kv, 'w', p);
      assert.equal(refused.allowed, false);
      assert.ok(refused.retryAfterMs > 0 && refused.retryAfterMs <= 1000, `retryAfterMs ${refused.retryAfterMs}`);
      await advance(refused.retryAfterMs + 5);
      assert.equal((await take(kv, 'w', p)).allowed, true);
    });

    withStore('takeToken: parallel calls on one key never over-grant', async (kv) => {
      const p = { capacity: 10, refillPerMs: 1 / HOUR, cost: 1 };
      const results = await Promise.all(Array.from({ length: 60 }, () => take(kv, 'hot', p)));
      assert.equal(results.filter((r) => r.allowed).length, 10);
      const remainings = results.filter((r) => r.allowed).map((r) => r.remaining);
      assert.deepEqual(
        [...remainings].sort((a, b) => a - b),
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      );
      assert.ok(results.filter((r) => !r.allowed).every((r) => r.retryAfterMs > 0));
    });

    withStore('an idle bucket disappears once it is full again', async (kv) => {
      const p = { capacity: 1, refillPerMs: 1 / 40, cost: 1 };
      await take(kv, 'idle', p);
      // While the bucket exists the key holds a bucket, not a string.
      await assert.rejects(kv.get('idle'), /wrong kind|WRONGTYPE/);
      await advance(200);
      assert.equal(await kv.get('idle'), undefined);
      // A bucket that was never drained is not stored at all.
      await take(kv, 'peek', { ...p, cost: 0 });
      assert.equal(await kv.get('peek'), undefined);
    });

    withStore('takeToken on a string key, or with bad parameters, rejects', async (kv) => {
      await kv.set('str', 'v');
      await assert.rejects(take(kv, 'str', { capacity: 1, refillPerMs: 1, cost: 1 }), /wrong kind|WRONGTYPE/);
      assert.equal(await kv.get('str'), 'v');
      const bad: TokenBucketParams[] = [
        { capacity: 0, refillPerMs: 1, cost: 0 },
        { capacity: Number.NaN, refillPerMs: 1, cost: 1 },
        { capacity: 5, refillPerMs: 0, cost: 1 },
        { capacity: 5, refillPerMs: -1, cost: 1 },
        { capacity: 5, refillPerMs: 1, cost: 6 },
        { capacity: 5, refillPerMs: 1, cost: -1 },
        { capacity: 5, refillPerMs: 1e-20, cost: 1 },
      ];
      for (const p of bad) await assert.rejects(take(kv, 'bad', p), RangeError, JSON.stringify(p));
    });

    test('a closed store rejects', async () => {
      const kv = await make();
      await kv.close();
      await assert.rejects(kv.get('a'), /closed/);
      await assert.rejects(take(kv, 'a', { capacity: 1, refillPerMs: 1, cost: 1 }), /closed/);
      await kv.close();
    });
  });
}
