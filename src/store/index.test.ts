import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { silentLogger } from '../telemetry/log.js';
import { POSTGRES_URL, REDIS_URL, serviceSkipReason } from '../testing/services.js';
import { listConfigRevisions, recordConfigRevision } from './config-revisions.js';
import { defaultDatabaseUrl, openStores } from './index.js';

const redisSkip = await serviceSkipReason(REDIS_URL);
const postgresSkip = await serviceSkipReason(POSTGRES_URL);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'shieldx-stores-'));
const pgSchema = `shieldx_test_stores_${process.pid}_${Date.now().toString(36)}`;
after(async () => {
  rmSync(tmp, { recursive: true, force: true });
  if (postgresSkip) return;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
  await client.end();
});

describe('openStores', () => {
  test('by default: a migrated SQLite file in the data dir and a memory key-value store', async () => {
    const dataDir = path.join(tmp, 'data-default');
    const stores = await openStores({}, dataDir, silentLogger);
    try {
      assert.equal(defaultDatabaseUrl(dataDir), `sqlite:${path.resolve(dataDir, 'shieldx.db')}`);
      assert.ok(existsSync(path.join(dataDir, 'shieldx.db')));
      assert.equal(stores.sql.dialect, 'sqlite');
      await recordConfigRevision(stores.sql, { sha256: 'f'.repeat(64), source: 'test', status: 'applied' });
      assert.equal((await listConfigRevisions(stores.sql, { limit: 1 })).length, 1);
      assert.equal(stores.kv.memory.kind, 'memory');
      assert.equal(stores.kv.redis, undefined);
      assert.equal((await stores.kv.memory.takeToken('k', { capacity: 2, refillPerMs: 1, cost: 1 })).remaining, 1);
    } finally {
      await stores.close();
      await stores.close();
    }
  });

  test('PostgreSQL and Redis when configured', { skip: redisSkip ?? postgresSkip }, async () => {
    const u = new URL(POSTGRES_URL);
    u.searchParams.set('schema', pgSchema);
    const stores = await openStores({ database_url: u.toString(), redis_url: REDIS_URL }, path.join(tmp, 'unused'), silentLogger);
    try {
      assert.equal(stores.sql.dialect, 'postgres');
      assert.deepEqual(await listConfigRevisions(stores.sql, { limit: 5 }), []);
      assert.equal(stores.kv.redis?.kind, 'redis');
      const key = `test:${process.pid}:${Date.now()}`;
      assert.equal(await stores.kv.redis?.setIfAbsent(key, 'v', 5_000), true);
      assert.equal(await stores.kv.redis?.delete(key), true);
      assert.equal(existsSync(path.join(tmp, 'unused')), false, 'no SQLite file when a database_url is given');
    } finally {
      await stores.close();
    }
  });

  test('an unreachable Redis fails startup with a clear error', async () => {
    const srv = net.createServer();
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => srv.close(() => resolve()));
    await assert.rejects(
      openStores({ redis_url: `redis://127.0.0.1:${port}` }, path.join(tmp, 'data-noredis'), silentLogger),
      new RegExp(`Redis PING failed \\(redis://127\\.0\\.0\\.1:${port}\\)`),
    );
  });

  test('a bad database URL fails startup with the forms expected', async () => {
    await assert.rejects(
      openStores({ database_url: 'mongodb://localhost/x' }, path.join(tmp, 'data-bad'), silentLogger),
      /unsupported database URL .* expected sqlite:/,
    );
  });
});
