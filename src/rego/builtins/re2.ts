// Go (RE2) regular expressions for the regex builtins. Patterns are parsed with Go's syntax and
// error messages (re2parse.ts), then matched by a JS RegExp translated from the parse tree when
// that is safe, or by a linear-time Pike VM (re2vm.ts) otherwise:
//  - JS backtracks; Go never does. Patterns that could backtrack exponentially (a repeated
//    group containing a repetition or alternation) always use the VM, and inputs too long for
//    a pattern's polynomial worst case (counted from its unbounded repetitions) do too.
//  - Node 20 has no scoped (?i:...) modifiers, so a pattern that mixes case-sensitive and
//    case-insensitive parts uses the VM, which matches each part with its own folding.
// Compiled patterns are kept in a bounded LRU cache.
import { type CharClass, hasCase, type Node, parseRe2, RegexSyntaxError } from './re2parse.js';
import { compileProgram, nullable, type Program, rangesSource, runProgram } from './re2vm.js';

export { RegexSyntaxError };

/** Worst-case backtracking steps we let the JS engine take before preferring the VM. */
const JS_BUDGET = 1e7;
const CACHE_SIZE = 1000;

function hexEscape(c: number): string {
  return `\\u{${c.toString(16)}}`;
}

function literalSource(c: number): string {
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x20)
    return String.fromCharCode(c);
  if (c < 0x80 && '^$\\.*+?()[]{}|/'.includes(String.fromCharCode(c))) return `\\${String.fromCharCode(c)}`;
  return hexEscape(c);
}

function classSource(cls: CharClass): string {
  const props = cls.props.map((p) => `\\${p.neg ? 'P' : 'p'}{${p.name}}`).join('');
  return `[${cls.neg ? '^' : ''}${rangesSource(cls.ranges)}${props}]`;
}

const ASSERT_SOURCE = { bot: '^', eot: '$', bol: '(?<![^\\n])', eol: '(?![^\\n])', wb: '\\b', nwb: '\\B' };

function toJs(node: Node): string {
  switch (node.op) {
    case 'empty':
      return '(?:)';
    case 'lit':
      return literalSource(node.c);
    case 'class':
      return classSource(node.cls);
    case 'any':
      return node.nl ? '[^]' : '[^\\n]';
    case 'assert':
      return ASSERT_SOURCE[node.kind];
    case 'cap':
      return `(${toJs(node.sub)})`;
    case 'cat':
      return node.subs.map((s) => (s.op === 'alt' ? `(?:${toJs(s)})` : toJs(s))).join('');
    case 'alt':
      return node.subs.map(toJs).join('|');
    case 'rep': {
      const s = node.sub;
      const atom = s.op === 'lit' || s.op === 'class' || s.op === 'any' || s.op === 'cap' ? toJs(s) : `(?:${toJs(s)})`;
      const { min, max } = node;
      let q: string;
      if (max === -1) q = min === 0 ? '*' : min === 1 ? '+' : `{${min},}`;
      else if (min === 0 && max === 1) q = '?';
      else q = min === max ? `{${min}}` : `{${min},${max}}`;
      return atom + q + (node.greedy ? '' : '?');
    }
  }
}

/** What decides between the JS engine and the VM for a pattern. */
interface Analysis {
  foldValues: Set<boolean>; // fold flags of the case-sensitive parts
  negPropInFold: boolean; // \P{..} in a case-insensitive class: JS folds after negating, Go before
  wordBoundary: boolean; // \b \B: JS's are Unicode-aware under /iu
  backtrackRisk: boolean; // repetition of something containing repetition or alternation
  capInLoop: boolean; // JS clears captures on every iteration of a loop; Go keeps them
  emptyLoop: boolean; // JS rejects an optional iteration that matches empty; Go takes it
  wide: number; // unbounded or widely-ranged repetitions
}

function classIsCased(cls: CharClass): boolean {
  if (cls.props.length > 0) return true;
  for (let i = 0; i < cls.ranges.length; i += 2) {
    const lo = cls.ranges[i] as number;
    const hi = cls.ranges[i + 1] as number;
    if (hi >= 0x80 || (lo <= 0x7a && hi >= 0x61) || (lo <= 0x5a && hi >= 0x41)) return true;
  }
  return false;
}

