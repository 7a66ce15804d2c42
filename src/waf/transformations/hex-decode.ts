import { byteString, outBuffer } from './bytes.js';
import { registerTransformation } from './registry.js';

// ModSecurity's digit arithmetic, which does not validate: letters count from 'A'/'a' = 10 (so 'z'
// is 35), other chars are (code - '0'). For real hex digits it is the usual value.
function digit(c: number): number {
  return c >= 65 ? (c & 0xdf) - 55 : c - 48;
}

// t:hexDecode: each pair of chars becomes one byte; an odd trailing char is dropped. Pairs are not
// validated, exactly as in ModSecurity (a non-hex pair yields the byte its arithmetic gives).
export function hexDecode(input: string): string {
  const pairs = input.length >> 1;
  if (pairs === 0) return '';
  const out = outBuffer(pairs);
  for (let k = 0, i = 0; k < pairs; k++, i += 2) {
    out[k] = (digit(input.charCodeAt(i)) * 16 + digit(input.charCodeAt(i + 1))) & 0xff;
  }
  return byteString(out, pairs);
}

registerTransformation('hexDecode', hexDecode);
