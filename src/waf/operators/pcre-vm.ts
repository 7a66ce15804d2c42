// Linear-time matcher (a Pike VM: NFA simulation, one pass over the input, no backtracking) for
// patterns the backtracking guard (pcre-guard.ts) finds exponentially ambiguous. Such patterns do
// occur in CRS (e.g. the Accept and Range header checks) and would hang V8's backtracking engine on
// crafted input; here they cost O(input length × pattern size). Match/no-match is exact. Captures
// follow PCRE's leftmost-first priority (greedy/lazy), as a backtracking engine would report them.
// Not supported here (rejected with OperatorError): backreferences, atomic groups, possessive
// quantifiers, captures inside lookarounds — none can be simulated without backtracking.
import { type AssertKind, ByteSet, type Node } from './pcre-ast.js';
import { maxLength } from './pcre-checks.js';
import { OperatorError } from './registry.js';

const CHAR = 0;
const SPLIT = 1; // a: preferred branch, b: other
const JMP = 2;
const SAVE = 3;
const ASSERT = 4;
const LOOK = 5;
const MATCH = 6;

const ASSERT_CODES: Record<AssertKind | 'notcrlf', number> = {
  bos: 0,
  eos: 1,
  eosnl: 2,
  bol: 3,
  eol: 4,
  wordb: 5,
  nwordb: 6,
  notcrlf: 7,
};

/** Capture slots kept: groups 0-9 (TX:0 .. TX:9). */
export const VM_SLOTS = 20;
const MAX_INSTRUCTIONS = 200_000;

interface Look {
  prog: Program;
  behind: boolean;
  negate: boolean;
  /** Longest text the lookbehind body can match (-1: unbounded). */
  maxLen: number;
}

/** A sparse set of program counters (constant-time insert, membership and clear). */
interface StateSet {
  dense: Int32Array;
  sparse: Int32Array;
  size: number;
}

class Program {
  readonly op: Uint8Array;
  readonly a: Int32Array;
  readonly b: Int32Array;
  // Reused scratch state: the VM is synchronous and a program is never re-entered while it runs.
  readonly dense: Int32Array;
  readonly sparse: Int32Array;
  readonly dense2: Int32Array;
  readonly sparse2: Int32Array;
  readonly stack: Int32Array;
  readonly setA: StateSet;
  readonly setB: StateSet;

  constructor(op: number[], a: number[], b: number[]) {
    const n = op.length;
    this.op = Uint8Array.from(op);
    this.a = Int32Array.from(a);
    this.b = Int32Array.from(b);
    this.dense = new Int32Array(n);
    this.sparse = new Int32Array(n);
    this.dense2 = new Int32Array(n);
    this.sparse2 = new Int32Array(n);
    this.stack = new Int32Array(n * 2 + 2);
    this.setA = { dense: this.dense, sparse: this.sparse, size: 0 };
    this.setB = { dense: this.dense2, sparse: this.sparse2, size: 0 };
  }
}

