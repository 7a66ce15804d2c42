// Regular-expression builtins with Go (RE2) syntax and semantics; see re2.ts for the engine.
import { BuiltinError } from '../errors.js';
import type { Value } from '../value.js';
import { builtinErr, int, str } from './args.js';
import { globsIntersect } from './globsmatch.js';
import { goQuote } from './gostrconv.js';
import { compileRe2, expandTemplate, forEachMatch, quoteMeta, type Re2, RegexSyntaxError } from './re2.js';
import { registerBuiltin } from './registry.js';

/** The compiled pattern, or the builtin error Go's regexp.Compile gives ("regex.match: error
 *  parsing regexp: missing closing ]: `[`"). */
function regexOperand(fname: string, pattern: string): Re2 {
  try {
    return compileRe2(pattern);
  } catch (e) {
    if (e instanceof RegexSyntaxError) throw builtinErr(fname, e.message);
    throw e;
  }
}

function group(s: string, slots: Int32Array, g: number): string {
  const start = slots[2 * g] as number;
  return start < 0 ? '' : s.slice(start, slots[2 * g + 1]);
}

registerBuiltin({
  name: 'regex.is_valid',
  decl: { args: ['string'], result: 'boolean' },
  fn: (args) => {
    const p = args[0] as Value;
    if (typeof p !== 'string') return false;
    try {
      compileRe2(p);
      return true;
    } catch (e) {
      if (e instanceof RegexSyntaxError) return false;
      throw e;
    }
  },
});

registerBuiltin({
  name: 'regex.match',
  decl: { args: ['string', 'string'], result: 'boolean' },
  fn: (args) => {
    const re = regexOperand('regex.match', str(args, 0, 'regex.match'));
    return re.test(str(args, 1, 'regex.match'));
  },
});

registerBuiltin({
  name: 'regex.split',
  decl: { args: ['string', 'string'], result: 'array' },
  fn: (args) => {
    const pattern = str(args, 0, 'regex.split');
    const s = str(args, 1, 'regex.split');
    const re = regexOperand('regex.split', pattern);
    // Go's Regexp.Split(s, -1).
    if (pattern.length > 0 && s.length === 0) return [''];
    const out: string[] = [];
    let beg = 0;
    let end = 0;
    forEachMatch(re, s, -1, (m) => {
      end = m[0] as number;
      if ((m[1] as number) !== 0) out.push(s.slice(beg, end));
      beg = m[1] as number;
    });
    if (end !== s.length) out.push(s.slice(beg));
    return out;
  },
});

registerBuiltin({
  name: 'regex.find_n',
  decl: { args: ['string', 'string', 'number'], result: 'array' },
  fn: (args) => {
    const re = regexOperand('regex.find_n', str(args, 0, 'regex.find_n'));
    const s = str(args, 1, 'regex.find_n');
    const n = int(args, 2, 'regex.find_n');
    const out: string[] = [];
    forEachMatch(re, s, n, (m) => out.push(group(s, m, 0)));
    return out;
  },
});

registerBuiltin({
  name: 'regex.find_all_string_submatch_n',
  decl: { args: ['string', 'string', 'number'], result: 'array' },
  fn: (args) => {
    const name = 'regex.find_all_string_submatch_n';
    const re = regexOperand(name, str(args, 0, name));
    const s = str(args, 1, name);
    const n = int(args, 2, name);
    const out: Value[] = [];
    forEachMatch(re, s, n, (m) => {
      const groups: string[] = [];
      for (let g = 0; g <= re.numCap; g++) groups.push(group(s, m, g));
      out.push(groups);
    });
    return out;
  },
});

