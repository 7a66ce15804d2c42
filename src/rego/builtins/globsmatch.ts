// regex.globs_match: whether two "glob-like" regular expressions match a common string. The
// syntax is the one OPA's library (glob-intersection) accepts: literal runes, `.` (any rune),
// `[...]` sets with `a-z` ranges (no negation), `*` and `+` after a single token, and `\` to
// escape. Expressions are implicitly anchored at both ends. Like that library, adjacent
// repetitions of the same token are merged first (t*t+ and t+t+ both become t+).
// The intersection is decided exactly, by searching the product of the two automata.
import { cleanRanges } from './re2parse.js';

enum Flag {
  None,
  Plus,
  Star,
}

interface Token {
  any: boolean; // `.`
  ranges: number[]; // lo,hi pairs (a single rune for a character)
  set: boolean;
  flag: Flag;
}

function invalid(input: string[], pos: number, msg: string): Error {
  return new Error(`input:${input.join('')}, pos:${pos}, ${msg}: the input provided is invalid`);
}

/** The rune at i, honouring a backslash escape: [rune, next index, escaped], or null at the end. */
function nextRune(input: string[], i: number): [string, number, boolean] | null {
  if (i >= input.length) return null;
  if (input[i] === '\\') {
    if (i === input.length - 1) throw invalid(input, i, 'input ends with a \\ (escape) character');
    return [input[i + 1] as string, i + 2, true];
  }
  return [input[i] as string, i + 1, false];
}

function parseSet(input: string[], start: number): [Token, number] {
  const ranges: number[] = [];
  let prev = 0;
  let prevExists = false;
  let i = start;
  for (let r = nextRune(input, i); r !== null; r = nextRune(input, i)) {
    const [ch, next, escaped] = r;
    i = next;
    const c = ch.codePointAt(0) as number;
    if (!escaped && ch === ']') return [{ any: false, ranges, set: true, flag: Flag.None }, i];
    if (!escaped && ch === '-') {
      if (!prevExists) throw invalid(input, i, "range character '-' must be preceded by a Unicode character");
      if (i >= input.length - 1) throw invalid(input, i, "range character '-' must be followed by a Unicode character");
      const [hiCh, after, hiEscaped] = nextRune(input, i) as [string, number, boolean];
      i = after;
      if (!hiEscaped && (hiCh === ']' || hiCh === '-'))
        throw invalid(input, i, "range character '-' cannot be followed by a special symbol");
      const hi = hiCh.codePointAt(0) as number;
      if (hi < prev)
        throw invalid(input, i, `range is out of order: '${hiCh}' comes before '${String.fromCodePoint(prev)}' in Unicode`);
      ranges.push(prev, hi);
      prevExists = false;
      continue;
    }
    ranges.push(c, c);
    prev = c;
    prevExists = true;
  }
  throw invalid(input, i, 'found [ without matching ]');
}

function tokenize(glob: string): Token[] {
  const input = Array.from(glob);
  const tokens: Token[] = [];
  let i = 0;
  for (let r = nextRune(input, i); r !== null; r = nextRune(input, i)) {
    const [ch, next, escaped] = r;
    i = next;
    let tok: Token;
    if (escaped)
      tok = { any: false, ranges: [ch.codePointAt(0) as number, ch.codePointAt(0) as number], set: false, flag: Flag.None };
    else if (ch === '.') tok = { any: true, ranges: [], set: false, flag: Flag.None };
    else if (ch === ']') throw invalid(input, i, "set-close ']' with no preceding '['");
    else if (ch === '[') [tok, i] = parseSet(input, i);
    else if (ch === '+' || ch === '*') throw invalid(input, i, `flag '${ch}' must be preceded by a non-flag`);
    else tok = { any: false, ranges: [ch.codePointAt(0) as number, ch.codePointAt(0) as number], set: false, flag: Flag.None };
    const f = nextRune(input, i);
    if (f !== null && !f[2] && (f[0] === '+' || f[0] === '*')) {
      tok.flag = f[0] === '+' ? Flag.Plus : Flag.Star;
      i = f[1];
    }
    tokens.push(tok);
  }
  return simplify(tokens);
}

function runeSet(t: Token): string {
  return cleanRanges(t.ranges).join(',');
}

function sameToken(a: Token, b: Token): boolean {
  if (a.any || b.any) return a.any && b.any;
  if (a.set !== b.set) return false;
  return runeSet(a) === runeSet(b);
}

function simplify(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    const last = out[out.length - 1];
    if (last && t.flag !== Flag.None && last.flag !== Flag.None && sameToken(t, last)) {
      last.flag = t.flag === Flag.Plus || last.flag === Flag.Plus ? Flag.Plus : Flag.Star;
    } else out.push({ ...t });
  }
  return out;
}

/** Whether some rune matches both tokens. */
function overlap(a: Token, b: Token): boolean {
  if (a.any) return b.any || b.ranges.length > 0;
  if (b.any) return a.ranges.length > 0;
  for (let i = 0; i < a.ranges.length; i += 2)
    for (let j = 0; j < b.ranges.length; j += 2)
      if ((a.ranges[i] as number) <= (b.ranges[j + 1] as number) && (b.ranges[j] as number) <= (a.ranges[i + 1] as number))
        return true;
  return false;
}

// A state is 2*i (before token i) or 2*i+1 (inside token i's `+`, after its first rune).
function closure(tokens: Token[], state: number): number[] {
  const out = [state];
  let s = state;
  for (;;) {
    const i = s >> 1;
    if (i >= tokens.length) break;
    const t = tokens[i] as Token;
    if ((s & 1) === 1 || t.flag === Flag.Star) {
      s = 2 * (i + 1);
      out.push(s);
    } else break;
  }
  return out;
}

function step(tokens: Token[], state: number): number {
  const i = state >> 1;
  const t = tokens[i] as Token;
  if (t.flag === Flag.None) return 2 * (i + 1);
  if (t.flag === Flag.Star) return 2 * i;
  return 2 * i + 1;
}

/** Whether the two globs match at least one common string. */
export function globsIntersect(a: string, b: string): boolean {
  const ta = tokenize(a);
  const tb = tokenize(b);
  const endA = 2 * ta.length;
  const endB = 2 * tb.length;
  const seen = new Set<number>();
  const width = endB + 2;
  const queue: Array<[number, number]> = [];
  const push = (sa: number, sb: number) => {
    for (const x of closure(ta, sa))
      for (const y of closure(tb, sb)) {
        const key = x * width + y;
        if (!seen.has(key)) {
          seen.add(key);
          queue.push([x, y]);
        }
      }
  };
  push(0, 0);
  while (queue.length > 0) {
    const [x, y] = queue.pop() as [number, number];
    if (x === endA && y === endB) return true;
    if (x >= endA || y >= endB) continue;
    if (overlap(ta[x >> 1] as Token, tb[y >> 1] as Token)) push(step(ta, x), step(tb, y));
  }
  return false;
}
