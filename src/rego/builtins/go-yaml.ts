// YAML for yaml.marshal / yaml.unmarshal, matching OPA, which converts through JSON with
// sigs.k8s.io/yaml on top of go-yaml v2: block style, keys in go-yaml's "natural" order,
// sequences not indented under their key, YAML 1.1 scalars (yes/no/on/off are booleans), strings
// quoted only where a plain scalar would read back as something else or is not allowed, literal
// blocks for multi-line strings, long scalars folded past column 80.
import * as YAML from 'yaml';
import { fromJSON, RObject, RSet, type Value } from '../value.js';
import { jsonKey } from './go-json.js';

const WIDTH = 80;

// ---- go-yaml v2's scalar resolution (what a plain scalar would read back as) ----

const YAML11_SPECIAL = new Set([
  '',
  '~',
  'null',
  'Null',
  'NULL',
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE'],
  ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE'],
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN'],
  '<<',
]);
const INT_RE = /^[-+]?(0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$/;
const FLOAT_RE = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_RE = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMP_RE =
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::?[0-9]{2})?))?)?$/;

/** True when go-yaml would not read the plain scalar back as this string. */
function resolvesToNonString(s: string): boolean {
  return YAML11_SPECIAL.has(s) || INT_RE.test(s) || FLOAT_RE.test(s) || BASE60_RE.test(s) || TIMESTAMP_RE.test(s);
}

// ---- the emitter's scalar analysis ----

function isPrintable(c: number): boolean {
  return (
    c === 0x0a ||
    (c >= 0x20 && c <= 0x7e) ||
    c === 0x85 ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff) ||
    (c >= 0x10000 && c <= 0x10ffff)
  );
}

interface Analysis {
  plain: boolean;
  single: boolean;
  block: boolean;
  multiline: boolean;
}

function analyze(s: string): Analysis {
  const cs = [...s];
  let flowInd = s.startsWith('---') || s.startsWith('...');
  let blockInd = flowInd;
  let special = false;
  let lineBreaks = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let prevSpace = false;
  let prevBreak = false;
  const blankz = (i: number) => i >= cs.length || cs[i] === ' ' || cs[i] === '\t' || cs[i] === '\n' || cs[i] === '\r';
  let precededByWs = true;
  for (let i = 0; i < cs.length; i++) {
    const ch = cs[i] as string;
    const followedByWs = blankz(i + 1);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) flowInd = blockInd = true;
      if (ch === '?' || ch === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      }
      if (ch === '-' && followedByWs) flowInd = blockInd = true;
    } else {
      if (',?[]{}'.includes(ch)) flowInd = true;
      if (ch === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      }
      if (ch === '#' && precededByWs) flowInd = blockInd = true;
    }
    if (!isPrintable(ch.codePointAt(0) as number)) special = true;
    if (ch === '\n') {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === cs.length - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevBreak = true;
      prevSpace = false;
    } else if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === cs.length - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else {
      prevSpace = prevBreak = false;
    }
    precededByWs = blankz(i);
  }
  let plain = true;
  let single = true;
  let block = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) plain = false;
  if (trailingSpace) block = false;
  if (breakSpace) plain = single = false;
  if (spaceBreak || special) plain = single = block = false;
  if (lineBreaks || blockInd) plain = false;
  return { plain, single, block, multiline: lineBreaks };
}

// ---- writers; each returns text starting at `column` whose continuation lines use `indent` ----

function foldAtSpaces(s: string, column: number, indent: number, fold: boolean, quoted: boolean): string {
  const cs = [...s];
  let out = '';
  let col = column;
  let spaces = false;
  for (let i = 0; i < cs.length; i++) {
    const ch = cs[i] as string;
    if (ch === ' ') {
      const inner = !quoted || (i !== 0 && i !== cs.length - 1);
      if (fold && !spaces && col > WIDTH && inner && cs[i + 1] !== ' ') {
        out += `\n${' '.repeat(indent)}`;
        col = indent;
      } else {
        out += ch;
        col++;
      }
      spaces = true;
    } else {
      out += ch;
      col += ch === "'" && quoted ? 2 : 1;
      if (ch === "'" && quoted) out += "'";
      spaces = false;
    }
  }
  return out;
}

const ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\b': 'b',
  '\t': 't',
  '\n': 'n',
  '\v': 'v',
  '\f': 'f',
  '\r': 'r',
  '\x1b': 'e',
  '"': '"',
  '\\': '\\',
  '\x85': 'N',
  '\xa0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
};

