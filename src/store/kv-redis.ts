// KeyValueStore on Redis (ioredis), shared by every gateway process. takeToken and incrBy are Lua
// scripts so each is one atomic step on the server, and takeToken uses the Redis clock (TIME) so
// gateways with skewed clocks still agree. Client options make a dead Redis fail fast: commands
// reject after `commandTimeoutMs` instead of queueing forever, and connection errors are logged,
// never thrown as unhandled 'error' events.
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { KeyValueStore, TokenBucketParams, TokenBucketResult } from './kv.js';
import { checkBucketParams, checkDelta, checkKey, checkTtlMs, checkValue } from './kv-params.js';

export interface RedisKeyValueStoreOptions {
  /** Prepended to every key. Default 'shieldx:'. */
  prefix?: string;
  log?: Logger;
  /** Only for a client this store creates from a URL: a command (queued or sent) rejects after this. Default 1000. */
  commandTimeoutMs?: number;
  /** Only for a client this store creates from a URL. Default 2000. */
  connectTimeoutMs?: number;
}

// KEYS[1] bucket hash {t: tokens, s: stamp ms}; ARGV capacity, refillPerMs, cost.
// Returns {allowed 0|1, remaining, retryAfterMs, resetMs}. Mirrors MemoryKeyValueStore.takeToken,
// including its float tolerances (eps on tokens, 1e-12 relative on ms).
const TAKE_TOKEN_LUA = `
local capacity = tonumber(ARGV[1])
local refill = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local eps = 1e-9
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local h = redis.call('HMGET', KEYS[1], 't', 's')
local tokens = capacity
if h[1] then
  tokens = tonumber(h[1])
  local elapsed = now - tonumber(h[2])
  if elapsed > 0 then tokens = tokens + elapsed * refill end
  if tokens > capacity then tokens = capacity end
end
local allowed = 0
local retry = 0
if tokens + eps >= cost then
  allowed = 1
  tokens = tokens - cost
  if tokens < 0 then tokens = 0 end
else
  retry = math.ceil((cost - tokens) / refill * (1 - 1e-12))
end
local deficit = capacity - tokens
local reset = 0
if deficit > eps then
  reset = math.ceil(deficit / refill * (1 - 1e-12))
  redis.call('HSET', KEYS[1], 't', tokens, 's', now)
  redis.call('PEXPIRE', KEYS[1], string.format('%.0f', reset))
else
  redis.call('DEL', KEYS[1])
end
return {allowed, math.floor(tokens + eps), retry, reset}
`;

// KEYS[1]; ARGV delta, ttlMs ('' = none), 'i' (INCRBY) or 'f' (INCRBYFLOAT). The TTL applies only
// when the key is created, which SET NX PX does in the same atomic step.
const INCR_BY_LUA = `
if ARGV[2] ~= '' then redis.call('SET', KEYS[1], '0', 'NX', 'PX', ARGV[2]) end
if ARGV[3] == 'f' then return redis.call('INCRBYFLOAT', KEYS[1], ARGV[1]) end
return redis.call('INCRBY', KEYS[1], ARGV[1])
`;

interface ScriptedRedis extends Redis {
  shieldxTakeToken(key: string, capacity: number, refillPerMs: number, cost: number): Promise<[number, number, number, number]>;
  shieldxIncrBy(key: string, delta: number, ttlMs: number | '', mode: 'i' | 'f'): Promise<number | string>;
}

export class RedisKeyValueStore implements KeyValueStore {
  readonly kind = 'redis' as const;
  /** The ioredis client (shared with the caller when one was passed in). */
  readonly client: Redis;
  readonly prefix: string;
  private readonly scripted: ScriptedRedis;
  /** Host and port for error messages; never the password. */
  private readonly where: string;
  private readonly owned: boolean;
  private readonly log: Logger | undefined;
  private closed = false;
  private erroring = false;
  private readonly onError = (err: Error): void => {
    // Without a listener ioredis would crash the process on a connection error. Log once per outage.
    if (this.erroring) return;
    this.erroring = true;
    this.log?.warn({ err: err.message, redis: this.where }, 'redis connection error; commands fail until it recovers');
  };
  private readonly onReady = (): void => {
    if (!this.erroring) return;
    this.erroring = false;
    this.log?.info({ redis: this.where }, 'redis connection recovered');
  };

