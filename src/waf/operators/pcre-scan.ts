// Character-level scanning for the PCRE parser (pcre-parse.ts): escapes, byte values and character
// classes, plus the byte sets of PCRE's class escapes in the default "C" locale tables.
import { ByteSet, type Node } from './pcre-ast.js';
import { OperatorError } from './registry.js';

export const DIGIT = ByteSet.range(48, 57);
export const WORD = ByteSet.range(48, 57).addRange(65, 90).addRange(97, 122).add(95);
export const SPACE = ByteSet.range(9, 13).add(32); // PCRE2 / PCRE >= 8.34: \s includes VT
export const HSPACE = ByteSet.of(9, 32, 0xa0);
export const VSPACE = ByteSet.range(10, 13).add(0x85);
export const NOT_NL = ByteSet.of(10).negate();
export const ALL = new ByteSet().negate();

// POSIX classes in the "C" locale.
export const POSIX: Record<string, ByteSet> = {
  alpha: ByteSet.range(65, 90).addRange(97, 122),
  digit: DIGIT,
  alnum: ByteSet.range(48, 57).addRange(65, 90).addRange(97, 122),
  upper: ByteSet.range(65, 90),
  lower: ByteSet.range(97, 122),
  space: SPACE,
  blank: ByteSet.of(9, 32),
  cntrl: ByteSet.range(0, 31).add(127),
  graph: ByteSet.range(33, 126),
  print: ByteSet.range(32, 126),
  punct: ByteSet.range(33, 47).addRange(58, 64).addRange(91, 96).addRange(123, 126),
  xdigit: ByteSet.range(48, 57).addRange(65, 70).addRange(97, 102),
  word: WORD,
  ascii: ByteSet.range(0, 127),
};

// Shared single-byte sets for literals (tree sets are never mutated after parsing).
export const EXACT = Array.from({ length: 256 }, (_, c) => ByteSet.of(c));
export const FOLDED = EXACT.map((s) => s.clone().foldAscii());

function isHex(ch: string | undefined): boolean {
  return ch !== undefined && /^[0-9A-Fa-f]$/.test(ch);
}

type ClassAtom = { code: number } | { set: ByteSet };

export abstract class PcreScanner {
  protected pos = 0;

  constructor(protected readonly src: string) {}

  fail(what: string, at = this.pos): never {
    const snippet = this.src.slice(Math.max(0, at - 12), at + 12);
    throw new OperatorError(`regex: ${what} at offset ${at} (near ${JSON.stringify(snippet)})`);
  }

  protected unsupported(construct: string, at = this.pos): never {
    this.fail(`unsupported PCRE construct ${construct} (no faithful JavaScript translation)`, at);
  }

  /**
   * Reads a single-character escape at pos (pointing at the backslash) and returns its byte value:
   * \a \e \f \n \r \t, \0oo, \ooo, \o{...}, \xhh, \x{...}, \cX, or an escaped non-alphanumeric.
   */
  protected charEscape(inClass: boolean): number {
    const s = this.src;
    const offset = this.pos;
    const c = s[this.pos + 1];
    this.pos += 2;
    let value: number;
    switch (c) {
      case 'a':
        return 7;
      case 'e':
        return 27;
      case 'f':
        return 12;
      case 'n':
        return 10;
      case 'r':
        return 13;
      case 't':
        return 9;
      case 'b':
        if (inClass) return 8;
        break;
      case 'c': {
        const x = s.charCodeAt(this.pos);
        if (Number.isNaN(x) || x < 32 || x > 126) this.fail('\\c must be followed by a printable ASCII character', offset);
        this.pos++;
        return (x >= 97 && x <= 122 ? x - 32 : x) ^ 0x40;
      }
      case 'o': {
        const m = /^\{([0-7]+)\}/.exec(s.slice(this.pos, this.pos + 24));
        if (m === null) this.fail('\\o must be followed by {octal digits}', offset);
        this.pos += m[0].length;
        value = Number.parseInt(m[1], 8);
        return this.byteValue(value, offset);
      }
      case 'x': {
        if (s[this.pos] === '{') {
          const m = /^\{([0-9A-Fa-f]+)\}/.exec(s.slice(this.pos, this.pos + 24));
          if (m === null) this.fail('malformed \\x{...} escape', offset);
          this.pos += m[0].length;
          return this.byteValue(Number.parseInt(m[1], 16), offset);
        }
        let v = 0;
        for (let k = 0; k < 2 && isHex(s[this.pos]); k++) v = v * 16 + Number.parseInt(s[this.pos++], 16);
        return v;
      }
    }
    if (c >= '0' && c <= '7') {
      // \0 plus up to two more octal digits; \1-\7 reach here only when not a backreference.
      let v = Number(c);
      for (let k = 0; k < 2 && s[this.pos] >= '0' && s[this.pos] <= '7'; k++) v = v * 8 + Number(s[this.pos++]);
      return this.byteValue(v, offset);
    }
    if (/[A-Za-z0-9]/.test(c)) this.fail(`unrecognized escape \\${c}`, offset);
    return s.charCodeAt(offset + 1) > 255
      ? this.fail('character above \\xff in a byte pattern', offset)
      : s.charCodeAt(offset + 1);
  }

