// rate_limit: token buckets per route.rate_limits entry, keyed by a key expression, in the memory or
// Redis key-value store. Every limit takes one token; the first refusal ends the request with 429.
// Memory-only routes answer synchronously; a Redis limit makes the stage wait for Redis.
//
// Redis down = fail OPEN. A shared-counter outage must not take the site down with it: the gateway
// keeps serving, unlimited by that limit, and warns (at most once per warn interval, with a count of
// what it skipped). After a failure the Redis limits of the route are skipped for a short while
// instead of each request waiting out the command timeout, then tried again. Memory limits on the same
// route keep working. Operators who prefer failing closed can pair a Redis limit with a looser
// memory limit on the same key, which still applies per process.
import type { Logger } from 'pino';
import type { RateLimitConfig, RouteConfig } from '../../config/schema.js';
import type { KeyValueStore, TokenBucketParams, TokenBucketResult } from '../../store/kv.js';
import { metrics } from '../../telemetry/metrics.js';
import { type KeyFn, compileKeyExpr } from '../key-expr.js';
import {
  type RequestContext,
  type Stage,
  StageConfigError,
  type StageDeps,
  type StageFactory,
  type StageResult,
  type Verdict,
} from '../stage.js';

/** One compiled route.rate_limits entry. */
interface Limit {
  /** The limit's name, or its index in rate_limits: the metric label and part of the bucket key. */
  readonly label: string;
  /** "rl:<route>:<label>:" */
  readonly keyPrefix: string;
  readonly key: KeyFn;
  readonly store: KeyValueStore;
  readonly isRedis: boolean;
  readonly params: TokenBucketParams;
  /** RateLimit-Limit header value. */
  readonly limitHeader: string;
  readonly reason: string;
  readonly rejected: { inc(): void };
}

export interface RateLimitOptions {
  /** Clock in ms for the Redis failure back-off and warning interval. Default performance.now. */
  now?: () => number;
  /** After a Redis failure, skip the route's Redis limits for this long. Default 1000 ms. */
  redisRetryMs?: number;
  /** At most one fail-open warning per this interval. Default 10 s. */
  warnIntervalMs?: number;
}

function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as Promise<T>).then === 'function';
}

/** Lower remaining is more restrictive; on a tie the bucket that takes longer to refill. */
function moreRestrictive(a: TokenBucketResult, b: TokenBucketResult): boolean {
  return a.remaining < b.remaining || (a.remaining === b.remaining && a.resetMs > b.resetMs);
}

export class RateLimitStage implements Stage {
  readonly name = 'rate_limit';
  private readonly limits: readonly Limit[];
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly redisRetryMs: number;
  private readonly warnIntervalMs: number;
  /** Clock time before which Redis limits are skipped (fail-open back-off). */
  private redisSkipUntil = -Infinity;
  private lastWarnAt = -Infinity;
  /** Requests that went unlimited by Redis since the last warning. */
  private failOpenCount = 0;

  constructor(route: RouteConfig, deps: StageDeps, opts: RateLimitOptions = {}) {
    this.log = deps.log;
    this.now = opts.now ?? (() => performance.now());
    this.redisRetryMs = opts.redisRetryMs ?? 1000;
    this.warnIntervalMs = opts.warnIntervalMs ?? 10_000;
    const labels = new Set<string>();
    this.limits = route.rate_limits.map((cfg, i) => {
      const label = cfg.name ?? String(i);
      if (labels.has(label))
        throw new StageConfigError(`rate limit name "${label}" is used twice on this route`, ['rate_limits', i, 'name']);
      labels.add(label);
      return compileLimit(route, cfg, i, label, deps);
    });
  }

  run(ctx: RequestContext): StageResult | Promise<StageResult> {
    if (this.limits.length === 0) return undefined;
    return this.runFrom(ctx, 0, undefined, undefined);
  }

  private runFrom(
    ctx: RequestContext,
    start: number,
    best: TokenBucketResult | undefined,
    bestLimit: Limit | undefined,
  ): StageResult | Promise<StageResult> {
    const limits = this.limits;
    for (let i = start; i < limits.length; i++) {
      const l = limits[i] as Limit;
      if (l.isRedis && this.now() < this.redisSkipUntil) {
        this.failOpenCount++;
        continue;
      }
      let r: TokenBucketResult | Promise<TokenBucketResult>;
      try {
        r = l.store.takeToken(l.keyPrefix + l.key(ctx), l.params);
      } catch (err) {
        this.storeFailed(l, err);
        continue;
      }
      if (isPromise(r)) return this.awaitLimit(ctx, i, r, best, bestLimit);
      if (!r.allowed) return this.refuse(ctx, l, r);
      if (best === undefined || moreRestrictive(r, best)) {
        best = r;
        bestLimit = l;
      }
    }
    if (best !== undefined && bestLimit !== undefined) publish(ctx, bestLimit, best);
    return undefined;
  }

