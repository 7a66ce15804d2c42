// Weighted rendezvous (highest random weight) hashing: each candidate scores
// -weight / ln(u), u = hash(key, target) mapped into (0, 1), and the highest score wins. A key
// keeps its target while that target is available; when one goes away only its keys move, spread
// over the rest in proportion to weight. Retries (tried targets excluded) go to the next-best.
import type { Balancer, BalancerContext, BalancedTarget } from './balancer.js';
import { fmix32, fnv1a32, pairHash } from './hash.js';

const TWO_POW_32 = 4294967296;

export class RendezvousBalancer implements Balancer {
  /** Per-target seed from its id, so a target's scores do not depend on its position. */
  private readonly seeds: Uint32Array;

  constructor(ctx: BalancerContext) {
    this.seeds = new Uint32Array(ctx.targets.length);
    for (const t of ctx.targets) this.seeds[t.index] = fmix32(fnv1a32(t.id));
  }

  pick<T extends BalancedTarget>(candidates: readonly T[], hashKey: string): T {
    const n = candidates.length;
    if (n === 1) return candidates[0] as T;
    const kh = fnv1a32(hashKey);
    let best = candidates[0] as T;
    let bestScore = -1;
    for (let i = 0; i < n; i++) {
      const t = candidates[i] as T;
      const u = (pairHash(kh, this.seeds[t.index] as number) + 0.5) / TWO_POW_32;
      const score = -t.weight / Math.log(u);
      // Equal scores (practically never) fall back to id order so every process agrees.
      if (score > bestScore || (score === bestScore && t.id < best.id)) {
        best = t;
        bestScore = score;
      }
    }
    return best;
  }
}

export const createRendezvous = (ctx: BalancerContext): Balancer => new RendezvousBalancer(ctx);
