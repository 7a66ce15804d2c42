// String builtins. Indexes and lengths count Unicode code points (OPA works on Go runes), and the
// Go semantics OPA inherits are kept: strings.Trim cutsets are rune sets, strings.NewReplacer picks
// the earliest pattern at each position, strings.Split("", "") is empty, and so on.
import { BuiltinError } from '../errors.js';
import { type RObject, RSet, type Value, typeName } from '../value.js';
import { builtinErr, int, num, obj, str } from './args.js';
import { registerBuiltin } from './registry.js';

/** OPA's "operand N must be array of strings but got array containing number". */
function elementErr(fname: string, i: number, composite: Value, got: Value, want: string): BuiltinError {
  const t = typeName(composite);
  return new BuiltinError(
    `${fname}: operand ${i + 1} must be ${t} of ${want}s but got ${t} containing ${typeName(got)}`,
    'eval_type_error',
  );
}

/** The strings of an array or set operand (sets in their sorted order). */
function stringItems(fname: string, i: number, v: Value, allowed: string): string[] {
  let items: Value[];
  if (Array.isArray(v)) items = v;
  else if (v instanceof RSet) items = v.sorted();
  else throw new BuiltinError(`${fname}: operand ${i + 1} must be one of {${allowed}} but got ${typeName(v)}`, 'eval_type_error');
  for (const x of items) if (typeof x !== 'string') throw elementErr(fname, i, v, x, 'string');
  return items as string[];
}

