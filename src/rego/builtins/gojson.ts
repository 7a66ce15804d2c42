// JSON as the Go libraries behind OPA's token builtins read it: encoding/json's strict decoder
// (with its error texts) for JWT segments, json.Valid, and the lenient fastjson parser jwx uses to
// read JWS protected headers. (json.Marshal's output is go-json.ts.)
import { formatNumber, RObject, type Value } from '../value.js';
import { wellFormed } from './go-json.js';

export class GoJSONError extends Error {}

/** Go's quoteChar for syntax error messages. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}

const WS = new Set([' ', '\t', '\n', '\r']);

/** A recursive-descent reader following encoding/json's grammar and messages. */
class Reader {
  i = 0;
  private depth = 0;
  constructor(readonly s: string) {}

  /** Go's decoder refuses nesting deeper than 10000. */
  private enter(): void {
    if (++this.depth > 10000) throw new GoJSONError('exceeded max depth');
  }

  private err(c: string | undefined, ctx: string): never {
    if (c === undefined) throw new GoJSONError('unexpected EOF');
    throw new GoJSONError(`invalid character ${quoteChar(c)} ${ctx}`);
  }

  ws(): void {
    while (this.i < this.s.length && WS.has(this.s[this.i] as string)) this.i++;
  }

  value(): Value {
    this.ws();
    const c = this.s[this.i];
    switch (c) {
      case '{':
        return this.object();
      case '[':
        return this.array();
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    return this.err(c, 'looking for beginning of value');
  }

  private literal(word: string, v: Value): Value {
    for (let k = 0; k < word.length; k++) {
      const c = this.s[this.i + k];
      if (c !== word[k]) this.err(c, `in literal ${word} (expecting ${quoteChar(word[k] as string)})`);
    }
    this.i += word.length;
    return v;
  }

  private number(): number {
    const start = this.i;
    const s = this.s;
    const digit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
    if (s[this.i] === '-') {
      this.i++;
      if (!digit(s[this.i])) this.err(s[this.i], 'in numeric literal');
    }
    if (s[this.i] === '0') this.i++;
    else while (digit(s[this.i])) this.i++;
    if (s[this.i] === '.') {
      this.i++;
      if (!digit(s[this.i])) this.err(s[this.i], 'after decimal point in numeric literal');
      while (digit(s[this.i])) this.i++;
    }
    if (s[this.i] === 'e' || s[this.i] === 'E') {
      this.i++;
      if (s[this.i] === '+' || s[this.i] === '-') this.i++;
      if (!digit(s[this.i])) this.err(s[this.i], 'in exponent of numeric literal');
      while (digit(s[this.i])) this.i++;
    }
    return Number(s.slice(start, this.i));
  }

  string(): string {
    const s = this.s;
    this.i++;
    let out = '';
    for (;;) {
      const c = s[this.i];
      if (c === undefined) this.err(undefined, '');
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c < ' ') this.err(c, 'in string literal');
      if (c !== '\\') {
        out += c;
        this.i++;
        continue;
      }
      const e = s[this.i + 1];
      this.i += 2;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const hex = s.slice(this.i, this.i + 4);
          for (let k = 0; k < 4; k++) {
            if (!/[0-9a-fA-F]/.test(hex[k] ?? '')) this.err(s[this.i + k], 'in \\u hexadecimal character escape');
          }
          out += String.fromCharCode(Number.parseInt(hex, 16));
          this.i += 4;
          break;
        }
        default:
          this.err(e, 'in string escape code');
      }
    }
  }

  private object(): RObject {
    this.enter();
    this.i++;
    const o = new RObject();
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      this.depth--;
      return o;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.err(this.s[this.i], 'looking for beginning of object key string');
      const k = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.err(this.s[this.i], 'after object key');
      this.i++;
      o.set(k, this.value());
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === ',') continue;
      if (c === '}') {
        this.depth--;
        return o;
      }
      this.err(c, 'after object key:value pair');
    }
  }

  private array(): Value[] {
    this.enter();
    this.i++;
    const out: Value[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      this.depth--;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === ',') continue;
      if (c === ']') {
        this.depth--;
        return out;
      }
      this.err(c, 'after array element');
    }
  }
}

/** Decodes like OPA's util.UnmarshalJSON (a json.Decoder plus a trailing-token check).
 *  Throws GoJSONError with Go's message. */
export function goUnmarshal(text: string): Value {
  try {
    return unmarshal(text);
  } catch (err) {
    // Nesting deep enough to exhaust the JS stack (thousands of levels) is refused as Go refuses
    // nesting beyond 10000.
    if (err instanceof RangeError) throw new GoJSONError('exceeded max depth');
    throw err;
  }
}

