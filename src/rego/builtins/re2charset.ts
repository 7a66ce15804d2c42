// Character sets for the RE2 parser: range arithmetic, the Perl (\d \s \w) and POSIX
// ([:alpha:]) groups, and Unicode class names (\p{Greek}, \pL, \p{Letter}) resolved to the
// property names JS regular expressions understand.

export class RegexSyntaxError extends Error {
  constructor(
    readonly code: string,
    readonly expr: string,
  ) {
    super(`error parsing regexp: ${code}: \`${expr}\``);
  }
}

/** Code point at i and its UTF-16 width (0 past the end). */
function at(s: string, i: number): [number, number] {
  if (i >= s.length) return [-1, 0];
  const c = s.codePointAt(i) as number;
  return [c, c > 0xffff ? 2 : 1];
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** Unicode property as JS writes it inside \p{...} (e.g. "Lu", "Script=Greek"). */
export interface Prop {
  name: string;
  neg: boolean;
}

export const MAX_RUNE = 0x10ffff;
export const ERR_ESCAPE = 'invalid escape sequence';

/** Sorts and merges lo,hi pairs (Go's cleanClass). */
export function cleanRanges(r: number[]): number[] {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < r.length; i += 2) pairs.push([r[i] as number, r[i + 1] as number]);
  pairs.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const n = out.length;
    if (n > 0 && lo <= (out[n - 1] as number) + 1) {
      if (hi > (out[n - 1] as number)) out[n - 1] = hi;
    } else out.push(lo, hi);
  }
  return out;
}

export function negateRanges(r: number[]): number[] {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < r.length; i += 2) {
    if (next <= (r[i] as number) - 1) out.push(next, (r[i] as number) - 1);
    next = (r[i + 1] as number) + 1;
  }
  if (next <= MAX_RUNE) out.push(next, MAX_RUNE);
  return out;
}

const R = (s: string): number[] => {
  // "a-z0-9_" style spec → ranges
  const out: number[] = [];
  const cps = Array.from(s, (c) => c.codePointAt(0) as number);
  for (let i = 0; i < cps.length; i++) {
    if (cps[i + 1] === 0x2d && i + 2 < cps.length) {
      out.push(cps[i] as number, cps[i + 2] as number);
      i += 2;
    } else out.push(cps[i] as number, cps[i] as number);
  }
  return out;
};

export const PERL_GROUPS: Record<string, number[]> = { d: R('0-9'), s: R('\t\n\f\r '), w: R('0-9A-Za-z_') };

export const POSIX_GROUPS: Record<string, number[]> = {
  alnum: R('0-9A-Za-z'),
  alpha: R('A-Za-z'),
  ascii: [0, 0x7f],
  blank: R('\t '),
  cntrl: [0, 0x1f, 0x7f, 0x7f],
  digit: R('0-9'),
  graph: R('!-~'),
  lower: R('a-z'),
  print: R(' -~'),
  punct: R('!-/:-@[-`{-~'),
  space: R('\t\n\v\f\r '),
  upper: R('A-Z'),
  word: R('0-9A-Za-z_'),
  xdigit: R('0-9A-Fa-f'),
};

/** Case folding of an ASCII set (plus the two non-ASCII runes that fold into ASCII letters). */
export function foldAscii(r: number[]): number[] {
  const out = [...r];
  for (let i = 0; i < r.length; i += 2) {
    for (let c = r[i] as number; c <= (r[i + 1] as number) && c < 0x80; c++) {
      if (c >= 0x41 && c <= 0x5a) out.push(c + 32, c + 32);
      if (c >= 0x61 && c <= 0x7a) out.push(c - 32, c - 32);
      if (c === 0x53 || c === 0x73) out.push(0x17f, 0x17f);
      if (c === 0x4b || c === 0x6b) out.push(0x212a, 0x212a);
    }
  }
  return cleanRanges(out);
}

const CATEGORIES = new Set(
  'C Cc Cf Cn Co Cs L LC Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '),
);
const CATEGORY_ALIASES: Record<string, string> = {
  casedletter: 'LC',
  closepunctuation: 'Pe',
  combiningmark: 'M',
  connectorpunctuation: 'Pc',
  control: 'Cc',
  currencysymbol: 'Sc',
  dashpunctuation: 'Pd',
  decimalnumber: 'Nd',
  enclosingmark: 'Me',
  finalpunctuation: 'Pf',
  format: 'Cf',
  initialpunctuation: 'Pi',
  letter: 'L',
  letternumber: 'Nl',
  lineseparator: 'Zl',
  lowercaseletter: 'Ll',
  mark: 'M',
  mathsymbol: 'Sm',
  modifierletter: 'Lm',
  modifiersymbol: 'Sk',
  nonspacingmark: 'Mn',
  number: 'N',
  openpunctuation: 'Ps',
  other: 'C',
  otherletter: 'Lo',
  othernumber: 'No',
  otherpunctuation: 'Po',
  othersymbol: 'So',
  paragraphseparator: 'Zp',
  privateuse: 'Co',
  punctuation: 'P',
  separator: 'Z',
  spaceseparator: 'Zs',
  spacingmark: 'Mc',
  surrogate: 'Cs',
  symbol: 'S',
  titlecaseletter: 'Lt',
  unassigned: 'Cn',
  uppercaseletter: 'Lu',
  cntrl: 'Cc',
  digit: 'Nd',
  punct: 'P',
};
// Script names whose ISO code equals the long name (other 4-letter codes are JS-only aliases).
const FOUR_LETTER_SCRIPTS = new Set(['Ahom', 'Cham', 'Kawi', 'Lisu', 'Modi', 'Newa', 'Thai', 'Toto']);
const scriptCache = new Map<string, boolean>();

