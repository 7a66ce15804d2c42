import { byteString, copyPrefix, LOWER_HEX, outBuffer } from './bytes.js';
import { registerTransformation } from './registry.js';

function isKept(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 42;
}

// t:urlEncode: letters, digits and '*' are kept, a space becomes '+', every other byte %hh
// (lowercase hex) — so '-', '.', '_' and '~' are encoded too, as ModSecurity does.
export function urlEncode(input: string): string {
  const n = input.length;
  let i = 0;
  while (i < n && isKept(input.charCodeAt(i))) i++;
  if (i === n) return input;
  const out = outBuffer(n * 3);
  let o = copyPrefix(input, out, i);
  for (; i < n; i++) {
    const c = input.charCodeAt(i) & 0xff;
    if (isKept(c)) {
      out[o++] = c;
    } else if (c === 32) {
      out[o++] = 43;
    } else {
      out[o++] = 37;
      out[o++] = LOWER_HEX.charCodeAt(c >> 4);
      out[o++] = LOWER_HEX.charCodeAt(c & 0xf);
    }
  }
  return byteString(out, o);
}

registerTransformation('urlEncode', urlEncode);
