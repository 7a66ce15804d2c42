import { byteString, copyPrefix, isSpace, NBSP, outBuffer } from './bytes.js';
import { registerTransformation } from './registry.js';

// t:removeWhitespace: drops space, \t, \n, \v, \f, \r and the latin1 non-breaking space (0xA0).
export function removeWhitespace(input: string): string {
  const n = input.length;
  let i = 0;
  while (i < n) {
    const c = input.charCodeAt(i);
    if (isSpace(c) || c === NBSP) break;
    i++;
  }
  if (i === n) return input;
  const out = outBuffer(n);
  let o = copyPrefix(input, out, i);
  for (; i < n; i++) {
    const c = input.charCodeAt(i);
    if (!isSpace(c) && c !== NBSP) out[o++] = c;
  }
  return byteString(out, o);
}

registerTransformation('removeWhitespace', removeWhitespace);
