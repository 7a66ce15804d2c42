// Encoding builtins: json.*, yaml.*, base64.*, base64url.*, hex.*, urlquery.*. Byte-level
// formats work on the UTF-8 bytes of the string, as Go does; decoded bytes that are not UTF-8 come
// back with U+FFFD in their place (Rego strings are Unicode here).
import { BuiltinError } from '../errors.js';
import { fromJSON, RObject, RSet, type Value, typeName } from '../value.js';
import { builtinErr, obj, str } from './args.js';
import { goJSONSyntaxError, jsonKey, marshalJSON, marshalJSONIndent } from './go-json.js';
import { marshalYAML, unmarshalYAML, YAMLError } from './go-yaml.js';
import { registerBuiltin } from './registry.js';

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

/** An "operand N ..." error (OPA's builtins.NewOperandErr), which OPA reports as a type error. */
function operandErr(name: string, n: number, msg: string): BuiltinError {
  return new BuiltinError(`${name}: operand ${n} ${msg}`, 'eval_type_error');
}

// ---- json ----

registerBuiltin({
  name: 'json.marshal',
  decl: { args: ['any'], result: 'string' },
  fn: (args) => marshalJSON(args[0] as Value),
});

registerBuiltin({
  name: 'json.marshal_with_options',
  decl: { args: ['any', 'object'], result: 'string' },
  fn: (args) => {
    const name = 'json.marshal_with_options';
    const opts = obj(args, 1, name);
    let indent = '\t';
    let prefix = '';
    let implicitPretty = false;
    let explicitPretty: boolean | null = null;
    const keys = opts.sortedKeys();
    for (let idx = 0; idx < keys.length; idx++) {
      const k = keys[idx] as Value;
      const v = opts.get(k) as Value;
      if (typeof k !== 'string') {
        throw operandErr(
          name,
          2,
          `failed to stringify key ${marshalJSON(k)} at index ${idx}: operand ${idx} must be string but got ${typeName(k)}`,
        );
      }
      switch (k) {
        case 'prefix':
        case 'indent':
          if (typeof v !== 'string')
            throw operandErr(name, 2, `key ${k} failed cast to string: operand ${idx} must be string but got ${typeName(v)}`);
          if (k === 'prefix') prefix = v;
          else indent = v;
          implicitPretty = true;
          break;
        case 'pretty':
          if (typeof v !== 'boolean') throw operandErr(name, 2, `key ${k} failed cast to bool`);
          explicitPretty = v;
          break;
        default:
          throw operandErr(name, 2, `object contained unknown key ${k}`);
      }
    }
    const pretty = explicitPretty ?? implicitPretty;
    if (!pretty) return marshalJSON(args[0] as Value);
    // Go's MarshalIndent leaves the first line unprefixed; OPA adds the prefix there too.
    return prefix + marshalJSONIndent(args[0] as Value, prefix, indent);
  },
});

registerBuiltin({
  name: 'json.unmarshal',
  decl: { args: ['string'], result: 'any' },
  fn: (args) => {
    const s = str(args, 0, 'json.unmarshal');
    const err = goJSONSyntaxError(s);
    if (err !== null) throw builtinErr('json.unmarshal', err);
    return fromJSON(JSON.parse(s));
  },
});

registerBuiltin({
  name: 'json.is_valid',
  decl: { args: ['string'], result: 'boolean' },
  fn: (args) => typeof args[0] === 'string' && goJSONSyntaxError(args[0]) === null,
});

// ---- yaml ----

registerBuiltin({
  name: 'yaml.marshal',
  decl: { args: ['any'], result: 'string' },
  fn: (args) => marshalYAML(args[0] as Value),
});

function yamlValue(name: string, s: string): Value {
  try {
    return unmarshalYAML(s);
  } catch (e) {
    if (e instanceof YAMLError) throw builtinErr(name, e.message);
    throw e;
  }
}

registerBuiltin({
  name: 'yaml.unmarshal',
  decl: { args: ['string'], result: 'any' },
  fn: (args) => yamlValue('yaml.unmarshal', str(args, 0, 'yaml.unmarshal')),
});

registerBuiltin({
  name: 'yaml.is_valid',
  decl: { args: ['string'], result: 'boolean' },
  fn: (args) => {
    if (typeof args[0] !== 'string') return false;
    try {
      unmarshalYAML(args[0]);
      return true;
    } catch (e) {
      if (e instanceof YAMLError) return false;
      throw e;
    }
  },
});

