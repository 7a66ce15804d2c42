// PCRE → JavaScript RegExp translator for byte strings (see pcre-parse.ts for the accepted syntax).
//
// The output never uses the `u`, `m` or `s` flags, and `i` only where it is exact (canUseIgnoreCase):
// every PCRE construct is spelled out so the JS regex means exactly what PCRE means on bytes:
//   - classes and literals become explicit byte sets (case folding already applied, ASCII only);
//   - `.` is [^\n] (or [^] under (?s)); `\s` is [\t-\r ] (JS \s would also match \xa0);
//   - `$` is (?=\n?$) (end, or before a final newline); under (?m) `^`/`$` break at LF only
//     (JS m-mode also breaks at CR and matches after a trailing newline);
//   - atomic groups `(?>X)` and possessive `X*+` use the lookahead + backreference idiom (?=(X))\N,
//     which matches what X matched first and never gives it back;
//   - `X?` where X can match empty becomes (?:X|), so that empty match counts as in PCRE;
//   - `\R` is (?:\r\n|(?!\r\n)[\n\v\f\r\x85]), which is atomic like PCRE's.
// Constructs on which JS would still behave differently are rejected with OperatorError (see
// pcre-checks.ts) instead of being approximated. Patterns that could backtrack exponentially
// (pcre-guard.ts) are not emitted as a RegExp at all: compilePcre runs them on the VM (pcre-vm.ts).
import type { ByteSet, Node, ParsedPattern } from './pcre-ast.js';
import {
  checkBackrefs,
  checkCaptures,
  checkEmptyIterations,
  canMatchEmpty,
  checkLookbehinds,
  fixedLength,
  forEachChild,
} from './pcre-checks.js';
import { toBytes } from './operand.js';
import { backtrackingRisk } from './pcre-guard.js';
import { type PcreOptions, parsePcre } from './pcre-parse.js';
import { PikeVm, VM_SLOTS } from './pcre-vm.js';
import { OperatorError } from './registry.js';

export type { PcreOptions } from './pcre-parse.js';

export interface Translation {
  /** JS RegExp source. */
  source: string;
  /** '' or 'i' (see canUseIgnoreCase). */
  flags: string;
  /** For PCRE group n (0 = whole match), the JS group indexes that may hold it (several after (?|...)). */
  groups: number[][];
}

/** A compiled pattern, on whichever engine can run it safely. */
export interface PcreMatcher {
  /** 'regexp': translated to a JS RegExp; 'vm': exponentially ambiguous, run on the linear-time VM. */
  readonly engine: 'regexp' | 'vm';
  test(value: string): boolean;
  /** Groups 0..9 of the first match (undefined where unset; fewer when the pattern has fewer), or null. */
  exec(value: string): (string | undefined)[] | null;
}

// Patterns holding characters above \xff are taken to be Unicode text and matched as their UTF-8
// bytes (what PCRE sees when it reads a UTF-8 rule file): see toBytes.

/**
 * Translates a PCRE pattern to a JS RegExp source. Throws OperatorError when it cannot be done
 * faithfully, including for patterns that risk exponential backtracking (compilePcre runs those on
 * the linear-time VM instead).
 */
export function translatePcre(pattern: string, opts: PcreOptions = {}): Translation {
  const parsed = parsePcre(toBytes(pattern), opts);
  checkLookbehinds(parsed.root);
  const risk = backtrackingRisk(parsed.root);
  if (risk !== -1) {
    throw new OperatorError(
      risk >= 0
        ? `regex: catastrophic backtracking risk: ambiguous nested repetition near offset ${risk} (like (a+)+ or (a|a)*)`
        : 'regex: pattern too complex to check for catastrophic backtracking',
    );
  }
  return toJs(parsed);
}

function toJs(parsed: ParsedPattern): Translation {
  checkEmptyIterations(parsed.root);
  checkCaptures(parsed.root);
  checkBackrefs(parsed, parsed.root, new Set());
  return new Emitter(parsed).run();
}

/**
 * Compiles a PCRE pattern (byte semantics) into a matcher. Safe patterns become a JS RegExp; patterns
 * whose repetitions are exponentially ambiguous (see pcre-guard.ts) run on the linear-time VM so that
 * no input can make them backtrack for long. Throws OperatorError for untranslatable patterns.
 */
