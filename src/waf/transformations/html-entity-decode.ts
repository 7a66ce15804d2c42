import { byteString, copyPrefix, hexValue, NBSP, outBuffer } from './bytes.js';
import { registerTransformation } from './registry.js';

// strtol() saturates at LONG_MAX (2^63 - 1); ModSecurity then keeps its low byte, 0xFF.
const LONG_OVERFLOW = 2 ** 63;

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

// The only named entities ModSecurity decodes (case-insensitive).
function namedEntity(input: string, start: number, end: number): number {
  switch (input.slice(start, end).toLowerCase()) {
    case 'quot':
      return 34;
    case 'amp':
      return 38;
    case 'lt':
      return 60;
    case 'gt':
      return 62;
    case 'nbsp':
      return NBSP;
    default:
      return -1;
  }
}

// t:htmlEntityDecode: &#DDD; and &#xHH; (x or X, any number of digits, the value's low byte),
// &quot; &amp; &lt; &gt; &nbsp; — all with or without the closing ';'. Anything that does not
// decode (&#;, &#x;, &foo;, a lone &) is kept as it is.
export function htmlEntityDecode(input: string): string {
  let i = input.indexOf('&');
  if (i < 0) return input;
  const n = input.length;
  const out = outBuffer(n);
  let o = copyPrefix(input, out, i);
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c !== 38 || i + 1 >= n) {
      out[o++] = c;
      i++;
      continue;
    }
    let k = i + 1;
    let value = -1;
    let j = k;
    if (input.charCodeAt(k) === 35) {
      k++;
      const x = input.charCodeAt(k);
      const hex = x === 120 || x === 88;
      if (hex) k++;
      // Track the low byte exactly and the magnitude roughly (for strtol's saturation).
      let low = 0;
      let approx = 0;
      j = k;
      while (j < n) {
        const ch = input.charCodeAt(j);
        const d = hex ? hexValue(ch) : ch >= 48 && ch <= 57 ? ch - 48 : -1;
        if (d < 0) break;
        low = (low * (hex ? 16 : 10) + d) & 0xff;
        approx = approx * (hex ? 16 : 10) + d;
        j++;
      }
      if (j > k) value = approx >= LONG_OVERFLOW ? 0xff : low;
    } else {
      while (j < n && isAlnum(input.charCodeAt(j))) j++;
      if (j - k >= 2 && j - k <= 4) value = namedEntity(input, k, j);
    }
    if (value < 0) {
      out[o++] = 38; // not an entity: keep '&' and rescan what follows as text
      i++;
      continue;
    }
    out[o++] = value;
    i = j < n && input.charCodeAt(j) === 59 ? j + 1 : j;
  }
  return byteString(out, o);
}

registerTransformation('htmlEntityDecode', htmlEntityDecode);
