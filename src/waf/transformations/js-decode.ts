import { byteString, copyPrefix, hexValue, lowByteFullWidth, outBuffer } from './bytes.js';
import { registerTransformation } from './registry.js';

// Single-letter JavaScript escapes; any other escaped char stands for itself (\\ \' \" \? \/ ...).
const SIMPLE: Int16Array = (() => {
  const t = new Int16Array(256).fill(-1);
  t[97] = 7; // \a
  t[98] = 8; // \b
  t[102] = 12; // \f
  t[110] = 10; // \n
  t[114] = 13; // \r
  t[116] = 9; // \t
  t[118] = 11; // \v
  return t;
})();

function isOctal(c: number): boolean {
  return c >= 48 && c <= 55;
}

// t:jsDecode: \uHHHH (low byte, full-width ASCII folded), \xHH, octal \O..\OOO (at most one byte:
// a 3-digit form above \377 uses two digits), \a \b \f \n \r \t \v, and \C -> C for anything else.
// Malformed \u / \x lose only the backslash (\u12 -> u12); a trailing lone backslash is kept.
export function jsDecode(input: string): string {
  let i = input.indexOf('\\');
  if (i < 0) return input;
  const n = input.length;
  const out = outBuffer(n);
  let o = copyPrefix(input, out, i);
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c !== 92) {
      out[o++] = c;
      i++;
      continue;
    }
    if (i + 1 >= n) {
      out[o++] = c; // trailing backslash: nothing to escape
      i++;
      continue;
    }
    const e = input.charCodeAt(i + 1);
    if (e === 117 && i + 5 < n) {
      const h1 = hexValue(input.charCodeAt(i + 2));
      const h2 = hexValue(input.charCodeAt(i + 3));
      const h3 = hexValue(input.charCodeAt(i + 4));
      const h4 = hexValue(input.charCodeAt(i + 5));
      if (h1 >= 0 && h2 >= 0 && h3 >= 0 && h4 >= 0) {
        out[o++] = lowByteFullWidth((h1 << 12) | (h2 << 8) | (h3 << 4) | h4);
        i += 6;
        continue;
      }
    }
    if (e === 120 && i + 3 < n) {
      const hi = hexValue(input.charCodeAt(i + 2));
      const lo = hexValue(input.charCodeAt(i + 3));
      if (hi >= 0 && lo >= 0) {
        out[o++] = (hi << 4) | lo;
        i += 4;
        continue;
      }
    }
    if (isOctal(e)) {
      let j = i + 2;
      const max = e <= 51 ? i + 4 : i + 3; // \4xx..\7xx would exceed one byte: take two digits
      while (j < n && j < max && isOctal(input.charCodeAt(j))) j++;
      let v = 0;
      for (let k = i + 1; k < j; k++) v = (v << 3) | (input.charCodeAt(k) - 48);
      out[o++] = v;
      i = j;
      continue;
    }
    const s = e < 256 ? SIMPLE[e] : -1;
    out[o++] = s >= 0 ? s : e;
    i += 2;
  }
  return byteString(out, o);
}

registerTransformation('jsDecode', jsDecode);
