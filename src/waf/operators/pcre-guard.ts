// Load-time guard against catastrophic (exponential) backtracking in @rx patterns.
//
// V8's regex engine backtracks like PCRE and cannot be interrupted, so a pattern such as `(a+)+$`,
// `(a|a)*$` or `(\d{1,3})+x` could pin the event loop on a crafted value. Instead of rejecting every
// nested quantifier (CRS relies on safe ones like `/\*[^*]*\*+(?:[^*/][^*]*\*+)*/`), we look for the
// actual cause: exponential degree of ambiguity (EDA) in the pattern's automaton.
//
// The check:
//   1. Build a position automaton (Glushkov construction) in which each character class is a state and
//      edges are "may be followed by". Unlike textbook Glushkov, an edge keeps its multiplicity (capped
//      at 2): `(a+)+` yields the edge a→a twice (inner loop, outer loop) — exactly the two choices a
//      backtracking matcher would try. Bounded repeats up to {,8} are unrolled (so `(a{1,3})+` is seen
//      for what it is); larger ones are treated as unbounded, which only errs on the safe side.
//   2. In each strongly connected component (each loop), the automaton is EDA iff some state q has two
//      different cycles reading the same string: either a doubled edge inside the loop, or, in the
//      product automaton (pairs of states reading the same character), a pair of different states
//      reachable from a pair (q,q) that leads back to a pair (x,x) — from there both copies can return
//      to q along the same path.
//   3. Lookarounds and atomic / possessive parts are analysed on their own (their insides still
//      backtrack), and in the enclosing pattern count as one opaque step, since the matcher never
//      re-enters them to try another split. Assertions and backreferences count as empty.
// Patterns found ambiguous (or too big to analyse) are not rejected: pcre.ts runs them on the
// linear-time matcher in pcre-vm.ts instead of a JS RegExp. Polynomial blow-ups (`\s*\s*x`) are not
// reported: the engine bounds inspected lengths instead.
import { ByteSet, type Node } from './pcre-ast.js';

interface Frag {
  first: Map<number, number>;
  last: Map<number, number>;
  /** Number of distinct ways to match the empty string, capped at 2. */
  nulls: number;
}

const UNROLL_MAX = 8;
const MAX_POSITIONS = 50_000;
const MAX_STEPS = 4_000_000;
// \R: LF VT FF CR NEL (CRLF is modelled as one step; only over-approximates).
const LINE_BREAKS = ByteSet.range(10, 13).add(0x85);

function unionInto(a: Map<number, number>, b: Map<number, number>, times = 1): Map<number, number> {
  if (times === 0) return a;
  for (const [p, m] of b) a.set(p, Math.min(2, (a.get(p) ?? 0) + m * times));
  return a;
}

class Automaton {
  readonly sets: ByteSet[] = [];
  readonly offsets: number[] = [];
  readonly follow: Map<number, number>[] = [];

  private newPos(set: ByteSet, offset: number): Frag {
    if (this.sets.length >= MAX_POSITIONS) throw new TooComplex();
    const p = this.sets.length;
    this.sets.push(set);
    this.offsets.push(offset);
    this.follow.push(new Map());
    return { first: new Map([[p, 1]]), last: new Map([[p, 1]]), nulls: 0 };
  }

  private link(from: Map<number, number>, to: Map<number, number>): void {
    for (const [p, m1] of from) {
      const f = this.follow[p];
      for (const [q, m2] of to) f.set(q, Math.min(2, (f.get(q) ?? 0) + m1 * m2));
    }
  }

  private seq(a: Frag, b: Frag): Frag {
    this.link(a.last, b.first);
    return {
      first: unionInto(new Map(a.first), b.first, a.nulls),
      last: unionInto(new Map(b.last), a.last, b.nulls),
      nulls: Math.min(2, a.nulls * b.nulls),
    };
  }

  private static readonly EMPTY: Frag = { first: new Map(), last: new Map(), nulls: 1 };

  /** An opaque step for an atomic part: analysed separately, entered once, never re-split. */
  private opaque(body: Node, offset: number, nullable: boolean): Frag {
    const inner = this.build(body);
    let set: ByteSet | undefined;
    for (const p of inner.first.keys()) set = set === undefined ? this.sets[p].clone() : set.addSet(this.sets[p]);
    if (set === undefined) return Automaton.EMPTY;
    const f = this.newPos(set, offset);
    f.nulls = nullable || inner.nulls > 0 ? 1 : 0;
    return f;
  }

  build(n: Node): Frag {
    switch (n.type) {
      case 'empty':
      case 'assert':
      case 'backref':
        return Automaton.EMPTY;
      case 'chars':
        return this.newPos(n.set, n.offset);
      case 'newline':
        return this.newPos(LINE_BREAKS, n.offset);
      case 'group':
        return this.build(n.body);
      case 'look':
        this.build(n.body);
        return Automaton.EMPTY;
      case 'atomic':
        return this.opaque(n.body, n.offset, false);
      case 'seq': {
        let acc = Automaton.EMPTY;
        for (const item of n.items) acc = this.seq(acc, this.build(item));
        return acc;
      }
      case 'alt': {
        const out: Frag = { first: new Map(), last: new Map(), nulls: 0 };
        for (const a of n.alts) {
          const f = this.build(a);
          unionInto(out.first, f.first);
          unionInto(out.last, f.last);
          out.nulls = Math.min(2, out.nulls + f.nulls);
        }
        return out;
      }
      case 'repeat':
        return this.repeat(n);
    }
  }

