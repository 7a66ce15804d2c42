import { byteString, outBuffer } from './bytes.js';
import { oddBits } from './parity.js';
import { registerTransformation } from './registry.js';

// t:parityOdd7bit: treats each byte as 7 data bits and replaces bit 7 with the odd-parity bit, so
// every output byte has an odd number of set bits.
export function parityOdd7bit(input: string): string {
  const n = input.length;
  if (n === 0) return input;
  const out = outBuffer(n);
  for (let i = 0; i < n; i++) {
    const c = input.charCodeAt(i) & 0xff;
    out[i] = oddBits(c & 0x7f) ? c & 0x7f : c | 0x80;
  }
  return byteString(out, n);
}

registerTransformation('parityOdd7bit', parityOdd7bit);
