// Argument checks shared by every KeyValueStore implementation, so bad input gets the same clear
// error from memory and Redis (and never reaches Redis as a malformed command).
import type { TokenBucketParams } from './kv.js';

/** A TTL in whole milliseconds (>= 1), or undefined for "no expiry". Throws RangeError on bad input. */
export function checkTtlMs(ttlMs: number | undefined): number | undefined {
  if (ttlMs === undefined) return undefined;
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`ttlMs must be a positive finite number of milliseconds, got ${String(ttlMs)}`);
  }
  // Sub-millisecond TTLs round up: a key never expires before it was asked to.
  return Math.ceil(ttlMs);
}

/** An incrBy delta: integers must be safe integers (Redis INCRBY is int64); others finite. */
export function checkDelta(delta: number): void {
  if (typeof delta !== 'number' || !Number.isFinite(delta)) {
    throw new RangeError(`incrBy delta must be a finite number, got ${String(delta)}`);
  }
  if (Number.isInteger(delta) && !Number.isSafeInteger(delta)) {
    throw new RangeError(`incrBy delta ${delta} is outside the safe integer range`);
  }
}

export function checkValue(value: string): void {
  if (typeof value !== 'string') throw new TypeError(`value must be a string, got ${typeof value}`);
}

export function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new TypeError('key must be a non-empty string');
}

/**
 * Throws RangeError unless capacity > 0, refillPerMs > 0 and 0 <= cost <= capacity (all finite), and
 * the bucket fills from empty within MAX_REFILL_MS.
 */
export function checkBucketParams(p: TokenBucketParams): void {
  const { capacity, refillPerMs, cost } = p;
  // Written as negated comparisons so NaN fails too.
  if (!(capacity > 0 && capacity < Infinity)) {
    throw new RangeError(`token bucket capacity must be a positive finite number, got ${String(capacity)}`);
  }
  if (!(refillPerMs > 0 && refillPerMs < Infinity)) {
    throw new RangeError(`token bucket refillPerMs must be a positive finite number, got ${String(refillPerMs)}`);
  }
  if (!(cost >= 0 && cost <= capacity)) {
    // A cost above capacity could never be granted; refusing it forever with a retry time would lie.
    throw new RangeError(`token bucket cost must be between 0 and capacity (${capacity}), got ${String(cost)}`);
  }
  if (capacity / refillPerMs > MAX_REFILL_MS) {
    // Keeps every retry/reset time an exact integer that Redis PEXPIRE and JSON both accept.
    throw new RangeError(`token bucket refills too slowly: ${capacity / refillPerMs} ms to fill exceeds ${MAX_REFILL_MS}`);
  }
}

/** Longest time a bucket may take to fill from empty (about 31,700 years). */
export const MAX_REFILL_MS = 1e15;