function doubleQuoted(s: string, column: number, indent: number, fold: boolean): string {
  const cs = [...s];
  let out = '"';
  let col = column + 1;
  let spaces = false;
  for (let i = 0; i < cs.length; i++) {
    const ch = cs[i] as string;
    const c = ch.codePointAt(0) as number;
    if (
      !isPrintable(c) ||
      c === 0xfeff ||
      c === 0x0a ||
      c === 0x85 ||
      c === 0x2028 ||
      c === 0x2029 ||
      ch === '"' ||
      ch === '\\'
    ) {
      const e = ESCAPES[ch];
      const esc = e ? `\\${e}` : c <= 0xff ? `\\x${hex(c, 2)}` : c <= 0xffff ? `\\u${hex(c, 4)}` : `\\U${hex(c, 8)}`;
      out += esc;
      col += esc.length;
      spaces = false;
    } else if (ch === ' ') {
      if (fold && !spaces && col > WIDTH && i !== 0 && i !== cs.length - 1) {
        out += `\n${' '.repeat(indent)}`;
        col = indent;
        if (cs[i + 1] === ' ') {
          out += '\\';
          col++;
        }
      } else {
        out += ' ';
        col++;
      }
      spaces = true;
    } else {
      out += ch;
      col++;
      spaces = false;
    }
  }
  return `${out}"`;
}

const hex = (c: number, w: number) => c.toString(16).toUpperCase().padStart(w, '0');

function literal(s: string, indent: number): string {
  let hints = s.startsWith(' ') || s.startsWith('\n') ? '2' : '';
  if (!s.endsWith('\n')) hints += '-';
  else if (s.length === 1 || s[s.length - 2] === '\n') hints += '+';
  const pad = ' '.repeat(indent);
  return `|${hints}\n${s.replace(/[^\n]+/g, (line) => pad + line)}`;
}

/** A string scalar; `key` scalars are simple keys (no folding, no block styles). */
function stringScalar(s: string, column: number, indent: number, key: boolean): string {
  const a = analyze(s);
  if (resolvesToNonString(s)) return doubleQuoted(s, column, indent, !key);
  if (a.multiline && !key) return a.block ? literal(s, indent) : doubleQuoted(s, column, indent, true);
  if (a.plain && !(key && a.multiline)) return foldAtSpaces(s, column, indent, !key, false);
  if (a.single && !(key && a.multiline)) return `'${foldAtSpaces(s, column + 1, indent, !key, true)}'`;
  return doubleQuoted(s, column, indent, !key);
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64), which go-yaml uses for floats. */
export function goFormatFloat(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (!Number.isFinite(f)) return f > 0 ? '.inf' : '-.inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mant, expStr] = f.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(f);
}

function scalar(v: Value, column: number, indent: number): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    // JSON integers that fit int64 stay integers; everything else is a float to go-yaml.
    if (Number.isInteger(v) && Math.abs(v) < 2 ** 63) return BigInt(v).toString();
    return goFormatFloat(v);
  }
  return stringScalar(v as string, column, indent, false);
}

// ---- go-yaml v2's map key order: letters before digits, digit runs compared as numbers ----

const isDigitCh = (c: string) => c >= '0' && c <= '9';
const isLetterCh = (c: string) => /\p{L}/u.test(c);

