// Test helpers for balancers: plain targets and a context with an injectable clock and random source.
import type { BalancerContext, BalancedTarget } from './balancer.js';

export interface FakeTarget extends BalancedTarget {
  active: number;
}

export function fakeTargets(weights: readonly number[]): FakeTarget[] {
  return weights.map((weight, index) => ({ id: `http://10.0.0.${index + 1}:8080`, index, weight, active: 0 }));
}

export function fakeContext(
  targets: readonly BalancedTarget[],
  opts: { now?: () => number; random?: () => number; failurePenaltyMs?: number } = {},
): BalancerContext {
  return {
    targets,
    now: opts.now ?? (() => 0),
    random: opts.random ?? Math.random,
    failurePenaltyMs: opts.failurePenaltyMs ?? 1_000,
  };
}

/** Count picks per target id. */
export function tally<T extends BalancedTarget>(picks: readonly T[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of picks) m.set(t.id, (m.get(t.id) ?? 0) + 1);
  return m;
}
