import { byteString, copyPrefix, hexValue, isSpace, outBuffer } from './bytes.js';
import { registerTransformation } from './registry.js';

function isF(c: number): boolean {
  return c === 102 || c === 70;
}

// t:cssDecode (CSS 2.x escapes, ModSecurity's byte rules):
//  - backslash + 1-6 hex digits -> one byte: a single digit is its value, otherwise the last two
//    digits; for 4 digits (or 5-6 digits padded with leading zeros) full-width ASCII FFxx (xx 01-5E)
//    folds to ASCII. One whitespace char after the escape is swallowed.
//  - backslash + newline is a line continuation (both removed);
//  - backslash + any other char -> that char; a trailing lone backslash is removed.
export function cssDecode(input: string): string {
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
    i++; // the backslash itself is never kept
    if (i >= n) break;
    let j = 0;
    while (j < 6 && i + j < n && hexValue(input.charCodeAt(i + j)) >= 0) j++;
    if (j > 0) {
      let b =
        j === 1
          ? hexValue(input.charCodeAt(i))
          : (hexValue(input.charCodeAt(i + j - 2)) << 4) | hexValue(input.charCodeAt(i + j - 1));
      const fullCheck =
        j === 4 ||
        (j === 5 && input.charCodeAt(i) === 48) ||
        (j === 6 && input.charCodeAt(i) === 48 && input.charCodeAt(i + 1) === 48);
      if (fullCheck && b > 0 && b < 0x5f && isF(input.charCodeAt(i + j - 4)) && isF(input.charCodeAt(i + j - 3))) {
        b += 0x20;
      }
      out[o++] = b;
      if (i + j < n && isSpace(input.charCodeAt(i + j))) j++;
      i += j;
    } else if (input.charCodeAt(i) === 10) {
      i++;
    } else {
      out[o++] = input.charCodeAt(i);
      i++;
    }
  }
  return byteString(out, o);
}

registerTransformation('cssDecode', cssDecode);
