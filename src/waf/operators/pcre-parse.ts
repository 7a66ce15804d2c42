// PCRE pattern parser (8-bit, non-UTF mode, as ModSecurity compiles @rx) producing the tree in
// pcre-ast.ts. Case-insensitivity is resolved here: under (?i) every literal and class is widened to
// both ASCII cases (PCRE's default tables fold ASCII only), so the emitted JS does not depend on the
// `i` flag (pcre.ts uses it only where it is exact, for speed) and scoped `(?i:...)` works on Node 20. Anything PCRE accepts that we cannot reproduce
// exactly (recursion, conditionals, verbs, \K, \p ...) throws OperatorError naming the construct.
import type { AssertKind, ByteSet, Node, ParsedPattern, RepeatMode } from './pcre-ast.js';
import { ALL, DIGIT, EXACT, FOLDED, HSPACE, NOT_NL, PcreScanner, SPACE, VSPACE, WORD } from './pcre-scan.js';

export interface PcreOptions {
  caseless?: boolean;
  dotAll?: boolean;
  multiline?: boolean;
  extended?: boolean;
  dollarEndOnly?: boolean;
  ungreedy?: boolean;
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
  xx: boolean;
  n: boolean;
  U: boolean;
  J: boolean;
}

const MAX_REPEAT = 65535;

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function seqOf(items: Node[]): Node {
  if (items.length === 0) return { type: 'empty' };
  if (items.length === 1) return items[0];
  return { type: 'seq', items };
}

/** Parses `src` (a byte string) into a tree; throws OperatorError on invalid or untranslatable input. */
export function parsePcre(src: string, opts: PcreOptions = {}): ParsedPattern {
  return new Parser(src, opts).parse();
}

class Parser extends PcreScanner {
  private groupCount = 0;
  private readonly names = new Map<string, number>();
  private readonly usedGroups = new Set<number>();
  private readonly sharedGroups = new Set<number>();
  private readonly backrefs: Extract<Node, { type: 'backref' }>[] = [];

  constructor(
    src: string,
    private readonly opts: PcreOptions,
  ) {
    super(src);
  }

  parse(): ParsedPattern {
    const o = this.opts;
    const flags: Flags = {
      i: !!o.caseless,
      m: !!o.multiline,
      s: !!o.dotAll,
      x: !!o.extended,
      xx: false,
      n: false,
      U: !!o.ungreedy,
      J: false,
    };
    const root = this.parseAlternation(flags, false);
    if (this.pos < this.src.length) this.fail('unmatched closing parenthesis');
    for (const b of this.backrefs) {
      if (b.name !== undefined) {
        const n = this.names.get(b.name);
        if (n === undefined) this.fail(`reference to unknown group name "${b.name}"`, b.offset);
        b.index = n;
      }
      if (b.index > this.groupCount) this.fail(`reference to non-existent group ${b.index}`, b.offset);
    }
    return { root, groupCount: this.groupCount, sharedGroups: this.sharedGroups };
  }

  private parseAlternation(flags: Flags, branchReset: boolean): Node {
    const alts: Node[] = [];
    const base = this.groupCount;
    let maxCount = base;
    for (;;) {
      if (branchReset) this.groupCount = base;
      alts.push(this.parseSequence(flags));
      maxCount = Math.max(maxCount, this.groupCount);
      if (this.src[this.pos] !== '|') break;
      this.pos++;
    }
    if (branchReset) this.groupCount = maxCount;
    return alts.length === 1 ? alts[0] : { type: 'alt', alts };
  }

