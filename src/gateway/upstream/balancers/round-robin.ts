// Smooth weighted round robin (nginx): each pick adds every candidate's weight to its running
// score, takes the highest and subtracts the total from it. Weights 5/1/1 give a a b a c a a, not
// a a a a a b c, and the sequence repeats exactly every sum-of-weights picks.
import type { Balancer, BalancerContext, BalancedTarget } from './balancer.js';

export class RoundRobinBalancer implements Balancer {
  private readonly current: Float64Array;

  constructor(ctx: BalancerContext) {
    this.current = new Float64Array(ctx.targets.length);
  }

  pick<T extends BalancedTarget>(candidates: readonly T[]): T {
    const cur = this.current;
    let best = candidates[0] as T;
    let total = 0;
    for (let i = 0; i < candidates.length; i++) {
      const t = candidates[i] as T;
      cur[t.index] = (cur[t.index] as number) + t.weight;
      total += t.weight;
      // Strictly greater: on a tie the earlier target wins, as in nginx.
      if (i === 0 || (cur[t.index] as number) > (cur[best.index] as number)) best = t;
    }
    cur[best.index] = (cur[best.index] as number) - total;
    return best;
  }
}

export const createRoundRobin = (ctx: BalancerContext): Balancer => new RoundRobinBalancer(ctx);