  /** `url`: redis:// or rediss://. A passed-in client stays the caller's: close() leaves it open. */
  constructor(urlOrClient: string | Redis, opts: RedisKeyValueStoreOptions = {}) {
    this.prefix = opts.prefix ?? 'shieldx:';
    this.log = opts.log;
    if (typeof urlOrClient === 'string') {
      this.where = describeRedisUrl(urlOrClient);
      this.client = new Redis(urlOrClient, {
        maxRetriesPerRequest: 1,
        // Queued commands ride over connect and short blips; commandTimeout bounds how long they wait.
        enableOfflineQueue: true,
        commandTimeout: opts.commandTimeoutMs ?? 1000,
        connectTimeout: opts.connectTimeoutMs ?? 2000,
        // ioredis keeps a timer this long after disconnecting from a dead server; don't hold exit for it.
        disconnectTimeout: 200,
      });
      this.owned = true;
    } else {
      const o = urlOrClient.options;
      this.where = `redis://${o.host ?? '?'}:${o.port ?? '?'}`;
      this.client = urlOrClient;
      this.owned = false;
    }
    this.client.on('error', this.onError);
    this.client.on('ready', this.onReady);
    this.client.defineCommand('shieldxTakeToken', { numberOfKeys: 1, lua: TAKE_TOKEN_LUA });
    this.client.defineCommand('shieldxIncrBy', { numberOfKeys: 1, lua: INCR_BY_LUA });
    this.scripted = this.client as ScriptedRedis;
  }

  /** Resolve when Redis answers PING; reject with a clear message otherwise. */
  async checkConnection(): Promise<void> {
    this.checkOpen();
    try {
      await this.client.ping();
    } catch (err) {
      throw this.failure('PING', '', err);
    }
  }

  async get(key: string): Promise<string | undefined> {
    this.checkOpen();
    checkKey(key);
    try {
      const v = await this.client.get(this.prefix + key);
      return v === null ? undefined : v;
    } catch (err) {
      throw this.failure('GET', key, err);
    }
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.checkOpen();
    checkKey(key);
    checkValue(value);
    const ttl = checkTtlMs(ttlMs);
    try {
      if (ttl === undefined) await this.client.set(this.prefix + key, value);
      else await this.client.set(this.prefix + key, value, 'PX', ttl);
    } catch (err) {
      throw this.failure('SET', key, err);
    }
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    this.checkOpen();
    checkKey(key);
    checkValue(value);
    const ttl = checkTtlMs(ttlMs);
    try {
      const r =
        ttl === undefined
          ? await this.client.set(this.prefix + key, value, 'NX')
          : await this.client.set(this.prefix + key, value, 'PX', ttl, 'NX');
      return r === 'OK';
    } catch (err) {
      throw this.failure('SET NX', key, err);
    }
  }

  async delete(key: string): Promise<boolean> {
    this.checkOpen();
    checkKey(key);
    try {
      return (await this.client.del(this.prefix + key)) > 0;
    } catch (err) {
      throw this.failure('DEL', key, err);
    }
  }

  async incrBy(key: string, delta: number, ttlMs?: number): Promise<number> {
    this.checkOpen();
    checkKey(key);
    checkDelta(delta);
    const ttl = checkTtlMs(ttlMs);
    try {
      const r = await this.scripted.shieldxIncrBy(this.prefix + key, delta, ttl ?? '', Number.isInteger(delta) ? 'i' : 'f');
      return typeof r === 'number' ? r : Number(r);
    } catch (err) {
      throw this.failure('INCRBY', key, err);
    }
  }

  async takeToken(key: string, p: TokenBucketParams): Promise<TokenBucketResult> {
    this.checkOpen();
    checkKey(key);
    checkBucketParams(p);
    let r: [number, number, number, number];
    try {
      r = await this.scripted.shieldxTakeToken(this.prefix + key, p.capacity, p.refillPerMs, p.cost);
    } catch (err) {
      throw this.failure('takeToken', key, err);
    }
    return { allowed: r[0] === 1, remaining: r[1], retryAfterMs: r[2], resetMs: r[3] };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.owned) {
      this.client.off('error', this.onError);
      this.client.off('ready', this.onReady);
      return;
    }
    try {
      await this.client.quit();
    } catch {
      // Redis unreachable: QUIT timed out or was flushed; drop the socket and stop reconnecting.
      this.client.disconnect();
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new Error(`Redis key-value store (${this.where}) is closed`);
  }

  private failure(op: string, key: string, err: unknown): Error {
    const msg = err instanceof Error ? err.message : String(err);
    const subject = key === '' ? '' : ` "${key}"`;
    return new Error(`Redis ${op}${subject} failed (${this.where}): ${msg}`, { cause: err });
  }
}

/** "redis://host:port/db" without credentials; throws a clear error for anything but redis(s)://. */
function describeRedisUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`invalid Redis URL "${redact(url)}": expected redis://[user:password@]host[:port][/db] or rediss://...`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new Error(`invalid Redis URL "${redact(url)}": expected redis://[user:password@]host[:port][/db] or rediss://...`);
  }
  return `${u.protocol}//${u.hostname}:${u.port || '6379'}${u.pathname.length > 1 ? u.pathname : ''}`;
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
