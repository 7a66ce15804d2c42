// Power of two choices: two distinct random candidates, the less loaded (in-flight per weight)
// wins. Near least-connections quality without a scan, and no herd on the single idlest target.
import type { Balancer, BalancerContext, BalancedTarget } from './balancer.js';

export class PowerOfTwoChoicesBalancer implements Balancer {
  constructor(private readonly random: () => number) {}

  pick<T extends BalancedTarget>(candidates: readonly T[]): T {
    const n = candidates.length;
    if (n === 1) return candidates[0] as T;
    const i = Math.min(n - 1, Math.floor(this.random() * n));
    let j = Math.min(n - 2, Math.floor(this.random() * (n - 1)));
    if (j >= i) j++;
    const a = candidates[i] as T;
    const b = candidates[j] as T;
    // b.active / b.weight < a.active / a.weight; a tie keeps a (itself a random choice).
    return b.active * a.weight < a.active * b.weight ? b : a;
  }
}

export const createP2c = (ctx: BalancerContext): Balancer => new PowerOfTwoChoicesBalancer(ctx.random);
