// glob.match and glob.quote_meta with the glob syntax OPA uses (github.com/gobwas/glob):
//   *      any run of runes that are not delimiters     **     any run of runes
//   ?      one rune that is not a delimiter             [abc] [!abc] [a-z] [!a-z]   one rune
//   {a,b}  alternatives (which may contain patterns)    \x     the rune x
// A pattern is compiled to an RE2 expression and matched with re2.ts (so it is linear-time for
// long subjects); compiled globs are cached.
import { BuiltinError } from '../errors.js';
import { type Value, typeName } from '../value.js';
import { builtinErr, str } from './args.js';
import { compileRe2, quoteMeta, type Re2 } from './re2.js';
import { registerBuiltin } from './registry.js';

type GlobNode =
  | { k: 'text'; s: string }
  | { k: 'any' }
  | { k: 'super' }
  | { k: 'single' }
  | { k: 'list'; chars: string; not: boolean }
  | { k: 'range'; lo: number; hi: number; not: boolean }
  | { k: 'anyof'; alts: GlobNode[][] };

class GlobError extends Error {}

/** Parses a glob (lexer and parser rules of gobwas/glob, including its error messages). */
function parseGlob(pattern: string): GlobNode[] {
  // The lexer treats a NUL rune as the end of input.
  const nul = pattern.indexOf('\u0000');
  const runes = Array.from(nul < 0 ? pattern : pattern.slice(0, nul));
  let pos = 0;
  const root: GlobNode[] = [];
  // Stack of open {..} groups: the alternatives so far and the sequence being built.
  const groups: Array<{ node: { k: 'anyof'; alts: GlobNode[][] }; parent: GlobNode[] }> = [];
  let seq = root;

  const text = (breakers: string): string => {
    let data = '';
    let escaped = false;
    while (pos < runes.length) {
      const r = runes[pos] as string;
      if (!escaped) {
        if (r === '\\') {
          escaped = true;
          pos++;
          continue;
        }
        if (breakers.includes(r)) break;
      }
      escaped = false;
      data += r;
      pos++;
    }
    return data;
  };

  const range = (): GlobNode => {
    let not = false;
    let lo: string | null = null;
    let hi: string | null = null;
    let chars = '';
    for (;;) {
      if (pos >= runes.length) throw new GlobError('unexpected end of input');
      const r = runes[pos++] as string;
      if (!not && r === '!' && lo === null && chars === '') {
        not = true;
        continue;
      }
      if (runes[pos] === '-') {
        lo = r;
        pos++;
        if (pos >= runes.length) throw new GlobError('unexpected end of input');
        hi = runes[pos++] as string;
      } else {
        pos--;
        chars = text(']');
      }
      if (pos >= runes.length) throw new GlobError('unexpected end of input');
      if (runes[pos++] !== ']') throw new GlobError('expected close range character');
      break;
    }
    if (lo !== null && hi !== null) {
      const l = lo.codePointAt(0) as number;
      const h = hi.codePointAt(0) as number;
      if (h < l) throw new GlobError(`hi character '${hi}' should be greater than lo '${lo}'`);
      return { k: 'range', lo: l, hi: h, not };
    }
    if (chars === '') throw new GlobError('could not parse range');
    return { k: 'list', chars, not };
  };

  while (pos < runes.length) {
    const r = runes[pos++] as string;
    const inTerms = groups.length > 0;
    if (r === '{') {
      const node = { k: 'anyof' as const, alts: [[]] as GlobNode[][] };
      seq.push(node);
      groups.push({ node, parent: seq });
      seq = node.alts[0] as GlobNode[];
    } else if (r === ',' && inTerms) {
      const g = groups[groups.length - 1] as (typeof groups)[number];
      seq = [];
      g.node.alts.push(seq);
    } else if (r === '}' && inTerms) {
      seq = (groups.pop() as (typeof groups)[number]).parent;
    } else if (r === '[') seq.push(range());
    else if (r === '?') seq.push({ k: 'single' });
    else if (r === '*') {
      if (runes[pos] === '*') {
        pos++;
        seq.push({ k: 'super' });
      } else seq.push({ k: 'any' });
    } else {
      pos--;
      const s = text(inTerms ? '?*[{},' : '?*[{');
      if (s !== '') seq.push({ k: 'text', s });
    }
  }
  return root;
}

