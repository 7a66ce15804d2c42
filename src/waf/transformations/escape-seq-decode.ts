import { byteString, copyPrefix, hexValue, outBuffer } from './bytes.js';
import { registerTransformation } from './registry.js';

// ANSI C single-char escapes.
const SIMPLE: Int16Array = (() => {
  const t = new Int16Array(256).fill(-1);
  t[97] = 7; // \a
  t[98] = 8; // \b
  t[102] = 12; // \f
  t[110] = 10; // \n
  t[114] = 13; // \r
  t[116] = 9; // \t
  t[118] = 11; // \v
  t[92] = 92; // \\
  t[63] = 63; // \?
  t[39] = 39; // \'
  t[34] = 34; // \"
  return t;
})();

function isOctal(c: number): boolean {
  return c >= 48 && c <= 55;
}

// t:escapeSeqDecode: ANSI C escapes \a \b \f \n \r \t \v \\ \? \' \", \xHH / \XHH (exactly two hex
// digits) and octal \O, \OO, \OOO (the value's low byte: \666 -> 0xB6). A backslash before
// anything else (\8, \z, a malformed \xZ) is dropped and the char kept; a trailing lone backslash stays.
export function escapeSeqDecode(input: string): string {
  let i = input.indexOf('\\');
  if (i < 0) return input;
  const n = input.length;
  const out = outBuffer(n);
  let o = copyPrefix(input, out, i);
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c !== 92 || i + 1 >= n) {
      out[o++] = c;
      i++;
      continue;
    }
    const e = input.charCodeAt(i + 1);
    const s = e < 256 ? SIMPLE[e] : -1;
    if (s >= 0) {
      out[o++] = s;
      i += 2;
      continue;
    }
    if ((e === 120 || e === 88) && i + 3 < n) {
      const hi = hexValue(input.charCodeAt(i + 2));
      const lo = hexValue(input.charCodeAt(i + 3));
      if (hi >= 0 && lo >= 0) {
        out[o++] = (hi << 4) | lo;
        i += 4;
        continue;
      }
    }
    if (isOctal(e)) {
      let v = e - 48;
      let j = i + 2;
      while (j < n && j < i + 4 && isOctal(input.charCodeAt(j))) v = (v << 3) | (input.charCodeAt(j++) - 48);
      out[o++] = v & 0xff;
      i = j;
      continue;
    }
    out[o++] = e;
    i += 2;
  }
  return byteString(out, o);
}

registerTransformation('escapeSeqDecode', escapeSeqDecode);
