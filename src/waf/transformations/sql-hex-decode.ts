import { byteString, copyPrefix, hexValue, outBuffer } from './bytes.js';
import { registerTransformation } from './registry.js';

// t:sqlHexDecode: SQL hex literals 0xHHHH... (x or X) become their bytes. A literal needs at least
// one full hex pair; decoding takes as many complete pairs as follow, an odd last digit is kept
// ("0x414" -> "A4"), and "0x" without a pair is left alone.
export function sqlHexDecode(input: string): string {
  const a = input.indexOf('0x');
  const b = input.indexOf('0X');
  if (a < 0 && b < 0) return input;
  let i = a < 0 ? b : b < 0 ? a : Math.min(a, b);
  const n = input.length;
  const out = outBuffer(n);
  let o = copyPrefix(input, out, i);
  while (i < n) {
    const c = input.charCodeAt(i);
    const x = input.charCodeAt(i + 1);
    if (c === 48 && (x === 120 || x === 88) && hexValue(input.charCodeAt(i + 2)) >= 0 && hexValue(input.charCodeAt(i + 3)) >= 0) {
      i += 2;
      while (i + 1 < n) {
        const hi = hexValue(input.charCodeAt(i));
        const lo = hexValue(input.charCodeAt(i + 1));
        if (hi < 0 || lo < 0) break;
        out[o++] = (hi << 4) | lo;
        i += 2;
      }
      continue;
    }
    out[o++] = c;
    i++;
  }
  return byteString(out, o);
}

registerTransformation('sqlHexDecode', sqlHexDecode);
