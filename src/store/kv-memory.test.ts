import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MemoryKeyValueStore } from './kv-memory.js';
import { keyValueConformance } from './kv.case.js';

/** A clock that moves only when told to. */
function fakeClock(start = 1_000_000): { now: () => number; advance: (ms: number) => Promise<void> } {
  let t = start;
  return {
    now: () => t,
    advance: async (ms: number) => {
      t += ms;
    },
  };
}

const shared = fakeClock();
keyValueConformance('memory', async () => new MemoryKeyValueStore({ now: shared.now, sweepIntervalMs: 0 }), {
  advance: shared.advance,
});

describe('MemoryKeyValueStore', () => {
  test('takeToken answers synchronously with exact token-bucket arithmetic', () => {
    const clock = fakeClock();
    const kv = new MemoryKeyValueStore({ now: clock.now, sweepIntervalMs: 0 });
    // 5 tokens, one every 128 ms (a binary fraction, so the expected numbers are exact).
    const p = { capacity: 5, refillPerMs: 1 / 128, cost: 2 };
    const r1 = kv.takeToken('k', p);
    assert.ok(!(r1 instanceof Promise));
    assert.deepEqual(r1, { allowed: true, remaining: 3, retryAfterMs: 0, resetMs: 256 });
    assert.deepEqual(kv.takeToken('k', p), { allowed: true, remaining: 1, retryAfterMs: 0, resetMs: 512 });
    assert.deepEqual(kv.takeToken('k', p), { allowed: false, remaining: 1, retryAfterMs: 128, resetMs: 512 });
    void clock.advance(32);
    // 1.25 tokens: still refused, 96 ms to go.
    assert.deepEqual(kv.takeToken('k', p), { allowed: false, remaining: 1, retryAfterMs: 96, resetMs: 480 });
    void clock.advance(95);
    assert.equal(kv.takeToken('k', p).allowed, false);
    void clock.advance(1);
    assert.deepEqual(kv.takeToken('k', p), { allowed: true, remaining: 0, retryAfterMs: 0, resetMs: 640 });
    void clock.advance(10_000);
    assert.deepEqual(kv.takeToken('k', { ...p, cost: 1 }), { allowed: true, remaining: 4, retryAfterMs: 0, resetMs: 128 });
    void kv.close();
  });

  test('refill drift does not lose a token to floating point', () => {
    const clock = fakeClock();
    const kv = new MemoryKeyValueStore({ now: clock.now, sweepIntervalMs: 0 });
    const p = { capacity: 1, refillPerMs: 0.1, cost: 1 };
    kv.takeToken('k', p);
    // Ten refills of 0.1 add up to 0.9999999999999999 in binary floating point.
    for (let i = 0; i < 10; i++) {
      void clock.advance(1);
      kv.takeToken('k', { ...p, cost: 0 });
    }
    const r = kv.takeToken('k', p);
    assert.equal(r.allowed, true);
    assert.equal(r.remaining, 0);
    void kv.close();
  });

  test('a clock that steps backwards never adds or removes tokens', () => {
    let t = 1000;
    const kv = new MemoryKeyValueStore({ now: () => t, sweepIntervalMs: 0 });
    const p = { capacity: 2, refillPerMs: 0.001, cost: 1 };
    kv.takeToken('k', p);
    t = 500;
    assert.equal(kv.takeToken('k', p).remaining, 0);
    assert.equal(kv.takeToken('k', p).allowed, false);
    void kv.close();
  });

  test('past maxKeys the oldest key is evicted', async () => {
    const kv = new MemoryKeyValueStore({ maxKeys: 3, sweepIntervalMs: 0 });
    await kv.set('a', '1');
    await kv.set('b', '2');
    kv.takeToken('c', { capacity: 2, refillPerMs: 1e-9, cost: 1 });
    assert.equal(kv.size, 3);
    await kv.set('d', '4');
    assert.equal(kv.size, 3);
    assert.equal(await kv.get('a'), undefined);
    assert.equal(await kv.get('b'), '2');
    // Overwriting makes a key the newest, so 'c' (the bucket) goes next.
    await kv.set('b', '2b');
    await kv.incrBy('e', 1);
    assert.equal(kv.size, 3);
    assert.equal(kv.takeToken('c', { capacity: 2, refillPerMs: 1e-9, cost: 1 }).remaining, 1, 'c was evicted: full again');
    await kv.close();
  });

  test('memory stays bounded under a flood of distinct keys', () => {
    const kv = new MemoryKeyValueStore({ maxKeys: 1000, sweepIntervalMs: 0 });
    const p = { capacity: 10, refillPerMs: 0.001, cost: 1 };
    for (let i = 0; i < 50_000; i++) kv.takeToken(`ip:${i}`, p);
    assert.equal(kv.size, 1000);
    void kv.close();
  });

  test('sweepExpired drops expired keys in bounded batches', async () => {
    const clock = fakeClock();
    const kv = new MemoryKeyValueStore({ now: clock.now, sweepIntervalMs: 0 });
    for (let i = 0; i < 10; i++) await kv.set(`t${i}`, 'v', 100);
    for (let i = 0; i < 5; i++) await kv.set(`p${i}`, 'v');
    kv.takeToken('bucket', { capacity: 1, refillPerMs: 0.01, cost: 1 });
    assert.equal(kv.size, 16);
    assert.equal(kv.sweepExpired(), 0);
    await clock.advance(150);
    // Batches of 4 resume where the previous one stopped.
    let removed = 0;
    for (let i = 0; i < 4; i++) removed += kv.sweepExpired(4);
    assert.equal(removed, 11);
    assert.equal(kv.size, 5);
    await kv.close();
  });

  test('the periodic sweep runs on its own and does not keep the process alive', async () => {
    const kv = new MemoryKeyValueStore({ sweepIntervalMs: 5 });
    await kv.set('x', 'v', 1);
    // Wait (well past the TTL) until the timer has removed the key without any read.
    for (let i = 0; i < 400 && kv.size > 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(kv.size, 0);
    await kv.close();
  });

  test('bad options are refused', () => {
    assert.throws(() => new MemoryKeyValueStore({ maxKeys: 0 }), /maxKeys/);
    assert.throws(() => new MemoryKeyValueStore({ sweepIntervalMs: -1 }), /sweepIntervalMs/);
    assert.throws(() => new MemoryKeyValueStore({ sweepBatch: 0.5 }), /sweepBatch/);
  });

  test('a closed store throws synchronously from takeToken', async () => {
    const kv = new MemoryKeyValueStore();
    await kv.close();
    assert.throws(() => kv.takeToken('k', { capacity: 1, refillPerMs: 1, cost: 1 }), /closed/);
  });
});
