import { byteString, outBuffer } from './bytes.js';
import { oddBits } from './parity.js';
import { registerTransformation } from './registry.js';

// t:parityEven7bit: treats each byte as 7 data bits and replaces bit 7 with the even-parity bit, so
// every output byte has an even number of set bits.
export function parityEven7bit(input: string): string {
  const n = input.length;
  if (n === 0) return input;
  const out = outBuffer(n);
  for (let i = 0; i < n; i++) {
    const c = input.charCodeAt(i) & 0xff;
    out[i] = oddBits(c & 0x7f) ? c | 0x80 : c & 0x7f;
  }
  return byteString(out, n);
}

registerTransformation('parityEven7bit', parityEven7bit);
