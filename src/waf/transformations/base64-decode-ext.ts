import { decodeBase64Chars, isBase64Char } from './base64-decode.js';
import { registerTransformation } from './registry.js';

// t:base64DecodeExt: the forgiving decoder — every char outside the base64 alphabet (including '='
// padding, whitespace and punctuation) is skipped wherever it appears, and the rest is decoded.
export function base64DecodeExt(input: string): string {
  const n = input.length;
  let i = 0;
  while (i < n && isBase64Char(input.charCodeAt(i))) i++;
  if (i === n) return decodeBase64Chars(input);
  let chars = input.slice(0, i);
  let runStart = -1;
  for (; i < n; i++) {
    if (isBase64Char(input.charCodeAt(i))) {
      if (runStart < 0) runStart = i;
    } else if (runStart >= 0) {
      chars += input.slice(runStart, i);
      runStart = -1;
    }
  }
  if (runStart >= 0) chars += input.slice(runStart);
  return decodeBase64Chars(chars);
}

registerTransformation('base64DecodeExt', base64DecodeExt);
