// Aho–Corasick multi-phrase search over bytes, case-insensitive the way ModSecurity's @pm is: both
// phrases and input are lower-cased with the ASCII-only C tolower(). Not an operator itself.
import { LOWER } from './operand.js';
import type { Operator } from './registry.js';

export class PhraseMatcher {
  /** Dense transitions of the root (the hottest state), -1 for none. */
  private readonly rootNext = new Int32Array(256).fill(-1);
  // Children of other states in CSR form: labels/targets[first[s] .. first[s] + count[s]).
  private readonly first: Int32Array;
  private readonly count: Int32Array;
  private readonly labels: Uint8Array;
  private readonly targets: Int32Array;
  private readonly fail: Int32Array;
  /** Phrase index ending at this state (itself or via its fail chain, the longest), or -1. */
  private readonly out: Int32Array;
  readonly size: number;

  constructor(readonly phrases: readonly string[]) {
    const kids: Map<number, number>[] = [new Map()];
    const term: number[] = [-1];
    phrases.forEach((phrase, index) => {
      if (phrase.length === 0) return;
      let s = 0;
      for (let i = 0; i < phrase.length; i++) {
        const c = LOWER[phrase.charCodeAt(i) & 0xff];
        let t = kids[s].get(c);
        if (t === undefined) {
          t = kids.length;
          kids.push(new Map());
          term.push(-1);
          kids[s].set(c, t);
        }
        s = t;
      }
      if (term[s] < 0) term[s] = index;
    });
    const n = kids.length;
    this.size = phrases.filter((p) => p.length > 0).length;
    this.first = new Int32Array(n);
    this.count = new Int32Array(n);
    let total = 0;
    for (const k of kids) total += k.size;
    this.labels = new Uint8Array(total);
    this.targets = new Int32Array(total);
    let pos = 0;
    for (let s = 0; s < n; s++) {
      const entries = [...kids[s].entries()].sort((a, b) => a[0] - b[0]);
      this.first[s] = pos;
      this.count[s] = entries.length;
      for (const [c, t] of entries) {
        this.labels[pos] = c;
        this.targets[pos++] = t;
      }
    }
    for (const [c, t] of kids[0]) this.rootNext[c] = t;
    // Breadth-first: fail links and output links.
    this.fail = new Int32Array(n);
    this.out = new Int32Array(n).fill(-1);
    const queue: number[] = [];
    for (const t of kids[0].values()) {
      this.fail[t] = 0;
      this.out[t] = term[t];
      queue.push(t);
    }
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q];
      for (const [c, t] of kids[s]) {
        let f = this.fail[s];
        let next = this.step(f, c);
        while (next < 0 && f !== 0) {
          f = this.fail[f];
          next = this.step(f, c);
        }
        this.fail[t] = Math.max(next, 0);
        this.out[t] = term[t] >= 0 ? term[t] : this.out[this.fail[t]];
        queue.push(t);
      }
    }
  }

  private step(s: number, c: number): number {
    if (s === 0) return this.rootNext[c];
    const end = this.first[s] + this.count[s];
    for (let k = this.first[s]; k < end; k++) if (this.labels[k] === c) return this.targets[k];
    return -1;
  }

  /** Index of the phrase found first (earliest end; the longest of those ending there), or -1. */
  search(value: string): number {
    let s = 0;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code > 255) {
        s = 0; // never part of a phrase
        continue;
      }
      const c = LOWER[code];
      let t = this.step(s, c);
      while (t < 0 && s !== 0) {
        s = this.fail[s];
        t = this.step(s, c);
      }
      s = Math.max(t, 0);
      const hit = this.out[s];
      if (hit >= 0) return hit;
    }
    return -1;
  }
}

/** The @pm / @pmFromFile evaluation: a hit stores the phrase (as written in the rule) in TX:0. */
export function phraseOperator(matcher: PhraseMatcher): Operator {
  if (matcher.size === 0) return { evaluate: () => false };
  return {
    evaluate(ctx, value) {
      const hit = matcher.search(value);
      if (hit < 0) return false;
      if (ctx.capturing) ctx.capture(0, matcher.phrases[hit]);
      return true;
    },
  };
}
