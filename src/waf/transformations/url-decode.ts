import { byteString, copyPrefix, hexValue, outBuffer } from './bytes.js';
import { registerTransformation } from './registry.js';

// t:urlDecode: %HH becomes the byte, '+' becomes a space. A '%' not followed by two hex digits
// (%zz, a truncated %4, a lone %) is kept literally, as ModSecurity's non-strict decoder does.
export function urlDecode(input: string): string {
  const p = input.indexOf('%');
  const q = input.indexOf('+');
  if (p < 0 && q < 0) return input;
  let i = p < 0 ? q : q < 0 ? p : Math.min(p, q);
  const n = input.length;
  const out = outBuffer(n);
  let o = copyPrefix(input, out, i);
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c === 37) {
      if (i + 2 < n) {
        const hi = hexValue(input.charCodeAt(i + 1));
        const lo = hexValue(input.charCodeAt(i + 2));
        if (hi >= 0 && lo >= 0) {
          out[o++] = (hi << 4) | lo;
          i += 3;
          continue;
        }
      }
      out[o++] = 37;
    } else {
      out[o++] = c === 43 ? 32 : c;
    }
    i++;
  }
  return byteString(out, o);
}

registerTransformation('urlDecode', urlDecode);
