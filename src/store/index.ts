// The store layer's front door: open the SQL store (migrated) and the key-value stores a process
// uses, from the `store` section of shieldx.yaml. Memory key-value is always there; Redis when
// configured.
import path from 'node:path';
import type { Logger } from 'pino';
import type { KeyValueStore } from './kv.js';
import { MemoryKeyValueStore } from './kv-memory.js';
import { RedisKeyValueStore } from './kv-redis.js';
import { openSqlStore, type SqlStore } from './sql.js';

export type { KeyValueStore, TokenBucketParams, TokenBucketResult } from './kv.js';
export type { SqlStore } from './sql.js';

export interface Stores {
  sql: SqlStore;
  kv: { memory: KeyValueStore; redis?: KeyValueStore };
  /** Close everything opened here. Idempotent. */
  close(): Promise<void>;
}

export interface StoreConfig {
  /** sqlite:PATH or postgres://...; default sqlite:<dataDir>/shieldx.db. */
  database_url?: string;
  /** redis://...; absent = no Redis store. */
  redis_url?: string;
}

/** The SQLite URL used when no database_url is configured. */
export function defaultDatabaseUrl(dataDir: string): string {
  return `sqlite:${path.resolve(dataDir, 'shieldx.db')}`;
}

/**
 * Open and migrate the SQL store, create the memory key-value store, and connect to Redis when
 * configured (failing if it does not answer, so a misconfigured URL shows at startup). On any
 * failure whatever was already opened is closed again.
 */
export async function openStores(cfg: StoreConfig, dataDir: string, log: Logger): Promise<Stores> {
  const sql = await openSqlStore(cfg.database_url ?? defaultDatabaseUrl(dataDir), { log });
  let memory: MemoryKeyValueStore | undefined;
  let redis: RedisKeyValueStore | undefined;
  try {
    await sql.migrate();
    memory = new MemoryKeyValueStore();
    if (cfg.redis_url) {
      redis = new RedisKeyValueStore(cfg.redis_url, { log });
      await redis.checkConnection();
    }
  } catch (err) {
    await Promise.allSettled([sql.close(), memory?.close(), redis?.close()]);
    throw err;
  }
  log.info({ sql: sql.dialect, redis: redis !== undefined }, 'stores opened');
  const kv: Stores['kv'] = redis ? { memory, redis } : { memory };
  let closing: Promise<void> | undefined;
  return {
    sql,
    kv,
    close() {
      closing ??= (async () => {
        const results = await Promise.allSettled([sql.close(), kv.memory.close(), kv.redis?.close()]);
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      })();
      return closing;
    },
  };
}
