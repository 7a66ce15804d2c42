import { registerTransformation } from './registry.js';
import { leftEdge } from './trim.js';

// t:trimLeft: removes leading whitespace (space, \t, \n, \v, \f, \r).
export function trimLeft(input: string): string {
  const i = leftEdge(input);
  return i === 0 ? input : input.slice(i);
}

registerTransformation('trimLeft', trimLeft);