  private byteValue(v: number, offset: number): number {
    // Without UTF mode PCRE rejects code points above 0xff: they cannot occur in a byte string.
    if (v > 255) this.fail('character code point value above \\xff is not allowed in non-UTF mode', offset);
    return v;
  }

  protected parseClass(caseless: boolean, spacesIgnored: boolean): Node {
    const s = this.src;
    const offset = this.pos;
    this.pos++;
    const negated = s[this.pos] === '^';
    if (negated) this.pos++;
    const set = new ByteSet();
    let first = true;
    for (;;) {
      if (this.pos >= s.length) this.fail('missing terminating ] for character class', offset);
      const ch = s[this.pos];
      if (ch === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (spacesIgnored && (ch === ' ' || ch === '\t')) {
        this.pos++;
        continue;
      }
      if (ch === '\\' && s[this.pos + 1] === 'Q') {
        this.pos += 2;
        while (this.pos < s.length && !(s[this.pos] === '\\' && s[this.pos + 1] === 'E')) set.add(this.byteAt(this.pos++));
        if (this.pos < s.length) this.pos += 2;
        continue;
      }
      if (ch === '\\' && s[this.pos + 1] === 'E') {
        this.pos += 2;
        continue;
      }
      const atom = this.classAtom();
      const rangeFollows = s[this.pos] === '-' && s[this.pos + 1] !== ']' && this.pos + 1 < s.length;
      if ('set' in atom) {
        // `[\d-z]`: a class cannot start a range (a hyphen at either edge, `[\w-]`, is literal).
        if (rangeFollows) this.fail('invalid range in character class');
        set.addSet(atom.set);
        continue;
      }
      if (rangeFollows) {
        const at = this.pos;
        this.pos++;
        const hi = this.classAtom();
        if ('set' in hi) this.fail('invalid range in character class', at);
        if (hi.code < atom.code) this.fail('range out of order in character class', at);
        set.addRange(atom.code, hi.code);
        continue;
      }
      set.add(atom.code);
    }
    if (caseless) set.foldAscii();
    if (negated) set.negate();
    return { type: 'chars', set, offset };
  }

  private byteAt(p: number): number {
    const v = this.src.charCodeAt(p);
    if (v > 255) this.fail('character above \\xff in a byte pattern', p);
    return v;
  }

  private classAtom(): ClassAtom {
    const s = this.src;
    const ch = s[this.pos];
    if (ch === '[') {
      const m = /^\[([:.=])(\^?)([A-Za-z]*)\1\]/.exec(s.slice(this.pos, this.pos + 16));
      if (m !== null) {
        if (m[1] !== ':') this.unsupported(`POSIX collating element [${m[1]}...${m[1]}]`);
        const base = POSIX[m[3]];
        if (base === undefined) this.fail(`unknown POSIX class name "${m[3]}"`);
        this.pos += m[0].length;
        return { set: m[2] === '^' ? base.clone().negate() : base };
      }
    }
    if (ch !== '\\') return { code: this.byteAt(this.pos++) };
    const c = s[this.pos + 1];
    const classes: Record<string, ByteSet> = { d: DIGIT, w: WORD, s: SPACE, h: HSPACE, v: VSPACE };
    const lower = c?.toLowerCase() ?? '';
    if (lower in classes && c !== undefined) {
      this.pos += 2;
      const base = classes[lower];
      return { set: c === lower ? base : base.clone().negate() };
    }
    if (c === '8' || c === '9') {
      this.pos += 2;
      return { code: c.charCodeAt(0) }; // not octal: the digit itself
    }
    if (c !== undefined && 'BRXNpPCKgkAzZG'.includes(c)) this.unsupported(`\\${c} in a character class`);
    return { code: this.charEscape(true) };
  }
}