function codePoints(s: string): string[] {
  return Array.from(s);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Go's unicode.IsSpace. */
function isGoSpace(c: number): boolean {
  if (c <= 0xff) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0;
  return (
    c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

// Go maps case rune by rune (unicode.ToUpper/ToLower, the simple mappings); JS applies the full
// (sometimes multi-character) mappings. Where those differ, these are Go's results.
const SIMPLE_UPPER: Record<number, number> = { 8115: 0x1fbc, 8131: 0x1fcc, 8179: 0x1ffc };

function mapRune(ch: string, upper: boolean): string {
  const m = upper ? ch.toUpperCase() : ch.toLowerCase();
  if (String.fromCodePoint(m.codePointAt(0) as number) === m) return m;
  const c = ch.codePointAt(0) as number;
  if (!upper) return c === 0x130 ? 'i' : ch;
  if (c >= 0x1f80 && c <= 0x1faf) return String.fromCodePoint(c | 0x08);
  const s = SIMPLE_UPPER[c];
  return s === undefined ? ch : String.fromCodePoint(s);
}

function mapCase(s: string, upper: boolean): string {
  if (isAscii(s)) return upper ? s.toUpperCase() : s.toLowerCase();
  let out = '';
  for (const ch of s) out += mapRune(ch, upper);
  return out;
}

/** Go's strings.NewReplacer(oldnew...).Replace(s): at each position the earliest matching pair
 *  wins; an empty old string matches between runes (but not right after another empty match). */
export function goReplace(s: string, pairs: Array<[string, string]>): string {
  if (pairs.length === 1 && (pairs[0] as [string, string])[0] !== '') {
    const [o, n] = pairs[0] as [string, string];
    return s.split(o).join(n);
  }
  let out = '';
  let i = 0;
  let prevEmpty = false;
  while (i <= s.length) {
    let hit: [string, string] | undefined;
    for (const p of pairs) {
      if (p[0] === '' ? !prevEmpty : s.startsWith(p[0], i)) {
        hit = p;
        break;
      }
    }
    prevEmpty = hit !== undefined && hit[0] === '';
    if (hit) {
      out += hit[1];
      i += hit[0].length;
      continue;
    }
    if (i === s.length) break;
    const w = (s.codePointAt(i) as number) > 0xffff ? 2 : 1;
    out += s.slice(i, i + w);
    i += w;
  }
  return out;
}

function trimLeftSet(s: string, cut: Set<string>): string {
  let i = 0;
  for (const ch of s) {
    if (!cut.has(ch)) break;
    i += ch.length;
  }
  return s.slice(i);
}

function trimRightSet(s: string, cut: Set<string>): string {
  const cps = codePoints(s);
  let end = cps.length;
  while (end > 0 && cut.has(cps[end - 1] as string)) end--;
  return cps.slice(0, end).join('');
}

function reg(
  name: string,
  args: Array<'string' | 'number' | 'object'>,
  result: 'string' | 'number' | 'boolean' | 'array',
  fn: (a: Value[]) => Value,
) {
  registerBuiltin({ name, decl: { args, result }, fn });
}

registerBuiltin({
  name: 'concat',
  decl: { args: ['string', ['array', 'set']], result: 'string' },
  fn: (a) => {
    const sep = str(a, 0, 'concat');
    return stringItems('concat', 1, a[1] as Value, 'set, array').join(sep);
  },
});

reg('contains', ['string', 'string'], 'boolean', (a) => str(a, 0, 'contains').includes(str(a, 1, 'contains')));
reg('startswith', ['string', 'string'], 'boolean', (a) => str(a, 0, 'startswith').startsWith(str(a, 1, 'startswith')));
reg('endswith', ['string', 'string'], 'boolean', (a) => str(a, 0, 'endswith').endsWith(str(a, 1, 'endswith')));
reg('lower', ['string'], 'string', (a) => mapCase(str(a, 0, 'lower'), false));
reg('upper', ['string'], 'string', (a) => mapCase(str(a, 0, 'upper'), true));

reg('format_int', ['number', 'number'], 'string', (a) => {
  const n = num(a, 0, 'format_int');
  const base = num(a, 1, 'format_int');
  if (base !== 2 && base !== 8 && base !== 10 && base !== 16)
    throw new BuiltinError('format_int: operand 2 must be one of {2, 8, 10, 16}', 'eval_type_error');
  if (!Number.isFinite(n)) throw builtinErr('format_int', 'operand 1 is not a finite number');
  return BigInt(Math.trunc(n)).toString(base);
});

/** Code-point offsets of search in base (all of them, overlapping, or only the first). */
function runeIndexes(base: string, search: string, all: boolean): number[] {
  const out: number[] = [];
  let cp = 0;
  for (let i = 0; i < base.length; ) {
    if (base.startsWith(search, i)) {
      out.push(cp);
      if (!all) break;
    }
    i += (base.codePointAt(i) as number) > 0xffff ? 2 : 1;
    cp++;
  }
  return out;
}

reg('indexof', ['string', 'string'], 'number', (a) => {
  const base = str(a, 0, 'indexof');
  const search = str(a, 1, 'indexof');
  if (search === '') throw builtinErr('indexof', 'empty search character');
  return runeIndexes(base, search, false)[0] ?? -1;
});

reg('indexof_n', ['string', 'string'], 'array', (a) => {
  const base = str(a, 0, 'indexof_n');
  const search = str(a, 1, 'indexof_n');
  if (search === '') throw builtinErr('indexof_n', 'empty search character');
  return runeIndexes(base, search, true);
});

reg('substring', ['string', 'number', 'number'], 'string', (a) => {
  const base = str(a, 0, 'substring');
  const start = int(a, 1, 'substring');
  const length = int(a, 2, 'substring');
  if (start < 0) throw builtinErr('substring', 'negative offset');
  if (isAscii(base)) return length < 0 ? base.slice(start) : base.slice(start, start + length);
  const cps = codePoints(base);
  return (length < 0 ? cps.slice(start) : cps.slice(start, start + length)).join('');
});

reg('replace', ['string', 'string', 'string'], 'string', (a) =>
  goReplace(str(a, 0, 'replace'), [[str(a, 1, 'replace'), str(a, 2, 'replace')]]),
);

reg('strings.replace_n', ['object', 'string'], 'string', (a) => {
  const patterns = obj(a, 0, 'strings.replace_n');
  const s = str(a, 1, 'strings.replace_n');
  const pairs: Array<[string, string]> = [];
  for (const k of (patterns as RObject).sortedKeys()) {
    if (typeof k !== 'string')
      throw new BuiltinError('strings.replace_n: operand 1 non-string key found in pattern object', 'eval_type_error');
    const v = patterns.get(k);
    if (typeof v !== 'string')
      throw new BuiltinError('strings.replace_n: operand 1 non-string value found in pattern object', 'eval_type_error');
    pairs.push([k, v]);
  }
  return pairs.length === 0 ? s : goReplace(s, pairs);
});

reg('split', ['string', 'string'], 'array', (a) => {
  const s = str(a, 0, 'split');
  const d = str(a, 1, 'split');
  if (d === '') return codePoints(s);
  return s.split(d);
});

reg('strings.reverse', ['string'], 'string', (a) =>
  codePoints(str(a, 0, 'strings.reverse'))
    .reverse()
    .join(''),
);

reg('strings.count', ['string', 'string'], 'number', (a) => {
  const s = str(a, 0, 'strings.count');
  const sub = str(a, 1, 'strings.count');
  if (sub === '') return codePoints(s).length + 1;
  return s.split(sub).length - 1;
});

function stringsOperand(fname: string, i: number, v: Value): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) || v instanceof RSet) return stringItems(fname, i, v, 'string, set, array');
  throw new BuiltinError(
    `${fname}: operand ${i + 1} must be one of {string, set, array} but got ${typeName(v)}`,
    'eval_type_error',
  );
}