function isScript(name: string): boolean {
  if (!/^[A-Z][A-Za-z_]*$/.test(name) || (name.length === 4 && !FOUR_LETTER_SCRIPTS.has(name))) return false;
  let ok = scriptCache.get(name);
  if (ok === undefined) {
    try {
      new RegExp(`\\p{Script=${name}}`, 'u');
      ok = true;
    } catch {
      ok = false;
    }
    if (scriptCache.size < 1000) scriptCache.set(name, ok);
  }
  return ok;
}

/** Go's unicodeTable: the class items for a \p name (null when unknown). */
export function unicodeItems(name: string, fold: boolean): { ranges: number[]; prop: Prop | null } | null {
  const canon = name.replace(/[_\- ]/g, '').toLowerCase();
  if (canon === 'any') return { ranges: [0, MAX_RUNE], prop: null };
  if (canon === 'ascii') return { ranges: fold ? foldAscii([0, 0x7f]) : [0, 0x7f], prop: null };
  if (canon === 'assigned') return { ranges: [], prop: { name: 'Cn', neg: true } };
  let cat: string | undefined;
  for (const c of CATEGORIES) if (c.toLowerCase() === canon) cat = c;
  cat ??= CATEGORY_ALIASES[canon];
  if (cat) return { ranges: [], prop: { name: cat, neg: false } };
  if (isScript(name)) return { ranges: [], prop: { name: `Script=${name}`, neg: false } };
  // Newer Go also looks scripts up by canonical spelling ("greek" → Greek; one-word names only).
  const titled = canon.charAt(0).toUpperCase() + canon.slice(1);
  if (/^[a-z]+$/.test(canon) && isScript(titled)) return { ranges: [], prop: { name: `Script=${titled}`, neg: false } };
  return null;
}

/** Whether a rune has case variants (only those make a literal case-sensitive). */
export function hasCase(c: number): boolean {
  if (c < 0x41) return false;
  if (c < 0x80) return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  const ch = String.fromCodePoint(c);
  return ch.toLowerCase() !== ch || ch.toUpperCase() !== ch || c === 0x345 || c === 0x3c2;
}

/** An escape sequence at s[i] (the backslash): [rune, index after it] (Go's parseEscape). */
export function parseEscape(s: string, i: number): [number, number] {
  let j = i + 1;
  if (j >= s.length) throw new RegexSyntaxError('trailing backslash at end of expression', '');
  let [c, w] = at(s, j);
  j += w;
  const bad = () => new RegexSyntaxError(ERR_ESCAPE, s.slice(i, j));
  const octal = (k: number) => k < s.length && s.charCodeAt(k) >= 0x30 && s.charCodeAt(k) <= 0x37;
  if (c >= 0x31 && c <= 0x37 && !octal(j)) throw bad(); // \1: a backreference, unsupported
  if (c >= 0x30 && c <= 0x37) {
    let r = c - 0x30;
    for (let k = 1; k < 3 && octal(j); k++, j++) r = r * 8 + s.charCodeAt(j) - 0x30;
    return [r, j];
  }
  switch (c) {
    case 0x78: {
      // x
      if (j >= s.length) throw bad();
      [c, w] = at(s, j);
      j += w;
      if (c === 0x7b) {
        let n = 0;
        let r = 0;
        for (;;) {
          if (j >= s.length) throw bad();
          [c, w] = at(s, j);
          j += w;
          if (c === 0x7d) break;
          const v = unhex(c);
          if (v < 0) throw bad();
          r = r * 16 + v;
          if (r > MAX_RUNE) throw bad();
          n++;
        }
        if (n === 0) throw bad();
        return [r, j];
      }
      const x = unhex(c);
      [c, w] = at(s, j);
      j += w;
      const y = unhex(c);
      if (x < 0 || y < 0) throw bad();
      return [x * 16 + y, j];
    }
    case 0x61:
      return [7, j];
    case 0x66:
      return [12, j];
    case 0x6e:
      return [10, j];
    case 0x72:
      return [13, j];
    case 0x74:
      return [9, j];
    case 0x76:
      return [11, j];
  }
  if (c < 0x80 && !isAlnum(c)) return [c, j];
  throw bad();
}