export function compilePcre(pattern: string, opts: PcreOptions = {}): PcreMatcher {
  const parsed = parsePcre(toBytes(pattern), opts);
  checkLookbehinds(parsed.root);
  const groupLimit = Math.min(parsed.groupCount, VM_SLOTS / 2 - 1);
  if (backtrackingRisk(parsed.root) !== -1) {
    // The VM orders alternatives like a backtracking engine, with the same empty-iteration caveats.
    checkEmptyIterations(parsed.root);
    checkCaptures(parsed.root);
    return vmMatcher(new PikeVm(parsed.root), groupLimit);
  }
  const t = toJs(parsed);
  let regex: RegExp;
  try {
    regex = new RegExp(t.source, t.flags);
  } catch (e) {
    // A translator bug, not a user error; still surfaces as a rule-load failure.
    throw new OperatorError(`regex: internal translation error: ${(e as Error).message}`);
  }
  const slots = t.groups.slice(0, groupLimit + 1);
  return {
    engine: 'regexp',
    test: (value) => regex.test(value),
    exec(value) {
      const m = regex.exec(value);
      if (m === null) return null;
      return slots.map((js) => {
        for (const k of js) if (m[k] !== undefined) return m[k];
        return undefined;
      });
    },
  };
}

function vmMatcher(vm: PikeVm, groupLimit: number): PcreMatcher {
  return {
    engine: 'vm',
    test: (value) => vm.test(value),
    exec(value) {
      const caps = vm.exec(value);
      if (caps === null) return null;
      const out: (string | undefined)[] = [];
      for (let g = 0; g <= groupLimit; g++) {
        const start = caps[2 * g];
        const end = caps[2 * g + 1];
        out.push(start >= 0 && end >= 0 ? value.slice(start, end) : undefined);
      }
      return out;
    },
  };
}

const HEX = '0123456789abcdef';
const hex = (c: number): string => `\\x${HEX[c >> 4]}${HEX[c & 15]}`;

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function literalChar(c: number): string {
  if (isAlnum(c) || c === 95 || c === 32) return String.fromCharCode(c);
  if (c > 32 && c < 127) return `\\${String.fromCharCode(c)}`; // identity escape of punctuation
  return hex(c);
}

function classChar(c: number): string {
  return isAlnum(c) ? String.fromCharCode(c) : hex(c);
}

function rangesText(ranges: [number, number][]): string {
  let s = '';
  for (const [lo, hi] of ranges) {
    s += classChar(lo);
    if (hi === lo + 1) s += classChar(hi);
    else if (hi > lo) s += `-${classChar(hi)}`;
  }
  return s;
}

// Case pairs as bit masks: A-Z / a-z are bits 1-26 of words 2 / 3; \xc0-\xde / \xe0-\xfe (minus
// \xd7 / \xf7, which are not letters) are bits 0-30 of words 6 / 7.
const ASCII_LETTERS = 0x07fffffe;
const LATIN1_LETTERS = 0x7f7fffff;

/** True when the JS `i` flag cannot change what `set` matches: it holds both cases or neither. */
function caseClosed(set: ByteSet): boolean {
  const w = set.w;
  return ((w[2] ^ w[3]) & ASCII_LETTERS) === 0 && ((w[6] ^ w[7]) & LATIN1_LETTERS) === 0;
}

/** Drops the upper-case member of every case pair of a case-closed set (for emission under `i`). */
function lowerOnly(set: ByteSet): ByteSet {
  const out = set.clone();
  out.w[2] &= ~ASCII_LETTERS;
  out.w[6] &= ~LATIN1_LETTERS;
  return out;
}

function setText(set: ByteSet, foldI: boolean): string {
  const direct = set.single();
  if (direct >= 0) return literalChar(direct);
  const posSet = foldI ? lowerOnly(set) : set;
  const single = posSet.single();
  if (single >= 0) return literalChar(single);
  const pos = posSet.ranges();
  if (pos.length === 1 && pos[0][0] === 0 && pos[0][1] === 255) return '[^]';
  const negSet = set.clone().negate();
  const neg = (foldI ? lowerOnly(negSet) : negSet).ranges();
  return neg.length < pos.length ? `[^${rangesText(neg)}]` : `[${rangesText(pos)}]`;
}

/**
 * Whether the JS `i` flag may be used: V8 runs case-insensitive literals faster than the equivalent
 * [Ss][Ee]... classes. Exact only when no set distinguishes case partners (PCRE folds ASCII only,
 * JS also Latin-1) and there are no backreferences (which `i` would compare caselessly).
 */
function canUseIgnoreCase(n: Node): boolean {
  if (n.type === 'chars') return caseClosed(n.set);
  if (n.type === 'backref') return false;
  let ok = true;
  forEachChild(n, (c) => {
    if (ok && !canUseIgnoreCase(c)) ok = false;
  });
  return ok;
}

