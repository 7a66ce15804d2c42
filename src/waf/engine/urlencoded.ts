// application/x-www-form-urlencoded parsing (query strings and bodies), byte strings in and out.
// As in ModSecurity: pairs split on '&', name and value split on the first '=', both URL-decoded
// with '+' as space; a '%' not followed by two hex digits is kept as written.

const HEX = new Int8Array(128).fill(-1);
for (let c = 0; c < 10; c++) HEX[48 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX[65 + c] = 10 + c;
  HEX[97 + c] = 10 + c;
}

function hex(c: number): number {
  return c < 128 ? HEX[c] : -1;
}

/** URL-decodes a byte string; `plusAsSpace` for form data. */
export function urlDecode(s: string, plusAsSpace: boolean): string {
  const n = s.length;
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 || (plusAsSpace && c === 43)) break;
  }
  if (i === n) return s;
  let out = s.slice(0, i);
  let start = i;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 43 && plusAsSpace) {
      out += `${s.slice(start, i)} `;
      i++;
      start = i;
    } else if (c === 37 && i + 2 < n && hex(s.charCodeAt(i + 1)) >= 0 && hex(s.charCodeAt(i + 2)) >= 0) {
      out += s.slice(start, i) + String.fromCharCode(hex(s.charCodeAt(i + 1)) * 16 + hex(s.charCodeAt(i + 2)));
      i += 3;
      start = i;
    } else {
      i++;
    }
  }
  return out + s.slice(start);
}

export interface ParsedPair {
  name: string;
  value: string;
}

/**
 * Splits `s` into decoded pairs. Empty segments (`a=1&&b=2`) are skipped. At most `limit` pairs are
 * returned; `truncated` tells whether more were present.
 */
export function parseUrlEncoded(s: string, limit: number): { pairs: ParsedPair[]; truncated: boolean } {
  const pairs: ParsedPair[] = [];
  const n = s.length;
  let start = 0;
  let truncated = false;
  while (start <= n) {
    let end = s.indexOf('&', start);
    if (end < 0) end = n;
    if (end > start) {
      if (pairs.length >= limit) {
        truncated = true;
        break;
      }
      const eq = s.indexOf('=', start);
      if (eq >= 0 && eq < end) {
        pairs.push({ name: urlDecode(s.slice(start, eq), true), value: urlDecode(s.slice(eq + 1, end), true) });
      } else {
        pairs.push({ name: urlDecode(s.slice(start, end), true), value: '' });
      }
    }
    start = end + 1;
  }
  return { pairs, truncated };
}
