import { Buffer } from 'node:buffer';
import { registerTransformation } from './registry.js';

/** True for the standard base64 alphabet A-Z a-z 0-9 + / (not '=', not the URL-safe - and _). */
export function isBase64Char(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
}

/** Decodes a string made only of base64 alphabet chars (no padding); a final lone char is ignored. */
export function decodeBase64Chars(chars: string): string {
  return Buffer.from(chars, 'base64').toString('latin1');
}

// t:base64Decode: decodes the leading run of base64 alphabet chars and stops at the first char
// outside it ('=', whitespace, '.', '-', ...), as ModSecurity's decoder does; padding is optional.
export function base64Decode(input: string): string {
  const n = input.length;
  let i = 0;
  while (i < n && isBase64Char(input.charCodeAt(i))) i++;
  return decodeBase64Chars(i === n ? input : input.slice(0, i));
}

registerTransformation('base64Decode', base64Decode);
