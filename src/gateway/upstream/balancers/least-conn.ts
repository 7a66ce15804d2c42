// Least connections: fewest in-flight attempts per unit of weight. The scan starts one place later
// on every pick so that ties (an idle pool) rotate instead of always landing on the first target.
import type { Balancer, BalancerContext, BalancedTarget } from './balancer.js';

export class LeastConnBalancer implements Balancer {
  private cursor = 0;

  pick<T extends BalancedTarget>(candidates: readonly T[]): T {
    const n = candidates.length;
    const start = this.cursor % n;
    this.cursor = (this.cursor + 1) & 0x3fffffff;
    let best = candidates[start] as T;
    for (let k = 1; k < n; k++) {
      const t = candidates[(start + k) % n] as T;
      // t.active / t.weight < best.active / best.weight, without dividing.
      if (t.active * best.weight < best.active * t.weight) best = t;
    }
    return best;
  }
}

export const createLeastConn = (_ctx: BalancerContext): Balancer => new LeastConnBalancer();