  private repeat(n: Extract<Node, { type: 'repeat' }>): Frag {
    if (n.max === 0) return Automaton.EMPTY;
    if (n.mode === 'possessive') return this.opaque(n.body, n.offset, n.min === 0);
    // JS (like PCRE) never counts an empty iteration of an optional loop as a distinct match.
    const optional = (f: Frag): Frag => ({ first: f.first, last: f.last, nulls: 1 });
    if (n.max === 1) {
      const f = this.build(n.body);
      return n.min === 0 ? optional(f) : f;
    }
    if (n.max <= UNROLL_MAX) {
      let tail = Automaton.EMPTY;
      for (let k = n.max - n.min; k > 0; k--) tail = optional(this.seq(this.build(n.body), tail));
      let acc = Automaton.EMPTY;
      for (let k = 0; k < n.min; k++) acc = this.seq(acc, this.build(n.body));
      return this.seq(acc, tail);
    }
    const f = this.build(n.body);
    this.link(f.last, f.first);
    return n.min === 0 ? optional(f) : f;
  }
}

/** Offset of an exponentially ambiguous repetition; -1 when there is none; -2 when too big to tell. */
export function backtrackingRisk(root: Node): number {
  // Cycles exist only inside loops, so only loop subtrees are built (keeps the automata small: CRS
  // patterns are mostly large alternations around a few small loops).
  const loops: Node[] = [];
  collectLoops(root, loops);
  try {
    for (const loop of loops) {
      const a = new Automaton();
      a.build(loop);
      const bad = findExponentialState(a);
      if (bad >= 0) return a.offsets[bad];
    }
    return -1;
  } catch (e) {
    if (e instanceof TooComplex) return -2;
    throw e;
  }
}

function collectLoops(n: Node, out: Node[]): void {
  switch (n.type) {
    case 'repeat':
      if (n.mode !== 'possessive' && n.max > UNROLL_MAX) {
        out.push(n);
        return;
      }
      collectLoops(n.body, out);
      return;
    case 'seq':
      for (const i of n.items) collectLoops(i, out);
      return;
    case 'alt':
      for (const a of n.alts) collectLoops(a, out);
      return;
    case 'group':
    case 'atomic':
    case 'look':
      collectLoops(n.body, out);
      return;
  }
}

class TooComplex extends Error {}

/** Returns a state on an ambiguous cycle, or -1. */
function findExponentialState(a: Automaton): number {
  const comp = stronglyConnected(a.follow);
  const members = new Map<number, number[]>();
  comp.forEach((c, p) => {
    let list = members.get(c);
    if (list === undefined) members.set(c, (list = []));
    list.push(p);
  });
  let steps = 0;
  for (const states of members.values()) {
    const c = comp[states[0]];
    // Successors inside the same component only: a cycle cannot leave it.
    const succ = new Map<number, [number, number][]>();
    let cyclic = states.length > 1;
    for (const p of states) {
      const out: [number, number][] = [];
      for (const [q, m] of a.follow[p]) {
        if (comp[q] !== c) continue;
        if (q === p) cyclic = true;
        if (m >= 2) return p; // two distinct edges p→q inside a loop
        out.push([q, m]);
      }
      succ.set(p, out);
    }
    if (!cyclic) continue;
    // Product automaton over unordered pairs of different states, entered from diagonal pairs.
    const seen = new Set<number>();
    const queue: number[] = [];
    const key = (p: number, r: number): number => (p < r ? p * MAX_POSITIONS + r : r * MAX_POSITIONS + p);
    for (const q of states) {
      const out = succ.get(q)!;
      for (let i = 0; i < out.length; i++) {
        for (let j = i + 1; j < out.length; j++) {
          const p1 = out[i][0];
          const r1 = out[j][0];
          if (!a.sets[p1].intersects(a.sets[r1])) continue;
          const k = key(p1, r1);
          if (!seen.has(k)) {
            seen.add(k);
            queue.push(p1, r1);
          }
        }
      }
    }
    while (queue.length > 0) {
      const r = queue.pop()!;
      const p = queue.pop()!;
      for (const [p1] of succ.get(p)!) {
        for (const [r1] of succ.get(r)!) {
          if (++steps > MAX_STEPS) throw new TooComplex();
          if (!a.sets[p1].intersects(a.sets[r1])) continue;
          if (p1 === r1) return p1; // two different paths met again
          const k = key(p1, r1);
          if (!seen.has(k)) {
            seen.add(k);
            queue.push(p1, r1);
          }
        }
      }
    }
  }
  return -1;
}

/** Tarjan's algorithm, iterative (patterns can be deep). Returns a component id per state. */
function stronglyConnected(follow: Map<number, number>[]): Int32Array {
  const n = follow.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  let counter = 0;
  let compCount = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    const work: [number, Iterator<number>][] = [];
    const visit = (v: number): void => {
      index[v] = low[v] = counter++;
      stack.push(v);
      onStack[v] = 1;
      work.push([v, follow[v].keys()]);
    };
    visit(root);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const v = top[0];
      const next = top[1].next();
      if (!next.done) {
        const w = next.value;
        if (index[w] < 0) visit(w);
        else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low[parent] = Math.min(low[parent], low[v]);
      }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp[w] = compCount;
        } while (w !== v);
        compCount++;
      }
    }
  }
  return comp;
}
