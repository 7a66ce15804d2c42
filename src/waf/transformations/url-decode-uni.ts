import { byteString, copyPrefix, hexValue, lowByteFullWidth, outBuffer } from './bytes.js';
import { registerTransformation } from './registry.js';
import { bestFitByte } from './unicode-bestfit.js';

// t:urlDecodeUni: like urlDecode, plus IIS-style %uHHHH (u or U). The code point becomes one byte:
// its best-fit ASCII byte when the US-ASCII best-fit table has one (e.g. U+201C -> '"'), otherwise the
// low byte, with full-width ASCII U+FF01-U+FF5E folded onto 0x21-0x7E. Invalid or truncated
// escapes are kept literally.
export function urlDecodeUni(input: string): string {
  const p = input.indexOf('%');
  const q = input.indexOf('+');
  if (p < 0 && q < 0) return input;
  let i = p < 0 ? q : q < 0 ? p : Math.min(p, q);
  const n = input.length;
  const out = outBuffer(n);
  let o = copyPrefix(input, out, i);
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c !== 37) {
      out[o++] = c === 43 ? 32 : c;
      i++;
      continue;
    }
    const c1 = input.charCodeAt(i + 1);
    if (c1 === 117 || c1 === 85) {
      if (i + 5 < n) {
        const h1 = hexValue(input.charCodeAt(i + 2));
        const h2 = hexValue(input.charCodeAt(i + 3));
        const h3 = hexValue(input.charCodeAt(i + 4));
        const h4 = hexValue(input.charCodeAt(i + 5));
        if (h1 >= 0 && h2 >= 0 && h3 >= 0 && h4 >= 0) {
          const code = (h1 << 12) | (h2 << 8) | (h3 << 4) | h4;
          const fit = bestFitByte(code);
          out[o++] = fit >= 0 ? fit : lowByteFullWidth(code);
          i += 6;
          continue;
        }
      }
      // Not a %u escape: keep "%u" and carry on after it.
      out[o++] = 37;
      out[o++] = c1;
      i += 2;
      continue;
    }
    if (i + 2 < n) {
      const hi = hexValue(c1);
      const lo = hexValue(input.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        out[o++] = (hi << 4) | lo;
        i += 3;
        continue;
      }
    }
    out[o++] = 37;
    i++;
  }
  return byteString(out, o);
}

registerTransformation('urlDecodeUni', urlDecodeUni);