function anyMatch(fname: string, a: Value[], test: (s: string, affix: string) => boolean): boolean {
  const strs = stringsOperand(fname, 0, a[0] as Value);
  const affixes = stringsOperand(fname, 1, a[1] as Value);
  return strs.some((s) => affixes.some((x) => test(s, x)));
}

const STR_COLLECTION: ['string', 'set', 'array'] = ['string', 'set', 'array'];
registerBuiltin({
  name: 'strings.any_prefix_match',
  decl: { args: [STR_COLLECTION, STR_COLLECTION], result: 'boolean' },
  fn: (a) => anyMatch('strings.any_prefix_match', a, (s, p) => s.startsWith(p)),
});
registerBuiltin({
  name: 'strings.any_suffix_match',
  decl: { args: [STR_COLLECTION, STR_COLLECTION], result: 'boolean' },
  fn: (a) => anyMatch('strings.any_suffix_match', a, (s, p) => s.endsWith(p)),
});

reg('trim', ['string', 'string'], 'string', (a) => {
  const cut = new Set(codePoints(str(a, 1, 'trim')));
  return trimRightSet(trimLeftSet(str(a, 0, 'trim'), cut), cut);
});
reg('trim_left', ['string', 'string'], 'string', (a) =>
  trimLeftSet(str(a, 0, 'trim_left'), new Set(codePoints(str(a, 1, 'trim_left')))),
);
reg('trim_right', ['string', 'string'], 'string', (a) =>
  trimRightSet(str(a, 0, 'trim_right'), new Set(codePoints(str(a, 1, 'trim_right')))),
);
reg('trim_prefix', ['string', 'string'], 'string', (a) => {
  const s = str(a, 0, 'trim_prefix');
  const p = str(a, 1, 'trim_prefix');
  return s.startsWith(p) ? s.slice(p.length) : s;
});
reg('trim_suffix', ['string', 'string'], 'string', (a) => {
  const s = str(a, 0, 'trim_suffix');
  const p = str(a, 1, 'trim_suffix');
  return p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
});
reg('trim_space', ['string'], 'string', (a) => {
  const cps = codePoints(str(a, 0, 'trim_space'));
  let i = 0;
  let j = cps.length;
  while (i < j && isGoSpace((cps[i] as string).codePointAt(0) as number)) i++;
  while (j > i && isGoSpace((cps[j - 1] as string).codePointAt(0) as number)) j--;
  return cps.slice(i, j).join('');
});
