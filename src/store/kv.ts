// The key-value interface. Implementations: MemoryKeyValueStore (kv-memory.ts), RedisKeyValueStore
// (kv-redis.ts). Both run the shared conformance suite in kv.case.ts.
//
// Shared rules: bad arguments (empty key, ttlMs <= 0 or not finite, non-finite delta, bad bucket
// parameters) reject with a TypeError/RangeError; a string key and a token-bucket key cannot share a
// name (using one as the other rejects); Redis connection failures reject with a message naming the
// operation and the server.

export interface TokenBucketParams {
  /** Bucket capacity (max tokens). */
  capacity: number;
  /** Tokens refilled per millisecond. */
  refillPerMs: number;
  /** Tokens this request takes (usually 1). */
  cost: number;
}

export interface TokenBucketResult {
  allowed: boolean;
  /** Tokens left after this request (floored). */
  remaining: number;
  /** When not allowed: milliseconds until `cost` tokens are available. 0 when allowed. */
  retryAfterMs: number;
  /** Milliseconds until the bucket is full again. */
  resetMs: number;
}

export interface KeyValueStore {
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<string | undefined>;
  /** ttlMs: expire after that many ms; absent = no expiry. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Set only if absent; true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  delete(key: string): Promise<boolean>;
  /**
   * Atomic add; creates the key at 0 first. Returns the new value. ttlMs applies when the key is created.
   * An integer delta needs an integer value (Redis INCRBY); a fractional one any number (INCRBYFLOAT).
   */
  incrBy(key: string, delta: number, ttlMs?: number): Promise<number>;
  /**
   * Atomically refill and take from a token bucket stored at `key`. Time is the store's clock
   * (Redis server time for Redis, so several gateways agree). Memory may answer synchronously.
   * A missing bucket is full; it refills continuously, capped at capacity; a bucket that is full
   * again is dropped, so idle keys do not accumulate. Requires capacity > 0, refillPerMs > 0 and
   * 0 <= cost <= capacity (RangeError otherwise; memory throws it synchronously).
   */
  takeToken(key: string, p: TokenBucketParams): TokenBucketResult | Promise<TokenBucketResult>;
  close(): Promise<void>;
}