function contains(node: Node, pred: (n: Node) => boolean): boolean {
  if (pred(node)) return true;
  if (node.op === 'cat' || node.op === 'alt') return node.subs.some((s) => contains(s, pred));
  if (node.op === 'rep' || node.op === 'cap') return contains(node.sub, pred);
  return false;
}

function analyse(node: Node, a: Analysis): void {
  switch (node.op) {
    case 'lit':
      if (hasCase(node.c)) a.foldValues.add(node.fold);
      return;
    case 'class':
      if (classIsCased(node.cls)) a.foldValues.add(node.cls.fold);
      if (node.cls.fold && node.cls.props.some((p) => p.neg)) a.negPropInFold = true;
      return;
    case 'assert':
      if (node.kind === 'wb' || node.kind === 'nwb') a.wordBoundary = true;
      return;
    case 'cap':
      analyse(node.sub, a);
      return;
    case 'cat':
    case 'alt':
      for (const s of node.subs) analyse(s, a);
      return;
    case 'rep': {
      if (node.max === -1 || node.max - node.min >= 2) a.wide++;
      if ((node.max === -1 || node.max > node.min) && nullable(node.sub)) a.emptyLoop = true;
      if (node.max === -1 || node.max > 1) {
        if (contains(node.sub, (n) => n.op === 'rep' || n.op === 'alt')) a.backtrackRisk = true;
        const inner = node.sub.op === 'cap' ? node.sub.sub : node.sub;
        if (contains(inner, (n) => n.op === 'cap')) a.capInLoop = true;
      }
      analyse(node.sub, a);
      return;
    }
  }
}

function startsAnchored(node: Node): boolean {
  if (node.op === 'assert') return node.kind === 'bot';
  if (node.op === 'cat') return node.subs.length > 0 && startsAnchored(node.subs[0] as Node);
  if (node.op === 'cap') return startsAnchored(node.sub);
  return false;
}

/** A compiled Go regular expression. Offsets are UTF-16 indexes into the subject. */
export class Re2 {
  readonly numCap: number;
  readonly names: string[];
  private readonly tree: Node;
  private readonly jsTest: RegExp | null = null;
  private readonly jsExec: RegExp | null = null;
  /** Longest subject the JS engine may see (0: never; Infinity: always). */
  private readonly jsMaxLen: number = 0;
  private readonly jsExecOk: boolean = false;
  private prog: Program | null = null;

  constructor(readonly source: string) {
    const parsed = parseRe2(source);
    this.tree = parsed.node;
    this.numCap = parsed.numCap;
    this.names = parsed.names;
    const a: Analysis = {
      foldValues: new Set(),
      negPropInFold: false,
      wordBoundary: false,
      backtrackRisk: false,
      capInLoop: false,
      emptyLoop: false,
      wide: 0,
    };
    analyse(this.tree, a);
    const fold = a.foldValues.has(true);
    if (a.foldValues.size > 1 || a.backtrackRisk || a.emptyLoop || (fold && (a.negPropInFold || a.wordBoundary))) return;
    const anchored = startsAnchored(this.tree);
    const degree = a.wide + (anchored ? 0 : 1);
    this.jsMaxLen = a.wide === 0 ? Number.POSITIVE_INFINITY : Math.floor(JS_BUDGET ** (1 / degree));
    const src = toJs(this.tree);
    const flags = fold ? 'iu' : 'u';
    try {
      this.jsTest = new RegExp(src, flags);
      this.jsExec = new RegExp(src, `dg${flags}`);
      this.jsExecOk = !a.capInLoop;
    } catch {
      this.jsMaxLen = 0; // the VM handles whatever JS cannot express
    }
  }

  private program(): Program {
    this.prog ??= compileProgram(this.tree, this.numCap);
    return this.prog;
  }

