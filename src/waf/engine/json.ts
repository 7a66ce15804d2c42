// JSON request body processor. The document is flattened into argument pairs the way Coraza
// documents it: object members become `prefix.key`, array elements `prefix.N`, the root prefix is
// `json`; an array also yields `prefix` = its element count. Scalars keep their source text (numbers
// as written, true/false, null as ''). Strings are byte strings: \u escapes become UTF-8 bytes.
// Iterative (no recursion), so deep nesting cannot overflow the stack; depth is bounded anyway.

export interface JsonResult {
  pairs: { name: string; value: string }[];
  /** Set when the body is not valid JSON (pairs found before the error are kept). */
  error?: string;
  /** More pairs than the limit were present. */
  truncated: boolean;
}

interface Frame {
  arr: boolean;
  prefix: string;
  count: number;
}

class JsonError extends Error {}

function utf8(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  if (cp < 0x10000) return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  return String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}

const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

export function parseJsonBody(s: string, limit: number, depthLimit: number): JsonResult {
  const pairs: { name: string; value: string }[] = [];
  let truncated = false;
  const n = s.length;
  let i = 0;
  const stack: Frame[] = [];

  const ws = (): void => {
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const fail = (what: string): never => {
    throw new JsonError(`${what} at offset ${i}`);
  };
  const emit = (name: string, value: string): void => {
    if (pairs.length >= limit) {
      truncated = true;
      return;
    }
    pairs.push({ name, value });
  };
  const hex4 = (at: number): number => {
    if (at + 4 > n) fail('truncated \\u escape');
    const h = s.slice(at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(h)) fail('invalid \\u escape');
    return Number.parseInt(h, 16);
  };
  const str = (): string => {
    // s[i] is the opening quote
    i++;
    let out = '';
    let start = i;
    for (;;) {
      if (i >= n) fail('unterminated string');
      const c = s.charCodeAt(i);
      if (c === 34) {
        out += s.slice(start, i);
        i++;
        return out;
      }
      if (c < 0x20) fail('control character in string');
      if (c !== 92) {
        i++;
        continue;
      }
      out += s.slice(start, i);
      const e = s.charCodeAt(i + 1);
      i += 2;
      switch (e) {
        case 34:
          out += '"';
          break;
        case 92:
          out += '\\';
          break;
        case 47:
          out += '/';
          break;
        case 98:
          out += '\b';
          break;
        case 102:
          out += '\f';
          break;
        case 110:
          out += '\n';
          break;
        case 114:
          out += '\r';
          break;
        case 116:
          out += '\t';
          break;
        case 117: {
          let cp = hex4(i);
          i += 4;
          if (cp >= 0xd800 && cp < 0xdc00 && s.charCodeAt(i) === 92 && s.charCodeAt(i + 1) === 117) {
            const lo = hex4(i + 2);
            if (lo >= 0xdc00 && lo < 0xe000) {
              cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
              i += 6;
            }
          }
          out += utf8(cp);
          break;
        }
        default:
          i -= 1;
          fail('invalid escape');
      }
      start = i;
    }
  };
  const scalar = (): string => {
    const c = s.charCodeAt(i);
    if (c === 34) return str();
    const start = i;
    while (i < n) {
      const d = s.charCodeAt(i);
      if ((d >= 48 && d <= 57) || (d >= 97 && d <= 122) || d === 45 || d === 43 || d === 46 || d === 69) i++;
      else break;
    }
    const tok = s.slice(start, i);
    if (tok === 'true' || tok === 'false') return tok;
    if (tok === 'null') return '';
    if (tok === '' || !NUMBER.test(tok)) {
      i = start;
      fail('unexpected token');
    }
    return tok;
  };

  try {
    // `name` is the argument name of the value about to be read.
    let name = 'json';
    for (;;) {
      ws();
      if (i >= n) fail('unexpected end of input');
      const c = s.charCodeAt(i);
      let opened = false;
      if (c === 123 || c === 91) {
        if (stack.length >= depthLimit) fail('nesting too deep');
        i++;
        stack.push({ arr: c === 91, prefix: name, count: 0 });
        opened = true;
      } else {
        emit(name, scalar());
      }
      // After a value (or just after an opening bracket): find the next value's name, closing
      // containers as they end.
      let first = opened;
      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) {
          ws();
          if (i < n) fail('trailing data after JSON value');
          return { pairs, truncated };
        }
        ws();
        if (i >= n) fail('unexpected end of input');
        const d = s.charCodeAt(i);
        if ((top.arr && d === 93) || (!top.arr && d === 125)) {
          i++;
          stack.pop();
          if (top.arr) emit(top.prefix, String(top.count));
          first = false;
          continue;
        }
        if (!first) {
          if (d !== 44) fail("expected ',' or closing bracket");
          i++;
          ws();
        }
        if (top.arr) {
          name = `${top.prefix}.${top.count}`;
          top.count++;
        } else {
          if (s.charCodeAt(i) !== 34) fail('expected object key');
          const key = str();
          ws();
          if (s.charCodeAt(i) !== 58) fail("expected ':'");
          i++;
          name = `${top.prefix}.${key}`;
          top.count++;
        }
        break;
      }
    }
  } catch (e) {
    if (e instanceof JsonError) return { pairs, error: e.message, truncated };
    throw e;
  }
}
