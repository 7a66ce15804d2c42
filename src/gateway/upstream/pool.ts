// An upstream pool: its targets (one undici Pool each), the balancer that picks among the available
// ones, passive outlier detection, active health checks, the circuit breaker and the retry budget.
//
// The proxy's attempt protocol:
//   t = pool.pick(key, tried)          undefined -> 503, no target available
//   pool.breaker.tryAcquire()          false -> 503, circuit open
//   pool.begin(t) ... pool.end(t, latencyMs, failure?)   outcome feeds balancer, outlier
//                                      detection, breaker (and its half-open slot) and metrics
//   or pool.cancel(t)                  attempt abandoned without an upstream outcome
import type { UpstreamConfig } from '../../config/schema.js';
import { metrics } from '../../telemetry/metrics.js';
import { silentLogger, type Logger } from '../../telemetry/log.js';
import type { Balancer } from './balancers/balancer.js';
import { createBalancer } from './balancers/registry.js';
import { CircuitBreaker, type BreakerState } from './breaker.js';
import { monotonicNow, type Clock } from './clock.js';
import { HealthChecker } from './health-check.js';
import { OutlierDetector } from './outlier-detector.js';
import { RetryBudget } from './retry-budget.js';
import { createTargets, UPSTREAM_KEEPALIVE_MS, type FailureKind, type Target, type UpstreamTarget } from './target.js';

export type { FailureKind, Target } from './target.js';
export type { BreakerState } from './breaker.js';

const BREAKER_GAUGE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

export interface UpstreamPoolOptions {
  log?: Logger;
  /** Monotonic ms clock for ejection, breaker, retry budget and EWMA (default performance.now). */
  now?: Clock;
  /** Uniform [0, 1) source for p2c (default Math.random). */
  random?: () => number;
  /** Idle keep-alive of upstream connections in ms (default 4 s). */
  keepAliveTimeout?: number;
}

/** A target's state as the admin API shows it. */
export interface TargetSnapshot {
  id: string;
  weight: number;
  active: number;
  healthy: boolean;
  ejected: boolean;
  /** ms until the ejection ends (0 when not ejected). */
  ejectedForMs: number;
}

export class UpstreamPool {
  readonly targets: readonly Target[];
  readonly breaker: CircuitBreaker;
  readonly retryBudget: RetryBudget;
  /** Present when health_check is configured. */
  readonly health: HealthChecker | undefined;

  private readonly all: readonly UpstreamTarget[];
  private readonly balancer: Balancer;
  private readonly outliers: OutlierDetector;
  private readonly log: Logger;
  private readonly now: Clock;
  /** Scratch buffer for pick(): reused so picking allocates nothing. */
  private readonly candidates: UpstreamTarget[] = [];
  private closing: Promise<void> | undefined;

  constructor(
    readonly name: string,
    readonly cfg: UpstreamConfig,
    opts: UpstreamPoolOptions = {},
  ) {
    this.log = (opts.log ?? silentLogger).child({ upstream: name });
    this.now = opts.now ?? monotonicNow;
    // Validate everything that can throw before creating dispatchers, so a bad config leaks nothing.
    try {
      this.breaker = new CircuitBreaker(cfg.circuit_breaker, this.now, this.breakerChanged);
      this.retryBudget = new RetryBudget(cfg.retries, this.now);
    } catch (e) {
      throw new Error(`upstream "${name}": ${(e as Error).message}`);
    }
    const all = createTargets(name, cfg, opts.keepAliveTimeout ?? UPSTREAM_KEEPALIVE_MS);
    this.all = all;
    this.targets = all;
    try {
      this.balancer = createBalancer(cfg.balancer, {
        targets: all,
        now: this.now,
        random: opts.random ?? Math.random,
        failurePenaltyMs: cfg.connect_timeout,
      });
      this.health = cfg.health_check ? new HealthChecker(all, cfg.health_check, this.healthChanged, this.log) : undefined;
    } catch (e) {
      for (const t of all) void t.dispatcher.destroy();
      throw new Error(`upstream "${name}": ${(e as Error).message}`);
    }
    this.outliers = new OutlierDetector(cfg.outlier_detection, all.length, this.ejectionChanged);
    for (const t of all) metrics.upstreamHealthy.set(t.gaugeLabels, 1);
    metrics.breakerState.set({ upstream: name }, 0);
  }

  /**
   * Choose a target among the available ones (healthy, not ejected), excluding `exclude` (targets
   * already tried). hashKey is the evaluated hash_key, used by rendezvous. undefined = none available.
   */
  pick(hashKey: string, exclude?: ReadonlySet<Target>): Target | undefined {
    const now = this.now();
    const c = this.candidates;
    c.length = 0;
    for (let i = 0; i < this.all.length; i++) {
      const t = this.all[i] as UpstreamTarget;
      if (t.ejectedUntil !== 0) this.outliers.refresh(t, now);
      if (!t.healthy || t.ejectedUntil !== 0) continue;
      if (exclude?.has(t)) continue;
      c.push(t);
    }
    if (c.length === 0) return undefined;
    const t = c.length === 1 ? (c[0] as UpstreamTarget) : this.balancer.pick(c, hashKey);
    c.length = 0;
    return t;
  }