  /** Whether the pattern matches anywhere in s. */
  test(s: string): boolean {
    if (this.jsTest !== null && s.length <= this.jsMaxLen) return this.jsTest.test(s);
    return runProgram(this.program(), s, 0, false) !== null;
  }

  /** The leftmost-first match starting at or after pos (a code-point boundary): submatch
   *  offsets [start0, end0, start1, end1, ...], -1 for groups that did not participate. */
  exec(s: string, pos: number): Int32Array | null {
    if (this.jsExec !== null && this.jsExecOk && s.length <= this.jsMaxLen) {
      const re = this.jsExec;
      re.lastIndex = pos;
      const m = re.exec(s);
      if (m === null) return null;
      const slots = new Int32Array(2 * (this.numCap + 1)).fill(-1);
      const ind = m.indices as RegExpIndicesArray;
      for (let g = 0; g <= this.numCap; g++) {
        const pair = ind[g];
        if (pair) {
          slots[2 * g] = pair[0];
          slots[2 * g + 1] = pair[1];
        }
      }
      return slots;
    }
    return runProgram(this.program(), s, pos, true);
  }

  /** The JS RegExp this pattern translates to (null if it always runs on the VM). For tests. */
  jsRegExp(): RegExp | null {
    return this.jsExec;
  }

  /** Whether the VM (rather than a JS RegExp) would match a subject of this length. */
  usesVm(length: number, withGroups = false): boolean {
    return (withGroups ? this.jsExec === null || !this.jsExecOk : this.jsTest === null) || length > this.jsMaxLen;
  }
}

const cache = new Map<string, Re2 | RegexSyntaxError>();

/** Compiles (or fetches from the cache) a Go regular expression; throws RegexSyntaxError. */
export function compileRe2(pattern: string): Re2 {
  let entry = cache.get(pattern);
  if (entry !== undefined) {
    cache.delete(pattern);
    cache.set(pattern, entry);
  } else {
    try {
      entry = new Re2(pattern);
    } catch (e) {
      if (!(e instanceof RegexSyntaxError)) throw e;
      entry = e;
    }
    cache.set(pattern, entry);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  }
  if (entry instanceof RegexSyntaxError) throw entry;
  return entry;
}

/** Go's regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** Calls fn for each successive match as Go's FindAll does: an empty match right after the
 *  previous match is skipped, and the search always advances by at least one code point. */
export function forEachMatch(re: Re2, s: string, n: number, fn: (slots: Int32Array) => void): void {
  if (n < 0) n = s.length + 1;
  let pos = 0;
  let prevEnd = -1;
  let count = 0;
  while (count < n && pos <= s.length) {
    const m = re.exec(s, pos);
    if (m === null) break;
    let accept = true;
    const end = m[1] as number;
    if (end === pos) {
      if ((m[0] as number) === prevEnd) accept = false;
      pos += pos < s.length && (s.codePointAt(pos) as number) > 0xffff ? 2 : 1;
    } else pos = end;
    prevEnd = end;
    if (accept) {
      fn(m);
      count++;
    }
  }
}

/** Go's Regexp.Expand of a $-template for one match. */
export function expandTemplate(re: Re2, template: string, s: string, slots: Int32Array): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const d = template.indexOf('$', i);
    if (d < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, d);
    i = d;
    if (template[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    const m = /^\$(?:\{([\p{L}\p{Nd}_]+)\}|([\p{L}\p{Nd}_]+))/u.exec(template.slice(i));
    if (m === null) {
      out += '$';
      i++;
      continue;
    }
    i += m[0].length;
    const name = (m[1] ?? m[2]) as string;
    let group = -1;
    if (/^[0-9]{1,9}$/.test(name) && !(name[0] === '0' && name.length > 1)) {
      const num = Number(name);
      if (num <= re.numCap) group = num;
    } else {
      for (let g = 0; g < re.names.length; g++) {
        if (re.names[g] === name && (slots[2 * g] as number) >= 0) {
          group = g;
          break;
        }
      }
    }
    if (group >= 0 && (slots[2 * group] as number) >= 0) out += s.slice(slots[2 * group], slots[2 * group + 1]);
  }
  return out;
}
