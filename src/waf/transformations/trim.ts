import { isSpace } from './bytes.js';
import { registerTransformation } from './registry.js';

// C isspace() whitespace only (space, \t, \n, \v, \f, \r): unlike String.prototype.trim, the latin1
// non-breaking space 0xA0 is not whitespace here.

/** Index of the first non-whitespace char (input.length if none). */
export function leftEdge(input: string): number {
  let i = 0;
  while (i < input.length && isSpace(input.charCodeAt(i))) i++;
  return i;
}

/** One past the last non-whitespace char at or after `from` (from if none). */
export function rightEdge(input: string, from: number): number {
  let j = input.length;
  while (j > from && isSpace(input.charCodeAt(j - 1))) j--;
  return j;
}

// t:trim: removes leading and trailing whitespace.
export function trim(input: string): string {
  const i = leftEdge(input);
  const j = rightEdge(input, i);
  return i === 0 && j === input.length ? input : input.slice(i, j);
}

registerTransformation('trim', trim);
