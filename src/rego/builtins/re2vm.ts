// A Pike VM for RE2 trees: leftmost-first matching with submatches in time linear in the input
// (Go's regexp guarantees that; a backtracking engine does not). re2.ts uses it whenever a
// pattern could make the JS engine backtrack badly, or needs Go semantics JS cannot express.
import type { AssertKind, CharClass, Node } from './re2parse.js';

enum Op {
  Char,
  Split,
  Jmp,
  Save,
  Assert,
  Match,
}

interface Inst {
  op: Op;
  out: number;
  out1: number; // Split: the lower-priority branch
  n: number; // Save: slot
  kind: AssertKind | null;
  pred: ((c: number) => boolean) | null;
}

export interface Program {
  insts: Inst[];
  ncap: number; // number of slots (2 per group, group 0 = whole match)
  anchored: boolean; // begins with \A / ^ (without (?m)): can only match at offset 0
}

// ---- character predicates ------------------------------------------------------------------

function hex(c: number): string {
  return `\\u{${c.toString(16)}}`;
}

/** JS character-class body for lo,hi pairs (every rune escaped, so nothing is special). */
export function rangesSource(r: number[]): string {
  let out = '';
  for (let i = 0; i < r.length; i += 2) {
    const lo = r[i] as number;
    const hi = r[i + 1] as number;
    out += lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`;
  }
  return out;
}

/** Go's class membership (see CharClass) as a predicate, memoised for ASCII. */
export function classPredicate(cls: CharClass): (c: number) => boolean {
  const flags = cls.fold ? 'iu' : 'u';
  const posProps = cls.props.filter((p) => !p.neg).map((p) => `\\p{${p.name}}`);
  const body = rangesSource(cls.ranges) + posProps.join('');
  const pos = body === '' ? null : new RegExp(`^[${body}]$`, flags);
  const negs = cls.props.filter((p) => p.neg).map((p) => new RegExp(`^\\p{${p.name}}$`, flags));
  const slow = (c: number): boolean => {
    const ch = String.fromCodePoint(c);
    const hit = pos?.test(ch) === true || negs.some((re) => !re.test(ch));
    return hit !== cls.neg;
  };
  const ascii = new Uint8Array(128);
  for (let c = 0; c < 128; c++) ascii[c] = slow(c) ? 1 : 0;
  return (c) => (c < 128 ? ascii[c] === 1 : slow(c));
}

function literalPredicate(lit: number, fold: boolean): (c: number) => boolean {
  if (!fold) return (c) => c === lit;
  const re = new RegExp(`^${hex(lit)}$`, 'iu');
  return (c) => c === lit || re.test(String.fromCodePoint(c));
}

// ---- compilation ---------------------------------------------------------------------------

class Compiler {
  insts: Inst[] = [];

  emit(op: Op, fields: Partial<Inst> = {}): number {
    this.insts.push({ op, out: -1, out1: -1, n: 0, kind: null, pred: null, ...fields });
    return this.insts.length - 1;
  }

  /** Compiles node so that it continues at the instruction after it. */
  compile(node: Node): void {
    const next = () => this.insts.length;
    switch (node.op) {
      case 'empty':
        return;
      case 'lit':
        this.emit(Op.Char, { pred: literalPredicate(node.c, node.fold), out: next() + 1 });
        return;
      case 'class':
        this.emit(Op.Char, { pred: classPredicate(node.cls), out: next() + 1 });
        return;
      case 'any':
        this.emit(Op.Char, { pred: node.nl ? () => true : (c) => c !== 10, out: next() + 1 });
        return;
      case 'assert':
        this.emit(Op.Assert, { kind: node.kind, out: next() + 1 });
        return;
      case 'cap':
        this.emit(Op.Save, { n: 2 * node.index, out: next() + 1 });
        this.compile(node.sub);
        this.emit(Op.Save, { n: 2 * node.index + 1, out: next() + 1 });
        return;
      case 'cat':
        for (const sub of node.subs) this.compile(sub);
        return;
      case 'alt': {
        const jumps: number[] = [];
        node.subs.forEach((sub, k) => {
          if (k < node.subs.length - 1) {
            const split = this.emit(Op.Split, { out: next() + 1 });
            this.compile(sub);
            jumps.push(this.emit(Op.Jmp));
            (this.insts[split] as Inst).out1 = next();
          } else this.compile(sub);
        });
        for (const j of jumps) (this.insts[j] as Inst).out = next();
        return;
      }
      case 'rep':
        this.repeat(node.sub, node.min, node.max, node.greedy);
        return;
    }
  }

  branch(split: number, body: number, skip: number, greedy: boolean): void {
    const inst = this.insts[split] as Inst;
    inst.out = greedy ? body : skip;
    inst.out1 = greedy ? skip : body;
  }

  /** x? */
  quest(body: () => void, greedy: boolean): void {
    const split = this.emit(Op.Split);
    body();
    this.branch(split, split + 1, this.insts.length, greedy);
  }

  /** x+: the body, then a split back to it. */
  plus(body: () => void, greedy: boolean): void {
    const start = this.insts.length;
    body();
    const split = this.emit(Op.Split);
    this.branch(split, start, split + 1, greedy);
  }

  /** x*; when x can match empty, as (x+)? so an empty iteration keeps its priority (as Go does). */
  star(sub: Node, greedy: boolean): void {
    if (nullable(sub)) {
      this.quest(() => this.plus(() => this.compile(sub), greedy), greedy);
      return;
    }
    const split = this.emit(Op.Split);
    this.compile(sub);
    this.emit(Op.Jmp, { out: split });
    this.branch(split, split + 1, this.insts.length, greedy);
  }

  /** Counted and simple repetition, expanded the way Go's Simplify does. */
  repeat(sub: Node, min: number, max: number, greedy: boolean): void {
    // x** is x*, x++ is x+, x?? is x? (when both are equally greedy).
    if (
      sub.op === 'rep' &&
      sub.greedy === greedy &&
      sub.min === min &&
      sub.max === max &&
      (max === -1 ? min <= 1 : min === 0 && max === 1)
    ) {
      this.compile(sub);
      return;
    }
    if (max === -1) {
      if (min === 0) {
        this.star(sub, greedy);
        return;
      }
      for (let i = 0; i < min - 1; i++) this.compile(sub);
      this.plus(() => this.compile(sub), greedy);
      return;
    }
    for (let i = 0; i < min; i++) this.compile(sub);
    // x{n,m}: the optional copies nest, x(x(x)?)?, so each may only follow the previous one.
    const nest = (k: number): void => {
      if (k === 0) return;
      this.quest(() => {
        this.compile(sub);
        nest(k - 1);
      }, greedy);
    };
    nest(max - min);
  }
}

/** Whether a tree can match the empty string. */
export function nullable(node: Node): boolean {
  switch (node.op) {
    case 'lit':
    case 'class':
    case 'any':
      return false;
    case 'cap':
      return nullable(node.sub);
    case 'cat':
      return node.subs.every(nullable);
    case 'alt':
      return node.subs.some(nullable);
    case 'rep':
      return node.min === 0 || nullable(node.sub);
    default:
      return true;
  }
}

function startsAnchored(node: Node): boolean {
  if (node.op === 'assert') return node.kind === 'bot';
  if (node.op === 'cat') return node.subs.length > 0 && startsAnchored(node.subs[0] as Node);
  if (node.op === 'cap') return startsAnchored(node.sub);
  return false;
}

export function compileProgram(node: Node, numCap: number): Program {
  const c = new Compiler();
  c.emit(Op.Save, { n: 0, out: 1 });
  c.compile(node);
  c.emit(Op.Save, { n: 1, out: c.insts.length + 1 });
  c.emit(Op.Match);
  return { insts: c.insts, ncap: 2 * (numCap + 1), anchored: startsAnchored(node) };
}

// ---- execution -----------------------------------------------------------------------------

function isWordChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

function assertHolds(kind: AssertKind, s: string, pos: number): boolean {
  switch (kind) {
    case 'bot':
      return pos === 0;
    case 'eot':
      return pos === s.length;
    case 'bol':
      return pos === 0 || s.charCodeAt(pos - 1) === 10;
    case 'eol':
      return pos === s.length || s.charCodeAt(pos) === 10;
    default: {
      const before = pos > 0 && isWordChar(s.charCodeAt(pos - 1));
      const after = pos < s.length && isWordChar(s.charCodeAt(pos));
      return (before !== after) === (kind === 'wb');
    }
  }
}

/** A sparse set of threads (instruction + its submatch slots), in priority order. */
class ThreadList {
  pcs: Int32Array;
  caps: Array<Int32Array | null>;
  mark: Uint32Array;
  size = 0;
  gen = 1;
  constructor(n: number) {
    this.pcs = new Int32Array(n);
    this.caps = new Array(n).fill(null);
    this.mark = new Uint32Array(n);
  }
  clear(): void {
    this.size = 0;
    this.gen++;
    if (this.gen === 0xffffffff) {
      this.mark.fill(0);
      this.gen = 1;
    }
  }
}

/** Follows empty-width instructions from pc and adds the resulting threads (DFS = priority). */
function addThread(prog: Program, list: ThreadList, pc0: number, caps0: Int32Array, s: string, pos: number, track: boolean) {
  const stack: Array<[number, Int32Array]> = [[pc0, caps0]];
  while (stack.length > 0) {
    let [pc, caps] = stack.pop() as [number, Int32Array];
    for (;;) {
      if (list.mark[pc] === list.gen) break;
      list.mark[pc] = list.gen;
      const inst = prog.insts[pc] as Inst;
      if (inst.op === Op.Jmp) pc = inst.out;
      else if (inst.op === Op.Split) {
        stack.push([inst.out1, caps]);
        pc = inst.out;
      } else if (inst.op === Op.Save) {
        if (track) {
          caps = caps.slice();
          caps[inst.n] = pos;
        }
        pc = inst.out;
      } else if (inst.op === Op.Assert) {
        if (!assertHolds(inst.kind as AssertKind, s, pos)) break;
        pc = inst.out;
      } else {
        list.pcs[list.size] = pc;
        list.caps[list.size++] = caps;
        break;
      }
    }
  }
}

/** The leftmost-first match at or after start: slots (UTF-16 offsets, -1 = unset), or null.
 *  With track = false only whether there is a match is computed (slots are not filled in). */
export function runProgram(prog: Program, s: string, start: number, track = true): Int32Array | null {
  const n = prog.insts.length;
  let clist = new ThreadList(n);
  let nlist = new ThreadList(n);
  const empty = new Int32Array(prog.ncap).fill(-1);
  let matched: Int32Array | null = null;
  let pos = start;
  for (;;) {
    if (matched === null && (!prog.anchored || pos === 0)) addThread(prog, clist, 0, empty, s, pos, track);
    if (clist.size === 0 && (matched !== null || (prog.anchored && pos > 0))) break;
    const c = pos < s.length ? (s.codePointAt(pos) as number) : -1;
    const w = c > 0xffff ? 2 : 1;
    for (let k = 0; k < clist.size; k++) {
      const pc = clist.pcs[k] as number;
      const inst = prog.insts[pc] as Inst;
      const caps = clist.caps[k] as Int32Array;
      if (inst.op === Op.Match) {
        matched = caps;
        if (!track) return matched;
        break; // lower-priority threads lose to this match
      }
      if (c >= 0 && (inst.pred as (c: number) => boolean)(c)) addThread(prog, nlist, inst.out, caps, s, pos + w, track);
    }
    if (pos >= s.length) break;
    const t = clist;
    clist = nlist;
    nlist = t;
    nlist.clear();
    pos += w;
  }
  return matched;
}