function unmarshal(text: string): Value {
  const r = new Reader(text);
  r.ws();
  if (r.i >= text.length) throw new GoJSONError('EOF');
  const v = r.value();
  r.ws();
  if (r.i < text.length) {
    // OPA reads one more token and reports it; a trailing null reads as no token at all.
    const c = text[r.i] as string;
    if (c === '{' || c === '[') throw new GoJSONError(`error: invalid character '${c}' after top-level value`);
    const tok = new Reader(text.slice(r.i)).value();
    if (tok !== null) {
      const shown = typeof tok === 'boolean' ? `%!s(bool=${tok})` : typeof tok === 'number' ? formatNumber(tok) : String(tok);
      throw new GoJSONError(`error: invalid character '${shown}' after top-level value`);
    }
  }
  return repairSurrogates(v);
}

function repairSurrogates(v: Value): Value {
  if (typeof v === 'string') return wellFormed(v);
  if (Array.isArray(v)) return v.map(repairSurrogates);
  if (v instanceof RObject) {
    const o = new RObject();
    for (const [k, x] of v.entries()) o.set(repairSurrogates(k), repairSurrogates(x));
    return o;
  }
  return v;
}

/** Go's json.Valid over bytes (as UTF-8 text). */
export function goJSONValid(text: string): boolean {
  const r = new Reader(text);
  try {
    // (A RangeError from absurd nesting lands in the catch below: not valid.)
    r.value();
    r.ws();
    return r.i === text.length;
  } catch {
    return false;
  }
}

/** What jwx's header accessor sees: fastjson's lenient parse of the protected header. */
export type FastHeader = { error: string } | { get(key: string): { type: string; str?: string } | undefined };

function startEnd(s: string): string {
  return JSON.stringify(s.length <= 40 ? s : `${s.slice(0, 20)}...${s.slice(-20)}`);
}

/** Parses like valyala/fastjson: leading/trailing whitespace, any JSON value, and its lax number
 *  scanning (so "e" is a "number"). Only top-level object members are looked up afterwards. */
export function fastjsonParse(text: string): FastHeader {
  let i = 0;
  const s = text;
  const skip = () => {
    while (i < s.length && WS.has(s[i] as string)) i++;
  };
  const fail = (msg: string): never => {
    throw new GoJSONError(msg);
  };
  const rawString = (): string => {
    const start = ++i;
    while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
    if (i >= s.length) fail(`missing closing '"'`);
    const raw = s.slice(start, i++);
    try {
      return new Reader(`"${raw}"`).string();
    } catch {
      return raw;
    }
  };
  let depth = 0;
  const value = (): { type: string; str?: string; obj?: Map<string, { type: string; str?: string }> } => {
    skip();
    if (++depth > 300) fail('too big depth for the nested JSON; it exceeds 300');
    try {
      return scalarOrNested();
    } finally {
      depth--;
    }
  };
  const scalarOrNested = (): { type: string; str?: string; obj?: Map<string, { type: string; str?: string }> } => {
    if (i >= s.length) fail('cannot parse empty string');
    const c = s[i] as string;
    if (c === '{') {
      i++;
      const obj = new Map<string, { type: string; str?: string }>();
      skip();
      if (s[i] === '}') {
        i++;
        return { type: 'object', obj };
      }
      for (;;) {
        skip();
        if (s[i] !== '"') fail(`cannot find opening '"' for object key`);
        const k = rawString();
        skip();
        if (s[i] !== ':') fail(`missing ':' after object key`);
        i++;
        const v = value();
        if (!obj.has(k)) obj.set(k, v);
        skip();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === '}') {
          i++;
          return { type: 'object', obj };
        }
        fail(`missing ',' after object value`);
      }
    }
    if (c === '[') {
      i++;
      skip();
      if (s[i] === ']') {
        i++;
        return { type: 'array' };
      }
      for (;;) {
        value();
        skip();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === ']') {
          i++;
          return { type: 'array' };
        }
        fail(`missing ',' after array value`);
      }
    }
    if (c === '"') return { type: 'string', str: rawString() };
    for (const [word, type] of [
      ['true', 'true'],
      ['false', 'false'],
      ['null', 'null'],
    ] as const) {
      if (s.startsWith(word, i)) {
        i += word.length;
        return { type };
      }
    }
    const m = /^[-+]?(?:inf|nan)/i.exec(s.slice(i)) ?? /^[0-9.eE+-]+/.exec(s.slice(i));
    if (!m) fail(`unexpected value found: ${startEnd(s.slice(i))}`);
    i += (m as RegExpExecArray)[0].length;
    return { type: 'number' };
  };
  try {
    const v = value();
    skip();
    if (i < s.length) fail(`unexpected tail: ${startEnd(s.slice(i))}`);
    return { get: (key) => v.obj?.get(key) };
  } catch (err) {
    const msg = (err as Error).message;
    if (msg.startsWith('unexpected tail')) return { error: msg };
    return { error: `cannot parse JSON: ${msg}; unparsed tail: ${startEnd(s.slice(i))}` };
  }
}
