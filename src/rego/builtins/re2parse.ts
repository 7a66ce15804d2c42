// A parser for Go's RE2 regular-expression syntax (regexp/syntax with the Perl flags OPA uses).
// It accepts exactly what Go accepts, reports Go's error text ("error parsing regexp: missing
// closing ]: `[a`"), and produces a small tree that re2.ts turns into a JS RegExp or a linear-time
// matcher. Positions are UTF-16 offsets into the pattern; runes are code points.

import {
  cleanRanges,
  ERR_ESCAPE,
  foldAscii,
  hasCase,
  negateRanges,
  PERL_GROUPS,
  POSIX_GROUPS,
  type Prop,
  parseEscape,
  RegexSyntaxError,
  unicodeItems,
} from './re2charset.js';

export { cleanRanges, hasCase, type Prop, RegexSyntaxError };

/** A character class with Go semantics: the union of the ranges and properties, negated if neg.
 *  Under fold, explicit ranges and positive properties match case-insensitively; a negated
 *  property means "not in the case-folded property" (Go folds before negating). */
export interface CharClass {
  neg: boolean;
  ranges: number[]; // lo, hi pairs, sorted and merged
  props: Prop[];
  fold: boolean;
}

export type AssertKind = 'bol' | 'eol' | 'bot' | 'eot' | 'wb' | 'nwb';

export type Node =
  | { op: 'lit'; c: number; fold: boolean }
  | { op: 'class'; cls: CharClass }
  | { op: 'any'; nl: boolean }
  | { op: 'assert'; kind: AssertKind }
  | { op: 'cap'; index: number; sub: Node }
  | { op: 'cat'; subs: Node[] }
  | { op: 'alt'; subs: Node[] }
  | { op: 'rep'; min: number; max: number; greedy: boolean; counted: boolean; sub: Node }
  | { op: 'empty' };

export interface Parsed {
  node: Node;
  /** Number of capture groups (not counting the whole match). */
  numCap: number;
  /** names[i] is the name of group i ("" when unnamed); names[0] is the whole match. */
  names: string[];
}

interface Flags {
  fold: boolean;
  dotNL: boolean;
  oneLine: boolean;
  nonGreedy: boolean;
}

interface Frame {
  flags: Flags; // flags to restore when the group closes
  cap: number; // capture index, 0 for a non-capturing group, -1 for the top level
  alts: Node[];
  items: Node[];
}

const MAX_REPEAT = 1000;
const MAX_HEIGHT = 1000;
const MAX_SIZE = Math.floor((128 << 20) / 40);

const ERR_MISSING_BRACKET = 'missing closing ]';
const ERR_CHAR_RANGE = 'invalid character class range';

// ---- parser ---------------------------------------------------------------------------------

class Parser {
  flags: Flags = { fold: false, dotNL: false, oneLine: true, nonGreedy: false };
  stack: Frame[];
  numCap = 0;
  names: string[] = [''];
  constructor(readonly s: string) {
    this.stack = [{ flags: this.flags, cap: -1, alts: [], items: [] }];
  }

  /** Code point at i and its UTF-16 width (0 past the end). */
  at(i: number): [number, number] {
    if (i >= this.s.length) return [-1, 0];
    const c = this.s.codePointAt(i) as number;
    return [c, c > 0xffff ? 2 : 1];
  }

  get top(): Frame {
    return this.stack[this.stack.length - 1] as Frame;
  }

  literal(c: number): void {
    this.top.items.push({ op: 'lit', c, fold: this.flags.fold && hasCase(c) });
  }

