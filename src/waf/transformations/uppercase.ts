import { byteString, copyPrefix, outBuffer } from './bytes.js';
import { registerTransformation } from './registry.js';

// t:uppercase: ASCII a-z only, byte by byte; bytes >= 0x80 are kept.
export function uppercase(input: string): string {
  const n = input.length;
  let i = 0;
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c >= 97 && c <= 122) break;
    i++;
  }
  if (i === n) return input;
  const out = outBuffer(n);
  let o = copyPrefix(input, out, i);
  for (; i < n; i++) {
    const c = input.charCodeAt(i);
    out[o++] = c >= 97 && c <= 122 ? c & 0xdf : c;
  }
  return byteString(out, o);
}

registerTransformation('uppercase', uppercase);
