// Rego values to JSON text the way OPA writes them with Go's encoding/json (the one encoder behind
// json.marshal, jwt encode_sign, http.send and aws request bodies, json schema keys): sets as sorted
// arrays, object keys sorted bytewise (non-string keys as their JSON text), <, >, &, U+2028 and
// U+2029 escaped, numbers as OPA prints them (integers without exponent or ".0").
import { compare, formatNumber, RObject, RSet, type Value } from '../value.js';

/** Compares strings by code point, which is UTF-8 byte order (JS's < compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Replaces lone surrogates with U+FFFD, as Go does when it decodes or encodes such text. */
export function wellFormed(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** A JSON string literal with Go's escaping: HTML-safe, \b \f \n \r \t short forms, U+2028/9
 *  escaped. A lone surrogate is written as U+FFFD: OPA's decoders have replaced it by then. */
export function goJSONString(s: string): string {
  // Escape pairs are matched whole so a literal backslash never starts a false match.
  return JSON.stringify(wellFormed(s)).replace(/\\.|[<>&\u2028\u2029]/g, (m) =>
    m.length === 2 ? m : `\\u${m.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The key text of an object member: strings as themselves, other keys as their JSON. */
export function jsonKey(k: Value): string {
  return typeof k === 'string' ? k : marshalJSON(k);
}

/** The members as Go's map[string]any holds them: keys as JSON text (keys that collide keep the
 *  value of the last in Rego key order, as OPA fills the map), sorted bytewise. */
function sortedMembers(o: RObject): [string, Value][] {
  const members = new Map<string, [Value, Value]>();
  for (const [k, v] of o.entries()) {
    const key = wellFormed(jsonKey(k));
    const prev = members.get(key);
    if (prev === undefined || compare(prev[0], k) < 0) members.set(key, [k, v]);
  }
  return [...members].map(([key, [, v]]): [string, Value] => [key, v]).sort((a, b) => compareCodePoints(a[0], b[0]));
}

/** Go's json.Marshal of the value (compact). */
export function marshalJSON(v: Value): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return formatNumber(v);
    case 'string':
      return goJSONString(v);
  }
  if (Array.isArray(v)) return `[${v.map(marshalJSON).join(',')}]`;
  if (v instanceof RSet) return `[${v.sorted().map(marshalJSON).join(',')}]`;
  return `{${sortedMembers(v)
    .map(([k, x]) => `${goJSONString(k)}:${marshalJSON(x)}`)
    .join(',')}}`;
}

/** Go's json.MarshalIndent(v, prefix, indent) (the first line carries no prefix). */
export function marshalJSONIndent(v: Value, prefix: string, indent: string): string {
  const write = (x: Value, depth: number): string => {
    const items: string[] = [];
    if (Array.isArray(x) || x instanceof RSet) {
      for (const e of Array.isArray(x) ? x : x.sorted()) items.push(write(e, depth + 1));
      if (items.length === 0) return '[]';
      return wrap('[', ']', items, depth);
    }
    if (x instanceof RObject) {
      for (const [k, e] of sortedMembers(x)) items.push(`${goJSONString(k)}: ${write(e, depth + 1)}`);
      if (items.length === 0) return '{}';
      return wrap('{', '}', items, depth);
    }
    return marshalJSON(x);
  };
  const wrap = (open: string, close: string, items: string[], depth: number): string => {
    const inner = `\n${prefix}${indent.repeat(depth + 1)}`;
    return `${open}${inner}${items.join(`,${inner}`)}\n${prefix}${indent.repeat(depth)}${close}`;
  };
  return write(v, 0);
}

// ---- Go's JSON syntax errors, for json.unmarshal's messages ----

/** Go's quoteChar: the offending character as encoding/json names it. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const named: Record<string, string> = {
    '\x07': 'a',
    '\b': 'b',
    '\f': 'f',
    '\n': 'n',
    '\r': 'r',
    '\t': 't',
    '\v': 'v',
    '\\': '\\',
  };
  const code = c.codePointAt(0) as number;
  if (named[c]) return `'\\${named[c]}'`;
  if (code < 0x20 || code === 0x7f) return `'\\x${code.toString(16).padStart(2, '0')}'`;
  return `'${c}'`;
}

/** The message Go's json.Decoder gives for text that is not one JSON value, or null if valid. */
export function goJSONSyntaxError(text: string): string | null {
  let i = 0;
  const n = text.length;
  const EOF = 'unexpected EOF';
  const bad = (ctx: string) => `invalid character ${quoteChar(String.fromCodePoint(text.codePointAt(i) as number))} ${ctx}`;
  const ws = () => {
    while (i < n && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const digits = () => {
    const s = i;
    while (i < n && text[i]! >= '0' && text[i]! <= '9') i++;
    return i > s;
  };
  const value = (): string | null => {
    ws();
    if (i >= n) return EOF;
    const c = text[i] as string;
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return null;
      }
      for (;;) {
        ws();
        if (i >= n) return EOF;
        if (text[i] !== '"') return bad('looking for beginning of object key string');
        const e = str();
        if (e) return e;
        ws();
        if (i >= n) return EOF;
        if (text[i] !== ':') return bad('after object key');
        i++;
        const v = value();
        if (v) return v;
        ws();
        if (i >= n) return EOF;
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return null;
        }
        return bad('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return null;
      }
      for (;;) {
        const v = value();
        if (v) return v;
        ws();
        if (i >= n) return EOF;
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return null;
        }
        return bad('after array element');
      }
    }
    if (c === '"') return str();
    if (c === '-' || (c >= '0' && c <= '9')) {
      if (c === '-') {
        i++;
        if (i >= n) return EOF;
        if (!(text[i]! >= '0' && text[i]! <= '9')) return bad('in numeric literal');
      }
      if (text[i] === '0') i++;
      else digits();
      if (text[i] === '.') {
        i++;
        if (i >= n) return EOF;
        if (!digits()) return bad('after decimal point in numeric literal');
      }
      if (text[i] === 'e' || text[i] === 'E') {
        i++;
        if (text[i] === '+' || text[i] === '-') i++;
        if (i >= n) return EOF;
        if (!digits()) return bad('in exponent of numeric literal');
      }
      return null;
    }
    for (const lit of ['true', 'false', 'null']) {
      if (c !== lit[0]) continue;
      for (let k = 1; k < lit.length; k++) {
        i++;
        if (i >= n) return EOF;
        if (text[i] !== lit[k]) return bad(`in literal ${lit} (expecting ${quoteChar(lit[k] as string)})`);
      }
      i++;
      return null;
    }
    return bad('looking for beginning of value');
  };
  const str = (): string | null => {
    i++;
    for (;;) {
      if (i >= n) return EOF;
      const c = text[i] as string;
      if (c === '"') {
        i++;
        return null;
      }
      if (c < ' ') return bad('in string literal');
      if (c === '\\') {
        i++;
        if (i >= n) return EOF;
        const e = text[i] as string;
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (i >= n) return EOF;
            if (!/[0-9a-fA-F]/.test(text[i] as string)) return bad('in \\u hexadecimal character escape');
          }
        } else if (!'"\\/bfnrt'.includes(e)) return bad('in string escape code');
      }
      i++;
    }
  };
  const err = value();
  if (err) return err;
  ws();
  return i < n ? bad('after top-level value') : null;
}