/** Go's Regexp.ReplaceAllString: $1 / ${name} in the replacement refer to submatches. */
registerBuiltin({
  name: 'regex.replace',
  decl: { args: ['string', 'string', 'string'], result: 'string' },
  fn: (args) => {
    const s = str(args, 0, 'regex.replace');
    const re = regexOperand('regex.replace', str(args, 1, 'regex.replace'));
    const repl = str(args, 2, 'regex.replace');
    let out = '';
    let lastEnd = 0;
    let pos = 0;
    while (pos <= s.length) {
      const m = re.exec(s, pos);
      if (m === null) break;
      const a0 = m[0] as number;
      const a1 = m[1] as number;
      out += s.slice(lastEnd, a0);
      // No replacement for an empty match right after the previous match.
      if (a1 > lastEnd || a0 === 0) out += expandTemplate(re, repl, s, m);
      lastEnd = a1;
      const width = pos < s.length && (s.codePointAt(pos) as number) > 0xffff ? 2 : 1;
      pos = Math.max(pos + width, a1);
    }
    return out + s.slice(lastEnd);
  },
});

/** The template's first-level delimited parts: [start, end) pairs (Go's delimiterIndices). */
function delimiterIndices(s: string, open: string, close: string): number[] {
  let level = 0;
  let idx = 0;
  const idxs: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === open) {
      if (++level === 1) idx = i;
    } else if (s[i] === close) {
      if (--level === 0) idxs.push(idx, i + 1);
      else if (level < 0) throw new Error(`unbalanced braces in ${goQuote(s)}`);
    }
  }
  if (level !== 0) throw new Error(`unbalanced braces in ${goQuote(s)}`);
  return idxs;
}

const templateCache = new Map<string, Re2>();

/** A template like "urn:foo:{.*}" as an anchored regexp: the text literally, the delimited
 *  parts as (sub-patterns). Each part must itself be a valid pattern. */
function compileTemplate(fname: string, tpl: string, open: string, close: string): Re2 {
  const key = `${open}${close}${tpl}`;
  const hit = templateCache.get(key);
  if (hit) return hit;
  let idxs: number[];
  try {
    idxs = delimiterIndices(tpl, open, close);
  } catch (e) {
    throw builtinErr(fname, (e as Error).message);
  }
  let pattern = '^';
  let end = 0;
  for (let i = 0; i < idxs.length; i += 2) {
    const raw = tpl.slice(end, idxs[i]);
    end = idxs[i + 1] as number;
    const patt = tpl.slice((idxs[i] as number) + 1, end - 1);
    regexOperand(fname, `^${patt}$`);
    pattern += `${quoteMeta(raw)}(${patt})`;
  }
  pattern += `${quoteMeta(tpl.slice(end))}$`;
  const re = regexOperand(fname, pattern);
  if (templateCache.size >= 1000) templateCache.delete(templateCache.keys().next().value as string);
  templateCache.set(key, re);
  return re;
}

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

registerBuiltin({
  name: 'regex.template_match',
  decl: { args: ['string', 'string', 'string', 'string'], result: 'boolean' },
  fn: (args) => {
    const fname = 'regex.template_match';
    const tpl = str(args, 0, fname);
    const s = str(args, 1, fname);
    const open = str(args, 2, fname);
    const close = str(args, 3, fname);
    if (utf8Length(open) !== 1)
      throw builtinErr(fname, `start delimiter has to be exactly one character long but is ${utf8Length(open)} long`);
    // (OPA reports the start delimiter's length here too.)
    if (utf8Length(close) !== 1)
      throw builtinErr(fname, `end delimiter has to be exactly one character long but is ${utf8Length(open)} long`);
    return compileTemplate(fname, tpl, open, close).test(s);
  },
});

registerBuiltin({
  name: 'regex.globs_match',
  decl: { args: ['string', 'string'], result: 'boolean' },
  fn: (args) => {
    const a = str(args, 0, 'regex.globs_match');
    const b = str(args, 1, 'regex.globs_match');
    try {
      return globsIntersect(a, b);
    } catch (e) {
      if (e instanceof BuiltinError) throw e;
      throw builtinErr('regex.globs_match', (e as Error).message);
    }
  },
});