  parse(): Parsed {
    const s = this.s;
    let i = 0;
    let lastRepeat = -1;
    while (i < s.length) {
      let repeat = -1;
      const c = s.charCodeAt(i);
      switch (c) {
        case 0x28: // (
          if (s.charCodeAt(i + 1) === 0x3f) i = this.parsePerlFlags(i);
          else {
            this.names.push('');
            this.stack.push({ flags: this.flags, cap: ++this.numCap, alts: [], items: [] });
            i++;
          }
          break;
        case 0x7c: // |
          this.top.alts.push(concat(this.top.items));
          this.top.items = [];
          i++;
          break;
        case 0x29: // )
          this.closeGroup();
          i++;
          break;
        case 0x5e: // ^
          this.top.items.push({ op: 'assert', kind: this.flags.oneLine ? 'bot' : 'bol' });
          i++;
          break;
        case 0x24: // $
          this.top.items.push({ op: 'assert', kind: this.flags.oneLine ? 'eot' : 'eol' });
          i++;
          break;
        case 0x2e: // .
          this.top.items.push({ op: 'any', nl: this.flags.dotNL });
          i++;
          break;
        case 0x5b: // [
          i = this.parseClass(i);
          break;
        case 0x2a: // *
        case 0x2b: // +
        case 0x3f: {
          // ?
          const [min, max] = c === 0x2a ? [0, -1] : c === 0x2b ? [1, -1] : [0, 1];
          repeat = i;
          i = this.repeat(min, max, false, i, i + 1, lastRepeat);
          break;
        }
        case 0x7b: {
          // {
          const r = this.parseRepeat(i);
          if (r === null) {
            this.literal(0x7b);
            i++;
            break;
          }
          const [min, max, after] = r;
          if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max))
            throw new RegexSyntaxError('invalid repeat count', s.slice(i, after));
          repeat = i;
          i = this.repeat(min, max, true, i, after, lastRepeat);
          break;
        }
        case 0x5c: // backslash
          i = this.parseBackslash(i);
          break;
        default: {
          const [r, w] = this.at(i);
          this.literal(r);
          i += w;
        }
      }
      lastRepeat = repeat;
    }
    if (this.stack.length !== 1) throw new RegexSyntaxError('missing closing )', s);
    const root = this.top;
    const node = alternate([...root.alts, concat(root.items)]);
    checkLimits(node, s);
    return { node, numCap: this.numCap, names: this.names };
  }

  closeGroup(): void {
    if (this.stack.length === 1) throw new RegexSyntaxError('unexpected )', this.s);
    const f = this.stack.pop() as Frame;
    let node = alternate([...f.alts, concat(f.items)]);
    if (f.cap > 0) node = { op: 'cap', index: f.cap, sub: node };
    this.flags = f.flags;
    this.top.items.push(node);
  }

  repeat(min: number, max: number, counted: boolean, before: number, after: number, lastRepeat: number): number {
    let greedy = !this.flags.nonGreedy;
    if (this.s.charCodeAt(after) === 0x3f) {
      after++;
      greedy = !greedy;
    }
    if (lastRepeat >= 0) throw new RegexSyntaxError('invalid nested repetition operator', this.s.slice(lastRepeat, after));
    const items = this.top.items;
    if (items.length === 0) throw new RegexSyntaxError('missing argument to repetition operator', this.s.slice(before, after));
    const node: Node = { op: 'rep', min, max, greedy, counted, sub: items.pop() as Node };
    items.push(node);
    if (counted && (min >= 2 || max >= 2) && !repeatIsValid(node, MAX_REPEAT))
      throw new RegexSyntaxError('invalid repeat count', this.s.slice(before, after));
    return after;
  }

  /** {min}, {min,} or {min,max} at i: [min, max (-1 = unbounded), index after '}'], or null if
   *  it is not a repeat (then '{' is a literal). Too-large numbers give min = -1. */
  parseRepeat(i: number): [number, number, number] | null {
    const s = this.s;
    let j = i + 1;
    const a = this.parseInt(j);
    if (a === null) return null;
    let min = a[0];
    let max: number;
    j = a[1];
    if (j >= s.length) return null;
    if (s[j] !== ',') max = min;
    else {
      j++;
      if (j >= s.length) return null;
      if (s[j] === '}') max = -1;
      else {
        const b = this.parseInt(j);
        if (b === null) return null;
        max = b[0];
        j = b[1];
        if (max < 0) min = -1;
      }
    }
    if (j >= s.length || s[j] !== '}') return null;
    return [min, max, j + 1];
  }

  parseInt(i: number): [number, number] | null {
    const s = this.s;
    const d = (k: number) => k < s.length && s.charCodeAt(k) >= 0x30 && s.charCodeAt(k) <= 0x39;
    if (!d(i)) return null;
    if (s[i] === '0' && d(i + 1)) return null; // no leading zeros
    let j = i;
    let n = 0;
    while (d(j)) {
      if (n >= 1e8) n = -1;
      else if (n >= 0) n = n * 10 + s.charCodeAt(j) - 0x30;
      j++;
    }
    return [n, j];
  }

  parsePerlFlags(i: number): number {
    const s = this.s;
    const startsWithP = s.length - i > 4 && s[i + 2] === 'P' && s[i + 3] === '<';
    const startsWithName = s.length - i > 3 && s[i + 2] === '<';
    if (startsWithP || startsWithName) {
      const begin = i + (startsWithP ? 4 : 3);
      const end = s.indexOf('>', i);
      if (end < 0) throw new RegexSyntaxError('invalid named capture', s.slice(i));
      const name = s.slice(begin, end);
      if (!/^[A-Za-z0-9_]+$/.test(name)) throw new RegexSyntaxError('invalid named capture', s.slice(i, end + 1));
      this.names.push(name);
      this.stack.push({ flags: this.flags, cap: ++this.numCap, alts: [], items: [] });
      return end + 1;
    }
    let j = i + 2;
    const flags = { ...this.flags };
    let sign = 1;
    let sawFlag = false;
    while (j < s.length) {
      const [c, w] = this.at(j);
      j += w;
      const on = sign > 0;
      if (c === 0x69)
        flags.fold = on; // i
      else if (c === 0x6d)
        flags.oneLine = !on; // m
      else if (c === 0x73)
        flags.dotNL = on; // s
      else if (c === 0x55)
        flags.nonGreedy = on; // U
      else if (c === 0x2d) {
        // -
        if (sign < 0) break;
        sign = -1;
        sawFlag = false;
        continue;
      } else if (c === 0x3a || c === 0x29) {
        // : or )
        if (sign < 0 && !sawFlag) break;
        if (c === 0x3a) this.stack.push({ flags: this.flags, cap: 0, alts: [], items: [] });
        this.flags = flags;
        return j;
      } else break;
      sawFlag = true;
    }
    throw new RegexSyntaxError('invalid or unsupported Perl syntax', s.slice(i, j));
  }

  parseBackslash(i: number): number {
    const s = this.s;
    if (i + 1 < s.length) {
      switch (s[i + 1]) {
        case 'A':
          this.top.items.push({ op: 'assert', kind: 'bot' });
          return i + 2;
        case 'b':
          this.top.items.push({ op: 'assert', kind: 'wb' });
          return i + 2;
        case 'B':
          this.top.items.push({ op: 'assert', kind: 'nwb' });
          return i + 2;
        case 'C':
          throw new RegexSyntaxError(ERR_ESCAPE, s.slice(i, i + 2));
        case 'Q': {
          let end = s.indexOf('\\E', i + 2);
          const lit = s.slice(i + 2, end < 0 ? s.length : end);
          for (const ch of lit) this.literal(ch.codePointAt(0) as number);
          end = end < 0 ? s.length : end + 2;
          return end;
        }
        case 'z':
          this.top.items.push({ op: 'assert', kind: 'eot' });
          return i + 2;
      }
    }
    const cls: CharClass = { neg: false, ranges: [], props: [], fold: this.flags.fold };
    const u = this.parseUnicodeClass(i, cls);
    const p = u < 0 ? this.parsePerlClassEscape(i, cls) : u;
    if (p >= 0) {
      cls.ranges = cleanRanges(cls.ranges);
      this.top.items.push({ op: 'class', cls });
      return p;
    }
    const [r, next] = this.parseEscape(i);
    this.literal(r);
    return next;
  }

  parseEscape(i: number): [number, number] {
    return parseEscape(this.s, i);
  }

  /** \pL, \p{Greek}, \P{..}, \p{^..} at i: adds to cls and returns the index after it, or -1. */
  parseUnicodeClass(i: number, cls: CharClass): number {
    const s = this.s;
    if (s[i] !== '\\' || (s[i + 1] !== 'p' && s[i + 1] !== 'P')) return -1;
    let sign = s[i + 1] === 'P' ? -1 : 1;
    const [c, w] = this.at(i + 2);
    let seqEnd: number;
    let name: string;
    if (c !== 0x7b) {
      seqEnd = i + 2 + w;
      name = s.slice(i + 2, seqEnd);
    } else {
      const end = s.indexOf('}', i);
      if (end < 0) throw new RegexSyntaxError(ERR_CHAR_RANGE, s.slice(i));
      seqEnd = end + 1;
      name = s.slice(i + 3, end);
    }
    if (name.startsWith('^')) {
      sign = -sign;
      name = name.slice(1);
    }
    const items = name === '' ? null : unicodeItems(name, cls.fold);
    if (items === null) throw new RegexSyntaxError(ERR_CHAR_RANGE, s.slice(i, seqEnd));
    if (items.prop === null) cls.ranges.push(...(sign > 0 ? items.ranges : negateRanges(cleanRanges(items.ranges))));
    else cls.props.push({ name: items.prop.name, neg: items.prop.neg !== sign < 0 });
    return seqEnd;
  }

  /** \d \D \s \S \w \W at i: adds to cls and returns the index after it, or -1. */
  parsePerlClassEscape(i: number, cls: CharClass): number {
    const s = this.s;
    if (s[i] !== '\\') return -1;
    const g = PERL_GROUPS[(s[i + 1] ?? '').toLowerCase()];
    if (!g || !'dswDSW'.includes(s[i + 1] as string)) return -1;
    this.appendGroup(cls, g, s[i + 1] === (s[i + 1] as string).toUpperCase());
    return i + 2;
  }

  appendGroup(cls: CharClass, g: number[], negated: boolean): void {
    const set = this.flags.fold ? foldAscii(g) : g;
    cls.ranges.push(...(negated ? negateRanges(set) : set));
  }

  parseClass(i: number): number {
    const s = this.s;
    const cls: CharClass = { neg: false, ranges: [], props: [], fold: this.flags.fold };
    let j = i + 1;
    if (s[j] === '^') {
      cls.neg = true;
      j++;
    }
    let first = true;
    while (j >= s.length || s[j] !== ']' || first) {
      first = false;
      if (s.length - j > 2 && s[j] === '[' && s[j + 1] === ':') {
        const end = s.indexOf(':]', j + 2);
        if (end >= 0) {
          const name = s.slice(j, end + 2);
          const m = /^\[:(\^?)([a-z]+):\]$/.exec(name);
          const g = m ? POSIX_GROUPS[m[2] as string] : undefined;
          if (!g || !m) throw new RegexSyntaxError(ERR_CHAR_RANGE, name);
          this.appendGroup(cls, g, m[1] === '^');
          j = end + 2;
          continue;
        }
      }
      const u = this.parseUnicodeClass(j, cls);
      if (u >= 0) {
        j = u;
        continue;
      }
      const p = this.parsePerlClassEscape(j, cls);
      if (p >= 0) {
        j = p;
        continue;
      }
      const rng = j;
      let lo: number;
      [lo, j] = this.parseClassChar(j, i);
      let hi = lo;
      if (s.length - j >= 2 && s[j] === '-' && s[j + 1] !== ']') {
        [hi, j] = this.parseClassChar(j + 1, i);
        if (hi < lo) throw new RegexSyntaxError(ERR_CHAR_RANGE, s.slice(rng, j));
      }
      cls.ranges.push(lo, hi);
    }
    cls.ranges = cleanRanges(cls.ranges);
    this.top.items.push({ op: 'class', cls });
    return j + 1;
  }

  parseClassChar(j: number, classStart: number): [number, number] {
    if (j >= this.s.length) throw new RegexSyntaxError(ERR_MISSING_BRACKET, this.s.slice(classStart));
    if (this.s[j] === '\\') return this.parseEscape(j);
    const [c, w] = this.at(j);
    return [c, j + w];
  }
}

