import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { after, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { REDIS_URL, serviceSkipReason } from '../testing/services.js';
import { RedisKeyValueStore } from './kv-redis.js';
import { keyValueConformance } from './kv.case.js';

const skip = await serviceSkipReason(REDIS_URL);

/** Every key this run writes starts with this, so cleanup finds them all and runs never collide. */
const RUN_PREFIX = `shieldx-test:${process.pid}:${randomUUID()}:`;
let storeCount = 0;

after(async () => {
  if (skip) return;
  const admin = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${RUN_PREFIX}*`, 'COUNT', 1000);
      if (keys.length > 0) await admin.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    const [, left] = await admin.scan('0', 'MATCH', `${RUN_PREFIX}*`, 'COUNT', 100_000);
    assert.deepEqual(left, [], 'test keys left behind in Redis');
  } finally {
    await admin.quit();
  }
});

// Each store gets its own prefix, so tests reusing a key name start from nothing.
keyValueConformance('redis', async () => new RedisKeyValueStore(REDIS_URL, { prefix: `${RUN_PREFIX}${storeCount++}:` }), {
  skip,
});

/** A TCP port with nothing listening on it. */
async function deadPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

describe('RedisKeyValueStore', { skip }, () => {
  test('two connections (two gateway processes) share one bucket without over-granting', async () => {
    const prefix = `${RUN_PREFIX}shared:`;
    const a = new RedisKeyValueStore(REDIS_URL, { prefix });
    const b = new RedisKeyValueStore(REDIS_URL, { prefix });
    try {
      assert.notEqual(a.client, b.client);
      const p = { capacity: 25, refillPerMs: 1 / 3_600_000, cost: 1 };
      // Sequential: what one takes, the other sees gone.
      assert.equal((await a.takeToken('client-1', p)).remaining, 24);
      assert.equal((await b.takeToken('client-1', p)).remaining, 23);
      // Interleaved bursts from both: exactly the 23 tokens left are granted in total.
      const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).takeToken('client-1', p)));
      const granted = burst.filter((r) => r.allowed);
      assert.equal(granted.length, 23);
      assert.deepEqual(
        granted.map((r) => r.remaining).sort((x, y) => x - y),
        Array.from({ length: 23 }, (_, i) => i),
      );
      // Counters are shared the same way.
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).incrBy('hits', 1, 60_000)));
      assert.equal(await a.get('hits'), '20');
      assert.equal(await b.setIfAbsent('lock', 'b', 60_000), true);
      assert.equal(await a.setIfAbsent('lock', 'a', 60_000), false);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('keys live under the prefix, with a hash for a bucket and TTLs set server-side', async () => {
    const prefix = `${RUN_PREFIX}layout:`;
    const kv = new RedisKeyValueStore(REDIS_URL, { prefix });
    try {
      await kv.set('plain', 'v', 60_000);
      await kv.incrBy('counter', 3, 60_000);
      await kv.takeToken('bucket', { capacity: 10, refillPerMs: 0.001, cost: 4 });
      const raw = kv.client;
      assert.equal(await raw.get(`${prefix}plain`), 'v');
      const pttl = await raw.pttl(`${prefix}plain`);
      assert.ok(pttl > 0 && pttl <= 60_000, `pttl ${pttl}`);
      assert.equal(await raw.type(`${prefix}bucket`), 'hash');
      const bucketTtl = await raw.pttl(`${prefix}bucket`);
      // 4 tokens short at 1 per second: expires when full, in at most 4 s.
      assert.ok(bucketTtl > 0 && bucketTtl <= 4000, `bucket pttl ${bucketTtl}`);
      assert.equal(Number(await raw.hget(`${prefix}bucket`, 't')), 6);
      assert.ok((await raw.pttl(`${prefix}counter`)) > 0);
    } finally {
      await kv.close();
    }
  });

  test('the default prefix is shieldx:', async () => {
    const kv = new RedisKeyValueStore(REDIS_URL);
    try {
      assert.equal(kv.prefix, 'shieldx:');
    } finally {
      await kv.close();
    }
  });

  test('a passed-in ioredis client is used and left open by close()', async () => {
    const client = new Redis(REDIS_URL);
    try {
      const kv = new RedisKeyValueStore(client, { prefix: `${RUN_PREFIX}borrowed:` });
      assert.equal((await kv.takeToken('k', { capacity: 2, refillPerMs: 1e-6, cost: 1 })).remaining, 1);
      await kv.close();
      assert.equal(client.status, 'ready');
      assert.equal(await client.hget(`${RUN_PREFIX}borrowed:k`, 't'), '1');
      await assert.rejects(kv.get('k'), /closed/);
    } finally {
      await client.quit();
    }
  });
});

describe('RedisKeyValueStore without a server', () => {
  test('a dead Redis fails fast with a clear message and no unhandled error event', async () => {
    const port = await deadPort();
    const kv = new RedisKeyValueStore(`redis://127.0.0.1:${port}`, { commandTimeoutMs: 300, connectTimeoutMs: 300 });
    try {
      await assert.rejects(kv.get('k'), new RegExp(`Redis GET "k" failed \\(redis://127\\.0\\.0\\.1:${port}\\)`));
      await assert.rejects(kv.takeToken('k', { capacity: 1, refillPerMs: 1, cost: 1 }), /Redis takeToken "k" failed/);
      await assert.rejects(kv.checkConnection(), /Redis PING failed/);
    } finally {
      await kv.close();
    }
  });

  test('a URL that is not redis:// is refused, without echoing the password', () => {
    assert.throws(
      () => new RedisKeyValueStore('http://user:secret@localhost:6379'),
      (err: Error) => {
        assert.match(err.message, /expected redis:\/\//);
        assert.doesNotMatch(err.message, /secret/);
        return true;
      },
    );
    assert.throws(() => new RedisKeyValueStore('not a url'), /invalid Redis URL/);
  });
});