function isWord(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

class Compiler {
  private op: number[] = [];
  private a: number[] = [];
  private b: number[] = [];

  constructor(
    private readonly tables: Uint8Array[],
    private readonly tableKeys: Map<string, number>,
    private readonly looks: Look[],
    private readonly inLook: boolean,
  ) {}

  program(root: Node, saveWhole: boolean): Program {
    if (saveWhole) this.emit(SAVE, 0);
    this.node(root);
    if (saveWhole) this.emit(SAVE, 1);
    this.emit(MATCH);
    return new Program(this.op, this.a, this.b);
  }

  private emit(op: number, a = 0, b = 0): number {
    if (this.op.length >= MAX_INSTRUCTIONS) throw new OperatorError('regex: pattern too large for the linear-time matcher');
    this.op.push(op);
    this.a.push(a);
    this.b.push(b);
    return this.op.length - 1;
  }

  private table(set: ByteSet): number {
    const key = set.w.join(',');
    let t = this.tableKeys.get(key);
    if (t === undefined) {
      const tab = new Uint8Array(256);
      for (let c = 0; c < 256; c++) tab[c] = set.has(c) ? 1 : 0;
      t = this.tables.push(tab) - 1;
      this.tableKeys.set(key, t);
    }
    return t;
  }

  private unsupported(what: string, offset: number): never {
    throw new OperatorError(
      `regex: pattern at offset ${offset} needs the linear-time matcher (its repetitions are ambiguous enough to ` +
        `backtrack exponentially), which does not support ${what}`,
    );
  }

  private node(n: Node): void {
    switch (n.type) {
      case 'empty':
        return;
      case 'chars':
        this.emit(CHAR, this.table(n.set));
        return;
      case 'seq':
        for (const i of n.items) this.node(i);
        return;
      case 'alt': {
        const jumps: number[] = [];
        for (let k = 0; k < n.alts.length; k++) {
          if (k < n.alts.length - 1) {
            const split = this.emit(SPLIT, this.op.length + 1);
            this.node(n.alts[k]);
            jumps.push(this.emit(JMP));
            this.b[split] = this.op.length;
          } else this.node(n.alts[k]);
        }
        for (const j of jumps) this.a[j] = this.op.length;
        return;
      }
      case 'group':
        if (n.index > 0 && this.inLook) this.unsupported('capturing groups inside lookarounds', n.offset);
        if (n.index > 0 && n.index < VM_SLOTS / 2) this.emit(SAVE, n.index * 2);
        this.node(n.body);
        if (n.index > 0 && n.index < VM_SLOTS / 2) this.emit(SAVE, n.index * 2 + 1);
        return;
      case 'look': {
        const sub = new Compiler(this.tables, this.tableKeys, this.looks, true);
        const look: Look = { prog: sub.program(n.body, false), behind: n.behind, negate: n.negate, maxLen: maxLength(n.body) };
        this.emit(LOOK, this.looks.push(look) - 1);
        return;
      }
      case 'assert':
        this.emit(ASSERT, ASSERT_CODES[n.kind]);
        return;
      case 'newline': {
        // \r\n | (?!\r\n)[\n\v\f\r\x85]
        const split = this.emit(SPLIT, this.op.length + 1);
        this.emit(CHAR, this.table(ByteSet.of(13)));
        this.emit(CHAR, this.table(ByteSet.of(10)));
        const jmp = this.emit(JMP);
        this.b[split] = this.emit(ASSERT, ASSERT_CODES.notcrlf);
        this.emit(CHAR, this.table(ByteSet.range(10, 13).add(0x85)));
        this.a[jmp] = this.op.length;
        return;
      }
      case 'repeat':
        this.repeat(n);
        return;
      case 'atomic':
        this.unsupported('atomic groups', n.offset);
        break;
      case 'backref':
        this.unsupported('backreferences', n.offset);
    }
  }

  private repeat(n: Extract<Node, { type: 'repeat' }>): void {
    if (n.mode === 'possessive') this.unsupported('possessive quantifiers', n.offset);
    const lazy = n.mode === 'lazy';
    for (let k = 0; k < n.min; k++) this.node(n.body);
    if (n.max === Infinity) {
      // L: SPLIT body, out; body; JMP L
      const split = this.emit(SPLIT);
      this.node(n.body);
      this.emit(JMP, split);
      this.branch(split, split + 1, this.op.length, lazy);
      return;
    }
    const splits: number[] = [];
    for (let k = n.min; k < n.max; k++) {
      splits.push(this.emit(SPLIT));
      this.node(n.body);
    }
    for (const s of splits) this.branch(s, s + 1, this.op.length, lazy);
  }

  private branch(split: number, body: number, out: number, lazy: boolean): void {
    this.a[split] = lazy ? out : body;
    this.b[split] = lazy ? body : out;
  }
}

/** A compiled linear-time matcher. test() and exec() are synchronous and reuse internal buffers. */
export class PikeVm {
  private readonly tables: Uint8Array[] = [];
  private readonly looks: Look[] = [];
  private readonly main: Program;
  private input = '';
  private lookCache: Int8Array = new Int8Array(0);
  /**
   * Bytes a match can start with (1/0) at a line start and elsewhere (where ^ and \A fail), or null
   * when a match may be empty.
   */
  private readonly firstAtLine: Uint8Array | null;
  private readonly firstMid: Uint8Array | null;

  constructor(root: Node) {
    this.main = new Compiler(this.tables, new Map(), this.looks, false).program(root, true);
    this.firstAtLine = this.firstBytes(this.main, true);
    this.firstMid = this.firstAtLine === null ? null : this.firstBytes(this.main, false);
  }

  /** Union of the CHAR sets reachable from pc 0 without consuming (other assertions assumed to pass). */
  private firstBytes(p: Program, lineStart: boolean): Uint8Array | null {
    const out = new Uint8Array(256);
    const seen = new Uint8Array(p.op.length);
    const stack = [0];
    while (stack.length > 0) {
      const pc = stack.pop()!;
      if (seen[pc]) continue;
      seen[pc] = 1;
      const op = p.op[pc];
      if (op === MATCH) return null;
      if (op === CHAR) {
        const t = this.tables[p.a[pc]];
        for (let c = 0; c < 256; c++) out[c] |= t[c];
      } else if (op === SPLIT) stack.push(p.a[pc], p.b[pc]);
      else if (op === JMP) stack.push(p.a[pc]);
      else if (op !== ASSERT || lineStart || (p.a[pc] !== ASSERT_CODES.bos && p.a[pc] !== ASSERT_CODES.bol)) stack.push(pc + 1);
    }
    return out;
  }

  test(s: string): boolean {
    this.begin(s);
    return this.run(this.main, 0, s.length, false, -1);
  }

  /** Capture slots (start, end pairs for groups 0-9; -1 when unset) of the first match, or null. */
  exec(s: string): Int32Array | null {
    this.begin(s);
    return this.execCaptures(s);
  }

  private begin(s: string): void {
    this.input = s;
    if (this.looks.length === 0) return;
    // One cached answer per (lookaround, position); the buffer is reused across calls.
    const size = this.looks.length * (s.length + 1);
    if (this.lookCache.length < size) this.lookCache = new Int8Array(size);
    else this.lookCache.fill(0, 0, size);
  }

  private check(kind: number, i: number): boolean {
    const s = this.input;
    const n = s.length;
    switch (kind) {
      case 0:
        return i === 0;
      case 1:
        return i === n;
      case 2:
        return i === n || (i === n - 1 && s.charCodeAt(i) === 10);
      case 3:
        return i === 0 || (s.charCodeAt(i - 1) === 10 && i < n);
      case 4:
        return i === n || s.charCodeAt(i) === 10;
      case 5:
      case 6: {
        const before = i > 0 && isWord(s.charCodeAt(i - 1));
        const after = i < n && isWord(s.charCodeAt(i));
        return (before !== after) === (kind === 5);
      }
      default:
        return !(s.charCodeAt(i) === 13 && s.charCodeAt(i + 1) === 10);
    }
  }

  private look(k: number, i: number): boolean {
    const slot = k * (this.input.length + 1) + i;
    const cached = this.lookCache[slot];
    if (cached !== 0) return cached === 1;
    const l = this.looks[k];
    let found = false;
    if (!l.behind) found = this.run(l.prog, i, this.input.length, true, -1);
    else {
      const from = l.maxLen < 0 ? 0 : Math.max(0, i - l.maxLen);
      for (let j = from; j <= i && !found; j++) found = this.run(l.prog, j, i, true, i);
    }
    const result = found !== l.negate;
    this.lookCache[slot] = result ? 1 : 2;
    return result;
  }

  /**
   * Existence run of `p` over input[start..end]. Unanchored runs add a thread at every position;
   * with `mustEnd` >= 0 only a match ending exactly there counts.
   */
  private run(p: Program, start: number, end: number, anchored: boolean, mustEnd: number): boolean {
    let cur = p.setA;
    let next = p.setB;
    cur.size = 0;
    next.size = 0;
    const tables = this.tables;
    const s = this.input;
    // Unanchored main search: a thread started where no match can begin dies at once, so skip it.
    const mid = !anchored && p === this.main ? this.firstMid : null;
    const atLine = this.firstAtLine!;
    for (let i = start; ; i++) {
      if (mid !== null && cur.size === 0) {
        while (
          i < end &&
          mid[s.charCodeAt(i)] !== 1 &&
          !(atLine[s.charCodeAt(i)] === 1 && (i === 0 || s.charCodeAt(i - 1) === 10))
        )
          i++;
        if (i >= end) return false;
      }
      const startHere = anchored
        ? i === start
        : mid === null || (i === 0 || s.charCodeAt(i - 1) === 10 ? atLine : mid)[s.charCodeAt(i)] === 1;
      if (startHere && this.closure(p, cur, 0, i) && (mustEnd < 0 || i === mustEnd)) return true;
      if (i >= end || (anchored && cur.size === 0)) return false;
      const c = s.charCodeAt(i);
      next.size = 0;
      for (let k = 0; k < cur.size; k++) {
        const pc = cur.dense[k];
        if (p.op[pc] === CHAR && c < 256 && tables[p.a[pc]][c] === 1) {
          if (this.closure(p, next, pc + 1, i + 1) && (mustEnd < 0 || i + 1 === mustEnd)) return true;
        }
      }
      const t = cur;
      cur = next;
      next = t;
    }
  }

  /** Adds pc's epsilon closure at position i to the set; true when MATCH is reachable. */
  private closure(p: Program, set: StateSet, pc0: number, i: number): boolean {
    const stack = p.stack;
    let sp = 0;
    let matched = false;
    stack[sp++] = pc0;
    while (sp > 0) {
      const pc = stack[--sp];
      const idx = set.sparse[pc];
      if (idx < set.size && set.dense[idx] === pc) continue;
      set.sparse[pc] = set.size;
      set.dense[set.size++] = pc;
      switch (p.op[pc]) {
        case JMP:
          stack[sp++] = p.a[pc];
          break;
        case SPLIT:
          stack[sp++] = p.b[pc];
          stack[sp++] = p.a[pc];
          break;
        case SAVE:
          stack[sp++] = pc + 1;
          break;
        case ASSERT:
          if (this.check(p.a[pc], i)) stack[sp++] = pc + 1;
          break;
        case LOOK:
          if (this.look(p.a[pc], i)) stack[sp++] = pc + 1;
          break;
        case MATCH:
          matched = true;
          break;
      }
    }
    return matched;
  }

  /** Leftmost-first search with capture slots (threads kept in priority order). */
  private execCaptures(s: string): Int32Array | null {
    const p = this.main;
    const n = s.length;
    let cur = newList(p);
    let next = newList(p);
    let best: Int32Array | null = null;
    for (let i = 0; i <= n; i++) {
      if (best === null) {
        const init = new Int32Array(VM_SLOTS).fill(-1);
        this.addThread(p, cur, 0, i, init);
      }
      if (cur.pcs.length === 0) {
        if (best !== null) break;
        resetList(cur); // nothing alive here; a match may still start further on
        continue;
      }
      const c = i < n ? s.charCodeAt(i) : -1;
      resetList(next);
      for (let k = 0; k < cur.pcs.length; k++) {
        const pc = cur.pcs[k];
        const op = p.op[pc];
        if (op === MATCH) {
          best = cur.caps[k];
          break; // lower-priority threads are cut
        }
        if (op === CHAR && c >= 0 && c < 256 && this.tables[p.a[pc]][c] === 1)
          this.addThread(p, next, pc + 1, i + 1, cur.caps[k]);
      }
      const t = cur;
      cur = next;
      next = t;
    }
    return best;
  }

  private addThread(p: Program, list: ThreadList, pc: number, i: number, caps: Int32Array): void {
    if (list.seen[pc] === list.gen) return;
    list.seen[pc] = list.gen;
    switch (p.op[pc]) {
      case JMP:
        this.addThread(p, list, p.a[pc], i, caps);
        return;
      case SPLIT:
        this.addThread(p, list, p.a[pc], i, caps);
        this.addThread(p, list, p.b[pc], i, caps);
        return;
      case SAVE: {
        const copy = caps.slice();
        copy[p.a[pc]] = i;
        this.addThread(p, list, pc + 1, i, copy);
        return;
      }
      case ASSERT:
        if (this.check(p.a[pc], i)) this.addThread(p, list, pc + 1, i, caps);
        return;
      case LOOK:
        if (this.look(p.a[pc], i)) this.addThread(p, list, pc + 1, i, caps);
        return;
      default:
        list.pcs.push(pc);
        list.caps.push(caps);
    }
  }
}

interface ThreadList {
  pcs: number[];
  caps: Int32Array[];
  seen: Uint32Array;
  gen: number;
}

function newList(p: Program): ThreadList {
  return { pcs: [], caps: [], seen: new Uint32Array(p.op.length), gen: 1 };
}

function resetList(l: ThreadList): void {
  l.pcs.length = 0;
  l.caps.length = 0;
  l.gen++;
}