function concat(items: Node[]): Node {
  if (items.length === 0) return { op: 'empty' };
  if (items.length === 1) return items[0] as Node;
  return { op: 'cat', subs: items };
}

function alternate(alts: Node[]): Node {
  return alts.length === 1 ? (alts[0] as Node) : { op: 'alt', subs: alts };
}

function repeatIsValid(node: Node, n: number): boolean {
  if (node.op === 'rep' && node.counted) {
    let m = node.max;
    if (m === 0) return true;
    if (m < 0) m = node.min;
    if (m > n) return false;
    if (m > 0) n = Math.floor(n / m);
  }
  const subs = node.op === 'cat' || node.op === 'alt' ? node.subs : node.op === 'rep' || node.op === 'cap' ? [node.sub] : [];
  return subs.every((sub) => repeatIsValid(sub, n));
}

/** Go's size and height limits ("expression too large", "expression nests too deeply"). */
function checkLimits(node: Node, s: string): void {
  const walk = (n: Node, depth: number): number => {
    if (depth > MAX_HEIGHT) throw new RegexSyntaxError('expression nests too deeply', s);
    switch (n.op) {
      case 'cat':
      case 'alt':
        return n.subs.reduce((a, x) => a + walk(x, depth + 1), n.op === 'alt' ? n.subs.length - 1 : 0);
      case 'cap':
        return 2 + walk(n.sub, depth + 1);
      case 'rep': {
        const sub = walk(n.sub, depth + 1);
        if (n.max === -1) return n.min === 0 ? 2 + sub : 1 + n.min * sub;
        return Math.max(1, n.max * sub + (n.max - n.min));
      }
      default:
        return 1;
    }
  };
  if (walk(node, 1) > MAX_SIZE) throw new RegexSyntaxError('expression too large', s);
}

/** Parses a pattern with Go's regexp.Compile syntax; throws RegexSyntaxError. */
export function parseRe2(pattern: string): Parsed {
  return new Parser(pattern).parse();
}