  private async awaitLimit(
    ctx: RequestContext,
    i: number,
    pending: Promise<TokenBucketResult>,
    best: TokenBucketResult | undefined,
    bestLimit: Limit | undefined,
  ): Promise<StageResult> {
    const l = this.limits[i] as Limit;
    let r: TokenBucketResult;
    try {
      r = await pending;
    } catch (err) {
      this.storeFailed(l, err);
      return this.runFrom(ctx, i + 1, best, bestLimit);
    }
    if (!r.allowed) return this.refuse(ctx, l, r);
    if (best === undefined || moreRestrictive(r, best)) return this.runFrom(ctx, i + 1, r, l);
    return this.runFrom(ctx, i + 1, best, bestLimit);
  }

  private refuse(ctx: RequestContext, l: Limit, r: TokenBucketResult): Verdict {
    publish(ctx, l, r);
    l.rejected.inc();
    const retryAfter = Math.max(1, Math.ceil(r.retryAfterMs / 1000));
    return {
      action: 'deny',
      status: 429,
      reason: l.reason,
      body: { error: 'rate_limited', reason: l.reason, limit: l.label, retry_after: retryAfter },
      headers: { 'Retry-After': String(retryAfter) },
    };
  }

  private storeFailed(l: Limit, err: unknown): void {
    const now = this.now();
    if (l.isRedis) this.redisSkipUntil = now + this.redisRetryMs;
    this.failOpenCount++;
    if (now - this.lastWarnAt < this.warnIntervalMs) return;
    this.lastWarnAt = now;
    this.log.warn(
      {
        err: err instanceof Error ? err.message : String(err),
        limit: l.label,
        backend: l.store.kind,
        failed_open: this.failOpenCount,
      },
      'rate limit store failed; requests pass unlimited by it (fail open)',
    );
    this.failOpenCount = 0;
  }
}

function publish(ctx: RequestContext, l: Limit, r: TokenBucketResult): void {
  const h = ctx.responseHeaders;
  h['RateLimit-Limit'] = l.limitHeader;
  h['RateLimit-Remaining'] = String(r.remaining);
  h['RateLimit-Reset'] = String(Math.ceil(r.resetMs / 1000));
  ctx.signals.ratelimit = { remaining: r.remaining };
}

function compileLimit(route: RouteConfig, cfg: RateLimitConfig, i: number, label: string, deps: StageDeps): Limit {
  const capacity = cfg.burst ?? cfg.rate;
  if (!(capacity >= 1))
    throw new StageConfigError(
      `rate limit "${label}": bucket capacity (burst, or rate when burst is absent) must be at least 1, got ${capacity}`,
      ['rate_limits', i, cfg.burst === undefined ? 'rate' : 'burst'],
    );
  if (!(cfg.per > 0))
    throw new StageConfigError(`rate limit "${label}": per must be a positive duration`, ['rate_limits', i, 'per']);
  let store: KeyValueStore;
  if (cfg.backend === 'redis') {
    if (!deps.kv.redis)
      throw new StageConfigError(
        `rate limit "${label}" uses backend redis but no Redis is configured (set store.redis_url or SHIELDX_REDIS_URL)`,
        ['rate_limits', i, 'backend'],
      );
    store = deps.kv.redis;
  } else {
    store = deps.kv.memory;
  }
  return {
    label,
    keyPrefix: `rl:${route.name}:${label}:`,
    key: compileKeyExpr(cfg.key, ['rate_limits', i, 'key']),
    store,
    isRedis: cfg.backend === 'redis',
    params: Object.freeze({ capacity, refillPerMs: cfg.rate / cfg.per, cost: 1 }),
    limitHeader: String(Math.floor(capacity)),
    reason: `rate limit "${label}" exceeded`,
    rejected: metrics.rateLimited.labels(route.name, label),
  };
}

export const rateLimitStage: StageFactory = {
  name: 'rate_limit',
  description:
    'Token-bucket rate limits per route (keyed by ip, tenant, route, header:NAME, ...), in memory or Redis; 429 with Retry-After when a bucket is empty.',
  create(route: RouteConfig, deps: StageDeps): Stage {
    return new RateLimitStage(route, deps);
  },
};
