// Latency-aware balancing: the lowest ewma latency x (in-flight + 1) / weight wins.
// The EWMA is time-decayed (tau 10 s): a sample's weight grows with the time since the previous
// one, so the estimate covers roughly the last tau whatever the request rate. When read, the
// estimate also decays towards zero with idle time, so a target that was slow gets probed again
// instead of starving. A target with no sample yet scores 0 (optimistic) and is tried first, one
// attempt at a time until it has answered; ties go to fewer in-flight, then rotate.
import type { Clock } from '../clock.js';
import type { Balancer, BalancerContext, BalancedTarget } from './balancer.js';

export const EWMA_TAU_MS = 10_000;

export class EwmaBalancer implements Balancer {
  private readonly latency: Float64Array;
  private readonly sampledAt: Float64Array;
  private readonly known: Uint8Array;
  private readonly now: Clock;
  private readonly penaltyMs: number;
  private cursor = 0;

  constructor(ctx: BalancerContext) {
    const n = ctx.targets.length;
    this.latency = new Float64Array(n);
    this.sampledAt = new Float64Array(n);
    this.known = new Uint8Array(n);
    this.now = ctx.now;
    this.penaltyMs = ctx.failurePenaltyMs;
  }

  /** Current latency estimate in ms (decayed to now); undefined before the first sample. */
  estimate(index: number, now = this.now()): number | undefined {
    return this.known[index] === 0 ? undefined : this.decayed(index, now);
  }

  pick<T extends BalancedTarget>(candidates: readonly T[]): T {
    const n = candidates.length;
    if (n === 1) return candidates[0] as T;
    const now = this.now();
    const start = this.cursor % n;
    this.cursor = (this.cursor + 1) & 0x3fffffff;
    let best = candidates[start] as T;
    let bestCost = this.cost(best, now);
    for (let k = 1; k < n; k++) {
      const t = candidates[(start + k) % n] as T;
      const c = this.cost(t, now);
      if (c < bestCost || (c === bestCost && t.active < best.active)) {
        best = t;
        bestCost = c;
      }
    }
    return best;
  }

  observe(target: BalancedTarget, latencyMs: number, failed: boolean): void {
    let sample = latencyMs >= 0 && Number.isFinite(latencyMs) ? latencyMs : 0;
    // A fast failure (connection refused) must not make a broken target look attractive.
    if (failed && sample < this.penaltyMs) sample = this.penaltyMs;
    const i = target.index;
    const now = this.now();
    if (this.known[i] === 0) {
      this.latency[i] = sample;
      this.known[i] = 1;
    } else {
      const w = Math.exp(-Math.max(0, now - (this.sampledAt[i] as number)) / EWMA_TAU_MS);
      this.latency[i] = (this.latency[i] as number) * w + sample * (1 - w);
    }
    this.sampledAt[i] = now;
  }

  private cost(t: BalancedTarget, now: number): number {
    // Unknown: tried first, but only one attempt at a time until its first answer, so a slow or
    // hung new target cannot soak up every concurrent request meanwhile (0 x anything is 0).
    if (this.known[t.index] === 0) return t.active === 0 ? 0 : Number.POSITIVE_INFINITY;
    return (this.decayed(t.index, now) * (t.active + 1)) / t.weight;
  }

  /** The estimate as if a 0 ms sample arrived now: decays towards 0 with idle time. */
  private decayed(i: number, now: number): number {
    const idle = Math.max(0, now - (this.sampledAt[i] as number));
    return (this.latency[i] as number) * Math.exp(-idle / EWMA_TAU_MS);
  }
}

export const createEwma = (ctx: BalancerContext): Balancer => new EwmaBalancer(ctx);
