import { byteString, copyPrefix, outBuffer } from './bytes.js';
import { registerTransformation } from './registry.js';

// t:lowercase: ASCII A-Z only, byte by byte (C tolower in the "C" locale); bytes >= 0x80 are kept,
// which String.prototype.toLowerCase would not do for latin1 letters.
export function lowercase(input: string): string {
  const n = input.length;
  let i = 0;
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c >= 65 && c <= 90) break;
    i++;
  }
  if (i === n) return input;
  const out = outBuffer(n);
  let o = copyPrefix(input, out, i);
  for (; i < n; i++) {
    const c = input.charCodeAt(i);
    out[o++] = c >= 65 && c <= 90 ? c | 0x20 : c;
  }
  return byteString(out, o);
}

registerTransformation('lowercase', lowercase);