function hex(c: number): string {
  return `\\x{${c.toString(16)}}`;
}

function toRe2(nodes: GlobNode[], notDelim: string): string {
  let out = '';
  for (const n of nodes) {
    switch (n.k) {
      case 'text':
        out += quoteMeta(n.s);
        break;
      case 'any':
        out += `${notDelim}*`;
        break;
      case 'super':
        out += '(?s:.)*';
        break;
      case 'single':
        out += notDelim;
        break;
      case 'list':
        out += `[${n.not ? '^' : ''}${Array.from(n.chars, (c) => hex(c.codePointAt(0) as number)).join('')}]`;
        break;
      case 'range':
        out += `[${n.not ? '^' : ''}${hex(n.lo)}-${hex(n.hi)}]`;
        break;
      case 'anyof':
        out += `(?:${n.alts.map((a) => toRe2(a, notDelim)).join('|')})`;
        break;
    }
  }
  return out;
}

// Compiled globs by pattern, then by delimiter signature (the delimiters concatenated; each is
// one rune, so that is unambiguous; '' stands for null, i.e. no delimiters).
const PATTERNS_MAX = 1000;
const SIGS_MAX = 16;
const cache = new Map<string, Map<string, Re2 | GlobError>>();

function compileGlob(pattern: string, sig: string): Re2 {
  let bySig = cache.get(pattern);
  if (bySig === undefined) {
    if (cache.size >= PATTERNS_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(pattern, (bySig = new Map()));
  }
  let entry = bySig.get(sig);
  if (entry === undefined) {
    try {
      const notDelim = sig === '' ? '(?s:.)' : `[^${Array.from(sig, (d) => hex(d.codePointAt(0) as number)).join('')}]`;
      entry = compileRe2(`\\A(?:${toRe2(parseGlob(pattern), notDelim)})\\z`);
    } catch (e) {
      if (!(e instanceof GlobError)) throw e;
      entry = e;
    }
    if (bySig.size >= SIGS_MAX) bySig.clear();
    bySig.set(sig, entry);
  }
  if (entry instanceof GlobError) throw builtinErr('glob.match', entry.message);
  return entry;
}

/** d is exactly one rune (a UTF-16 unit, or a surrogate pair), as Array.from counts them. */
function isRune(d: string): boolean {
  if (d.length === 1) return true;
  if (d.length !== 2) return false;
  const hi = d.charCodeAt(0);
  const lo = d.charCodeAt(1);
  return hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff;
}

/** The delimiter signature of operand 2 (an empty array means the default, '.'). */
function delimitersOperand(v: Value): string {
  if (v === null) return '';
  if (!Array.isArray(v))
    throw new BuiltinError(`glob.match: operand 2 must be one of {array, null} but got ${typeName(v)}`, 'eval_type_error');
  let sig = '';
  for (const d of v) {
    const want = typeof d !== 'string' ? 'strings' : !isRune(d) ? 'runes' : null;
    if (want)
      throw new BuiltinError(
        `glob.match: operand 2 must be array of ${want} but got array containing ${typeName(d)}`,
        'eval_type_error',
      );
    sig += d as string;
  }
  return sig === '' ? '.' : sig;
}

registerBuiltin({
  name: 'glob.match',
  decl: { args: ['string', ['array', 'null'], 'string'], result: 'boolean' },
  fn: (args) => {
    const pattern = str(args, 0, 'glob.match');
    const sig = delimitersOperand(args[1] as Value);
    const match = str(args, 2, 'glob.match');
    return compileGlob(pattern, sig).test(match);
  },
});

registerBuiltin({
  name: 'glob.quote_meta',
  decl: { args: ['string'], result: 'string' },
  fn: (args) => str(args, 0, 'glob.quote_meta').replace(/[*?\\[\]{}]/g, '\\$&'),
});