export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const x = ar[i] as string;
    const y = br[i] as string;
    if (x === y) {
      digits = isDigitCh(x);
      continue;
    }
    const al = isLetterCh(x);
    const bl = isLetterCh(y);
    if (al && bl) return x < y;
    if (al || bl) return digits ? al : bl;
    let an = 0;
    let bn = 0;
    if (x === '0' || y === '0') {
      for (let j = i - 1; j >= 0 && isDigitCh(ar[j] as string); j--) {
        if (ar[j] !== '0') {
          an = bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigitCh(ar[ai] as string); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigitCh(br[bi] as string); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return x < y;
  }
  return ar.length < br.length;
}

// ---- block structure ----

function isEmptyCollection(v: Value): boolean {
  return (Array.isArray(v) && v.length === 0) || (v instanceof RSet && v.size === 0) || (v instanceof RObject && v.size === 0);
}

function items(v: RSet | Value[]): Value[] {
  return Array.isArray(v) ? v : v.sorted();
}

function entries(o: RObject): [string, Value][] {
  return [...o.entries()]
    .map(([k, x]): [string, Value] => [jsonKey(k), x])
    .sort((p, q) => (yamlKeyLess(p[0], q[0]) ? -1 : yamlKeyLess(q[0], p[0]) ? 1 : 0));
}

/** Writes `v` placed at `column` (after "key: " or "- ") inside a block at `indent`; the result
 *  has no trailing newline unless a literal block scalar ends with one. */
function node(v: Value, column: number, indent: number): string {
  if (isEmptyCollection(v)) return Array.isArray(v) || v instanceof RSet ? '[]' : '{}';
  if (v instanceof RObject) {
    return entries(v)
      .map(([k, x], i) => {
        const pad = i === 0 ? '' : ' '.repeat(indent);
        const keyText = stringScalar(k, i === 0 ? column : indent, indent, true);
        const keyCol = (i === 0 ? column : indent) + [...keyText].length;
        if (!isEmptyCollection(x) && (x instanceof RObject || Array.isArray(x) || x instanceof RSet)) {
          // Sequences under a key are not indented (go-yaml's "indentless" sequences).
          const childIndent = x instanceof RObject ? indent + 2 : indent;
          return `${pad}${keyText}:\n${' '.repeat(childIndent)}${node(x, childIndent, childIndent)}`;
        }
        return `${pad}${keyText}: ${scalarOrEmpty(x, keyCol + 2, indent + 2)}`;
      })
      .map(endLine)
      .join('')
      .replace(/\n$/, '');
  }
  if (Array.isArray(v) || v instanceof RSet) {
    return items(v)
      .map((x, i) => {
        const pad = i === 0 ? '' : ' '.repeat(indent);
        const inner = x instanceof RObject || Array.isArray(x) || x instanceof RSet;
        const body = inner && !isEmptyCollection(x) ? node(x, indent + 2, indent + 2) : scalarOrEmpty(x, indent + 2, indent + 2);
        return `${pad}- ${body}`;
      })
      .map(endLine)
      .join('')
      .replace(/\n$/, '');
  }
  return scalar(v, column, indent + 2);
}

function scalarOrEmpty(v: Value, column: number, indent: number): string {
  return isEmptyCollection(v) ? node(v, column, indent) : scalar(v, column, indent);
}

const endLine = (s: string) => (s.endsWith('\n') ? s : `${s}\n`);

/** yaml.marshal's output for a Rego value. */
export function marshalYAML(v: Value): string {
  if (v instanceof RObject || Array.isArray(v) || v instanceof RSet) return endLine(node(v, 0, 0));
  return endLine(scalar(v, 0, 2));
}

// ---- parsing ----

/** go-yaml v2 reads timestamps as strings and knows no sexagesimal numbers. */
const customTags: YAML.DocumentOptions & YAML.ParseOptions & YAML.SchemaOptions = {
  version: '1.1',
  customTags: (tags) =>
    tags.filter((t) => {
      const tag = t as { tag?: string; format?: string };
      return tag.tag !== 'tag:yaml.org,2002:timestamp' && tag.format !== 'TIME';
    }),
};

export class YAMLError extends Error {}

/** Map keys as sigs.k8s.io/yaml turns them into JSON object keys. */
function keyString(k: unknown): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'number') return Number.isInteger(k) ? String(k) : goFormatFloat(k);
  if (typeof k === 'boolean' || k === null) return String(k);
  throw new YAMLError(`Unsupported map key of type: ${typeof k}`);
}

function toPlain(x: unknown): unknown {
  if (x instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, v] of x) o[keyString(k)] = toPlain(v);
    return o;
  }
  if (Array.isArray(x)) return x.map(toPlain);
  if (x instanceof Set) return [...x].map(toPlain);
  if (typeof x === 'number' && !Number.isFinite(x))
    throw new YAMLError(`json: unsupported value: ${x > 0 ? '+Inf' : x < 0 ? '-Inf' : 'NaN'}`);
  if (typeof x === 'bigint') return Number(x);
  if (x instanceof Uint8Array) return Buffer.from(x).toString('latin1');
  if (x !== null && typeof x === 'object') return toPlain(new Map(Object.entries(x)));
  return x;
}

/** yaml.unmarshal: the first document of the text as a Rego value; throws YAMLError. */
export function unmarshalYAML(text: string): Value {
  const docs = YAML.parseAllDocuments(text, { ...customTags, uniqueKeys: true, merge: true });
  const doc = Array.isArray(docs) ? docs[0] : docs;
  if (!doc) return null;
  const err = doc.errors[0];
  if (err) throw new YAMLError(`yaml: ${err.message.split('\n')[0]}`);
  let js: unknown;
  try {
    js = doc.toJS({ mapAsMap: true, maxAliasCount: 1000 });
  } catch (e) {
    throw new YAMLError(`yaml: ${(e as Error).message}`);
  }
  return fromJSON(toPlain(js) ?? null);
}