  private skipExtended(flags: Flags): void {
    if (!flags.x) return;
    const s = this.src;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 32 || (c >= 9 && c <= 13)) this.pos++;
      else if (c === 35) {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else break;
    }
  }

  private parseSequence(flags: Flags): Node {
    const items: Node[] = [];
    const s = this.src;
    for (;;) {
      this.skipExtended(flags);
      if (this.pos >= s.length) break;
      const ch = s[this.pos];
      if (ch === '|' || ch === ')') break;
      const start = this.pos;
      if (ch === '\\' && s[this.pos + 1] === 'Q') {
        this.pos += 2;
        while (this.pos < s.length && !(s[this.pos] === '\\' && s[this.pos + 1] === 'E')) {
          items.push(this.literal(s.charCodeAt(this.pos), flags, this.pos));
          this.pos++;
        }
        if (this.pos < s.length) this.pos += 2;
        this.applyQuantifier(items, flags, start);
        continue;
      }
      const atom = this.parseAtom(flags);
      // Option settings, comments and \E produce nothing; a quantifier after them applies to the
      // previous item (`a\E+` is `a+`), or is an error when there is none.
      if (atom !== null) items.push(atom);
      this.applyQuantifier(items, flags, start);
    }
    return seqOf(items);
  }

  /** Applies a following quantifier (if any) to the last item. */
  private applyQuantifier(items: Node[], flags: Flags, atomStart: number): void {
    this.skipExtended(flags);
    const q = this.readQuantifier();
    if (q === null) return;
    const target = items.pop();
    if (target === undefined) this.fail('quantifier does not follow a repeatable item', atomStart);
    if (target.type === 'assert' || target.type === 'look') this.unsupported('quantified assertion', atomStart);
    let mode: RepeatMode = flags.U ? 'lazy' : 'greedy';
    const suffix = this.src[this.pos];
    if (suffix === '+') {
      mode = 'possessive';
      this.pos++;
    } else if (suffix === '?') {
      mode = flags.U ? 'greedy' : 'lazy';
      this.pos++;
    }
    items.push({ type: 'repeat', body: target, min: q.min, max: q.max, mode, offset: atomStart });
    const next = this.readQuantifier(true);
    if (next !== null) this.fail('quantifier does not follow a repeatable item');
  }

  /** Reads `*`, `+`, `?` or a valid `{n}`, `{n,}`, `{n,m}`; `peek` leaves pos unchanged. */
  private readQuantifier(peek = false): { min: number; max: number } | null {
    const s = this.src;
    const ch = s[this.pos];
    let q: { min: number; max: number } | null = null;
    let end = this.pos + 1;
    if (ch === '*') q = { min: 0, max: Infinity };
    else if (ch === '+') q = { min: 1, max: Infinity };
    else if (ch === '?') q = { min: 0, max: 1 };
    else if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.pos, this.pos + 16));
      if (m === null) return null; // not a quantifier: a literal '{'
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) this.fail('number too big in {} quantifier');
      if (max < min) this.fail('numbers out of order in {} quantifier');
      q = { min, max };
      end = this.pos + m[0].length;
    }
    if (q !== null && !peek) this.pos = end;
    return q;
  }

  private literal(code: number, flags: Flags, offset: number): Node {
    if (code > 255) this.fail('character above \\xff in a byte pattern', offset);
    return { type: 'chars', set: (flags.i ? FOLDED : EXACT)[code], offset };
  }

  private parseAtom(flags: Flags): Node | null {
    const s = this.src;
    const offset = this.pos;
    const ch = s[this.pos];
    switch (ch) {
      case '(':
        return this.parseGroup(flags);
      case '[':
        if (/^\[([:.=])\^?[A-Za-z]*\1\]/.test(s.slice(this.pos, this.pos + 16))) {
          this.fail('POSIX named classes are supported only within a class');
        }
        return this.parseClass(flags.i, flags.xx);
      case '.':
        this.pos++;
        return { type: 'chars', set: flags.s ? ALL : NOT_NL, offset };
      case '^':
        this.pos++;
        return { type: 'assert', kind: flags.m ? 'bol' : 'bos', offset };
      case '$':
        this.pos++;
        return { type: 'assert', kind: flags.m ? 'eol' : this.opts.dollarEndOnly ? 'eos' : 'eosnl', offset };
      case '\\':
        return this.parseEscape(flags);
      case '*':
      case '+':
      case '?':
        this.fail('quantifier does not follow a repeatable item');
        break;
      case '{':
        if (this.readQuantifier(true) !== null) this.fail('quantifier does not follow a repeatable item');
        break;
    }
    this.pos++;
    return this.literal(s.charCodeAt(offset), flags, offset);
  }

  private parseGroup(outer: Flags): Node | null {
    const s = this.src;
    const offset = this.pos;
    this.pos++;
    const flags = { ...outer };
    if (s[this.pos] === '*') {
      const m = /^\(\*([A-Za-z_]*)/.exec(s.slice(offset, offset + 40));
      this.unsupported(`(*${m?.[1] ?? ''}) verb or start-of-pattern option`, offset);
    }
    if (s[this.pos] !== '?') {
      if (flags.n) return this.finishGroup(flags, 0, offset, false);
      return this.finishGroup(flags, this.newGroup(offset), offset, false);
    }
    this.pos++;
    const c = s[this.pos];
    switch (c) {
      case ':':
        this.pos++;
        return this.finishGroup(flags, 0, offset, false);
      case '|':
        this.pos++;
        return this.finishGroup(flags, 0, offset, true);
      case '>': {
        this.pos++;
        const body = this.parseAlternation(flags, false);
        this.expect(')', offset);
        return { type: 'atomic', body, offset };
      }
      case '=':
      case '!':
        this.pos++;
        return this.finishLook(flags, false, c === '!', offset);
      case '<':
        if (s[this.pos + 1] === '=' || s[this.pos + 1] === '!') {
          this.pos += 2;
          return this.finishLook(flags, true, s[this.pos - 1] === '!', offset);
        }
        this.pos++;
        return this.namedGroup(flags, '>', offset);
      case "'":
        this.pos++;
        return this.namedGroup(flags, "'", offset);
      case 'P': {
        const d = s[this.pos + 1];
        if (d === '<') {
          this.pos += 2;
          return this.namedGroup(flags, '>', offset);
        }
        if (d === '=') {
          this.pos += 2;
          const name = this.readName(')');
          return this.addBackref({ type: 'backref', index: 0, name, offset }, flags);
        }
        this.unsupported('(?P>name) subroutine call', offset);
        break;
      }
      case '#': {
        const end = s.indexOf(')', this.pos);
        if (end < 0) this.fail('missing ) after (?# comment', offset);
        this.pos = end + 1;
        return null;
      }
      case '(':
        this.unsupported('(?(condition)...) conditional group', offset);
        break;
      case 'C':
        this.unsupported('(?C) callout', offset);
        break;
      case 'R':
      case '&':
      case '+':
        this.unsupported('recursion / subroutine call', offset);
    }
    if (isDigit(c) || (c === '-' && isDigit(s[this.pos + 1]))) this.unsupported('recursion / subroutine call', offset);
    return this.parseOptions(outer, offset);
  }

  /** `(?imnsxUJ-imnsx)` or `(?imnsx-imnsx:...)`; `(?^...)` first resets i, m, n, s, x. */
  private parseOptions(outer: Flags, offset: number): Node | null {
    const s = this.src;
    const flags = { ...outer };
    let on = true;
    if (s[this.pos] === '^') {
      Object.assign(flags, { i: false, m: false, n: false, s: false, x: false, xx: false });
      this.pos++;
    }
    for (;;) {
      const c = s[this.pos];
      if (c === undefined) this.fail('missing ) after group options', offset);
      this.pos++;
      if (c === ')' || c === ':') break;
      if (c === '-' && on) {
        on = false;
        continue;
      }
      if (c === 'x' && s[this.pos] === 'x') {
        this.pos++;
        flags.x = on;
        flags.xx = on;
        continue;
      }
      if (c === 'x') flags.xx = false;
      if (c === 'i' || c === 'm' || c === 's' || c === 'x' || c === 'n' || c === 'U' || c === 'J') flags[c] = on;
      else if (c !== 'X') this.fail(`unrecognized character after (? or (?-: ${JSON.stringify(c)}`, this.pos - 1);
    }
    if (s[this.pos - 1] === ')') {
      // Option setting: lasts to the end of the enclosing group (and its later alternatives).
      Object.assign(outer, flags);
      return null;
    }
    return this.finishGroup(flags, 0, offset, false);
  }

  private newGroup(offset: number): number {
    const n = ++this.groupCount;
    if (this.usedGroups.has(n)) this.sharedGroups.add(n);
    this.usedGroups.add(n);
    if (n > 65535) this.fail('too many capturing groups', offset);
    return n;
  }

  private namedGroup(flags: Flags, close: string, offset: number): Node {
    const name = this.readName(close);
    const n = this.newGroup(offset);
    const prev = this.names.get(name);
    if (prev !== undefined && prev !== n && !flags.J) this.fail(`two named groups have the same name "${name}"`, offset);
    if (prev !== undefined && prev !== n) this.sharedGroups.add(prev).add(n);
    if (prev === undefined) this.names.set(name, n);
    return this.finishGroup(flags, n, offset, false);
  }

  private readName(close: string): string {
    const s = this.src;
    const m = /^[A-Za-z_][A-Za-z0-9_]{0,31}/.exec(s.slice(this.pos, this.pos + 40));
    if (m === null) this.fail('group name expected');
    this.pos += m[0].length;
    if (s[this.pos] !== close) this.fail(`syntax error in group name (expected ${close})`);
    this.pos++;
    return m[0];
  }

  private finishGroup(flags: Flags, index: number, offset: number, branchReset: boolean): Node {
    const body = this.parseAlternation(flags, branchReset);
    this.expect(')', offset);
    return { type: 'group', index, body, offset };
  }

  private finishLook(flags: Flags, behind: boolean, negate: boolean, offset: number): Node {
    const body = this.parseAlternation(flags, false);
    this.expect(')', offset);
    return { type: 'look', behind, negate, body, offset };
  }

  private expect(ch: string, openedAt: number): void {
    if (this.src[this.pos] !== ch) this.fail('missing closing parenthesis', openedAt);
    this.pos++;
  }

  private addBackref(node: Extract<Node, { type: 'backref' }>, flags: Flags): Node {
    if (flags.i) this.unsupported('backreference under (?i) (case-insensitive backreferences)', node.offset);
    this.backrefs.push(node);
    return node;
  }

  private parseEscape(flags: Flags): Node | null {
    const s = this.src;
    const offset = this.pos;
    const c = s[this.pos + 1];
    if (c === undefined) this.fail('\\ at end of pattern');
    this.pos += 2;
    const set = (x: ByteSet): Node => ({ type: 'chars', set: x, offset });
    const assert = (kind: AssertKind): Node => ({ type: 'assert', kind, offset });
    switch (c) {
      case 'd':
        return set(DIGIT);
      case 'D':
        return set(DIGIT.clone().negate());
      case 'w':
        return set(WORD);
      case 'W':
        return set(WORD.clone().negate());
      case 's':
        return set(SPACE);
      case 'S':
        return set(SPACE.clone().negate());
      case 'h':
        return set(HSPACE);
      case 'H':
        return set(HSPACE.clone().negate());
      case 'v':
        return set(VSPACE);
      case 'V':
        return set(VSPACE.clone().negate());
      case 'N':
        if (s[this.pos] === '{') this.unsupported('\\N{...}', offset);
        return set(NOT_NL);
      case 'b':
        return assert('wordb');
      case 'B':
        return assert('nwordb');
      case 'A':
      case 'G': // ModSecurity matches once from offset 0, where \G is the start of the subject
        return assert('bos');
      case 'z':
        return assert('eos');
      case 'Z':
        return assert('eosnl');
      case 'R':
        return { type: 'newline', offset };
      case 'E':
        return null;
      case 'K':
        this.unsupported('\\K (reset match start)', offset);
        break;
      case 'X':
      case 'C':
      case 'p':
      case 'P':
        this.unsupported(`\\${c}`, offset);
        break;
      case 'g':
        return this.gReference(flags, offset);
      case 'k': {
        const open = s[this.pos];
        const close = open === '<' ? '>' : open === "'" ? "'" : open === '{' ? '}' : '';
        if (close === '') this.fail("\\k is not followed by a name in <>, '' or {}", offset);
        this.pos++;
        return this.addBackref({ type: 'backref', index: 0, name: this.readName(close), offset }, flags);
      }
    }
    if (c >= '1' && c <= '9') {
      const m = /^\d+/.exec(s.slice(offset + 1, offset + 12));
      const n = Number(m![0]);
      if (n < 10 || c === '8' || c === '9' || n <= this.groupCount) {
        this.pos = offset + 1 + m![0].length;
        return this.addBackref({ type: 'backref', index: n, offset }, flags);
      }
    }
    this.pos = offset;
    return this.literal(this.charEscape(false), flags, offset);
  }

  /** \g{n} \gn \g{-n} \g{name}; \g<...> and \g'...' are subroutine calls. */
  private gReference(flags: Flags, offset: number): Node {
    const s = this.src;
    if (s[this.pos] === '<' || s[this.pos] === "'") this.unsupported('\\g<...> subroutine call', offset);
    const m = /^(?:\{(-?\d+|[A-Za-z_][A-Za-z0-9_]*)\}|(-?\d+))/.exec(s.slice(this.pos, this.pos + 40));
    if (m === null) this.fail('\\g is not followed by a number or name', offset);
    this.pos += m[0].length;
    const ref = m[1] ?? m[2];
    if (!/^-?\d+$/.test(ref)) return this.addBackref({ type: 'backref', index: 0, name: ref, offset }, flags);
    let n = Number(ref);
    if (n < 0) n = this.groupCount + 1 + n;
    if (n <= 0) this.fail('invalid group reference', offset);
    return this.addBackref({ type: 'backref', index: n, offset }, flags);
  }
}
