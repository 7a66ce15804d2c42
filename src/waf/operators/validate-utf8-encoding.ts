// @validateUtf8Encoding: matches when the value (bytes) is not valid UTF-8 as ModSecurity checks it:
// truncated sequences, bad continuation bytes, stray continuation or 0xF8+ lead bytes, overlong forms,
// UTF-16 surrogates (U+D800-DFFF) and lead bytes 0xF5-0xF7 all count as invalid. No parameter.
import { registerOperator } from './registry.js';

export function invalidUtf8(value: string): boolean {
  const n = value.length;
  let i = 0;
  while (i < n) {
    const c = value.charCodeAt(i);
    if (c < 0x80) {
      i++;
      continue;
    }
    let len: number;
    let cp: number;
    if ((c & 0xe0) === 0xc0) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c & 0xf0) === 0xe0) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c & 0xf8) === 0xf0) {
      if (c >= 0xf5) return true;
      len = 4;
      cp = c & 0x07;
    } else return true; // continuation byte or 0xF8-0xFF as a lead byte
    if (i + len > n) return true; // truncated
    for (let k = 1; k < len; k++) {
      const b = value.charCodeAt(i + k);
      if ((b & 0xc0) !== 0x80) return true;
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp >= 0xd800 && cp <= 0xdfff) return true;
    if (cp < (len === 2 ? 0x80 : len === 3 ? 0x800 : 0x10000)) return true; // overlong
    i += len;
  }
  return false;
}

registerOperator({
  name: 'validateUtf8Encoding',
  create() {
    return { evaluate: (_ctx, value) => invalidUtf8(value) };
  },
});
