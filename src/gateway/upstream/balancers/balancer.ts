// The balancer contract. A balancer is created once per pool and chooses among the candidates the
// pool hands it (available targets minus those already tried) on every attempt.
import type { Clock } from '../clock.js';

/** What a balancer reads from a target (Target satisfies it; tests can use plain objects). */
export interface BalancedTarget {
  readonly id: string;
  /** Stable position in the pool's target list; per-target state is kept in arrays by it. */
  readonly index: number;
  readonly weight: number;
  readonly active: number;
}

export interface Balancer {
  /**
   * Choose one of `candidates` (never empty; each one of the pool's targets). The array is the
   * pool's scratch buffer: read it, do not keep it. hashKey is only used by hashing balancers.
   */
  pick<T extends BalancedTarget>(candidates: readonly T[], hashKey: string): T;
  /** An attempt on `target` ended after latencyMs (to response headers); failed when it failed. */
  observe?(target: BalancedTarget, latencyMs: number, failed: boolean): void;
}

export interface BalancerContext {
  /** Every target of the pool, in index order. */
  readonly targets: readonly BalancedTarget[];
  readonly now: Clock;
  /** Uniform in [0, 1). */
  readonly random: () => number;
  /** Latency a failed attempt counts as, at least (latency-aware balancers). */
  readonly failurePenaltyMs: number;
}

export type BalancerFactory = (ctx: BalancerContext) => Balancer;