// ---- base64 ----

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function decodeTable(alphabet: string): Int16Array {
  const t = new Int16Array(256).fill(-1);
  for (let i = 0; i < alphabet.length; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
}
const STD_TABLE = decodeTable(STD);
const URL_TABLE = decodeTable(URL);

class Base64Error extends Error {}

/** Go's padded base64 decoding (non-strict: newlines ignored, stray low bits allowed). */
function decodeBase64(s: string, table: Int16Array): Buffer {
  const src = utf8(s);
  const n = src.length;
  const out: number[] = [];
  const corrupt = (at: number) => new Base64Error(`illegal base64 data at input byte ${at}`);
  const skipNewlines = (i: number) => {
    while (i < n && (src[i] === 10 || src[i] === 13)) i++;
    return i;
  };
  let si = 0;
  for (;;) {
    const d = [0, 0, 0, 0];
    let len = 4;
    let j = 0;
    while (j < 4) {
      if (si === n) {
        if (j === 0) return Buffer.from(out);
        throw corrupt(si - j);
      }
      const c = src[si++] as number;
      const v = table[c] as number;
      if (v >= 0) {
        d[j++] = v;
        continue;
      }
      if (c === 10 || c === 13) continue;
      if (c !== 61) throw corrupt(si - 1);
      // Padding: only after two or three symbols, "==" after two, and nothing after it.
      if (j < 2) throw corrupt(si - 1);
      if (j === 2) {
        si = skipNewlines(si);
        if (si === n) throw corrupt(n);
        if (src[si] !== 61) throw corrupt(si - 1);
        si++;
      }
      si = skipNewlines(si);
      if (si < n) throw corrupt(si);
      len = j;
      break;
    }
    const v = ((d[0] as number) << 18) | ((d[1] as number) << 12) | ((d[2] as number) << 6) | (d[3] as number);
    out.push((v >> 16) & 255);
    if (len > 2) out.push((v >> 8) & 255);
    if (len > 3) out.push(v & 255);
    if (len < 4) return Buffer.from(out);
  }
}

function base64Decoder(name: string, table: Int16Array, prepare: (s: string) => string = (s) => s) {
  return (args: Value[]): Value => {
    const s = prepare(str(args, 0, name));
    try {
      return text(decodeBase64(s, table));
    } catch (e) {
      if (e instanceof Base64Error) throw builtinErr(name, e.message);
      throw e;
    }
  };
}

const stringFn = (name: string, f: (s: string) => string) => ({
  name,
  decl: { args: ['string' as const], result: 'string' as const },
  fn: (args: Value[]) => f(str(args, 0, name)),
});

registerBuiltin(stringFn('base64.encode', (s) => utf8(s).toString('base64')));
registerBuiltin({
  name: 'base64.decode',
  decl: { args: ['string'], result: 'string' },
  fn: base64Decoder('base64.decode', STD_TABLE),
});
registerBuiltin({
  name: 'base64.is_valid',
  decl: { args: ['string'], result: 'boolean' },
  fn: (args) => {
    if (typeof args[0] !== 'string') return false;
    try {
      decodeBase64(args[0], STD_TABLE);
      return true;
    } catch {
      return false;
    }
  },
});
registerBuiltin(stringFn('base64url.encode', (s) => utf8(s).toString('base64').replace(/\+/g, '-').replace(/\//g, '_')));
registerBuiltin(stringFn('base64url.encode_no_pad', (s) => utf8(s).toString('base64url')));
registerBuiltin({
  name: 'base64url.decode',
  decl: { args: ['string'], result: 'string' },
  // Unpadded input is padded first (RFC 7515 appendix C), as OPA does.
  fn: base64Decoder('base64url.decode', URL_TABLE, (s) => {
    if (s.endsWith('=')) return s;
    switch (utf8(s).length % 4) {
      case 2:
        return `${s}==`;
      case 3:
        return `${s}=`;
      case 1:
        throw builtinErr('base64url.decode', `illegal base64url string: ${s}`);
      default:
        return s;
    }
  }),
});

// ---- hex ----

registerBuiltin(stringFn('hex.encode', (s) => utf8(s).toString('hex')));

/** Go's %#U of a byte taken as a rune: "U+0067 'g'" (the character only when printable). */
function goRune(b: number): string {
  const code = `U+${b.toString(16).toUpperCase().padStart(4, '0')}`;
  const printable = (b >= 0x20 && b < 0x7f) || (b >= 0xa1 && b !== 0xad);
  return printable ? `${code} '${String.fromCharCode(b)}'` : code;
}

registerBuiltin(
  stringFn('hex.decode', (s) => {
    const src = utf8(s);
    const isHex = (b: number) => (b >= 48 && b <= 57) || (b >= 97 && b <= 102) || (b >= 65 && b <= 70);
    const invalid = (b: number) => builtinErr('hex.decode', `encoding/hex: invalid byte: ${goRune(b)}`);
    let j = 1;
    for (; j < src.length; j += 2) {
      if (!isHex(src[j - 1] as number)) throw invalid(src[j - 1] as number);
      if (!isHex(src[j] as number)) throw invalid(src[j] as number);
    }
    if (src.length % 2 === 1) {
      if (!isHex(src[j - 1] as number)) throw invalid(src[j - 1] as number);
      throw builtinErr('hex.decode', 'encoding/hex: odd length hex string');
    }
    return text(Buffer.from(s, 'hex'));
  }),
);

// ---- urlquery (Go's url.QueryEscape / QueryUnescape / Values) ----

function queryEscape(s: string): string {
  let out = '';
  for (const b of utf8(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (b === 32) out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

class EscapeError extends Error {}

function queryUnescape(s: string): string {
  const src = utf8(s);
  const out: number[] = [];
  const isHex = (b: number | undefined) => b !== undefined && /[0-9A-Fa-f]/.test(String.fromCharCode(b));
  for (let i = 0; i < src.length; i++) {
    const b = src[i] as number;
    if (b === 37) {
      if (i + 2 >= src.length || !isHex(src[i + 1]) || !isHex(src[i + 2])) {
        const bad = text(src.subarray(i, i + 3));
        throw new EscapeError(`invalid URL escape ${JSON.stringify(bad)}`);
      }
      out.push(Number.parseInt(String.fromCharCode(src[i + 1] as number, src[i + 2] as number), 16));
      i += 2;
    } else out.push(b === 43 ? 32 : b);
  }
  return text(Buffer.from(out));
}

function unescaping(name: string, s: string): string {
  try {
    return queryUnescape(s);
  } catch (e) {
    if (e instanceof EscapeError) throw builtinErr(name, e.message);
    throw e;
  }
}

registerBuiltin(stringFn('urlquery.encode', queryEscape));
registerBuiltin(stringFn('urlquery.decode', (s) => unescaping('urlquery.decode', s)));

registerBuiltin({
  name: 'urlquery.encode_object',
  decl: { args: ['object'], result: 'string' },
  fn: (args) => {
    const name = 'urlquery.encode_object';
    const o = obj(args, 0, name);
    const bad = () => operandErr(name, 1, 'values must be string, array[string], or set[string]');
    const params: [string, string[]][] = [];
    for (const [k, v] of o.entries()) {
      let vals: string[];
      if (typeof v === 'string') vals = [v];
      else if (Array.isArray(v) || v instanceof RSet) {
        vals = (Array.isArray(v) ? v : v.sorted()).map((x) => {
          if (typeof x !== 'string') throw bad();
          return x;
        });
      } else throw bad();
      params.push([jsonKey(k), vals]);
    }
    // url.Values.Encode sorts by key bytes; values keep their order.
    params.sort((a, b) => Buffer.compare(utf8(a[0]), utf8(b[0])));
    return params.flatMap(([k, vs]) => vs.map((v) => `${queryEscape(k)}=${queryEscape(v)}`)).join('&');
  },
});

registerBuiltin({
  name: 'urlquery.decode_object',
  decl: { args: ['string'], result: 'object' },
  fn: (args) => {
    const name = 'urlquery.decode_object';
    const query = str(args, 0, name);
    const m = new Map<string, string[]>();
    let err: string | null = null;
    for (const part of query === '' ? [] : query.split('&')) {
      if (part.includes(';')) {
        err = 'invalid semicolon separator in query';
        continue;
      }
      if (part === '') continue;
      const eq = part.indexOf('=');
      try {
        const k = queryUnescape(eq < 0 ? part : part.slice(0, eq));
        const v = queryUnescape(eq < 0 ? '' : part.slice(eq + 1));
        m.set(k, [...(m.get(k) ?? []), v]);
      } catch (e) {
        if (!(e instanceof EscapeError)) throw e;
        err ??= e.message;
      }
    }
    if (err !== null) throw builtinErr(name, err);
    return RObject.from([...m].map(([k, vs]): [Value, Value] => [k, vs]));
  },
});
