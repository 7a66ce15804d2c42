import { byteString, copyPrefix, isSpace, NBSP, outBuffer } from './bytes.js';
import { registerTransformation } from './registry.js';

function isWhite(c: number): boolean {
  return isSpace(c) || c === NBSP;
}

// t:compressWhitespace: every run of whitespace (space, \t, \n, \v, \f, \r, 0xA0) becomes one space,
// including leading and trailing runs.
export function compressWhitespace(input: string): string {
  const n = input.length;
  // Fast path: only single plain spaces.
  let i = 0;
  while (i < n) {
    const c = input.charCodeAt(i);
    if (isWhite(c) && (c !== 32 || isWhite(input.charCodeAt(i + 1)))) break;
    i++;
  }
  if (i === n) return input;
  const out = outBuffer(n);
  let o = copyPrefix(input, out, i);
  let inWhite = false;
  for (; i < n; i++) {
    const c = input.charCodeAt(i);
    if (isWhite(c)) {
      if (!inWhite) out[o++] = 32;
      inWhite = true;
    } else {
      out[o++] = c;
      inWhite = false;
    }
  }
  return byteString(out, o);
}

registerTransformation('compressWhitespace', compressWhitespace);
