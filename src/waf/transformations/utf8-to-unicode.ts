import { byteString, copyPrefix, LOWER_HEX, outBuffer } from './bytes.js';
import { registerTransformation } from './registry.js';

function isCont(c: number): boolean {
  return (c & 0xc0) === 0x80; // NaN (past the end) gives 0: not a continuation byte
}

// t:utf8toUnicode: every well-formed multi-byte UTF-8 sequence becomes %uHHHH (lowercase hex, at least
// four digits, five or six above U+FFFF). ASCII is kept; bytes that do not start a well-formed
// sequence (stray continuations, truncated sequences, overlongs, surrogates, > U+10FFFF) are kept as-is.
export function utf8ToUnicode(input: string): string {
  const n = input.length;
  let i = 0;
  while (i < n && input.charCodeAt(i) < 0x80) i++;
  if (i === n) return input;
  const out = outBuffer(n * 3); // worst case: 2 bytes -> 6 chars
  let o = copyPrefix(input, out, i);
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c < 0x80) {
      out[o++] = c;
      i++;
      continue;
    }
    let cp = -1;
    let len = 0;
    if (c >= 0xc2 && c <= 0xdf) {
      const c1 = input.charCodeAt(i + 1);
      if (isCont(c1)) {
        cp = ((c & 0x1f) << 6) | (c1 & 0x3f);
        len = 2;
      }
    } else if (c >= 0xe0 && c <= 0xef) {
      const c1 = input.charCodeAt(i + 1);
      const c2 = input.charCodeAt(i + 2);
      if (isCont(c1) && isCont(c2)) {
        cp = ((c & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
        len = 3;
        if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) cp = -1;
      }
    } else if (c >= 0xf0 && c <= 0xf4) {
      const c1 = input.charCodeAt(i + 1);
      const c2 = input.charCodeAt(i + 2);
      const c3 = input.charCodeAt(i + 3);
      if (isCont(c1) && isCont(c2) && isCont(c3)) {
        cp = ((c & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f);
        len = 4;
        if (cp < 0x10000 || cp > 0x10ffff) cp = -1;
      }
    }
    if (cp < 0) {
      out[o++] = c;
      i++;
      continue;
    }
    out[o++] = 37; // %
    out[o++] = 117; // u
    const digits = cp > 0xfffff ? 6 : cp > 0xffff ? 5 : 4;
    for (let shift = (digits - 1) * 4; shift >= 0; shift -= 4) out[o++] = LOWER_HEX.charCodeAt((cp >> shift) & 0xf);
    i += len;
  }
  return byteString(out, o);
}

registerTransformation('utf8toUnicode', utf8ToUnicode);