  /** An attempt starts on t. */
  begin(t: Target): void {
    this.own(t).active++;
  }

  /**
   * An attempt on t ended: success (failure undefined) or a failure kind; latencyMs to response
   * headers. Updates in-flight count, balancer latency, outlier detection, the breaker (and its
   * half-open trial slot) and shieldx_upstream_errors_total.
   */
  end(t: Target, latencyMs: number, failure?: FailureKind): void {
    const u = this.own(t);
    if (u.active > 0) u.active--;
    this.balancer.observe?.(u, latencyMs, failure !== undefined);
    if (failure === undefined) {
      this.outliers.onSuccess(u);
      this.breaker.onSuccess();
      return;
    }
    const labels = u.errorLabels[failure];
    if (labels === undefined) throw new Error(`unknown upstream failure kind "${failure}"`);
    metrics.upstreamErrors.inc(labels);
    this.outliers.onFailure(u, this.now());
    this.breaker.onFailure();
  }

  /** An attempt begun on t was abandoned without an upstream outcome (e.g. the client went away). */
  cancel(t: Target): void {
    const u = this.own(t);
    if (u.active > 0) u.active--;
    this.breaker.release();
  }

  /** Start active health checks (no-op without health_check config or when already started). */
  startHealthChecks(): void {
    if (this.closing === undefined) this.health?.start();
  }

  /** Whether t would be considered by pick() now. */
  isAvailable(t: Target): boolean {
    const u = this.own(t);
    if (u.ejectedUntil !== 0) this.outliers.refresh(u, this.now());
    return u.available;
  }

  snapshot(): { name: string; balancer: string; breaker: BreakerState; targets: TargetSnapshot[] } {
    const now = this.now();
    return {
      name: this.name,
      balancer: this.cfg.balancer,
      breaker: this.breaker.state,
      targets: this.all.map((t) => {
        if (t.ejectedUntil !== 0) this.outliers.refresh(t, now);
        return {
          id: t.id,
          weight: t.weight,
          active: t.active,
          healthy: t.healthy,
          ejected: t.ejectedUntil !== 0,
          ejectedForMs: t.ejectedUntil === 0 ? 0 : Math.max(0, t.ejectedUntil - now),
        };
      }),
    };
  }

  /** Stop health checks and ejection timers, then close the dispatchers (in-flight requests finish). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const t of this.all) {
        clearTimeout(t.returnTimer);
        t.returnTimer = undefined;
      }
      await this.health?.close();
      await Promise.allSettled(this.all.map((t) => t.dispatcher.close()));
    })();
    return this.closing;
  }

  private own(t: Target): UpstreamTarget {
    const u = this.all[t.index];
    if (u !== t) throw new Error(`target ${t?.id} does not belong to upstream "${this.name}"`);
    return u;
  }

  private publish(t: UpstreamTarget): void {
    metrics.upstreamHealthy.set(t.gaugeLabels, t.available ? 1 : 0);
  }

  private readonly breakerChanged = (s: BreakerState): void => {
    metrics.breakerState.set({ upstream: this.name }, BREAKER_GAUGE[s]);
    if (s === 'open') this.log.warn('circuit breaker opened');
    else this.log.info({ state: s }, 'circuit breaker state changed');
  };

  private readonly healthChanged = (t: Target, healthy: boolean): void => {
    const u = this.own(t);
    u.healthy = healthy;
    this.publish(u);
    if (healthy) this.log.info({ target: t.id }, 'upstream target healthy');
    else this.log.warn({ target: t.id }, 'upstream target unhealthy');
  };

  private readonly ejectionChanged = (t: UpstreamTarget, ejected: boolean): void => {
    this.publish(t);
    clearTimeout(t.returnTimer);
    t.returnTimer = undefined;
    if (ejected) {
      const forMs = t.ejectedUntil - this.now();
      this.log.warn({ target: t.id, for_ms: forMs, times: t.timesEjected }, 'upstream target ejected');
      // Publish the return even when no pick comes along to notice it.
      if (this.closing === undefined) t.returnTimer = setTimeout(this.returnDue, Math.max(0, forMs) + 1, t).unref();
    } else {
      this.log.info({ target: t.id }, 'upstream target returned from ejection');
    }
  };

  private readonly returnDue = (t: UpstreamTarget): void => {
    t.returnTimer = undefined;
    this.outliers.refresh(t, this.now());
  };
}