const ASSERT_TEXT = {
  bos: '^',
  eos: '$',
  eosnl: '(?=\\n?$)',
  bol: '(?:^|(?<=\\n)(?!$))',
  eol: '(?=\\n|$)',
  wordb: '\\b',
  nwordb: '\\B',
} as const;

class Emitter {
  private jsGroups = 0;
  private readonly groupMap: number[][];
  private behind = 0;
  private readonly foldI: boolean;

  constructor(private readonly parsed: ParsedPattern) {
    this.foldI = canUseIgnoreCase(parsed.root);
    this.groupMap = Array.from({ length: parsed.groupCount + 1 }, () => []);
    this.groupMap[0].push(0);
  }

  run(): Translation {
    const raw = this.emit(this.parsed.root);
    // Backreferences were emitted as placeholders: group numbers are only known now.
    const source = raw.replace(/\0(\d+)\0/g, (_, n: string) => `(?:\\${this.groupMap[Number(n)][0]})`);
    return { source, flags: this.foldI ? 'i' : '', groups: this.groupMap };
  }

  private fail(what: string, offset: number): never {
    throw new OperatorError(`regex: unsupported PCRE construct at offset ${offset}: ${what}`);
  }

  /** Emits n as something a quantifier can follow. */
  private atom(n: Node): string {
    // (Atomic parts are emitted as a lookahead plus a backreference: two atoms, so they get wrapped.)
    if (n.type === 'chars' || n.type === 'group' || n.type === 'newline' || n.type === 'backref') {
      return this.emit(n);
    }
    return `(?:${this.emit(n)})`;
  }

  private emit(n: Node): string {
    switch (n.type) {
      case 'empty':
        return '';
      case 'chars':
        return setText(n.set, this.foldI);
      case 'seq':
        return n.items.map((i) => (i.type === 'alt' ? `(?:${this.emit(i)})` : this.emit(i))).join('');
      case 'alt':
        return n.alts.map((a) => this.emit(a)).join('|');
      case 'group': {
        if (n.index === 0) return `(?:${this.emit(n.body)})`;
        const js = ++this.jsGroups;
        this.groupMap[n.index].push(js);
        return `(${this.emit(n.body)})`;
      }
      case 'atomic':
        return this.atomic(this.behind > 0 ? null : ++this.jsGroups, n.offset, n, () => this.emit(n.body));
      case 'look': {
        if (n.behind) this.behind++;
        const body = this.emit(n.body);
        if (n.behind) this.behind--;
        return `(?${n.behind ? '<' : ''}${n.negate ? '!' : '='}${body})`;
      }
      case 'repeat': {
        const { min, max } = n;
        if (min === 0 && max === 1 && canMatchEmpty(n.body)) {
          // X? as (?:X|) when X can match empty: JS would refuse that empty match inside `?` (and so
          // lose X's captures and preferences); an alternation takes X's matches in PCRE's order.
          const alt = () => (n.mode === 'lazy' ? `(?:|${this.emit(n.body)})` : `(?:${this.emit(n.body)}|)`);
          if (n.mode !== 'possessive') return alt();
          return this.atomic(this.behind > 0 ? null : ++this.jsGroups, n.offset, n, alt);
        }
        let q = max === Infinity ? (min === 0 ? '*' : min === 1 ? '+' : `{${min},}`) : `{${min},${max}}`;
        if (min === max) q = `{${min}}`;
        else if (min === 0 && max === 1) q = '?';
        if (n.mode === 'lazy') q += '?';
        if (n.mode !== 'possessive') return this.atom(n.body) + q;
        return this.atomic(this.behind > 0 ? null : ++this.jsGroups, n.offset, n, () => this.atom(n.body) + q);
      }
      case 'assert':
        return ASSERT_TEXT[n.kind];
      case 'newline':
        return '(?:\\r\\n|(?!\\r\\n)[\\n\\x0b\\x0c\\r\\x85])';
      case 'backref':
        if (this.behind > 0) this.fail('backreference inside a lookbehind', n.offset);
        return `\0${n.index}\0`;
    }
  }

  /**
   * (?=(X))\N: the lookahead finds X's first match and the backreference consumes exactly that text,
   * with no way back in. Inside a lookbehind (matched right to left in JS) the idiom does not work;
   * there an atomic part of fixed length cannot change the result, so it is emitted plainly.
   */
  private atomic(js: number | null, offset: number, n: Node, body: () => string): string {
    if (js === null) {
      if (fixedLength(n) < 0) this.fail('variable-length atomic group or possessive quantifier inside a lookbehind', offset);
      return `(?:${body()})`;
    }
    return `(?=(${body()}))(?:\\${js})`;
  }
}
