import { byteString, outBuffer } from './bytes.js';
import { registerTransformation } from './registry.js';

// t:parityZero7bit: clears bit 7 of every byte.
export function parityZero7bit(input: string): string {
  const n = input.length;
  let i = 0;
  while (i < n && input.charCodeAt(i) < 0x80) i++;
  if (i === n) return input;
  const out = outBuffer(n);
  for (let k = 0; k < n; k++) out[k] = input.charCodeAt(k) & 0x7f;
  return byteString(out, n);
}

registerTransformation('parityZero7bit', parityZero7bit);
