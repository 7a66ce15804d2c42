// In-process KeyValueStore: the embedded default. One Map of small monomorphic entries; takeToken is
// synchronous because the rate limiter calls it on every request. Memory stays bounded: expired keys
// go lazily on read and in a periodic incremental sweep, full buckets expire, and past `maxKeys` the
// oldest key (insertion order) is evicted. Semantics match RedisKeyValueStore (kv.case.ts checks).
import type { KeyValueStore, TokenBucketParams, TokenBucketResult } from './kv.js';
import { checkBucketParams, checkDelta, checkKey, checkTtlMs, checkValue } from './kv-params.js';

/** Tolerance for float drift in refill arithmetic (0.7 + 0.1 + 0.1 + 0.1 is not 1). Same as the Redis script. */
export const TOKEN_EPSILON = 1e-9;

export interface MemoryKeyValueStoreOptions {
  /** Clock in milliseconds; monotonic by default. Inject one in tests. */
  now?: () => number;
  /** Most keys held at once; inserting past it evicts the oldest. Default 1_000_000. */
  maxKeys?: number;
  /** How often the background sweep runs; 0 turns it off (lazy expiry still applies). Default 1000. */
  sweepIntervalMs?: number;
  /** Entries examined per sweep tick, so one tick never stalls the event loop. Default 10_000. */
  sweepBatch?: number;
}

const STRING = 0;
const BUCKET = 1;

/** One key. A single shape for both kinds keeps property access monomorphic on the hot path. */
class Entry {
  constructor(
    public kind: typeof STRING | typeof BUCKET,
    public value: string,
    /** BUCKET: tokens at `stamp`. */
    public tokens: number,
    /** BUCKET: clock time the tokens were computed at. */
    public stamp: number,
    /** Clock time the key disappears; Infinity for none. */
    public expiresAt: number,
  ) {}
}

const INTEGER_RE = /^(?:0|-?[1-9]\d*)$/;
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Round a duration up to whole ms, ignoring the last bits of division error: with refillPerMs =
 * 1 / 3_600_000, one token is 3600000.0000000005 ms and must read as 3600000. Same in the Redis script.
 */
function ceilMs(ms: number): number {
  return Math.ceil(ms * (1 - 1e-12));
}

const defaultNow = (): number => performance.now();

export class MemoryKeyValueStore implements KeyValueStore {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly maxKeys: number;
  private readonly sweepBatch: number;
  private sweepCursor: IterableIterator<[string, Entry]> | undefined;
  private readonly sweepTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(opts: MemoryKeyValueStoreOptions = {}) {
    this.now = opts.now ?? defaultNow;
    this.maxKeys = opts.maxKeys ?? 1_000_000;
    this.sweepBatch = opts.sweepBatch ?? 10_000;
    const interval = opts.sweepIntervalMs ?? 1000;
    if (!Number.isInteger(this.maxKeys) || this.maxKeys < 1) {
      throw new RangeError(`maxKeys must be a positive integer, got ${String(opts.maxKeys)}`);
    }
    if (!Number.isInteger(this.sweepBatch) || this.sweepBatch < 1) {
      throw new RangeError(`sweepBatch must be a positive integer, got ${String(opts.sweepBatch)}`);
    }
    if (!(interval >= 0 && interval < Infinity)) {
      throw new RangeError(`sweepIntervalMs must be >= 0, got ${String(opts.sweepIntervalMs)}`);
    }
    if (interval > 0) {
      this.sweepTimer = setInterval(() => this.sweepExpired(), interval);
      this.sweepTimer.unref();
    }
  }

  /** Keys held, including expired ones not yet swept. */
  get size(): number {
    return this.entries.size;
  }

  async get(key: string): Promise<string | undefined> {
    this.checkOpen();
    checkKey(key);
    const e = this.live(key, this.now());
    if (e === undefined) return undefined;
    if (e.kind !== STRING) throw wrongType(key);
    return e.value;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.checkOpen();
    checkKey(key);
    checkValue(value);
    const ttl = checkTtlMs(ttlMs);
    // Overwriting makes the key the newest, as a fresh insert would be.
    this.entries.delete(key);
    this.insert(key, new Entry(STRING, value, 0, 0, ttl === undefined ? Infinity : this.now() + ttl));
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    this.checkOpen();
    checkKey(key);
    checkValue(value);
    const ttl = checkTtlMs(ttlMs);
    const now = this.now();
    if (this.live(key, now) !== undefined) return false;
    this.insert(key, new Entry(STRING, value, 0, 0, ttl === undefined ? Infinity : now + ttl));
    return true;
  }

  async delete(key: string): Promise<boolean> {
    this.checkOpen();
    checkKey(key);
    if (this.live(key, this.now()) === undefined) return false;
    return this.entries.delete(key);
  }

  async incrBy(key: string, delta: number, ttlMs?: number): Promise<number> {
    this.checkOpen();
    checkKey(key);
    checkDelta(delta);
    const ttl = checkTtlMs(ttlMs);
    const now = this.now();
    const e = this.live(key, now);
    if (e === undefined) {
      this.insert(key, new Entry(STRING, String(delta), 0, 0, ttl === undefined ? Infinity : now + ttl));
      return delta;
    }
    if (e.kind !== STRING) throw wrongType(key);
    // The same rules as Redis: INCRBY for integer deltas needs an integer value, INCRBYFLOAT a float.
    let next: number;
    if (Number.isInteger(delta)) {
      if (!INTEGER_RE.test(e.value)) throw new Error(`incrBy: value at "${key}" is not an integer`);
      next = Number(e.value) + delta;
      if (!Number.isSafeInteger(next)) throw new RangeError(`incrBy: "${key}" would leave the safe integer range`);
    } else {
      if (!FLOAT_RE.test(e.value)) throw new Error(`incrBy: value at "${key}" is not a number`);
      next = Number(e.value) + delta;
      if (!Number.isFinite(next)) throw new RangeError(`incrBy: "${key}" would overflow`);
    }
    e.value = String(next);
    return next;
  }

  takeToken(key: string, p: TokenBucketParams): TokenBucketResult {
    this.checkOpen();
    checkKey(key);
    checkBucketParams(p);
    const capacity = p.capacity;
    const refillPerMs = p.refillPerMs;
    const cost = p.cost;
    const now = this.now();
    let e = this.entries.get(key);
    if (e !== undefined && e.expiresAt <= now) {
      this.entries.delete(key);
      e = undefined;
    }
    let tokens: number;
    if (e === undefined) {
      tokens = capacity;
    } else {
      if (e.kind !== BUCKET) throw wrongType(key);
      const elapsed = now - e.stamp;
      tokens = elapsed > 0 ? e.tokens + elapsed * refillPerMs : e.tokens;
      if (tokens > capacity) tokens = capacity;
    }
    let allowed = false;
    let retryAfterMs = 0;
    if (tokens + TOKEN_EPSILON >= cost) {
      allowed = true;
      tokens -= cost;
      if (tokens < 0) tokens = 0;
    } else {
      retryAfterMs = ceilMs((cost - tokens) / refillPerMs);
    }
    const deficit = capacity - tokens;
    const resetMs = deficit > TOKEN_EPSILON ? ceilMs(deficit / refillPerMs) : 0;
    if (resetMs > 0) {
      if (e === undefined) {
        this.insert(key, new Entry(BUCKET, '', tokens, now, now + resetMs));
      } else {
        e.tokens = tokens;
        e.stamp = now;
        e.expiresAt = now + resetMs;
      }
    } else if (e !== undefined) {
      // Full again: a missing bucket reads as full, so the key need not be kept.
      this.entries.delete(key);
    }
    return { allowed, remaining: Math.floor(tokens + TOKEN_EPSILON), retryAfterMs, resetMs };
  }

  /**
   * Drop expired entries, examining at most `limit` of them and resuming where the previous call
   * stopped (a Map iterator survives deletes and inserts). Returns how many were dropped.
   */
  sweepExpired(limit = this.sweepBatch): number {
    const now = this.now();
    const it = this.sweepCursor ?? this.entries.entries();
    let removed = 0;
    for (let i = 0; i < limit; i++) {
      const r = it.next();
      if (r.done) {
        this.sweepCursor = undefined;
        return removed;
      }
      if (r.value[1].expiresAt <= now) {
        this.entries.delete(r.value[0]);
        removed++;
      }
    }
    this.sweepCursor = it;
    return removed;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.sweepTimer !== undefined) clearInterval(this.sweepTimer);
    this.sweepCursor = undefined;
    this.entries.clear();
  }

  /** The entry at key, or undefined when absent or expired (an expired one is dropped). */
  private live(key: string, now: number): Entry | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (e.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  private insert(key: string, e: Entry): void {
    if (this.entries.size >= this.maxKeys) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, e);
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('memory key-value store is closed');
  }
}

function wrongType(key: string): Error {
  return new Error(`key "${key}" holds the wrong kind of value (a string value and a token bucket cannot share a key)`);
}
